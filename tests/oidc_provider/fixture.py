"""Start the test identity provider (tests/oidc_provider) as a real process on a free port."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "baken"
CLIENT_SECRET = "baken-client-secret"  # noqa: S105
PROVIDER_PASSWORD = "provider-password-1"  # noqa: S105
BAKEN = "http://testserver"
USERS = ["alice", "bob", "carol"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class Provider:
    issuer: str
    groups_file: Path
    process: subprocess.Popen = field(repr=False)

    def set_groups(self, username: str, groups: list[str] | None) -> None:
        """What the provider says about `username`'s groups from now on (None: no claim)."""
        current = json.loads(self.groups_file.read_text())
        if groups is None:
            current.pop(username, None)
        else:
            current[username] = groups
        self.groups_file.write_text(json.dumps(current))


def start(tmp: Path, baken: str = BAKEN) -> Provider:
    """Start the provider with Baken (at `baken`) registered as its client."""
    port = _free_port()
    groups_file = tmp / "groups.json"
    groups_file.write_text("{}")
    config = {
        "users": [
            {"username": name, "password": PROVIDER_PASSWORD, "email": f"{name}@gemeente.test"}
            for name in USERS
        ],
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{baken}/inloggen/sso/terug"],
            "post_logout_redirect_uris": [f"{baken}/inloggen"],
        },
    }
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "IDP_DATABASE": str(tmp / "idp.sqlite3"),
        "IDP_RSA_KEY": _rsa_key(),
        "IDP_GROUPS_FILE": str(groups_file),
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), json.dumps(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "idp.log", "w"),  # noqa: SIM115
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((tmp / "idp.log").read_text())
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return Provider(issuer=issuer, groups_file=groups_file, process=process)
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("The test identity provider did not start in 20 seconds.")


class Browser:
    """One person's browser towards the provider: it keeps the provider's session cookie."""

    def __init__(self):
        self.http = requests.Session()

    def follow_to_baken(self, url: str, *, username: str = "", password: str = "") -> str:
        """Follow the provider's redirects (signing in on its login page when asked) until
        it sends the browser back to Baken; return that address."""
        for _ in range(10):
            if url.startswith(BAKEN):
                return url
            response = self.http.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'name="password"' in response.text:
                response = self._sign_in(response, username, password)
            assert response.status_code in (301, 302), (response.status_code, response.text)
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("Too many redirects at the provider.")

    def _sign_in(self, page, username: str, password: str):
        assert username, "The provider asked to sign in."
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        return self.http.post(
            page.url,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
            },
            headers={"Referer": page.url},
            allow_redirects=False,
            timeout=10,
        )
