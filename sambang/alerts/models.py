"""Early warning: weekly counts of the signals per village, the watch over them, and the
alerts it raises with their follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    """The signals watched, each counted per village and week (``alerts.counts``)."""

    INCIDENTS = "incidents", _("Incidents")
    EARLY_DETECTION = "early", _("Early-detection information (weighted by grade)")
    RESIDENTS = "residents", _("Residents' reports")
    CONCERNS = "concerns", _("Household concerns (weighted by urgency)")


class SignalWeek(models.Model):
    """A village's week of one signal under one key (an incident category, a residents'
    report category, an early-detection field, a household concern's field and urgency):
    how many records, and their weighted count (equal to ``records`` where nothing is
    weighted). Kept current as records are written; ``week`` is the Monday of the unit's
    local week."""

    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    family = models.CharField(max_length=10, choices=Family.choices)
    key = models.CharField(max_length=40)
    records = models.PositiveIntegerField(default=0)
    weight = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "week", "family", "key", "unit"], name="signalweek_unique"
            )
        ]
        indexes = [models.Index(fields=["week", "unit"], name="signalweek_week")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.week} {self.family}:{self.key} {self.weight:g}"


class SeriesWeek(models.Model):
    """One week of the watch over one series (a village's or a Polsek's signal family):
    the observed and expected counts and the CUSUM after the week. Written only where
    something happened (a count, or a CUSUM above 0): a missing row is a quiet week."""

    unit = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    # None: the Polsek's series (all its villages together).
    village = models.ForeignKey(
        "territory.Region", on_delete=models.CASCADE, null=True, related_name="+"
    )
    family = models.CharField(max_length=10, choices=Family.choices)
    week = models.DateField()
    observed = models.FloatField()
    expected = models.FloatField()
    dispersion = models.FloatField()
    baseline_weeks = models.PositiveSmallIntegerField()
    cusum = models.FloatField()
    alarm = models.BooleanField(default=False)
    # The run of weeks the CUSUM has been above 0: since when, and its sums.
    rising_since = models.DateField()
    run_observed = models.FloatField()
    run_expected = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "family", "week"],
                condition=models.Q(village__isnull=False),
                name="seriesweek_village_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "family", "week"],
                condition=models.Q(village__isnull=True),
                name="seriesweek_unit_unique",
            ),
        ]
        indexes = [models.Index(fields=["week"], name="seriesweek_week")]

    def __str__(self) -> str:
        return f"{self.village_id or self.unit_id} {self.family} {self.week} {self.cusum:.2f}"


class DetectionRun(models.Model):
    """A week the watch has gone through (the weekly run, ``sambang alerts_detect``)."""

    week = models.DateField(unique=True)
    finished_at = models.DateTimeField(auto_now=True)
    series = models.PositiveIntegerField(default=0)
    alarms = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-week"]

    def __str__(self) -> str:
        return f"{self.week}: {self.alarms} alarms in {self.series} series"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class Severity(models.TextChoices):
    NORMAL = "normal", _("Unusual rise")
    HIGH = "high", _("Strong rise")


class ActionKind(models.TextChoices):
    VISIT = "visit", _("A visit")
    MEDIATION = "mediation", _("A mediation")
    DIRECTIVE = "directive", _("A directive")
    OTHER = "other", _("Something else")


class Alert(models.Model):
    """An unusual rise of a signal in a village (or in a Polsek's villages together): what
    was expected, what was seen, the method's score, and what was done about it."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("Polsek"), on_delete=models.CASCADE, related_name="+"
    )
    village = models.ForeignKey(
        "territory.Region",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    family = models.CharField(_("signal"), max_length=10, choices=Family.choices)
    first_week = models.DateField(_("rising since"))  # the week the CUSUM left 0
    week = models.DateField(_("week"))  # the week the alarm sounded
    observed = models.FloatField(_("observed"))  # from first_week to week
    expected = models.FloatField(_("expected"))
    score = models.FloatField(_("score"))  # the CUSUM when it sounded
    threshold = models.FloatField(_("threshold"))
    severity = models.CharField(
        _("severity"), max_length=6, choices=Severity.choices, default=Severity.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ActionKind.choices, blank=True)
    action_report = models.ForeignKey(
        "fieldwork.ActivityReport",
        verbose_name=_("report of the action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action_directive = models.ForeignKey(
        "organization.Directive",
        verbose_name=_("directive"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-week", "-score", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "family", "week"],
                condition=models.Q(village__isnull=False),
                name="alert_village_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "family", "week"],
                condition=models.Q(village__isnull=True),
                name="alert_unit_unique",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="alert_unit_status")]

    def __str__(self) -> str:
        return f"{self.get_family_display()} {self.week:%Y-%m-%d}"


class ElectionKind(models.TextChoices):
    PILKADA = "pilkada", _("Regional election (Pilkada)")
    GENERAL = "general", _("General election (Pemilu)")


class Dimension(models.TextChoices):
    """The four dimensions of Bawaslu's election vulnerability index (IKP)."""

    CONTEXT = "context", _("Social and political context")
    ADMINISTRATION = "administration", _("Election administration")
    CONTESTATION = "contestation", _("Contestation")
    PARTICIPATION = "participation", _("Participation")


class ElectionPeriod(models.Model):
    """An election a unit watches: its villages' vulnerability on IKP's four dimensions,
    from Sambang's records between ``starts`` and ``ends`` and what officers enter."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("election"), max_length=8, choices=ElectionKind.choices)
    voting_day = models.DateField(_("voting day"))
    starts = models.DateField(_("watched from"))
    ends = models.DateField(_("watched until"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # The directive asking officers to map the election-vulnerable spots, when one was issued.
    directive = models.ForeignKey(
        "organization.Directive",
        verbose_name=_("directive"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="election_periods",
    )

    class Meta:
        verbose_name = _("election period")
        verbose_name_plural = _("election periods")
        ordering = ["-voting_day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts__lte=models.F("ends")),
                name="election_period_in_order",
                violation_error_message=_("The watch must start before it ends."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ElectionEntry(models.Model):
    """An indicator Sambang's records cannot fill (the voter list, logistics, turnout …), as
    an officer or supervisor judged it for a village: low, medium or high vulnerability."""

    period = models.ForeignKey(ElectionPeriod, on_delete=models.CASCADE, related_name="entries")
    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=30)
    level = models.CharField(
        _("level"),
        max_length=6,
        choices=[("low", _("Low")), ("medium", _("Medium")), ("high", _("High"))],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "village", "indicator"], name="election_entry_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.indicator}: {self.level}"
