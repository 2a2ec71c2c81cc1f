"""Receipt codes: 97 random bits, readable aloud, stored only as a keyed hash.

Twenty characters from a 29-character alphabet without look-alikes (no 0/O, 1/I/L, U/V),
in five groups of four: 'K7QM-2XPA-9RTD-HWNE-4F6B'.
"""

import hashlib
import hmac
import secrets

from baken.core import crypto

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 20
GROUP = 4
PURPOSE = "baken.intake.receipt.v1"


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    key = crypto.derived_key(PURPOSE)
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()
