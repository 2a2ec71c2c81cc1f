"""The browser suite's server in production form: gunicorn, BAKEN_DEBUG=off, collected static.

Opt in with BAKEN_BROWSER_SERVER=gunicorn (docs/testing.md). One gunicorn process serves the
whole session from the test database pytest-django made; tests that change settings in the
test process (marker `in_process_server`) are skipped, as those settings cannot reach it.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENABLED = os.environ.get("BAKEN_BROWSER_SERVER", "") == "gunicorn"
# Production redirects plain http to https; behind the TLS proxy it trusts this header.
HEADERS = {"X-Forwarded-Proto": "https"} if ENABLED else {}


class GunicornServer:
    # pytest-django's helper turns this on around each test; the settings live in another process.
    _live_server_modified_settings = SimpleNamespace(enable=lambda: None, disable=lambda: None)

    def __init__(self, workdir: Path):
        self.cache_dir = workdir / "cache"
        self.cache_dir.mkdir()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.browser.production_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "BAKEN_DEBUG": "off",
            "BAKEN_BEHIND_TLS_PROXY": "on",
            "BAKEN_ALLOWED_HOSTS": "127.0.0.1",
            "BAKEN_VAR_DIR": str(settings.VAR_DIR),
            "BAKEN_DATA_KEY_FILE": str(settings.DATA_KEY_FILE),
            "BAKEN_STATIC_ROOT": str(workdir / "static"),
            "BAKEN_BROWSER_DATABASE": str(connection.settings_dict["NAME"]),
            "BAKEN_BROWSER_CACHE_DIR": str(self.cache_dir),
            "BAKEN_BROWSER_ORIGIN": self.url,
            "BAKEN_LOG_LEVEL": "WARNING",
            "BAKEN_REQUEST_LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [str(BIN / "baken"), "collectstatic", "--noinput", "-v0"],
            env=self.env,
            check=True,
            cwd=ROOT,
        )
        self.log = (workdir / "gunicorn.log").open("w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "baken.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--worker-class", "gthread", "--workers", "1", "--threads", "8"]
            + ["--no-control-socket"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up(workdir)

    def _wait_until_up(self, workdir: Path) -> None:
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError((workdir / "gunicorn.log").read_text())
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)  # noqa: S310 (http)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {(workdir / 'gunicorn.log').read_text()}")

    def clear_cache(self) -> None:
        for entry in self.cache_dir.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()

    def __str__(self) -> str:
        return self.url
