"""BAKEN_OIDC_* settings: off by default, a clear error for an incomplete configuration."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from baken.settings.oidc import origins, role_map, settings_from_env

COMPLETE = {
    "BAKEN_OIDC_CLIENT_ID": "baken",
    "BAKEN_OIDC_CLIENT_SECRET": "geheim",
    "BAKEN_OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0/",
    "BAKEN_OIDC_ROLE_MAP": "oov-analisten=analyst:OOV Havenwaard, bestuur=management",
}


def test_without_a_client_id_sso_is_off(monkeypatch):
    monkeypatch.delenv("BAKEN_OIDC_CLIENT_ID", raising=False)
    values = settings_from_env()
    assert values["OIDC_ENABLED"] is False
    assert origins(values) == []


def test_a_complete_configuration(monkeypatch):
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    values = settings_from_env()
    assert values["OIDC_ENABLED"] is True
    assert values["OIDC_OP_ISSUER"] == "https://login.microsoftonline.com/tenant/v2.0"
    assert values["OIDC_ROLE_MAP"] == {
        "oov-analisten": ("analyst", "OOV Havenwaard"),
        "bestuur": ("management", ""),
    }
    assert values["OIDC_USER_CLAIM"] == "preferred_username"
    assert origins(values) == ["https://login.microsoftonline.com"]


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("BAKEN_OIDC_CLIENT_SECRET", "BAKEN_OIDC_CLIENT_SECRET"),
        ("BAKEN_OIDC_ISSUER", "BAKEN_OIDC_AUTHORIZATION_ENDPOINT"),
        ("BAKEN_OIDC_ROLE_MAP", "BAKEN_OIDC_ROLE_MAP"),
    ],
)
def test_an_incomplete_configuration_names_what_is_missing(monkeypatch, missing, named):
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(ImproperlyConfigured, match=named):
        settings_from_env()


@pytest.mark.parametrize("raw", ["oov-analisten", "oov=wizard", "=analyst"])
def test_a_wrong_role_map_entry_is_named(raw):
    with pytest.raises(ImproperlyConfigured, match="BAKEN_OIDC_ROLE_MAP"):
        role_map(raw)
