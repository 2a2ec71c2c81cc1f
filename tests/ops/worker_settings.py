"""Settings for a real `baken db_worker` started by a test: the test settings with the
database tasks backend, on the test's own database (named in BAKEN_TEST_WORKER_DB)."""

import os

from baken.settings.test import *  # noqa: F403
from baken.settings.test import DATABASES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DATABASES["default"]["NAME"] = os.environ["BAKEN_TEST_WORKER_DB"]
