"""A value worked out once per object of one request (its user), kept on that object."""

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


def memoised(holder: object | None, name: str, key: Hashable, build: Callable[[], T]) -> T:
    """`build()`, kept on `holder` under `name` and given again while `key` (what the value
    is made of) is the same; worked out again when it changed. Nothing is kept without a
    holder. The value lives no longer than the holder: a request's user is one request's."""
    if holder is None:
        return build()
    held = getattr(holder, name, None)
    if held is not None and held[0] == key:
        return held[1]
    value = build()
    setattr(holder, name, (key, value))
    return value
