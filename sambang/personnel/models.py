"""Users and roles, officers, and officer ↔ village assignments over time."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NRP_VALIDATOR = RegexValidator(r"^\d{8}$", _("An NRP has 8 digits."))


class Role(models.TextChoices):
    OFFICER = "officer", _("Bhabinkamtibmas officer")
    POLSEK = "polsek", _("Polsek supervisor")
    POLRES = "polres", _("Polres supervisor")
    POLDA = "polda", _("Polda supervisor")
    NATIONAL = "national", _("National (Korbinmas)")
    ADMIN = "admin", _("Administrator")
    # A partner of the officers in their village(s): Babinsa, village head, FKPM chair. Held
    # to the partners' pages (``sambang.partners``), for the villages of their records.
    PARTNER = "partner", _("Partner (Babinsa, village head, FKPM)")


# The unit level each supervising role is tied to.
ROLE_UNIT_LEVEL = {
    Role.POLSEK: "polsek",
    Role.POLRES: "polres",
    Role.POLDA: "polda",
    Role.NATIONAL: "mabes",
}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # Demo accounts log in only while the demo mode is on.
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(unit__isnull=False),
                name="user_non_admin_has_unit",
                violation_error_message=_("Every role but administrator needs a unit."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        level = ROLE_UNIT_LEVEL.get(Role(self.role)) if self.role in Role.values else None
        if level and self.unit_id and self.unit and self.unit.level != level:
            raise ValidationError(
                {
                    "unit": _("A %(role)s user belongs to a %(level)s unit.")
                    % {"role": self.get_role_display(), "level": level}
                }
            )

    @property
    def is_supervisor(self) -> bool:
        """Sees a unit subtree: Polsek, Polres, Polda, national, administrator."""
        return self.role not in (Role.OFFICER, Role.PARTNER)

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER


class Rank(models.TextChoices):
    # Bintara (NCO) ranks, lowest first, then the officer ranks.
    BRIPDA = "bripda", "Bripda"
    BRIPTU = "briptu", "Briptu"
    BRIGPOL = "brigpol", "Brigpol"
    BRIPKA = "bripka", "Bripka"
    AIPDA = "aipda", "Aipda"
    AIPTU = "aiptu", "Aiptu"
    IPDA = "ipda", "Ipda"
    IPTU = "iptu", "Iptu"
    AKP = "akp", "AKP"
    KOMPOL = "kompol", "Kompol"
    AKBP = "akbp", "AKBP"
    KOMBES = "kombes", "Kombes Pol"


class Education(models.TextChoices):
    SMA = "sma", "SMA/SMK"
    D3 = "d3", "D3"
    S1 = "s1", "S1"
    S2 = "s2", "S2"
    S3 = "s3", "S3"


class Duty(models.TextChoices):
    """Functions an officer may hold besides Bhabinkamtibmas (dual duties)."""

    SAMAPTA = "samapta", "Samapta/Sabhara"
    RESKRIM = "reskrim", "Reskrim"
    INTELKAM = "intelkam", "Intelkam"
    LANTAS = "lantas", "Lantas"
    SPKT = "spkt", "SPKT"
    PROVOS = "provos", "Propam/Provos"
    BINMAS = "binmas", _("Binmas staff")


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED = "transferred", _("Transferred")
    RETIRED = "retired", _("Retired")


class Officer(models.Model):
    nrp = models.CharField("NRP", max_length=8, unique=True, validators=[NRP_VALIDATOR])
    name = models.CharField(_("name"), max_length=120)
    rank = models.CharField(_("rank"), max_length=8, choices=Rank.choices)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    photo = models.ImageField(_("photo"), upload_to="officers/", blank=True)
    education = models.CharField(_("general education"), max_length=3, choices=Education.choices)
    dikbangspes_done = models.BooleanField(_("Dikbangspes Binmas/Polmas"), default=False)
    dikbangspes_year = models.PositiveSmallIntegerField(
        _("Dikbangspes year"), null=True, blank=True
    )
    trainings = models.JSONField(_("trainings"), default=list, blank=True)
    other_duties = models.JSONField(_("other duties"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=11, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE
    )
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="officer"
    )

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dikbangspes_year__isnull=True) | models.Q(dikbangspes_done=True),
                name="officer_dikbangspes_year_needs_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.name} ({self.nrp})"

    def get_other_duties_display(self) -> str:
        labels = dict(Duty.choices)
        return ", ".join(str(labels.get(duty, duty)) for duty in self.other_duties)


class Assignment(models.Model):
    """An officer is a Bhabinkamtibmas of a village from ``start_date`` to ``end_date``.

    As in the field, an officer may cover several villages and a village may have several
    officers (urban kelurahan often have one per group of RW): ``area`` names the part of
    the village an assignment covers. An open assignment (no end date) is active; of a
    village's active assignments exactly one is its contact for residents.
    """

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="assignments")
    village = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"level": "village"},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    area = models.CharField(
        _("part of the village"),
        max_length=200,
        blank=True,
        help_text=_("The RW it covers (e.g. RW 01-05) or a description; empty: the whole village."),
    )
    is_contact = models.BooleanField(_("residents' contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "village"],
                condition=models.Q(end_date__isnull=True),
                name="assignment_one_active_per_officer_village",
                violation_error_message=_("This officer already covers this village."),
            ),
            models.UniqueConstraint(
                fields=["village"],
                condition=models.Q(end_date__isnull=True, is_contact=True),
                name="assignment_one_contact_per_village",
                violation_error_message=_("This village already has a contact officer."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["officer", "end_date"], name="assignment_officer_active")]

    def __str__(self) -> str:
        return f"{self.officer} → {self.village_id}"

    @property
    def is_active(self) -> bool:
        return self.end_date is None
