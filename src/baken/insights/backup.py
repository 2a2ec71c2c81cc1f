"""What a backup and a restore ask of the insights app (core/backup.py, core/restore.py): the
address rollup (`insights.AddressBucket`, issue 18) holds the postcode, house number, street
and city of reported addresses, copied from reports that retention destroys and requests
remove. A backup leaves it empty, so that a destroyed report's address does not outlive it
there; a restore has the tasks worker rebuild the rollup from the reports that came back (the
watermark to 0: every week), and until then the pages say they are being updated. Named in
InsightsConfig, so that core need not import insights. It owns no sealed rows."""

from .models import FigureState

DERIVED_TABLES = ("insights_addressbucket",)


def derived_fill() -> None:
    """Have every week of the rollup rebuilt from the reports restored."""
    FigureState.objects.update(seen_report_id=0)
