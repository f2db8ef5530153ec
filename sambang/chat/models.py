"""What the chat channels keep: each delivery seen (so that a replay is a no-op), each
conversation in progress, the chat a resident's report came from (to answer it there), and
every message sent out.

A sender's address (phone number, chat id) is kept in the clear only where Sambang must
write to it: a conversation in progress and a report to answer. Everywhere else — the
log of deliveries and of messages sent, the rate limits — it is an HMAC (``address_hash``).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChatChannel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    SMS = "sms", "SMS"
    DEMO = "demo", _("Simulated (demo)")


def address_hash(channel: str, address: str) -> str:
    """The address as kept where only matching is needed (keyed, so not reversible by
    trying every phone number without the server's key)."""
    digits = address.strip()
    if channel in (ChatChannel.WHATSAPP, ChatChannel.SMS):  # phone numbers, written any way
        digits = "".join(c for c in digits if c.isdigit())
        digits = "62" + digits[1:] if digits.startswith("0") else digits
    key = hashlib.sha256(f"sambang-chat:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{channel}:{digits}".encode(), hashlib.sha256).hexdigest()


class Delivery(models.Model):
    """One message or status a provider delivered; unique by the provider's id."""

    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    message_id = models.CharField(max_length=200)
    sender_hash = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=10)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=200, blank=True)  # what was done, or the error

    class Meta:
        verbose_name = _("chat delivery")
        verbose_name_plural = _("chat deliveries")
        constraints = [
            models.UniqueConstraint(fields=["channel", "message_id"], name="chat_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.message_id}"


class Conversation(models.Model):
    """A person's conversation with Sambang on one channel: the step it is at and what was
    said so far (``data``); after ``conversation.TIMEOUT`` of silence it starts again."""

    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    sender_hash = models.CharField(max_length=64)
    address = models.CharField(max_length=64)  # to answer: the phone number or chat id
    step = models.CharField(max_length=20, default="start")
    data = models.JSONField(default=dict, blank=True)
    last_inbound_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "sender_hash"], name="chat_conversation_per_sender"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.step}"


class PendingPhoto(models.Model):
    """A photo sent during a conversation, kept until the report is sent or abandoned."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="photos")
    data = models.BinaryField()
    content_type = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"photo {self.pk}"


class ChatReport(models.Model):
    """The chat a resident's report was sent from: the police's answer goes back there.
    Never shown to anyone (an anonymous report stays anonymous)."""

    report = models.OneToOneField(
        "public.CitizenReport", on_delete=models.CASCADE, related_name="chat"
    )
    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    address = models.CharField(max_length=64)
    last_inbound_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.channel} {self.report_id}"


class OutboundResult(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Outbound(models.Model):
    """Every message Sambang sent (or tried to send) on a chat channel."""

    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    to_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20)  # reply, answer, notification
    text = models.TextField()
    result = models.CharField(max_length=10, choices=OutboundResult.choices)
    provider_id = models.CharField(max_length=200, blank=True)
    template = models.BooleanField(default=False)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("chat message sent")
        verbose_name_plural = _("chat messages sent")

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} {self.result}"


class OfficerLink(models.Model):
    """An officer's chat address, proven by sending from it the one-time code the app
    showed them (``services.link_code_issue``): directives and returned reports reach it."""

    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.CASCADE, related_name="chat_links"
    )
    channel = models.CharField(max_length=10, choices=ChatChannel.choices)
    address = models.CharField(max_length=64)  # to write to
    address_hash = models.CharField(max_length=64)
    linked_at = models.DateTimeField(auto_now_add=True)
    last_inbound_at = models.DateTimeField()  # WhatsApp: free text for 24 hours after it

    class Meta:
        verbose_name = _("officer's chat")
        verbose_name_plural = _("officers' chats")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_hash"], name="chat_link_address_once"
            ),
            models.UniqueConstraint(fields=["officer", "channel"], name="chat_link_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.channel}"


class LinkCode(models.Model):
    """The one-time code an officer sends from a chat to link it (one at a time, short-lived;
    kept hashed)."""

    officer = models.OneToOneField(
        "personnel.Officer", on_delete=models.CASCADE, related_name="chat_link_code"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.officer_id}"
