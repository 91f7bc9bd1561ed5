from rest_framework.pagination import CursorPagination


class DefaultCursorPagination(CursorPagination):
    """Stable cursor pagination over the primary key (newest first); ``?page_size=`` up to 200."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
