"""A value kept on one request's user is worked out once, and again when what it is made of
changed."""

from types import SimpleNamespace

from baken.core.memo import memoised


def test_a_value_is_built_once_per_key_and_kept_only_on_a_holder():
    built = []

    def build():
        built.append(1)
        return len(built)

    user = SimpleNamespace()
    assert memoised(user, "_value", ("analyst", 1), build) == 1
    assert memoised(user, "_value", ("analyst", 1), build) == 1
    assert memoised(user, "_value", ("analyst", 2), build) == 2  # the team changed
    assert memoised(None, "_value", ("analyst", 2), build) == 3  # no holder: nothing kept
    other = SimpleNamespace()  # None is a value like any other (a user who sees nothing)
    assert memoised(other, "_value", 1, lambda: None) is None
    assert memoised(other, "_value", 1, build) is None
