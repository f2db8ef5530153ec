"""Template helpers for the field-work forms: values and errors by field name."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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


@register.simple_tag
def outbox_labels() -> SafeString:
    """The outbox's words for the phone's scripts, as a JSON script element."""
    return json_script(
        {
            "waiting": _("Waiting for a connection"),
            "sending": _("Sending…"),
            "sent": _("Sent"),
            "attention": _("Needs attention"),
            "login": _("Log in again to send it."),
            "server": _("The server did not answer; it will be tried again."),
            "kept": _("Kept on this phone; it will be sent when there is a connection."),
            "send": _("Send now"),
            "correct": _("Correct"),
            "open": _("See report"),
            "remove": _("Remove"),
        },
        "outbox-labels",
    )
