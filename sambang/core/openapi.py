"""The error responses of the OpenAPI document, documented once for every operation.

Every error leaves in one shape (``core/errors.py``). The responses any operation can
give are added by :func:`document_errors`, a drf-spectacular post-processing hook:

- 400 where the operation takes input (parameters or a body): field messages;
- 401 where it reads credentials (a missing, wrong or expired token);
- 403 where it needs an account (a role or unit that may not do this);
- 404 where the path names a record (unknown, or outside the user's scope);
- 413 and 415 where it takes a body (larger than the operation takes; a content type it
  does not read, or a body that does not parse as its type says).

:func:`local_times` says what a time of day is here: ``HH:MM[:SS]``, local to the
unit, without the offset that JSON Schema's ``time`` format requires.

Other error responses (a 404 for a record named in the query or the body, a 409 of a
record's state, a 429 of a rate limit) are declared on the view method with
``@error_responses(404, 409)``; the hook documents each with the error schema, as it
does any 4xx response a view declares without a body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from drf_spectacular.utils import extend_schema

F = TypeVar("F", bound=Callable[..., Any])

ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": 'Every error: `{"error": {"code", "message", "fields"}}`.',
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "machine-readable, e.g. `invalid`"},
                "message": {"type": "string", "description": "for people, translated"},
                "fields": {
                    "type": "object",
                    "description": "messages per input field (`non_field_errors` for the whole)",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "the input is not valid: messages per field",
    "401": "no valid credentials",
    "403": "not allowed for this user",
    "404": "not found, or outside the user's scope",
    "409": "the record's state does not allow this",
    "413": "the body is larger than this operation takes (nothing of it was read)",
    "415": "the body's content type is not one this operation reads, or it does not parse",
    "429": "too many requests (from this address, or failed sign-ins); try again later",
}

# The operation extension that carries a view's declared error statuses to the hook.
_DECLARED = "x-error-statuses"
_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def error_responses(*statuses: int) -> Callable[[F], F]:
    """Declare error statuses a view method answers besides the ones every operation
    of its kind gets (see the module's docstring)."""
    decorator: Callable[[F], F] = extend_schema(extensions={_DECLARED: list(statuses)})
    return decorator


def _error_response(status: str) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS.get(status, "error"),
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def _statuses(operation: dict[str, Any]) -> list[str]:
    security = operation.get("security") or []
    reads_credentials = any(requirement for requirement in security)
    needs_account = bool(security) and {} not in security
    takes_input = bool(operation.get("parameters")) or "requestBody" in operation
    names_a_record = any(p.get("in") == "path" for p in operation.get("parameters", []))
    statuses = [str(status) for status in operation.pop(_DECLARED, [])]
    if takes_input:
        statuses.append("400")
    if reads_credentials:
        statuses.append("401")
    if needs_account:
        statuses.append("403")
    if names_a_record:
        statuses.append("404")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    return statuses


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation's error responses."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(operation):
                responses.setdefault(status, _error_response(status))
            for status, response in responses.items():
                if status.startswith("4") and "content" not in response:
                    response["content"] = _error_response(status)["content"]
    return result


LOCAL_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"


def _without_time_format(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node.setdefault("pattern", LOCAL_TIME_PATTERN)
        for value in node.values():
            _without_time_format(value)
    elif isinstance(node, list):
        for value in node:
            _without_time_format(value)


def local_times(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: times of day as the API reads and writes them
    (``09:00:00``), where the ``time`` format would demand an offset (``09:00:00+07:00``)."""
    _without_time_format(result)
    return result
