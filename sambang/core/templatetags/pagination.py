"""The pager every list shows: one component, given the page alone."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.paginator import Page
from django.http import QueryDict
from django.template.context import Context

register = template.Library()


def _page_link(query: QueryDict, param: str, number: int) -> str:
    params = query.copy()
    params[param] = str(number)
    return f"?{params.urlencode()}"


@register.inclusion_tag("core/_pagination.html", takes_context=True)
def pagination(context: Context, page: Page[Any], param: str = "page") -> dict[str, Any]:
    """``{% pagination page %}`` (``{% pagination villages "village_page" %}`` for a page
    with several lists): links to the page before and after, each the request's query
    string with ``param`` alone replaced, so the list keeps its filters and every other
    list on the page keeps its place."""
    query = context["request"].GET
    return {
        "page": page,
        "previous": _page_link(query, param, page.previous_page_number())
        if page.has_previous()
        else "",
        "next": _page_link(query, param, page.next_page_number()) if page.has_next() else "",
    }
