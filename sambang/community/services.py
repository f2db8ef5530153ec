"""Writes of village knowledge: the profile with its vulnerability checklist, and its records."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError, validation_fields
from sambang.territory.models import Region
from sambang.territory.selectors import map_cell

from .models import Factor, Level, VillageProfile, VulnerabilityFactor, VulnerableSpot

_PROFILE_FIELDS = (
    "households", "rt_count", "rw_count", "livelihoods", "religions", "ethnic_groups",
    "geography", "access_notes",
)  # fmt: skip


def _shares_error(shares: Any) -> str | None:
    if not isinstance(shares, dict) or not all(
        isinstance(k, str) and k.strip() and isinstance(v, int | float) and 0 <= v <= 100
        for k, v in shares.items()
    ):
        return _("Give each group a share from 0 to 100 per cent.")
    if sum(shares.values()) > 100.5:
        return _("The shares add up to more than 100 per cent.")
    return None


def profile_update(*, village: Region, data: dict[str, Any]) -> VillageProfile:
    """Change a village's profile and its vulnerability checklist (history is kept)."""
    profile = VillageProfile.objects.filter(village=village).first() or VillageProfile(
        village=village
    )
    errors: dict[str, list[str]] = {}
    for name in _PROFILE_FIELDS:
        if name in data:
            value = data[name]
            if value is None and name in ("religions", "ethnic_groups"):
                value = {}
            setattr(profile, name, value)
    for name in ("religions", "ethnic_groups"):
        if problem := _shares_error(getattr(profile, name)):
            errors[name] = [problem]
    factors = data.get("factors")
    if factors is not None:
        seen: set[str] = set()
        for i, item in enumerate(factors):
            if item.get("factor") not in Factor.values or item.get("level") not in Level.values:
                errors[f"factors.{i}"] = [_("Choose a known factor and a level.")]
            elif item["factor"] in seen:
                errors[f"factors.{i}"] = [_("This factor is listed twice.")]
            seen.add(item.get("factor", ""))
    try:
        profile.full_clean(exclude=["village", "religions", "ethnic_groups"])
    except ValidationError as error:
        errors.update(validation_fields(error))
    if errors:
        raise ApplicationError(_("The village profile is not valid."), fields=errors)
    with transaction.atomic():
        profile.save()
        if factors is not None:
            keep = {item["factor"] for item in factors}
            for factor in profile.factors.exclude(factor__in=keep):
                factor.delete()  # one by one, so that history records each removal
            for item in factors:
                current = profile.factors.filter(factor=item["factor"]).first()
                if current is None:
                    VulnerabilityFactor.objects.create(
                        profile=profile,
                        factor=item["factor"],
                        level=item["level"],
                        note=item.get("note", "")[:500],
                    )
                elif (current.level, current.note) != (item["level"], item.get("note", "")[:500]):
                    current.level, current.note = item["level"], item.get("note", "")[:500]
                    current.save()
    return profile


def record_save(*, record: models.Model, village: Region, data: dict[str, Any]) -> models.Model:
    """Create or change a figure, partner, post or spot of ``village``; every field checked."""
    for name, value in data.items():
        setattr(record, name, value)
    record.village = village  # type: ignore[attr-defined]
    if isinstance(record, VulnerableSpot):
        # A bad position gets no cell here and is refused below, field by field.
        record.cell = map_cell(record.latitude, record.longitude) or 0
    try:
        record.full_clean(exclude=["village"])
    except ValidationError as error:
        raise ApplicationError(
            _("The record is not valid."), fields=validation_fields(error)
        ) from error
    record.save()
    return record
