"""Template tags of the evaluation pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from sambang.evaluation.periods import month_end
from sambang.evaluation.reporting import Reporting

register = template.Library()


@register.simple_tag
def doubtful_reports_url(figures: Reporting, unit: str = "", officer: str = "") -> str:
    """The report list showing the doubtful reports behind a row's figures."""
    query = {"integrity": "doubtful", "from": figures.month.isoformat()}
    query["to"] = month_end(figures.month).isoformat()
    if officer:
        query["officer"] = officer
    elif unit:
        query["unit"] = unit
    return f"{reverse('fieldwork:report_list')}?{urlencode(query)}"
