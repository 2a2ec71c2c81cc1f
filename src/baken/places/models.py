from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisteredAddress(models.Model):
    """One address of the local address register (a BAG extract): public data, used to fill
    in street and town from postcode and house number, and later for matching."""

    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    street = models.CharField(_("street"), max_length=200)
    city = models.CharField(_("town"), max_length=200)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        # The table keeps the name it had in the subjects app (places migration 0001).
        db_table = "subjects_registeredaddress"
        ordering = ["postcode", "house_number", "house_letter", "addition"]
        verbose_name = _("registered address")
        verbose_name_plural = _("registered addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_letter", "addition"],
                name="registered_address_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}{self.house_letter}, {self.city}"


class Area(models.Model):
    """A district or neighbourhood, imported as GeoJSON (`baken areas import FILE`), used for
    filters, routing and statistics."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, blank=True)
    geometry = models.JSONField(_("geometry"))
    # The bounding box: a cheap first filter before the point-in-polygon test.
    min_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lat = models.FloatField()
    max_lon = models.FloatField()
    # Whether every membership of the area (AreaReport) carries its report's team: set where
    # they are all written with it (areas_reports_fill, `baken areas teams`); until then
    # the filter by area does not read the memberships by team (places/areas.py in_area).
    teams_known = models.BooleanField(_("teams of its reports known"), default=False)

    class Meta:
        db_table = "subjects_area"
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class AreaReport(models.Model):
    """That a located report lies in an area (issue 18): the exact point-in-polygon test,
    stored, so that the filter of reports by area is an indexed semi-join instead of a test
    in Python per request. Areas nest: a report is in every area it lies in.

    Derived from the report's lat/lon and the area's geometry, and kept true where either
    changes (places/signals.py, areas.area_reports_fill); it goes with either (CASCADE).

    `team` is a copy of the report's team (NULL: none), in an area whose memberships all
    carry it (Area.teams_known; memberships written before the copy existed have NULL until
    `baken areas teams` fills them in): the inbox counts a team's reports in such an area
    from the memberships of that team (area_report_team_idx), a few where the area is far
    from the team's patch, instead of testing each of the team's reports against the area
    (issue 18). Kept true where a report's team changes (places/signals.py, in the save's
    transaction)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", db_index=False)
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("team of the report"),
    )

    class Meta:
        db_table = "places_areareport"
        constraints = [
            # Also the index of the filter: an area's reports, by report.
            models.UniqueConstraint(fields=["area", "report"], name="area_report_unique")
        ]
        indexes = [
            # An area's reports of one team (or of no team).
            models.Index(fields=["area", "team", "report"], name="area_report_team_idx")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} in {self.area_id}"
