"""The browser suite's server in production form: gunicorn, BAKEN_DEBUG=off, collected static.

Opt in with BAKEN_BROWSER_SERVER=gunicorn (docs/browser-tests-in-production-form.md). One
gunicorn process serves the whole session over https (a certificate made for the session) from
the test database pytest-django made; settings a test changes reach it through
tests/browser/server_settings.py.
"""

import datetime
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import connection

from . import server_settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENABLED = os.environ.get("BAKEN_BROWSER_SERVER", "") == "gunicorn"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day (the browser is told to accept
    it: Playwright's ignore_https_errors)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "server.crt", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class GunicornServer:
    # pytest-django's helper turns this on around each test; the settings live in another process.
    _live_server_modified_settings = SimpleNamespace(enable=lambda: None, disable=lambda: None)

    def __init__(self, workdir: Path):
        self.cache_dir = workdir / "cache"
        self.cache_dir.mkdir()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"https://127.0.0.1:{self.port}"
        self.overrides_file = workdir / "overrides.pickle"
        cert_file, key_file = _certificate(workdir)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.browser.production_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "BAKEN_DEBUG": "off",
            "BAKEN_BEHIND_TLS_PROXY": "off",
            "BAKEN_ALLOWED_HOSTS": "127.0.0.1",
            "BAKEN_VAR_DIR": str(settings.VAR_DIR),
            "BAKEN_DATA_KEY_FILE": str(settings.DATA_KEY_FILE),
            "BAKEN_STATIC_ROOT": str(workdir / "static"),
            "BAKEN_BROWSER_DATABASE": str(connection.settings_dict["NAME"]),
            "BAKEN_BROWSER_CACHE_DIR": str(self.cache_dir),
            "BAKEN_BROWSER_OVERRIDES_FILE": str(self.overrides_file),
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
            + ["--certfile", str(cert_file), "--keyfile", str(key_file)]
            + ["--no-control-socket"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up(workdir, ssl.create_default_context(cafile=str(cert_file)))

    def _wait_until_up(self, workdir: Path, trusting: ssl.SSLContext) -> None:
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError((workdir / "gunicorn.log").read_text())
            try:
                urllib.request.urlopen(  # noqa: S310 (our own server)
                    f"{self.url}/healthz", timeout=1, context=trusting
                )
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {(workdir / 'gunicorn.log').read_text()}")

    def override_settings(self, overrides: dict) -> None:
        """From now on the server runs with these settings changed (server_settings.py)."""
        server_settings.write(self.overrides_file, overrides)

    def clear_cache(self) -> None:
        for entry in self.cache_dir.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()

    def __str__(self) -> str:
        return self.url
