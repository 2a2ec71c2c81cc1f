"""Settings a browser test changes, applied inside the gunicorn server too.

A test that changes a setting (pytest-django's `settings` fixture) changes it in the test
process; in gunicorn mode (BAKEN_BROWSER_SERVER=gunicorn) the pages are served by another
process. The fixture in tests/browser/conftest.py therefore also writes the changed settings
to a file, and this middleware, first in the server's chain, applies them with Django's own
`override_settings` (which sends `setting_changed`, as the fixture does in the test process)
whenever the file changes. Only the test settings module installs it; production never does.
"""

import os
import pickle
import threading
from pathlib import Path

from django.test.utils import override_settings

FILE = Path(os.environ.get("BAKEN_BROWSER_OVERRIDES_FILE", "/nonexistent"))


def write(file: Path, overrides: dict) -> None:
    """Replace the server's overrides (from the test process)."""
    staged = file.with_suffix(".tmp")
    staged.write_bytes(pickle.dumps(overrides))
    os.replace(staged, file)


class ApplyOverrides:
    _lock = threading.Lock()
    _seen: bytes | None = None
    _active: override_settings | None = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._refresh()
        return self.get_response(request)

    @classmethod
    def _refresh(cls) -> None:
        try:
            written = FILE.read_bytes()
        except FileNotFoundError:
            return
        with cls._lock:
            if written == cls._seen:
                return
            cls._seen = written
            if cls._active is not None:
                cls._active.disable()
                cls._active = None
            overrides = pickle.loads(written)  # noqa: S301 (written by the tests)
            if overrides:
                cls._active = override_settings(**overrides)
                cls._active.enable()
