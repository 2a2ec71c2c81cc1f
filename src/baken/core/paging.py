"""Pages of lists whose length is known without counting the list itself."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its count (the inbox's counts per state, a member's memberships),
    so that it does not count its rows a second time, or at all (possibly very many).

    `capped`: `count` is what is known so far, not the total (reports.inbox.window_page)."""

    def __init__(self, object_list, per_page: int, *, count: int, capped: bool = False):
        super().__init__(object_list, per_page)
        self._count = count
        self.capped = capped

    @property
    def count(self) -> int:
        return self._count
