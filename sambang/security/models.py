"""Security and order in the villages: early-detection information and problem solving."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
