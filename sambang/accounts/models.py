"""API tokens (one per device, listed and revoked by their owner) and one-time account
activations; of both only a hash of the secret is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The key's first characters are kept in clear, to tell a user's tokens apart.
PREFIX_LENGTH = 8


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    @classmethod
    def issue(cls, user: models.Model, name: str = "") -> tuple[ApiToken, str]:
        """A new token for ``user``; the key is returned once and never stored."""
        key = secrets.token_hex(20)
        token = cls.objects.create(
            user=user, name=name[:100], prefix=key[:PREFIX_LENGTH], digest=key_digest(key)
        )
        return token, key


# Activation codes: Crockford's base32 (no I, L, O, U, which read as other characters),
# 16 characters (80 bits), printed in groups of four.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_code(text: str) -> str:
    """An activation code as typed (any case, spaces or dashes, O for 0) in its stored form."""
    return "".join(c for c in text.upper().translate(_LOOKALIKES) if c in CODE_ALPHABET)


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class ActivationPurpose(models.TextChoices):
    # A new or reset account: the holder chooses a password (and enrols an authenticator
    # where the role requires one).
    ACTIVATE = "activate", _("activation")
    # An authenticator for an account that has a password but no (longer an) authenticator:
    # the holder proves the password and enrols a new one.
    ENROL = "enrol", _("two-factor enrolment")


class Activation(models.Model):
    """A one-time code, printable and typable, that opens a new (or reset) account: its
    holder sets the password and, where the role requires it, enrols an authenticator.
    An enrolment (``purpose``) enrols an authenticator only, for the holder of the password.

    Only a hash of the code is stored. It works once, until ``expires_at``, and not after a
    newer one is issued for the same account (``revoked_at``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activations",
        verbose_name=_("account"),
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    purpose = models.CharField(
        _("purpose"),
        max_length=8,
        choices=ActivationPurpose.choices,
        default=ActivationPurpose.ACTIVATE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        verbose_name = _("account activation")
        verbose_name_plural = _("account activations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "used_at"], name="activation_user_open")]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def new_code(cls) -> str:
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
