"""Who is reached how: each user's choices, their devices' push subscriptions, and a log of
every notification sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; each person chooses which kinds reach them."""

    DIRECTIVE = "directive", _("A new directive for me")
    REPORT_RETURNED = "report_returned", _("My report returned for correction")
    CITIZEN_REPORT = "citizen_report", _("A new residents' report for my village")
    OVERDUE = "overdue", _("Residents' reports past their first-response time")
    ALERT = "alert", _("An early-warning alert for my villages or unit")
    DIGEST = "digest", _("A daily e-mail of what waits for me")


class Channel(models.TextChoices):
    WEBPUSH = "webpush", _("Web Push")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat (WhatsApp, Telegram, SMS)")


class Result(models.TextChoices):
    SENT = "sent", _("Sent")
    GONE = "gone", _("Device gone (subscription removed)")
    FAILED = "failed", _("Failed")


class NotificationPreference(models.Model):
    """One user's choices; a user without a row gets every kind (the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    directive = models.BooleanField(Kind.DIRECTIVE.label, default=True)
    report_returned = models.BooleanField(Kind.REPORT_RETURNED.label, default=True)
    citizen_report = models.BooleanField(Kind.CITIZEN_REPORT.label, default=True)
    overdue = models.BooleanField(Kind.OVERDUE.label, default=True)
    alert = models.BooleanField(Kind.ALERT.label, default=True)
    digest = models.BooleanField(Kind.DIGEST.label, default=True)
    # The language the user last used the app in (empty: the site's): notifications and
    # e-mails are written in it, outside any request.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)


class PushSubscription(models.Model):
    """A browser's Web Push subscription (one per installed app or browser profile)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's URL for this browser: a capability, unique to one device.
    endpoint = models.CharField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)  # the browser's public key (base64url)
    auth = models.CharField(max_length=40)  # the shared authentication secret (base64url)
    device = models.CharField(_("device"), max_length=120, blank=True)  # from its User-Agent
    created_at = models.DateTimeField(_("turned on"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.device or self.endpoint[:40]}"


class OutboundNotification(models.Model):
    """One notification sent (or tried) to one user through one channel: never its text,
    only what it was about and where it led."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_sent"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    url = models.CharField(max_length=500)
    result = models.CharField(max_length=10, choices=Result.choices)
    detail = models.CharField(max_length=200, blank=True)  # e.g. the push service's status
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "kind", "result", "created_at"], name="notification_user_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} ({self.channel}: {self.result})"
