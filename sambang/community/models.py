"""What an officer must know about a village: its profile (Kakerda), figures, partners, spots."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Factor(models.TextChoices):
    """Characteristics of a village's vulnerability (Kakerda)."""

    LAND_DISPUTE = "land_dispute", _("Land disputes")
    STUDENT_FIGHTS = "student_fights", _("Student fights")
    GROUP_TENSION = "group_tension", _("Tension between groups")
    DRUGS = "drugs", _("Drugs")
    ILLEGAL_RACING = "illegal_racing", _("Illegal racing")
    THEFT = "theft", _("Theft and burglary")
    GAMBLING = "gambling", _("Gambling")
    FLOOD = "flood", _("Floods")
    FIRE = "fire", _("Fires")
    ELECTION = "election", _("Election tension")
    RADICALISM = "radicalism", _("Radicalism")
    OTHER = "other", _("Other")


class VillageProfile(models.Model):
    """A village's make-up, in aggregates: never a list of residents."""

    village = models.OneToOneField(
        "territory.Region", on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    rt_count = models.PositiveSmallIntegerField(_("number of RT"), null=True, blank=True)
    rw_count = models.PositiveSmallIntegerField(_("number of RW"), null=True, blank=True)
    livelihoods = models.CharField(_("main livelihoods"), max_length=300, blank=True)
    # {"Islam": 92, "Kristen": 6, …}: shares in per cent.
    religions = models.JSONField(_("religions (%)"), default=dict, blank=True)
    ethnic_groups = models.JSONField(_("ethnic groups (%)"), default=dict, blank=True)
    geography = models.TextField(_("geography"), max_length=2000, blank=True)
    access_notes = models.TextField(_("access"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village profile")
        verbose_name_plural = _("village profiles")

    def __str__(self) -> str:
        return str(self.village_id)


class VulnerabilityFactor(models.Model):
    profile = models.ForeignKey(VillageProfile, on_delete=models.CASCADE, related_name="factors")
    factor = models.CharField(_("factor"), max_length=16, choices=Factor.choices)
    level = models.CharField(_("level"), max_length=6, choices=Level.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["factor"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "factor"], name="factor_once_per_village")
        ]

    def __str__(self) -> str:
        return f"{self.factor}: {self.level}"


class FigureKind(models.TextChoices):
    RELIGIOUS = "religious", _("Religious leader")
    COMMUNITY = "community", _("Community leader")
    YOUTH = "youth", _("Youth leader")
    TRADITIONAL = "traditional", _("Traditional leader")
    WOMEN = "women", _("Women's leader")


class KeyFigure(models.Model):
    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=FigureKind.choices)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    influence = models.CharField(_("influence"), max_length=6, choices=Level.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


# The partners who may get an account of their own (the three pillars' and the forum's).
ACCOUNT_KINDS = ("babinsa", "village_head", "fkpm")


class PartnerKind(models.TextChoices):
    BABINSA = "babinsa", "Babinsa"
    VILLAGE_HEAD = "village_head", _("Village head")
    FKPM = "fkpm", "FKPM"
    POKDAR = "pokdar", "Pokdar Kamtibmas"
    SATKAMLING = "satkamling", "Satkamling"
    SATPAM = "satpam", "Satpam"
    KAMPUNG_TANGGUH = "kampung_tangguh", "Kampung Tangguh"


class Partner(models.Model):
    """The three pillars and the groups an officer works with in a village."""

    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=120)
    contact = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The partner's own login (Babinsa, village head, FKPM chair), made by the Polsek: one
    # account may hold the records of several villages (a Babinsa covers a few).
    account = models.ForeignKey(
        "personnel.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_records",
        limit_choices_to={"role": "partner"},
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class PoskamlingPost(models.Model):
    """A neighbourhood-watch post, and who keeps watch which night."""

    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)
    active = models.BooleanField(_("active"), default=True)
    # {"mon": "Pak Ahmad, Pak Budi", …}: the night-watch roster.
    roster = models.JSONField(_("night-watch roster"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpotCategory(models.TextChoices):
    CRIME = "crime", _("Crime")
    CONFLICT = "conflict", _("Conflict")
    DISASTER = "disaster", _("Disaster")
    TRAFFIC = "traffic", _("Traffic")
    ELECTION = "election", _("Election")


class VulnerableSpot(models.Model):
    village = models.ForeignKey("territory.Region", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=10, choices=SpotCategory.choices)
    level = models.CharField(_("level"), max_length=6, choices=Level.choices)
    latitude = models.FloatField(_("latitude"), validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), validators=LONGITUDE)
    cell = models.BigIntegerField(editable=False)  # H3, for maps
    note = models.CharField(_("note"), max_length=500, blank=True)
    last_reviewed = models.DateField(_("last reviewed"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-level", "category"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="spot_position_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.latitude:.4f},{self.longitude:.4f}"
