"""What partners bring: early-detection notes to the village's officer, graded by them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sambang.fieldwork.models import Aspect, Urgency
from sambang.security.models import Credibility, Reliability


class PartnerNote(models.Model):
    """A partner's early-detection note (something brewing in the village) to the village's
    officers. The officer grades it as information is graded (the Admiralty scale: how
    reliable the source, how credible the content) — a partner's word is a source."""

    # The record it was written as (kept when the record is removed from the profile).
    partner = models.ForeignKey(
        "community.Partner", on_delete=models.SET_NULL, null=True, related_name="notes"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey("territory.Region", on_delete=models.PROTECT, related_name="+")
    # The unit covering the village when it was written: supervisors see it by this.
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("what is happening"), max_length=4000)
    aspect = models.CharField(_("aspect"), max_length=16, choices=Aspect.choices, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    written_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The officer's grading.
    reliability = models.CharField(
        _("reliability of the source"), max_length=1, choices=Reliability.choices, blank=True
    )
    credibility = models.PositiveSmallIntegerField(
        _("credibility of the information"), choices=Credibility.choices, null=True, blank=True
    )
    officer_comment = models.CharField(_("officer's comment"), max_length=1000, blank=True)
    graded_by = models.ForeignKey(
        "personnel.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("partner's note")
        verbose_name_plural = _("partners' notes")
        indexes = [
            models.Index(
                fields=["village", "written_at"],
                name="partner_note_to_grade",
                condition=models.Q(graded_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.written_at:%Y-%m-%d}"
