"""Settings for the test suite: the real ones, with a throw-away data key and outbox."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("BAKEN_VAR_DIR", str(Path(tempfile.gettempdir()) / "baken-test-var"))

from baken.settings import *  # noqa: E402, F403
from baken.settings import VAR_DIR  # noqa: E402

DATA_KEY_FILE = VAR_DIR / "test-data.key"
GENERATE_DATA_KEY = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Seals of one test run never meet another run's chain (tests that seal use a folder of
# their own, tests/audit/test_seals.py).
AUDIT_SEAL_DIR = Path(tempfile.gettempdir()) / f"baken-test-seals-{os.getpid()}"
PRIVACY_OFFICER_EMAIL = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tasks run at once when they are enqueued: no worker needed in the tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Argon2 still, with the cost turned down: the suite makes hundreds of users.
PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory default: the browser tests' live server then gives each
    # request thread its own connection, as in production (WAL, IMMEDIATE, timeout), instead
    # of sharing the test's one in-memory connection, where the report page's parallel htmx
    # panels fail with "database table is locked". One file per test run.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"baken-test-{os.getpid()}.sqlite3")
    }
