"""The Django secret key: from BAKEN_SECRET_KEY, or generated once into var/ for development."""

import os
import secrets
from pathlib import Path


def secret_key(var_dir: Path) -> tuple[str, bool]:
    """Return the key and whether it came from the environment.

    A production deployment must set BAKEN_SECRET_KEY; `baken check --deploy` says so
    (baken.core.checks) when it is missing.
    """
    from_env = os.environ.get("BAKEN_SECRET_KEY")
    if from_env:
        return from_env, True
    path = var_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip(), False
