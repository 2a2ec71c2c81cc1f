"""Production settings for the browser suite's gunicorn server (BAKEN_BROWSER_SERVER=gunicorn).

The real settings with BAKEN_DEBUG=off (manifest static files, secure cookies, SSL redirect
honoured through X-Forwarded-Proto), changed only where a test run must differ from an
installation; each change says why (docs/browser-tests-in-production-form.md).
"""

import os

os.environ["BAKEN_DEBUG"] = "off"

from baken.settings import *  # noqa: E402, F403
from baken.settings import DATABASES, MIDDLEWARE  # noqa: E402

# The test process's database: pytest-django made it and the tests commit to it.
DATABASES["default"]["NAME"] = os.environ["BAKEN_BROWSER_DATABASE"]
# Settings a test changes in the test process (pytest-django's `settings` fixture) are applied
# here too, first thing in every request (tests/browser/server_settings.py).
MIDDLEWARE = ["tests.browser.server_settings.ApplyOverrides", *MIDDLEWARE]
# Users are made by the test process with the suite's cheap Argon2 (tests/hashers.py).
PASSWORD_HASHERS = [
    "tests.hashers.CheapArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
# Tasks run at once, as in the test process: a test that enqueues work sees its result
# without a `baken db_worker` beside the server (the worker is tested on its own).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No mail server here: mail goes to files under var/mail/ instead of failing on localhost:25.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# Rate-limit counters in a folder the test process empties before each test, as it clears its
# own cache (tests/conftest.py); a locmem cache would carry them from one test to the next.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["BAKEN_BROWSER_CACHE_DIR"],
    }
}
