"""``sambang purge_expired``: remove persons of interest kept past their retention date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sambang.security.incidents import persons_purge_expired


class Command(BaseCommand):
    help = "Delete persons of interest whose retention period has ended (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = persons_purge_expired()
        self.stdout.write(self.style.SUCCESS(f"Removed {removed} expired persons of interest."))
