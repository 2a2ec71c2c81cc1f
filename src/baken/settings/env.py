"""Reading settings from the environment, with safe defaults."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_ON = {"on", "true", "1", "yes"}
_OFF = {"off", "false", "0", "no", ""}


def switch(name: str, default: bool) -> bool:
    """Read an on/off switch; anything else is a configuration error, not a silent default."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    raise ImproperlyConfigured(f"{name} must be 'on' or 'off', not {raw!r}.")


def text(name: str, default: str) -> str:
    return os.environ.get(name, default)


def integer(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def items(name: str, default: str) -> list[str]:
    return [part.strip() for part in text(name, default).split(",") if part.strip()]


def pairs(name: str, default: str) -> dict[str, str]:
    """Comma-separated `name=value` pairs, e.g. "jit=off,work_mem=8MB"."""
    found = {}
    for part in items(name, default):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} must be name=value pairs, not {part!r}.")
        found[key.strip()] = value.strip()
    return found


def checkout_root() -> Path:
    """The checkout this package runs from, or the working directory when installed."""
    package_dir = Path(__file__).resolve().parents[1]
    if package_dir.parent.name == "src":
        return package_dir.parent.parent
    return Path.cwd()
