"""Shared parts of the import commands: the account they run as, and their output (counts,
or the row-by-row error report)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sambang.core.tabular import ImportResult


def import_user(username: str) -> Any:
    """The active account an import runs as (``--as``): its role and unit set the scope."""
    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username!r}.")
    return user


def report_import(command: BaseCommand, result: ImportResult, noun: str) -> None:
    """Print what an import did; fail (non-zero exit) with every row error when it did nothing."""
    if result.errors:
        for error in result.errors.errors:
            command.stderr.write(str(error))
        raise CommandError(
            f"{len(result.errors.errors)} errors; nothing was imported. "
            "Fix the rows above and retry."
        )
    verb = "Would import" if result.dry_run else "Imported"
    command.stdout.write(
        command.style.SUCCESS(
            f"{verb} {result.created + result.updated} {noun}: "
            f"{result.created} new, {result.updated} updated"
            + (" (dry run: nothing written)." if result.dry_run else ".")
        )
    )
