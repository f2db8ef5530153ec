"""``sambang knowledge load``: the library and the training modules as this version ships
them (after an upgrade that changes them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sambang.knowledge.models import Document, TrainingModule
from sambang.knowledge.services import library_seed


class Command(BaseCommand):
    help = "The library and training modules. load: bring them in line with this version."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Update the library's documents and the modules.")

    def handle(self, *args: Any, **options: Any) -> None:
        library_seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"{Document.objects.count()} documents, "
                f"{TrainingModule.objects.count()} training modules."
            )
        )
