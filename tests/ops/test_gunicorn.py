"""Baken served as in production (debug off, gunicorn with deploy/gunicorn.conf.py, JSON
logs): the load balancer's probes get their answers over plain HTTP with an IP address as
host, every other path keeps the host check and the HTTPS redirect, and every log line is a
JSON object without the search term of the request."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, host: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    answer = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return answer


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(150):
        if server.poll() is not None:
            raise AssertionError(server.stderr.read() if server.stderr else "gunicorn stopped")
        try:
            get(port, "/healthz", "127.0.0.1")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer")


def test_probes_host_check_and_json_logs_under_gunicorn(tmp_path):
    key = tmp_path / "data.key"
    subprocess.run([str(BIN / "baken"), "create-data-key", str(key)], check=True, timeout=60)
    (tmp_path / "static").mkdir()  # as after `baken collectstatic`
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("BAKEN_")},
        "DJANGO_SETTINGS_MODULE": "baken.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'not-migrated.sqlite3'}",
        "BAKEN_DEBUG": "off",
        "BAKEN_SECRET_KEY": "a-long-random-secret-for-this-test-only-" + "x" * 30,
        "BAKEN_DATA_KEY_FILE": str(key),
        "BAKEN_VAR_DIR": str(tmp_path),
        "BAKEN_ALLOWED_HOSTS": "baken.gemeente.nl",
        "BAKEN_BIND": f"127.0.0.1:{port}",
        "BAKEN_WEB_WORKERS": "1",
        "BAKEN_LOG_FORMAT": "json",
        "BAKEN_LOG_LEVEL": "INFO",
    }
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py"), "baken.wsgi"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port, server)
        status, headers, body = get(port, "/healthz", "10.0.0.7")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert headers["Cache-Control"] == "no-store"
        # The database has no tables yet: not ready, and no error page.
        status, _headers, body = get(port, "/readyz", "10.0.0.7")
        assert status == 503 and json.loads(body)["database"] == "unavailable"
        assert get(port, "/melden", "10.0.0.7")[0] == 400
        status, headers, _body = get(port, "/melden?q=Pietersen", "baken.gemeente.nl")
        assert status == 301 and headers["Location"].startswith("https://baken.gemeente.nl/")
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=30)

    lines = [json.loads(line) for line in errors.splitlines() if line.strip()]
    assert "Pietersen" not in errors
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own, as JSON
    [redirect] = [line for line in lines if line.get("status") == 301]
    assert redirect["logger"] == "baken.request" and redirect["path"] == "/melden"
