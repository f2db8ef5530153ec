"""Template helpers for the field-work forms: values and errors by field name."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    """``values|get:"household-rt"``: a form value (or an error list) by its name."""
    if mapping is None:
        return ""
    value = mapping.get(key, "") if hasattr(mapping, "get") else ""
    return "" if value is None else value


@register.filter
def chosen(mapping: Any, key_and_value: str) -> bool:
    """``values|chosen:"partners=babinsa"``: whether a multi-valued field holds a value."""
    key, _, value = key_and_value.partition("=")
    if hasattr(mapping, "getlist"):
        return value in mapping.getlist(key)
    held = mapping.get(key) if mapping else None
    return value in held if isinstance(held, list) else str(held) == value


@register.filter
def same(a: Any, b: Any) -> bool:
    return str(a) == str(b)
