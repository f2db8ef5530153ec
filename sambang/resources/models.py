"""What units and officers work with: equipment, budget, allowance, training."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentKind(models.TextChoices):
    MOTORCYCLE = "motorcycle", _("Motorcycle")
    HANDY_TALKY = "handy_talky", _("Handy-talky")
    MEGAPHONE = "megaphone", _("Megaphone")
    OFFICER_BAG = "officer_bag", _("Officer's bag")
    VEST = "vest", _("Vest")
    RAINCOAT = "raincoat", _("Raincoat")
    FLASHLIGHT = "flashlight", _("Flashlight")
    CAMERA = "camera", _("Camera")
    PHONE = "phone", _("Smartphone")
    OTHER = "other", _("Other")


class Equipment(models.Model):
    """Counts of one kind of equipment held by a unit, or by one of its officers."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="equipment",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EquipmentKind.choices)
    good = models.PositiveIntegerField(_("good"), default=0)
    light_damage = models.PositiveIntegerField(_("lightly damaged"), default=0)
    heavy_damage = models.PositiveIntegerField(_("heavily damaged"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["unit__path", "kind"]
        constraints = [
            # One row per kind for each officer, and one for the unit's own (no officer).
            models.UniqueConstraint(
                fields=["unit", "officer", "kind"],
                condition=models.Q(officer__isnull=False),
                name="equipment_officer_kind",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind"],
                condition=models.Q(officer__isnull=True),
                name="equipment_unit_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.unit})"

    @property
    def total(self) -> int:
        return self.good + self.light_damage + self.heavy_damage


class BudgetCategory(models.TextChoices):
    BIMKAMSA = "bimkamsa", "Bimkamsa"
    BIMTIBNAS = "bimtibnas", "Bimtibnas"
    REDAWAN = "redawan", _("Youth and women (Redawan)")
    BINCORPUS = "bincorpus", "Bincorpus"
    OTHER = "other", _("Other")


class Budget(models.Model):
    """A unit's budget (DIPA) line for a fiscal year: allocated and realized so far."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    category = models.CharField(_("category"), max_length=10, choices=BudgetCategory.choices)
    allocation_idr = models.PositiveBigIntegerField(_("allocation (Rp)"))
    realization_idr = models.PositiveBigIntegerField(_("realization (Rp)"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget")
        ordering = ["-fiscal_year", "unit__path", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fiscal_year", "category"], name="budget_unit_year_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year} {self.get_category_display()}"


class Allowance(models.Model):
    """The monthly allowance each officer of a unit receives in a fiscal year."""

    unit = models.ForeignKey(
        "organization.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    monthly_idr = models.PositiveBigIntegerField(_("per officer per month (Rp)"))

    class Meta:
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")
        ordering = ["-fiscal_year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year"], name="allowance_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.fiscal_year}"


class Course(models.TextChoices):
    DIKBANGSPES_BINMAS = "dikbangspes_binmas", _("Dikbangspes Binmas")
    DIKBANGSPES_POLMAS = "dikbangspes_polmas", _("Dikbangspes Polmas")
    MEDIATION = "mediation", _("Mediation and problem solving")
    EARLY_DETECTION = "early_detection", _("Early detection")
    OTHER = "other", _("Other")


class Training(models.Model):
    """A course an officer attended."""

    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="training_records",
    )
    course = models.CharField(_("course"), max_length=20, choices=Course.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="training_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_course_display()} {self.start_date:%Y}"
