"""Template tags of the evaluation pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from sambang.evaluation.periods import month_end
from sambang.evaluation.reporting import Reporting

register = template.Library()


@register.simple_tag
def doubtful_reports_url(figures: Reporting, unit: str = "", officer: str = "") -> str:
    """The report list showing the doubtful reports behind a row's figures."""
    return month_reports_url(figures.month, unit=unit, officer=officer, integrity="doubtful")


@register.simple_tag
def month_reports_url(month: dt.date, unit: str = "", officer: str = "", **filters: str) -> str:
    """The report list of a unit's or an officer's month, with more filters."""
    query = {**filters, "from": month.isoformat(), "to": month_end(month).isoformat()}
    if officer:
        query["officer"] = officer
    elif unit:
        query["unit"] = unit
    return f"{reverse('fieldwork:report_list')}?{urlencode(query)}"
