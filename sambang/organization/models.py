"""Police units (Mabes → Polda → Polres → Polsek) and the villages each one covers.

A unit's subtree is found by its materialized ``path`` (``MABES/POLDA-X/POLRES-Y/``),
one indexed prefix query, never by walking parents.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

UNIT_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]*$", _("Use capital letters, digits and hyphens, e.g. POLSEK-SETU.")
)


class UnitLevel(models.TextChoices):
    MABES = "mabes", _("Mabes (national)")
    POLDA = "polda", "Polda"
    POLRES = "polres", "Polres"
    POLSEK = "polsek", "Polsek"


# The level each level sits under.
PARENT_LEVEL = {
    UnitLevel.MABES: None,
    UnitLevel.POLDA: UnitLevel.MABES,
    UnitLevel.POLRES: UnitLevel.POLDA,
    UnitLevel.POLSEK: UnitLevel.POLRES,
}


def parent_level_error(level: str, parent: Unit | None) -> str | None:
    """Why ``parent`` cannot hold a unit of ``level`` (None when it can)."""
    if level not in UnitLevel.values:
        return None  # the level field reports its own error
    wanted = PARENT_LEVEL[UnitLevel(level)]
    if wanted is None and parent is not None:
        return str(_("The national unit has no parent."))
    if wanted is not None and (parent is None or parent.level != wanted):
        return str(
            _("A %(level)s unit must sit under a %(parent)s unit.")
            % {"level": level, "parent": wanted}
        )
    return None


class UnitTimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB (UTC+7)"
    WITA = "Asia/Makassar", "WITA (UTC+8)"
    WIT = "Asia/Jayapura", "WIT (UTC+9)"


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[UNIT_CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=6, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    timezone = models.CharField(
        _("time zone"), max_length=20, choices=UnitTimeZone.choices, default=UnitTimeZone.WIB
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # From when the unit keeps each kind of data in Sambang, itemised; before it, figures
    # are "no data" (or the aggregates recorded for those periods), never zero. Empty: the
    # nearest unit above decides, else Sambang's first record of that kind.
    reports_since = models.DateField(_("activity reports kept since"), null=True, blank=True)
    incidents_since = models.DateField(_("incidents kept since"), null=True, blank=True)
    citizen_reports_since = models.DateField(
        _("residents' reports kept since"), null=True, blank=True
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("police unit")
        verbose_name_plural = _("police units")
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="mabes", parent__isnull=True)
                | (~models.Q(level="mabes") & models.Q(parent__isnull=False)),
                name="unit_only_mabes_is_root",
                violation_error_message=_("Only the national unit (Mabes) has no parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        error = parent_level_error(self.level, self.parent)
        if error:
            raise ValidationError({"parent": error})


class Jurisdiction(models.Model):
    """A village covered by a unit (usually a Polsek). A village has one covering unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="jurisdiction")
    village = models.OneToOneField(
        "territory.Region",
        on_delete=models.CASCADE,
        related_name="jurisdiction",
        limit_choices_to={"level": "village"},
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdiction")

    def __str__(self) -> str:
        return f"{self.unit} ⊃ {self.village_id}"


class StaffingStamp(models.Model):
    """One row whose token changes with every write to the tables the staffing figures are
    read from (units, jurisdictions, villages, officers, assignments, courses): database
    triggers set a new random token for each writing statement, whoever writes and however
    (bulk writes, imports and the database's own tools included). Figures computed under a
    token are current for as long as it is (``selectors.staffing_kept``)."""

    token = models.CharField(max_length=40)

    # The tables whose writes change the token (migration organization 0005 adds the triggers).
    TABLES = (
        "organization_unit",
        "organization_jurisdiction",
        "territory_region",
        "personnel_officer",
        "personnel_assignment",
        "resources_training",
    )

    def __str__(self) -> str:
        return self.token


class Directive(models.Model):
    """A directive from leadership (Atensi Pimpinan) to the officers of a unit's subtree, of
    several units' subtrees, or to named officers; each officer it reaches has a receipt."""

    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("to the officers of"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("directive"), max_length=4000)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    # Whom it was addressed to: ``unit``'s whole subtree, or only the subtrees of these
    # units, or only these officers (``unit`` is then the lowest unit above them all).
    units = models.ManyToManyField(
        Unit, verbose_name=_("to the officers of these units"), blank=True, related_name="+"
    )
    named_officers = models.ManyToManyField(
        "personnel.Officer", verbose_name=_("to these officers"), blank=True, related_name="+"
    )
    # Also read by the partners (Babinsa, village head, FKPM) of the villages it reaches.
    to_partners = models.BooleanField(_("also to the villages' partners"), default=False)

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DirectiveReceipt(models.Model):
    """One officer's acknowledgment and completion of a directive."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="receipts")
    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.PROTECT, related_name="directive_receipts"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    note = models.TextField(_("completion note"), max_length=2000, blank=True)

    class Meta:
        ordering = ["officer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "officer"], name="directive_receipt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id}:{self.officer_id}"
