"""What a backup and a restore ask of the insights app (core/backup.py, core/restore.py): the
address rollup (`insights.AddressBucket`, issue 18) holds the postcode, house number, street
and city of reported addresses, copied from reports that retention destroys and requests
remove. A backup leaves it empty, so that a destroyed report's address does not outlive it
there; a restore has the tasks worker rebuild the rollup from the reports that came back (the
watermark to 0: every week), and until then the pages say they are being updated. The case and
intervention rollup (issue 18) is left out and rebuilt the same way (its case-id watermark to
0), so that cases destroyed since the backup was made are not counted from its old rows.
Named in InsightsConfig, so that core need not import insights. It owns no sealed rows."""

from .models import FigureState

DERIVED_TABLES = (
    "insights_addressbucket",
    "insights_casebucket",
    "insights_interventionbucket",
    "insights_casestaleweek",
)


def derived_fill() -> None:
    """Have every week of the rollup rebuilt from the reports and cases restored."""
    FigureState.objects.update(seen_report_id=0, seen_case_id=0)
