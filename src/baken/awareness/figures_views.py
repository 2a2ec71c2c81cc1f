"""The figures page of the awareness work (issue 17): thin — parse the period, call
figures.py, log the read, render. Team lead and analyst (Capability.INSIGHTS), their own
team's reports; real counts, with the anonymity rule (figures.py)."""

from datetime import date

from django import forms
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from baken.accounts.decorators import capability_required
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.dates import OUT_OF_RANGE, in_range
from baken.core.roles import Capability

from .figures import AwarenessFigures, add_months, awareness_figures, default_period

MAX_MONTHS = 36


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if not start and not end:
            return data
        if not start or not end:
            raise forms.ValidationError(_("A period from – to needs both dates."))
        for name, day in (("start", start), ("end", end)):
            if not in_range(day):
                self.add_error(name, OUT_OF_RANGE)
                return data
        if start > end:
            self.add_error("end", _("The end date lies before the start date."))
        elif end >= add_months(start, MAX_MONTHS):
            self.add_error("end", _("A period can be at most 36 months long."))
        return data


def period_from(data) -> tuple[tuple[date, date] | None, PeriodForm]:
    """The period of a GET query (default: the last 12 months); None when not valid."""
    start, end = default_period()
    # Unbound, the form shows the period counted when none is chosen.
    form = PeriodForm(data or None, initial={"start": start, "end": end})
    if data and not form.is_valid():
        return None, form
    clean = form.cleaned_data if data else {}
    if not clean.get("start"):
        return (start, end), form
    # Up to and including today at most: the figures of days to come are not known, and a
    # training planned after today must not show as given (awareness/trainings.py).
    today = timezone.localdate()
    if clean["start"] > today:
        form.add_error("start", _("The period cannot start after today."))
        return None, form
    return (clean["start"], min(clean["end"], today)), form


def chart_data(figures: AwarenessFigures) -> dict:
    """The monthly totals for the dashboard's chart script (insights/static/charts.js), a
    month with a training marked in its label."""
    labels = []
    for month in figures.months:
        label = date_format(month, "M Y")
        if figures.trainings_in(month):
            label = f"{label} ▲"
        labels.append(label)
    return {
        "title": str(_("Reports per month")),
        "kind": "bar",
        "unit": str(_("reports")),
        "labels": labels,
        "values": [figures.per_month[m] for m in figures.months],
    }


def table(figures: AwarenessFigures) -> dict:
    """The per-department table as the template walks it: month headings with their
    trainings, and a row of cells per department."""
    return {
        "months": [{"month": m, "trainings": figures.trainings_in(m)} for m in figures.months],
        "rows": [
            {"key": r.key, "label": r.label, "cells": list(r.counts.values()), "total": r.total}
            for r in figures.rows
        ],
        "totals": [figures.per_month[m] for m in figures.months],
        "signs": [{"month": m, "share": figures.signs_by_month[m]} for m in figures.months],
    }


@require_GET
@capability_required(Capability.INSIGHTS)
def figures(request):
    period, form = period_from(request.GET)
    if period is None:
        return render(request, "awareness/figures.html", {"form": form}, status=400)
    start, end = period
    found = awareness_figures(user=request.user, start=start, end=end)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditAction.INSIGHTS_DASHBOARD,
            target=Target("awareness.figures", str(request.user.team_id or "")),
            detail={"start": start.isoformat(), "end": end.isoformat()},
        )
    return render(
        request,
        "awareness/figures.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "until_today": end == timezone.localdate(),
            "figures": found,
            "chart": chart_data(found) if found is not None else None,
            "table": table(found) if found is not None else None,
        },
    )
