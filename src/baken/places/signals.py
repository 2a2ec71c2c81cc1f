"""Keep the stored membership of reports in areas (AreaReport) true when a report's point
changes.

A report gets or changes its point when it is made (intake, reports/services.py) and when it
is corrected or improved (reports/editing.py), both through a full `Report.save`; saves of
other fields name them (`update_fields`) and leave the point alone. Places sits below
reports and does not import it: the receiver is connected by the model's label and reads
only the instance's fields. It runs in the save's transaction, so the filter by area never
sees a report without its memberships.
"""

from .areas import report_areas_set


def report_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures and restores carry their memberships
    if update_fields is not None and not {"lat", "lon"} & set(update_fields):
        return
    if {"lat", "lon"} & instance.get_deferred_fields():
        return  # a save of a partly loaded report writes only what it loaded
    if created and (instance.lat is None or instance.lon is None):
        return  # a new report without a point is in no area
    report_areas_set(instance.pk, instance.lat, instance.lon, new=created)
