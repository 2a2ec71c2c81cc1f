"""The Dutch catalogue is complete: every string the code and templates mark is translated."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

SOURCE = Path(__file__).resolve().parents[2] / "src" / "baken"
CATALOGUE = SOURCE / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_marked_string_has_a_dutch_translation(tmp_path):
    copy = tmp_path / "baken"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [django_admin, "makemessages", "-l", "nl", "--no-location", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(copy / CATALOGUE.relative_to(SOURCE))}
    committed = polib.pofile(CATALOGUE)
    translated = {(e.msgctxt, e.msgid) for e in committed.translated_entries()}
    missing = sorted(msgid for _ctx, msgid in extracted - translated)
    assert not missing, f"untranslated in {CATALOGUE.name}: {missing}"
    assert not committed.fuzzy_entries()


@pytest.mark.django_db
def test_pages_are_dutch_by_default_even_for_an_english_browser(client):
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="nl"' in body and "Gebruikersnaam" in body


@pytest.mark.django_db
def test_language_switch_turns_the_interface_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/inloggen"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in body and "Username" in body
