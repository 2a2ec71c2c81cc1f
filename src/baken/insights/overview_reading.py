"""One reader's version of a week, ready for the page, the PDF and the e-mail: the figures
they may see (overview_scope.overview_view), the chart drawn from them, and the week's new
reports they may see with a short summary each."""

from django.utils.formats import number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from baken.reports.inbox import COUNT_CAP, is_capped, window_page

from .models import WeeklyOverview
from .overview_chart import bar_chart
from .overview_scope import notable, overview_reports, overview_view, report_summary

# The PDF and the e-mail list this many reports; the page has them all, fifty a page.
LISTED = 200
PAGE = 50


def _mean(value) -> str:
    return number_format(value, 1) if isinstance(value, int | float) else str(value)


def _trend_rows(view: dict) -> list[dict]:
    """The team's table of counts and means; management has none (only directions)."""
    if view["scope"] == "aggregates":
        return []
    return [
        {**t, "mean4_text": _mean(t["mean4"]), "mean52_text": _mean(t["mean52"])}
        for t in view["trends"]
    ]


def _notable_lines(view: dict) -> list[dict]:
    return [
        {**line, "mean_text": _mean(line["mean"])} if "mean" in line else line
        for line in notable(view)
    ]


def overview_context(*, user, overview: WeeklyOverview, page: str | None = None) -> dict:
    """`page` given: that page of the report list (the web page); otherwise the first LISTED
    (PDF, e-mail). `shown` holds the Report rows listed, to log their ids.

    The week's reports are counted up to COUNT_CAP, as the inbox's: a busy team's week at
    national scale holds tens of thousands, and counting them all read the team's whole
    week from its index at every visit (52-64 ms of SQL at 5 million reports) for a number
    the figures above give per category anyway. `reports_capped`: more than
    `reports_total`; the pages are then numbered as far as they are known."""
    view = overview_view(user=user, overview=overview)
    reports = overview_reports(user=user, overview=overview)
    total = reports.order_by().values("pk")[: COUNT_CAP + 1].count()
    chosen = window_page(
        lambda window: reports[:window],
        number=page or 1,
        per_page=PAGE if page is not None else LISTED,
        total=total,
    )
    shown = list(chosen.object_list)
    capped = is_capped(total)
    trends = _trend_rows(view)
    return {
        "overview": overview,
        "view": view,
        "trends": trends,
        "notable": _notable_lines(view),
        # Drawn from the team's table only: management's page has no counts per category.
        "chart": bar_chart(
            _("New reports this week per category, with the mean of the 4 weeks before"),
            trends,
            mean="mean4",
        ),
        "reports_page": chosen,
        "reports": [
            {**report_summary(r), "received_date": localtime(r.received_at)} for r in shown
        ],
        "reports_total": min(total, COUNT_CAP),
        "reports_capped": capped,
        # The PDF and the e-mail: how many more the page has ("more" when reports_capped).
        "reports_more": max(0, total - len(shown)) if page is None else 0,
        "shown": shown,
    }
