"""The hotspots page's parameters: a number of whole weeks up to this one, or from – to
(snapped to whole ISO weeks, the grain of the area counts), and the minimum count."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from .figures import check_period, this_week


class HotspotForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        choices=[(1, _("This week")), (4, _("Last 4 weeks")), (12, _("Last 12 weeks"))],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput({"type": "date"})
    )
    minimum = forms.IntegerField(
        label=_("At least this many reports"), required=False, min_value=2, max_value=100
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("start") or data.get("end"):
            check_period(self, data)
        return data


def period_of(form: HotspotForm) -> tuple[date, date]:
    """First and last day of the period, in whole weeks (Monday to Sunday)."""
    data = form.cleaned_data if form.is_bound else {}
    if data.get("start"):
        start, end = data["start"], data["end"]
        return start - timedelta(days=start.weekday()), end + timedelta(days=6 - end.weekday())
    last = this_week()
    weeks = data.get("weeks") or 4
    return last - timedelta(weeks=weeks - 1), last + timedelta(days=6)
