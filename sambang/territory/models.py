"""Kemendagri regions: province → regency/city → district → village.

The official dotted code is the primary key: it is stable, readable in every foreign
key, and hierarchical, so a region's subtree is a prefix query on the code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# H3 resolution for the point-lookup index: cells of ~36 km², a few villages each.
LOOKUP_H3_RESOLUTION = 6
# H3 resolution stored with every point for maps and hot spots: cells of ~0.1 km².
MAP_H3_RESOLUTION = 9


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("District")
    VILLAGE = "village", _("Village")


class RegionKind(models.TextChoices):
    PROVINCE = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")
    KECAMATAN = "kecamatan", _("District")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class RegionQuerySet(models.QuerySet["Region"]):
    def villages(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.VILLAGE)

    def within(self, code: str) -> RegionQuerySet:
        """The regions below ``code`` (not including it)."""
        return self.filter(code__startswith=f"{code}.")


class Region(models.Model):
    code = models.CharField(_("code"), primary_key=True, max_length=13)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        db_constraint=False,  # codes load in bulk, parents and children in one pass
    )
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lng = models.FloatField(_("centroid longitude"), null=True, blank=True)
    # H3 cell (LOOKUP_H3_RESOLUTION) of the centroid, for nearest-village lookups.
    centroid_cell = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    # GeoJSON geometry (Polygon or MultiPolygon), repaired and simplified on import.
    boundary = models.JSONField(_("boundary"), null=True, blank=True, editable=False)
    bbox_min_lat = models.FloatField(null=True, blank=True, editable=False)
    bbox_min_lng = models.FloatField(null=True, blank=True, editable=False)
    bbox_max_lat = models.FloatField(null=True, blank=True, editable=False)
    bbox_max_lng = models.FloatField(null=True, blank=True, editable=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    # UTC offset in hours (7 WIB, 8 WITA, 9 WIT) where the source gives it.
    utc_offset = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["level", "code"], name="region_level_code"),
            models.Index(
                fields=["code"], name="region_code_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(centroid_lat__isnull=True)
                | models.Q(centroid_lat__gte=-90, centroid_lat__lte=90),
                name="region_centroid_lat_range",
            ),
            models.CheckConstraint(
                condition=models.Q(centroid_lng__isnull=True)
                | models.Q(centroid_lng__gte=-180, centroid_lng__lte=180),
                name="region_centroid_lng_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def has_boundary(self) -> bool:
        return self.boundary is not None


class RegionCell(models.Model):
    """An H3 cell that a region's boundary touches: the index for point lookups."""

    cell = models.BigIntegerField(db_index=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="cells")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "region"], name="regioncell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cell:x} → {self.region_id}"
