from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from .query import QuerySerializer, query

MAX_PAGE_SIZE = 200


class PageQuerySerializer(QuerySerializer):
    page = serializers.IntegerField(min_value=1, required=False)
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
