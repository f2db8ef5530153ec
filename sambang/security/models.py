"""Security and order in the villages: early detection, problem solving, incidents and the
persons of interest linked to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sambang.fieldwork.models import Aspect, Urgency


class HowObtained(models.TextChoices):
    OBSERVATION = "observation", _("Own observation")
    INFORMANT = "informant", _("Informant")
    RESIDENT = "resident", _("Resident's account")
    MEETING = "meeting", _("Meeting or gathering")
    MEDIA = "media", _("News or social media")
    OTHER = "other", _("Other")


class Reliability(models.TextChoices):
    """How reliable the source is (the Admiralty scale's letter)."""

    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """How credible the information is (the Admiralty scale's digit)."""

    CONFIRMED = 1, _("1 — confirmed by other sources")
    PROBABLE = 2, _("2 — probably true")
    POSSIBLE = 3, _("3 — possibly true")
    DOUBTFUL = 4, _("4 — doubtful")
    IMPROBABLE = 5, _("5 — improbable")
    UNKNOWN = 6, _("6 — truth cannot be judged")


class InformationReport(models.Model):
    """Early-detection information (Laporan Informasi), graded, possibly escalated."""

    report = models.OneToOneField(
        "fieldwork.ActivityReport", on_delete=models.CASCADE, related_name="information"
    )
    subject = models.CharField(_("what"), max_length=300)
    place = models.CharField(_("where"), max_length=300)
    happened_at = models.DateTimeField(_("when"), null=True, blank=True)
    how_obtained = models.CharField(_("how obtained"), max_length=12, choices=HowObtained.choices)
    aspect = models.CharField(_("field"), max_length=14, choices=Aspect.choices)
    urgency = models.CharField(_("urgency"), max_length=6, choices=Urgency.choices)
    reliability = models.CharField(_("source reliability"), max_length=1, choices=Reliability)
    credibility = models.PositiveSmallIntegerField(_("credibility"), choices=Credibility)
    escalated_to = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.subject[:60]

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"


class ProblemKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute (mediation)")
    NON_DISPUTE = "non_dispute", _("Non-dispute problem")
    REFERRED = "referred", _("Referred to another agency")


class ProblemCase(models.Model):
    """Problem solving: a mediated dispute, another problem, or one referred elsewhere."""

    report = models.OneToOneField(
        "fieldwork.ActivityReport", on_delete=models.CASCADE, related_name="problem"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProblemKind.choices)
    parties = models.TextField(_("parties"), max_length=2000, blank=True)
    witnesses = models.TextField(_("witnesses"), max_length=2000, blank=True)
    agreement = models.TextField(_("agreement reached"), max_length=4000, blank=True)
    agency = models.CharField(_("referred to"), max_length=200, blank=True)
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_outcome = models.TextField(_("follow-up outcome"), max_length=4000, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="referred") | ~models.Q(agency=""),
                name="problem_referred_names_agency",
                violation_error_message=_("Name the agency the problem was referred to."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class IncidentCategory(models.Model):
    """A node of the incident category tree (social conflict → student fight, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Bahasa Indonesia)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Social conflicts are counted apart in the evaluation (their year-on-year table).
    social_conflict = models.BooleanField(_("social conflict"), default=False)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    HANDLED = "handled", _("Being handled")
    SETTLED = "settled", _("Settled")
    REFERRED = "referred", _("Referred for prosecution")


class Incident(models.Model):
    """A disturbance of security and order (gangguan Kamtibmas): what, when, where, how."""

    category = models.ForeignKey(
        IncidentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("date and time"))
    village = models.ForeignKey(
        "territory.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    # The Polsek covering the village when recorded: scopes and counts the incident.
    unit = models.ForeignKey(
        "organization.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    cell = models.BigIntegerField(null=True, blank=True, editable=False)  # H3, for maps
    description = models.TextField(_("what happened"), max_length=4000)
    modus_operandi = models.TextField(_("modus operandi"), max_length=2000, blank=True)
    groups_involved = models.TextField(_("groups involved"), max_length=2000, blank=True)
    dead = models.PositiveIntegerField(_("dead"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    losses_idr = models.PositiveBigIntegerField(_("losses (Rp)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    reports = models.ManyToManyField(
        "fieldwork.ActivityReport",
        verbose_name=_("activity reports"),
        blank=True,
        related_name="incidents",
    )
    citizen_reports = models.ManyToManyField(
        "public.CitizenReport",
        verbose_name=_("residents' reports"),
        blank=True,
        related_name="incidents",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["unit", "occurred_at"], name="incident_unit_time")]

    def __str__(self) -> str:
        return f"{self.category} {self.occurred_at:%Y-%m-%d}"


class PersonOfInterest(models.Model):
    """A repeat offender linked to social conflict: Polres and above only, every read audited."""

    name = models.CharField(_("name"), max_length=120)
    alias = models.CharField(_("alias"), max_length=120, blank=True)
    village = models.ForeignKey(
        "territory.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    incidents = models.ManyToManyField(
        Incident, verbose_name=_("incidents"), blank=True, related_name="persons"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Kept until then; ``sambang purge_expired`` removes it afterwards.
    retain_until = models.DateField(_("kept until"))

    class Meta:
        verbose_name = _("person of interest")
        verbose_name_plural = _("persons of interest")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
