"""/melden/over: what undermining is, its signs per theme, and what happens to a report.

For every employee, without logging in (like the Meldpunt it sits next to). The signs are
the catalogue's as it is now: a change by the functional administrator shows at once.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baken.intake.selectors import catalogue


@login_not_required
@require_GET
def about(request):
    return render(
        request,
        "awareness/about.html",
        {"categories": catalogue(), "municipality": settings.MUNICIPALITY_NAME},
    )
