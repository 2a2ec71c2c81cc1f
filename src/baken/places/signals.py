"""Keep the stored membership of reports in areas (AreaReport) true when a report's point
changes, and its copy of the report's team when the team changes.

A report gets or changes its point when it is made (intake, reports/services.py) and when it
is corrected or improved (reports/editing.py), both through a full `Report.save`; saves of
other fields name them (`update_fields`) and leave the point alone. The team changes by
routing or by hand (reports/routing.py), through `Report.save` too. Places sits below
reports and does not import it: the receiver is connected by the model's label and reads
only the instance's fields. It runs in the save's transaction, so the filter by area never
sees a report without its memberships.
"""

from .areas import UNKNOWN, report_areas_set, report_team_set

POINT, TEAM = {"lat", "lon"}, {"team", "team_id"}


def report_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """The report's memberships follow its point, and their copy of its team its team
    (AreaReport.team): a stale copy would hide the report from its team's filter by area."""
    if kwargs.get("raw"):
        return  # fixtures and restores carry their memberships
    saved = None if update_fields is None else set(update_fields)
    deferred = instance.get_deferred_fields()
    point = (saved is None or POINT & saved) and not POINT & deferred
    team = (saved is None or TEAM & saved) and "team_id" not in deferred
    if created:
        if instance.lat is None or instance.lon is None:
            return  # a new report without a point is in no area
        report_areas_set(instance.pk, instance.lat, instance.lon, new=True, team=instance.team_id)
    elif point:  # a save of a partly loaded report writes only what it loaded
        report_areas_set(
            instance.pk,
            instance.lat,
            instance.lon,
            new=False,
            team=instance.team_id if team else UNKNOWN,
        )
    elif team:
        report_team_set(instance.pk, instance.team_id)
