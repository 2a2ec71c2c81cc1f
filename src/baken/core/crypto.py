"""The data key: encryption at rest and the keyed hashes derived from it.

The key file holds 32 random bytes, base64-encoded. It lives outside the database, so a copy
of the database alone reveals no encrypted content and cannot forge the audit chain.
"""

import base64
import functools
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
NONCE_BYTES = 12


def create_data_key_file(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode() + "\n")


def ensure_data_key() -> None:
    path = settings.DATA_KEY_FILE
    if path.exists():
        data_key()
        return
    if not settings.GENERATE_DATA_KEY:
        raise ImproperlyConfigured(
            f"The data key file {path} does not exist. Baken encrypts data at rest with it "
            "and will not start without it. Create one with `baken create-data-key PATH`, keep "
            "a copy in a safe place, and point BAKEN_DATA_KEY_FILE at it."
        )
    create_data_key_file(path)


@functools.cache
def _read_key(path_text: str) -> bytes:
    try:
        raw = base64.b64decode(open(path_text).read().strip(), validate=True)  # noqa: SIM115
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"The data key file {path_text} cannot be read: {exc}") from exc
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"The data key file {path_text} must hold {KEY_BYTES} base64-encoded bytes."
        )
    return raw


def data_key() -> bytes:
    return _read_key(str(settings.DATA_KEY_FILE))


def derived_key(purpose: str) -> bytes:
    """A separate key per purpose, so that no two uses ever share key material."""
    return _derive(data_key(), purpose)


@functools.lru_cache(maxsize=32)
def _derive(key: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(key)


def encrypt(plaintext: bytes, *, purpose: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(derived_key(purpose)).encrypt(nonce, plaintext, purpose.encode())


def decrypt(ciphertext: bytes, *, purpose: str) -> bytes:
    nonce, body = ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:]
    return AESGCM(derived_key(purpose)).decrypt(nonce, body, purpose.encode())


def subkey(key: bytes, purpose: str) -> bytes:
    """A key of one purpose derived from another key than the data key (a report's own key,
    ADR 0031). Not cached: a destroyed report's key must not live on in a cache."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()
    ).derive(key)


def encrypt_with(key: bytes, plaintext: bytes, *, context: bytes) -> bytes:
    """AES-GCM under `key`, bound to `context` (authenticated, not stored)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def decrypt_with(key: bytes, ciphertext: bytes, *, context: bytes) -> bytes:
    nonce, body = ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:]
    return AESGCM(key).decrypt(nonce, body, context)
