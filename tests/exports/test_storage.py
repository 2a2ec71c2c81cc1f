"""Export files at rest: encrypted in segments that cannot be altered, reordered, swapped
between exports or cut off unnoticed."""

import uuid

import pytest

from baken.exports import storage


@pytest.fixture
def small_segments(monkeypatch):
    monkeypatch.setattr(storage, "SEGMENT", 16)


def write(export_id, data: bytes) -> None:
    sink = storage.EncryptedWriter(export_id)
    for start in range(0, len(data), 7):
        sink.write(data[start : start + 7])
    sink.close()


def test_a_file_of_many_segments_reads_back_and_is_not_plain_on_disk(small_segments):
    export_id, data = uuid.uuid4(), b"Kenmerk;Ontvangen\r\n" * 20
    write(export_id, data)
    stored = storage.path_for(export_id).read_bytes()
    assert b"Kenmerk" not in stored
    assert b"".join(storage.read_segments(export_id)) == data


@pytest.mark.parametrize("damage", ["flip", "cut", "extra"])
def test_a_damaged_file_is_refused(small_segments, damage):
    export_id = uuid.uuid4()
    write(export_id, b"x" * 100)
    path = storage.path_for(export_id)
    stored = bytearray(path.read_bytes())
    if damage == "flip":
        stored[30] ^= 1
    elif damage == "cut":
        stored = stored[: len(stored) // 2]
    else:
        stored += stored[4:40]
    path.write_bytes(bytes(stored))
    with pytest.raises(storage.DamagedFile):
        b"".join(storage.read_segments(export_id))


def test_a_file_moved_to_another_export_does_not_open(small_segments):
    first, second = uuid.uuid4(), uuid.uuid4()
    write(first, b"geheim" * 10)
    storage.path_for(first).rename(storage.path_for(second))
    with pytest.raises(storage.DamagedFile):
        b"".join(storage.read_segments(second))


def test_an_aborted_file_leaves_nothing(small_segments):
    export_id = uuid.uuid4()
    sink = storage.EncryptedWriter(export_id)
    sink.write(b"half" * 10)
    sink.abort()
    assert not storage.path_for(export_id).exists()
    assert list(storage.path_for(export_id).parent.glob("*.part")) == []
