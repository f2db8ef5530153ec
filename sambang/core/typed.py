"""What a person typed into a refused form, kept for the page they are sent back to.

The forms that act on a record (a review, an answer, a note) post, then redirect back to
the record's page with a message. When the action is refused, what was typed goes with
that redirect in the session, once, so that the page shows it again in its fields:
a supervisor who forgot the reason for a rejection does not lose the note they wrote.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

SESSION_KEY = "sambang.typed"
KEPT_CHARACTERS = 20_000  # per field: beyond any form's limit, bounded in the session


def keep_typed(request: HttpRequest, form: str, *names: str) -> None:
    """Keep the values of fields ``names`` of ``form`` for the next page shown."""
    values = {name: request.POST.get(name, "")[:KEPT_CHARACTERS] for name in names}
    request.session[SESSION_KEY] = {form: {k: v for k, v in values.items() if v}}


def typed(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``typed.<form>.<field>``, read once (and only where a page asks,
    so that pages without such forms leave the session alone)."""
    if not hasattr(request, "session"):
        return {"typed": {}}
    return {"typed": SimpleLazyObject(lambda: request.session.pop(SESSION_KEY, {}))}
