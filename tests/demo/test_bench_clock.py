"""The benchmarks' fixed clock (bench/clock.py): the product's "now" starts at the moment the
demo data was dated relative to, and runs on from there."""

import importlib.util
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bench import clock
from django.utils import timezone

MOMENT = datetime.fromisoformat("2026-12-01T12:00:00+01:00")


@pytest.fixture(autouse=True)
def _real_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", timezone.now)  # undone after each test


def test_pin_starts_the_clock_at_the_moment_and_runs_on():
    clock.pin(MOMENT)
    first = timezone.now()
    assert timedelta(0) <= first - MOMENT < timedelta(seconds=5)
    assert timezone.localdate() == MOMENT.date()
    time.sleep(0.01)
    assert timezone.now() > first  # not frozen: rate limits and sessions see time pass


def test_a_moment_without_its_offset_is_refused():
    with pytest.raises(ValueError, match="offset"):
        clock.pin(datetime.fromisoformat("2026-12-01T12:00:00"))


def test_as_gunicorn_config_it_pins_only_with_the_setting(monkeypatch):
    def load_as_gunicorn():  # gunicorn loads its -c file under this module name
        path = Path(clock.__file__)
        spec = importlib.util.spec_from_file_location("__config__", path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))

    monkeypatch.delenv(clock.ENV, raising=False)
    load_as_gunicorn()
    assert abs(timezone.now() - datetime.now().astimezone()) < timedelta(seconds=5)
    monkeypatch.setenv(clock.ENV, MOMENT.isoformat())
    load_as_gunicorn()
    assert abs(timezone.now() - MOMENT) < timedelta(seconds=5)


def test_as_gunicorn_config_it_serves_with_the_production_settings(monkeypatch):
    # The benchmark's server is gunicorn as in production: the worker hook that keeps the
    # collector off the loaded app (deploy/gunicorn.conf.py) runs there too.
    monkeypatch.delenv(clock.ENV, raising=False)
    path = Path(clock.__file__)
    spec = importlib.util.spec_from_file_location("__config__", path)
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)
    production = Path(clock.__file__).resolve().parents[1] / "deploy" / "gunicorn.conf.py"
    assert config.__file__ != str(production)
    assert config.post_worker_init.__code__.co_filename == str(production)
    assert config.max_requests == 20_000
    assert config.accesslog is None
