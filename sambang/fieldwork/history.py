"""Field work written in bulk: many plans and reports at once, for generated history (the
demo) through the fast path that ``sambang generate`` uses (``core.bulk``: COPY on
PostgreSQL, batched inserts on SQLite).

The rows are what the officers' own writes store (``services.report_create``), and the
integrity of the reports is computed for real, in one batch. What is skipped is checking
each record against the rules one by one: the caller answers for that (the demo's tests
send its reports through the same validation), and for the rollups, rebuilt afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sambang.core.bulk import BulkTable, next_id, sequences_reset
from sambang.personnel.models import Officer
from sambang.territory.selectors import map_cell

from . import integrity
from .models import (
    ActivityReport,
    ActivityType,
    HouseholdConcern,
    HouseholdVisit,
    PhotoKind,
    PlanItem,
    ReportPhoto,
    VisitConfirmation,
)
from .photos import check_photo
from .processing import photo_store
from .services import (
    DETAIL_MODELS,
    aware_local,
    content_hash_of,
    detail_fields,
    local_zone,
)

_REPORT_COLUMNS = [
    "id",
    "uuid",
    "officer_id",
    "unit_id",
    "activity_type_id",
    "village_id",
    "plan_item_id",
    "occurred_at",
    "latitude",
    "longitude",
    "accuracy_m",
    "cell",
    "narrative",
    "participants",
    "partners",
    "outcome",
    "state",
    "submitted_at",
    "content_hash",
]
_CONCERN_FIELDS = ["aspect", "description", "urgency", "frequency"]


@dataclass(frozen=True)
class NewReport:
    """A report as the officer's phone sends it (``data``: the API's payload, with the plan
    item by its UUID and the activity type by its code), when the server received it, its
    photos (the files' bytes), and the resident's confirmation of a household visit
    (``{"rating", "message"}``)."""

    officer: Officer
    data: dict[str, Any]
    received_at: dt.datetime
    photos: tuple[bytes, ...] = ()
    confirmation: dict[str, Any] | None = None


def plans_load(items: Sequence[PlanItem]) -> int:
    """Write unsaved plan items (the database numbers them). Returns how many."""
    return BulkTable.of(PlanItem).write_models(items)


def reports_load(reports: Sequence[NewReport], *, seed: int = 0) -> list[int]:
    """Store ``reports`` as ``report_create`` and ``photo_add`` would, then assess their
    integrity together. Returns the new reports' keys, in the order given; ``seed`` makes
    the photos' UUIDs repeat from run to run."""
    rng = random.Random(seed)
    kinds = {kind.code: kind.pk for kind in ActivityType.objects.all()}
    plan_uuids = [r.data["plan_item"] for r in reports if r.data.get("plan_item")]
    plans = dict(PlanItem.objects.filter(uuid__in=plan_uuids).values_list("uuid", "id"))
    first = next_id(ActivityReport)
    rows: list[tuple[Any, ...]] = []
    details: dict[str, list[tuple[Any, ...]]] = {name: [] for name in DETAIL_MODELS}
    concerns: list[tuple[int, dict[str, Any]]] = []
    for number, new in enumerate(reports):
        report_id = first + number
        zone = local_zone(new.officer)
        data = {**new.data, "occurred_at": aware_local(new.data["occurred_at"], zone)}
        state = data.get("state", "sent")
        rows.append(
            (
                report_id,
                data["uuid"],
                new.officer.pk,
                new.officer.unit_id,
                kinds[data["activity_type"]],
                data["village"],
                plans[data["plan_item"]] if data.get("plan_item") else None,
                data["occurred_at"],
                data.get("latitude"),
                data.get("longitude"),
                data.get("accuracy_m"),
                map_cell(data.get("latitude"), data.get("longitude")),
                data["narrative"].strip(),
                data.get("participants"),
                data.get("partners") or [],
                data.get("outcome") or "",
                state,
                new.received_at if state == "sent" else None,
                content_hash_of(data),
            )
        )
        for name, model in DETAIL_MODELS.items():
            values = data.get(name)
            if values is None:
                continue
            fields = detail_fields(model)
            if name == "information":
                values = {**values, "happened_at": aware_local(values.get("happened_at"), zone)}
            details[name].append((report_id, *(values.get(f) for f in fields)))
            if name == "household":
                concerns += [(report_id, c) for c in values.get("concerns") or []]
    BulkTable(ActivityReport, _REPORT_COLUMNS).write(rows)
    for name, model in DETAIL_MODELS.items():
        BulkTable(model, ["report_id", *detail_fields(model)]).write(details[name])
    visits = dict(
        HouseholdVisit.objects.filter(report_id__gte=first).values_list("report_id", "id")
    )
    BulkTable(HouseholdConcern, ["visit_id", *_CONCERN_FIELDS]).write(
        (visits[report_id], *(c.get(f, "") for f in _CONCERN_FIELDS)) for report_id, c in concerns
    )
    sequences_reset(ActivityReport)
    photos = []
    for number, new in enumerate(reports):
        for picture in new.photos:
            photo_uuid = uuid.UUID(int=rng.getrandbits(128), version=4)
            photo = ReportPhoto(uuid=photo_uuid, report_id=first + number, kind=PhotoKind.PHOTO)
            photo_store(photo, check_photo(picture, local_zone(new.officer)))
            photos.append(photo)
    ReportPhoto.objects.bulk_create(photos)
    VisitConfirmation.objects.bulk_create(
        VisitConfirmation(visit_id=visits[first + number], **new.confirmation)
        for number, new in enumerate(reports)
        if new.confirmation is not None
    )
    ids = [first + number for number in range(len(reports))]
    integrity.refresh_many(ids)
    return ids
