"""The default retention rules, what each applies to, and how a period becomes a date.

The defaults follow the CCV model protocol for tackling undermining and the municipal privacy
protocols for the administrative approach (bestuurlijke aanpak) that build on it; a
municipality changes them through the rules page (a new version, in force after the privacy
officer approves it).
"""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import PeriodUnit, RuleKind

PROTOCOL = "CCV Modelprotocol aanpak ondermijning; privacyprotocol bestuurlijke aanpak ondermijning"


@dataclass(frozen=True)
class Default:
    kind: RuleKind
    amount: int
    unit: PeriodUnit
    legal_source: str
    counted_from: Promise  # what the period is counted from, for people
    action: Promise  # what happens when it has passed, for people


DEFAULTS: tuple[Default, ...] = (
    Default(
        RuleKind.REPORT_NO_ACTION,
        1,
        PeriodUnit.YEARS,
        f"{PROTOCOL}: weging 3, besluit 'geen actie'",
        _("the decision 'no action'"),
        _("sealed at once, destroyed when the period has passed"),
    ),
    Default(
        RuleKind.REPORT_REFERRED,
        1,
        PeriodUnit.YEARS,
        f"{PROTOCOL}: weging 2A/2B en 3, doorverwijzen of doorzetten",
        _("the decision to refer or forward"),
        _("destroyed; the sharing register keeps that it was shared"),
    ),
    Default(
        RuleKind.REPORT_UNWEIGHED,
        6,
        PeriodUnit.MONTHS,
        f"{PROTOCOL}: ontvangst en weging; AVG art. 5 lid 1 onder e",
        _("the report's receipt"),
        _("listed for the privacy officer"),
    ),
    Default(
        RuleKind.CASE_CLOSED,
        5,
        PeriodUnit.YEARS,
        f"{PROTOCOL}: interventie en monitoring, afsluiten casus",
        _("the closing of the case"),
        _("proposed for destruction on a list the privacy officer approves"),
    ),
    Default(
        RuleKind.IDEMPOTENCY,
        1,
        PeriodUnit.DAYS,
        "Baken: een opnieuw verstuurde melding herkennen; AVG art. 5 lid 1 onder c en e",
        _("the report's arrival"),
        _("deleted"),
    ),
    Default(
        RuleKind.LOGIN_RECORDS,
        90,
        PeriodUnit.DAYS,
        "BIO 12.4.1 (gebeurtenissen registreren); AVG art. 5 lid 1 onder e",
        _("the sign-in attempt"),
        _("deleted"),
    ),
)

BY_KIND: dict[str, Default] = {default.kind: default for default in DEFAULTS}


def cutoff(*, now: datetime, amount: int, unit: str) -> datetime:
    """The moment before which a period counted from it has passed at `now`."""
    return now - relativedelta(**{unit: amount})


def rank(kind: str) -> int:
    """Where a kind of rule stands in the order of the defaults — reports first, then cases,
    then records: the order of the page, the run's output and the statement."""
    return list(BY_KIND).index(kind)
