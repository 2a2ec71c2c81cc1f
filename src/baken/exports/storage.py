"""Where export files live: settings.EXPORT_DIR, outside the web root (never served by
whitenoise or a media URL), each file encrypted with the data key like attachments
(reports/attachments.py). Only views that check the owner read them (ADR 0013).

An export can be large, so it is encrypted in segments of SEGMENT bytes, each its own
AES-GCM message whose associated data binds it to the export, its position and whether it is
the last one: segments cannot be reordered, swapped between exports or cut off unnoticed.
The file is written and read as a stream, never held whole in memory.
"""

import os
import secrets
import struct
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from baken.core import crypto

PURPOSE = "baken.exports.file.v1"
MAGIC = b"BKX1"
SEGMENT = 1024 * 1024
# Before each segment: its length and whether it is the last (both bound by the AAD).
_HEAD = struct.Struct(">I?")


class DamagedFile(Exception):
    pass


def path_for(export_id: uuid.UUID) -> Path:
    return Path(settings.EXPORT_DIR) / f"{export_id}.bin"


def work_dir() -> Path:
    """A private folder for XlsxWriter's temporary files (never the shared /tmp)."""
    folder = Path(settings.EXPORT_DIR) / "work"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def sweep_work(*, older_than: datetime) -> int:
    """Remove what an export that died left in the work folder (XlsxWriter's temporary
    files hold rows unencrypted): the files not written to since `older_than`. Called only
    when no export is running (services.exports_stalled). Returns how many were removed."""
    folder = Path(settings.EXPORT_DIR) / "work"
    if not folder.is_dir():
        return 0
    removed = 0
    for left in folder.iterdir():
        if left.is_file() and left.stat().st_mtime < older_than.timestamp():
            left.unlink(missing_ok=True)
            removed += 1
    return removed


def _aad(export_id: uuid.UUID, index: int, last: bool) -> bytes:
    return PURPOSE.encode() + export_id.bytes + struct.pack(">Q?", index, last)


class EncryptedWriter:
    """A binary file-like sink: bytes go in, encrypted segments go to disk.

    Written to a temporary name and renamed on close(), so a half-written file is never
    taken for a finished one."""

    def __init__(self, export_id: uuid.UUID):
        self.export_id = export_id
        self.path = path_for(export_id)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._partial = self.path.with_suffix(".part")
        fd = os.open(self._partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._out = os.fdopen(fd, "wb")
        self._out.write(MAGIC)
        self._aes = AESGCM(crypto.derived_key(PURPOSE))
        self._buffer = bytearray()
        self._index = 0
        self.size = 0

    def write(self, data: bytes) -> int:
        self._buffer += data
        self.size += len(data)
        while len(self._buffer) > SEGMENT:
            self._segment(bytes(self._buffer[:SEGMENT]), last=False)
            del self._buffer[:SEGMENT]
        return len(data)

    def flush(self) -> None:
        """Segments are written when full; zipfile (XlsxWriter) calls this and expects it."""

    def _segment(self, plain: bytes, *, last: bool) -> None:
        nonce = secrets.token_bytes(crypto.NONCE_BYTES)
        sealed = self._aes.encrypt(nonce, plain, _aad(self.export_id, self._index, last))
        self._out.write(_HEAD.pack(len(nonce) + len(sealed), last) + nonce + sealed)
        self._index += 1

    def close(self) -> None:
        self._segment(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._out.close()
        os.replace(self._partial, self.path)

    def abort(self) -> None:
        self._out.close()
        self._partial.unlink(missing_ok=True)


def read_segments(export_id: uuid.UUID) -> Iterator[bytes]:
    """The plain bytes of a stored export, segment by segment; DamagedFile if anything was
    altered, reordered or cut off."""
    aes = AESGCM(crypto.derived_key(PURPOSE))
    with open(path_for(export_id), "rb") as stored:
        if stored.read(len(MAGIC)) != MAGIC:
            raise DamagedFile(export_id)
        index, last = 0, False
        while not last:
            head = stored.read(_HEAD.size)
            if len(head) != _HEAD.size:
                raise DamagedFile(export_id)  # cut off before the last segment
            length, last = _HEAD.unpack(head)
            body = stored.read(length)
            nonce, sealed = body[: crypto.NONCE_BYTES], body[crypto.NONCE_BYTES :]
            try:
                plain = aes.decrypt(nonce, sealed, _aad(export_id, index, last))
            except Exception:  # InvalidTag, or a body too short to hold a tag
                raise DamagedFile(export_id) from None
            index += 1
            yield plain
        if stored.read(1):
            raise DamagedFile(export_id)  # something after the last segment


def delete(export_id: uuid.UUID) -> None:
    path_for(export_id).unlink(missing_ok=True)
    path_for(export_id).with_suffix(".part").unlink(missing_ok=True)
