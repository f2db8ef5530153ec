"""What residents tell the police: reports filed without an account, and their handling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CitizenCategory(models.TextChoices):
    CRIME = "crime", _("Crime (theft, robbery, assault)")
    DRUGS = "drugs", _("Drugs")
    CONFLICT = "conflict", _("Dispute or conflict between residents")
    DISORDER = "disorder", _("Disturbance (fights, illegal racing, drunkenness)")
    TRAFFIC = "traffic", _("Traffic")
    DISASTER = "disaster", _("Disaster (flood, fire)")
    FAMILY = "family", _("Domestic violence or child protection")
    SERVICE = "service", _("A request for police service")
    OTHER = "other", _("Something else")


class CitizenStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = (CitizenStatus.RECEIVED, CitizenStatus.ASSIGNED, CitizenStatus.IN_PROGRESS)
# Which status may follow which: the handling moves forward, never back to "received".
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    CitizenStatus.RECEIVED: (
        CitizenStatus.ASSIGNED,
        CitizenStatus.IN_PROGRESS,
        CitizenStatus.REJECTED,
    ),
    CitizenStatus.ASSIGNED: (
        CitizenStatus.IN_PROGRESS,
        CitizenStatus.RESOLVED,
        CitizenStatus.REJECTED,
    ),
    CitizenStatus.IN_PROGRESS: (CitizenStatus.RESOLVED, CitizenStatus.REJECTED),
    CitizenStatus.RESOLVED: (CitizenStatus.CLOSED, CitizenStatus.IN_PROGRESS),
    CitizenStatus.CLOSED: (),
    CitizenStatus.REJECTED: (),
}


class CitizenReport(models.Model):
    """A resident's report: routed to the village's officer and Polsek, followed by code."""

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    # The one-time token of the form (or the API client's UUID) that sent the report: the
    # same form sent again (a double tap, a reload, the back button) is this report again.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=10, choices=CitizenCategory.choices)
    description = models.TextField(_("what happened"), max_length=4000)
    occurred_at = models.DateTimeField(_("when"), null=True, blank=True)
    village = models.ForeignKey(
        "territory.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Routing: the Polsek covering the village and its officer, when there are any.
    unit = models.ForeignKey(
        "organization.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizen_reports",
    )
    # The reporter, only if they chose to say who they are.
    anonymous = models.BooleanField(_("anonymous"), default=True)
    reporter_name = models.CharField(_("name"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=20, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=CitizenStatus.choices, default=CitizenStatus.RECEIVED
    )
    public_note = models.TextField(_("answer to the reporter"), max_length=2000, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("first response due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("resident's report")
        verbose_name_plural = _("residents' reports")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="citizen_unit_status"),
            models.Index(fields=["status", "due_at"], name="citizen_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(reporter_name="", reporter_phone=""),
                name="citizen_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="citizen_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CitizenAttachment(models.Model):
    report = models.ForeignKey(CitizenReport, on_delete=models.CASCADE, related_name="attachments")
    image = models.ImageField(upload_to="citizen/%Y/%m/")
    thumbnail = models.ImageField(upload_to="citizen/%Y/%m/thumbs/")
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image.name or ""


class CitizenEvent(models.Model):
    """One step in a report's handling: a status change, an assignment, an answer."""

    report = models.ForeignKey(CitizenReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12, blank=True)
    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status_from}→{self.status_to}"

    @property
    def summary(self) -> str:
        """What happened, in the reader's language: statuses by their names, the system's
        own steps in words (their stored note, in the language of the day, is not shown)."""
        labels = dict(CitizenStatus.choices)
        if self.actor_id is None and self.status_to == CitizenStatus.RECEIVED:
            return str(_("Received."))
        if self.actor_id is None and self.status_to == CitizenStatus.ASSIGNED:
            return str(_("Routed to the village's officer."))
        if self.status_to and self.status_from == self.status_to:
            return str(_("Given to another officer."))
        if self.status_to:
            before = labels.get(self.status_from, self.status_from) if self.status_from else "–"
            return f"{before} → {labels.get(self.status_to, self.status_to)}"
        return str(_("Answered the reporter.")) if self.note else ""

    @property
    def shown_note(self) -> str:
        """A person's note (the system's steps are in ``summary``)."""
        return self.note if self.actor_id is not None else ""
