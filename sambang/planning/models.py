"""Planning: recommendations of who covers which villages, kept as they were shown."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recommendation(models.Model):
    """One run of the assignment solver for a Polsek or a Polres: its settings and its whole
    result (each village's officer before and after, the balance figures, the solver's
    status), so that what the supervisor accepts is exactly what they were shown."""

    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    options = models.JSONField(_("settings"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What acceptance did: {"applied": [codes], "skipped": {code: reason}}
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assignment recommendation")
        verbose_name_plural = _("assignment recommendations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.created_at:%Y-%m-%d %H:%M}"
