"""Showing a resource record's fields by name in the generic list."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.simple_tag
def field_label(form: forms.BaseForm, name: str) -> Any:
    return form.fields[name].label


@register.simple_tag
def field_value(record: Any, name: str) -> Any:
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display else getattr(record, name)
    if isinstance(value, bool):
        return "✓" if value else "–"
    if value is None or value == "":
        return "–"
    return value
