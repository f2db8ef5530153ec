"""``{{ names|as_columns }}``: the column names of an import file, each as code to type
exactly as shown (``<code>village</code>, <code>occurred_at</code>``), escaped."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def as_columns(names: Iterable[str]) -> SafeString:
    return format_html_join(", ", "<code>{}</code>", ((name,) for name in names))
