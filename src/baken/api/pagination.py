from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .query import QuerySerializer, query

MAX_PAGE_SIZE = 200


MAX_PAGE_NUMBER = 1_000_000


class PageQuerySerializer(QuerySerializer):
    # A bound far beyond any list, so that an absurd page is a 400 naming it, not an
    # OFFSET the database cannot hold.
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_NUMBER, required=False)
    pageSize = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)  # noqa: N815 (the API's name)


class Pagination(PageNumberPagination):
    """`page` and `pageSize` as whole numbers (400 otherwise); a page past the last one is
    a 400 naming `page` too, not a 404 of the list itself."""

    page_size_query_param = "pageSize"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        query(PageQuerySerializer, request)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise serializers.ValidationError(
                {"page": [_("There is no page with this number.")]}
            ) from None


class WindowPagination(Pagination):
    """Page numbers without counting the whole list: a page is read with one row more, to
    know whether a next page exists, and the list is counted only up to a cap.

    For lists that may hold millions of rows (GET /api/v1/reports): the page-number
    paginator's `COUNT(*)` of the whole list on every request cost more than the page.
    The answer keeps its shape: `count` (capped: `count_capped` says there are more),
    `next`, `previous`, `results`."""

    def paginate_window(self, rows_for, count_for, request, view=None) -> list:
        """The rows of the requested page: `rows_for(window)` gives the first `window` rows
        in order (a queryset); `count_for()` counts them up to `cap + 1`."""
        asked = query(PageQuerySerializer, request)
        self.request, self.url = request, request.build_absolute_uri()
        size = self.get_page_size(request) or MAX_PAGE_SIZE
        number = asked.get(self.page_query_param) or 1
        start = (number - 1) * size
        rows = list(rows_for(number * size + 1)[start : start + size + 1])
        if not rows and number > 1:
            raise serializers.ValidationError({"page": [_("There is no page with this number.")]})
        self.number, self.has_next = number, len(rows) > size
        self.count = count_for()
        return rows[:size]

    def get_paginated_response(self, data, *, cap: int = 0):
        next_url = previous_url = None
        url = self.url
        if self.has_next:
            next_url = replace_query_param(url, self.page_query_param, self.number + 1)
        if self.number == 2:
            previous_url = remove_query_param(url, self.page_query_param)
        elif self.number > 2:
            previous_url = replace_query_param(url, self.page_query_param, self.number - 1)
        capped = bool(cap) and self.count > cap
        return Response(
            {
                "count": min(self.count, cap) if cap else self.count,
                "count_capped": capped,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )
