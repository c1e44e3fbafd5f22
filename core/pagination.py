from collections.abc import Callable

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from rest_framework import pagination

from .errors import ValidationFailed


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=`` from 1 (a page past the end is a 404) and ``?page_size=`` from 1 to 100; any
    other value is a 400 that says so, rather than silently the first page, the default or the
    cap."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationFailed.for_field(
                self.page_size_query_param,
                gettext("Ask for a page size from 1 to %(max_page_size)s, as a whole number.")
                % {"max_page_size": self.max_page_size},
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationFailed.for_field(
                self.page_query_param, gettext("Ask for a page number: a whole number from 1.")
            )
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


def _counted(count: Callable[[], int]) -> type[Paginator]:
    class CountedPaginator(Paginator):
        @cached_property
        def count(self) -> int:
            return count()

    return CountedPaginator


class PaginatedMixin:
    """For an ``APIView`` whose GET answers one page of a list, in the envelope
    ``{"count", "next", "previous", "results"}``; ``?page=`` and ``?page_size=`` (≤ 100).

    ``pagination_class`` is also what drf-spectacular reads to document that envelope (instead
    of a bare array) for the view's list responses (``Output(many=True)``).
    """

    pagination_class = PageNumberPagination

    def paginated(self, items, serialize, *, count: Callable[[], int] | None = None):
        """One page of ``items``; ``serialize(page)`` turns the page's items into data.
        ``count``: how many items there are, when the caller knows it without a query."""
        paginator = self.pagination_class()
        if count is not None:
            paginator.django_paginator_class = _counted(count)
        page = paginator.paginate_queryset(items, self.request, view=self)
        return paginator.get_paginated_response(serialize(page))
