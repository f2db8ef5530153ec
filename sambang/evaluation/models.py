"""Rollups the evaluation reads, and the monthly evaluation (Anev) a unit submits.

Daily rollups are keyed by the local day of the Polsek the record belongs to. Each is
recomputed for one key (an officer's day, a village's day, a unit's day) whenever a
record under that key is written, inside the same transaction; ``sambang rollups
rebuild`` recomputes them all, and the tests prove both agree. Changing a unit's time
zone moves its days: rebuild the rollups after it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CountedReport(models.Model):
    """One activity report as the evaluation last counted it: its local day, place, type,
    integrity and whether it was sent on time. Every rollup of reports is summed from these
    rows, so a processed change to a report is counted as the difference between its row
    before and after (``rollups.count_reports``); a report not yet checked, or a draft, has
    none."""

    report = models.OneToOneField(
        "fieldwork.ActivityReport", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # local to the report's unit
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    activity_type = models.ForeignKey(
        "fieldwork.ActivityType", on_delete=models.CASCADE, related_name="+"
    )
    integrity_level = models.CharField(max_length=10)
    on_time = models.BooleanField()  # sent within the grace period
    plan_item_id = models.BigIntegerField(null=True, db_index=True)  # the plan item it realizes

    class Meta:
        indexes = [models.Index(fields=["officer", "day"], name="countedreport_officer")]


class ActivityDay(models.Model):
    """Submitted activity reports of an officer's day, per village, type and integrity level."""

    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    activity_type = models.ForeignKey(
        "fieldwork.ActivityType", on_delete=models.CASCADE, related_name="+"
    )
    integrity_level = models.CharField(max_length=10)
    reports = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)  # sent within the grace period

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "day", "unit", "village", "activity_type", "integrity_level"],
                name="activityday_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["officer", "day"], name="activityday_officer"),
            models.Index(fields=["unit", "day"], name="activityday_unit"),
        ]


class PlanDay(models.Model):
    """An officer's plan items of a day and how many were realized (on the day or later)."""

    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    planned = models.PositiveIntegerField(default=0)
    realized = models.PositiveIntegerField(default=0)  # on the planned day
    realized_late = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer", "day"], name="planday_unique"),
        ]
        indexes = [models.Index(fields=["unit", "day"], name="planday_unit")]


class OfficerMonth(models.Model):
    """An officer's month, summed from their days: what the Anev reads per officer and unit.

    ``reports`` counts every submitted report, split by integrity level; every other figure
    counts trusted work only (verified and plausible reports): doubtful reports are not on
    time, do not make a day active or a village-day reported, and realize no plan item.
    """

    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    reports = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)  # trusted reports sent on time
    verified = models.PositiveIntegerField(default=0)
    plausible = models.PositiveIntegerField(default=0)
    doubtful = models.PositiveIntegerField(default=0)
    active_days = models.PositiveIntegerField(default=0)
    # Assigned village-days with at least one trusted report (on time): completeness counts these.
    village_days = models.PositiveIntegerField(default=0)
    village_days_on_time = models.PositiveIntegerField(default=0)
    planned = models.PositiveIntegerField(default=0)
    realized = models.PositiveIntegerField(default=0)
    realized_late = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "month", "unit"], name="officermonth_unique"
            ),
        ]
        indexes = [models.Index(fields=["unit", "month"], name="officermonth_unit")]


