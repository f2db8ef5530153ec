"""``{{ names|as_columns }}``: the column names of an import file in the reader's language,
each as code to type exactly as shown (``<code>desa</code>, <code>waktu_kejadian</code>``),
escaped; ``{{ name|column }}``: one of them as text."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from sambang.core.tabular import WHOLE_ROW, column_name

register = template.Library()


@register.filter
def as_columns(names: Iterable[str]) -> SafeString:
    return format_html_join(", ", "<code>{}</code>", ((column_name(name),) for name in names))


@register.filter
def column(name: str) -> str:
    return "–" if name == WHOLE_ROW else column_name(name)