class UnitMonth(models.Model):
    """A unit's month: its own officers' ``OfficerMonth`` rows added up (those of the units
    below are theirs). A unit's, a Polda's or the country's reporting figures read these,
    one row per unit, instead of one per officer. Kept by the same writes as the officers'
    months, as the difference between their rows before and after; a row that comes to
    nothing is removed, as a rebuild would not write it."""

    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    reports = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    plausible = models.IntegerField(default=0)
    doubtful = models.IntegerField(default=0)
    village_days = models.IntegerField(default=0)
    village_days_on_time = models.IntegerField(default=0)
    planned = models.IntegerField(default=0)
    realized = models.IntegerField(default=0)
    realized_late = models.IntegerField(default=0)

    # The figures an officer's month adds to its unit's (``OfficerMonth``'s, by name).
    SUMS = (
        "reports",
        "on_time",
        "verified",
        "plausible",
        "doubtful",
        "village_days",
        "village_days_on_time",
        "planned",
        "realized",
        "realized_late",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="unitmonth_unique"),
        ]
        indexes = [models.Index(fields=["month", "unit"], name="unitmonth_month")]


class UnitTypeMonth(models.Model):
    """Reports of a Polsek's month by activity type and integrity level (kept by deltas)."""

    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    activity_type = models.ForeignKey(
        "fieldwork.ActivityType", on_delete=models.CASCADE, related_name="+"
    )
    integrity_level = models.CharField(max_length=10)
    reports = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "activity_type", "integrity_level"],
                name="unittypemonth_unique",
            ),
        ]
        # A Polda's or the country's month reads most units' rows of that one month.
        indexes = [models.Index(fields=["month", "unit"], name="unittypemonth_month")]


class IncidentDay(models.Model):
    """Incidents of a village's day by category, with their casualties and losses."""

    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "security.IncidentCategory", on_delete=models.CASCADE, related_name="+"
    )
    social_conflict = models.BooleanField(default=False)
    incidents = models.PositiveIntegerField(default=0)
    dead = models.PositiveIntegerField(default=0)
    injured = models.PositiveIntegerField(default=0)
    losses_idr = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["village", "day"], name="incidentday_village"),
            models.Index(fields=["unit", "day"], name="incidentday_unit"),
        ]


class CitizenDay(models.Model):
    """Residents' reports a Polsek received on a day, by category, state and first response."""

    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    village = models.ForeignKey(
        "territory.Region", on_delete=models.CASCADE, null=True, related_name="+"
    )
    category = models.CharField(max_length=10)
    status = models.CharField(max_length=12)
    # Whole hours to the first response (None: none yet), and whether it came after its due.
    response_hours = models.PositiveIntegerField(null=True)
    responded_late = models.BooleanField(default=False)
    due_day = models.DateField()
    reports = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["unit", "day"], name="citizenday_unit")]


class EvaluationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class MonthlyEvaluation(models.Model):
    """A unit's Anev for a month, submitted bottom-up; approved by the unit above, then locked."""

    unit = models.ForeignKey(
        "organization.Unit", on_delete=models.PROTECT, related_name="evaluations"
    )
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices)
    summary = models.TextField(_("analysis and follow-up"), max_length=8000, blank=True)
    # The indicators as they stood when submitted: later edits are compared against them.
    figures = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("monthly evaluation")
        verbose_name_plural = _("monthly evaluations")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="evaluation_unit_month"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"


class LateChange(models.Model):
    """A change to data of a month that was already approved: flagged, never hidden."""

    evaluation = models.ForeignKey(
        MonthlyEvaluation, on_delete=models.CASCADE, related_name="late_changes"
    )
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=20)  # activity, plan, incident, citizen
    day = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]


class HistoricalCount(models.Model):
    """A count a unit kept on paper for a year or a month before Sambang held its incidents
    itemised (before ``Unit.incidents_since``): shown in trends as an aggregate."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "security.IncidentCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, help_text=_("Empty: the whole year.")
    )
    count = models.PositiveIntegerField(_("count"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("historical count")
        verbose_name_plural = _("historical counts")
        ordering = ["unit", "-year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "category", "year"],
                condition=models.Q(month__isnull=True),
                name="historicalcount_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "category", "year", "month"],
                condition=models.Q(month__isnull=False),
                name="historicalcount_month",
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="historicalcount_month_range",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.unit} {self.category} {period}: {self.count}"
