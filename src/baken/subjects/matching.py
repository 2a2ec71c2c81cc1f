"""Which registered subjects a subject named in a report may be (issue 5, item 1).

A suggestion, never a conclusion: nothing here writes. Only a person's judgement
(services.mention_judge) links a named subject to a registered one.

Bounded work, whatever the size of the register: one query for exact identifiers (indexed
columns), one for names (kind + name_key, both in subject_kind_name_idx, narrowed by word
pieces), one for earlier "not the same" judgements; at most CANDIDATES rows are scored in
Python with rapidfuzz. Everything goes through subject_list(user=...): a subject the user may
not know of is never read, so it cannot be offered or hinted at.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from baken.core import dates
from baken.core.names import NAME_SCORE, ORGANISATION, PERSON, names_similar, normalise_name
from baken.places.addresses import normalise_postcode
from baken.reports.identifiers import normalise_kvk, normalise_plate

from .models import Judgement, Mention, Subject
from .selectors import subject_list

LIMIT = 10  # offered at most
CANDIDATES = 50  # read from the database at most, per kind of clue
IDENTIFIER_SCORE = 100
ADDRESS_SCORE = 95
BIRTH_DATE_BONUS = 5
BIRTH_DATE_PENALTY = 40
IDENTIFIER_CONFLICT_CAP = 10  # two different BSNs: almost certainly two people


@dataclass(frozen=True)
class Reason:
    code: str  # bsn, kvk, plate, address, name, birth_date (+ _differs for a disagreement)
    text: str  # plain Dutch, for the team


@dataclass
class Candidate:
    subject: Subject
    score: int  # 0–100
    reasons: list[Reason] = field(default_factory=list)
    judgement: str = ""  # "unsure" when someone already said so


@dataclass(frozen=True)
class Named:
    """What a report says about a subject, normalised like a registered subject."""

    kind: str
    name: str
    name_key: str
    birth_date: date | None
    bsn: str
    kvk_number: str
    license_plate: str
    postcode: str
    house_number: int | None


def named(report_subject) -> Named:
    return Named(
        kind=report_subject.kind,
        name=report_subject.name.strip(),
        name_key=normalise_name(report_subject.name, report_subject.kind),
        birth_date=report_subject.birth_date,
        bsn=report_subject.bsn.strip(),
        kvk_number=normalise_kvk(report_subject.kvk_number) or "",
        license_plate=normalise_plate(report_subject.license_plate or "") or "",
        postcode=normalise_postcode(report_subject.postcode or "") or "",
        house_number=report_subject.house_number,
    )


# --- finding ---------------------------------------------------------------------------


def _identifier_condition(n: Named) -> Q | None:
    condition = Q()
    if n.bsn:
        condition |= Q(bsn=n.bsn)
    if n.kvk_number:
        condition |= Q(kvk_number=n.kvk_number)
    if n.license_plate:
        condition |= Q(license_plate=n.license_plate)
    if n.postcode and n.house_number:
        condition |= Q(postcode=n.postcode, house_number=n.house_number)
    return condition or None


def _name_condition(n: Named) -> Q | None:
    """Word pieces of the name key: the first and last four letters of every word of three
    letters or more, so that one typo in a word still finds it."""
    condition = Q()
    for word in n.name_key.split():
        if len(word) >= 3:
            condition |= Q(name_key__contains=word[:4]) | Q(name_key__contains=word[-4:])
    return condition or None


def _found(user, n: Named) -> list[Subject]:
    visible = subject_list(user=user).filter(kind=n.kind)
    found: dict[int, Subject] = {}
    for condition in (_identifier_condition(n), _name_condition(n)):
        if condition is not None:
            for subject in visible.filter(condition)[:CANDIDATES]:
                found.setdefault(subject.pk, subject)
    return list(found.values())


# --- judgements already made -------------------------------------------------------------


def _same_identity(a: Named, b: Named) -> bool:
    """Whether two named subjects are the same as named (not: the same person). Used to
    reuse a "not the same" judgement made on another report."""
    if a.kind != b.kind:
        return False
    for x, y in (
        (a.bsn, b.bsn),
        (a.kvk_number, b.kvk_number),
        (a.license_plate, b.license_plate),
    ):
        if x or y:
            # One side names an identifier the other does not: new evidence, judge again.
            return x == y
    if (
        a.postcode
        and a.house_number
        and (a.postcode, a.house_number)
        == (
            b.postcode,
            b.house_number,
        )
    ):
        return True
    if a.birth_date and b.birth_date and a.birth_date != b.birth_date:
        return False
    return bool(a.name_key) and a.name_key == b.name_key


def judged(*, report_subject, subject_ids: list[int]) -> tuple[set[int], dict[int, str]]:
    """(subjects never to offer, {subject id: judgement} of this named subject).

    Never offered: judged same here (already linked); judged not the same here; judged not
    the same for the same name or identifiers on another report (one query, for the found
    subjects only); and what was merged with those."""
    this = named(report_subject)
    rows = Mention.objects.filter(
        Q(report_subject=report_subject)
        | Q(subject_id__in=subject_ids, judgement=Judgement.NOT_SAME)
        | Q(subject__merged_into__in=subject_ids, judgement=Judgement.NOT_SAME)
    ).select_related("report_subject", "subject")
    never: set[int] = set()
    here: dict[int, str] = {}
    for mention in rows:
        own = mention.report_subject_id == report_subject.pk
        if own:
            here[mention.subject_id] = mention.judgement
        if mention.judgement == Judgement.UNSURE:
            continue
        if own or _same_identity(this, named(mention.report_subject)):
            never.add(mention.subject_id)
            if mention.subject.merged_into_id:
                never.add(mention.subject.merged_into_id)
    return never, here


# --- scoring ----------------------------------------------------------------------------


def _identifier_reasons(n: Named, s: Subject) -> tuple[list[Reason], list[Reason]]:
    """(agreements, disagreements) on identifiers."""
    agree: list[Reason] = []
    differ: list[Reason] = []
    if n.bsn and s.bsn:
        # The number itself is not repeated: it is the most sensitive identifier there is.
        if n.bsn == s.bsn:
            agree.append(Reason("bsn", _("Same BSN")))
        else:
            differ.append(Reason("bsn_differs", _("Different BSN")))
    if n.kvk_number and s.kvk_number:
        if n.kvk_number == s.kvk_number:
            text = _("Same KvK number: %(number)s") % {"number": s.kvk_number}
            agree.append(Reason("kvk", text))
        else:
            differ.append(Reason("kvk_differs", _("Different KvK number")))
    if n.license_plate and s.license_plate:
        if n.license_plate == s.license_plate:
            text = _("Same licence plate: %(plate)s") % {"plate": s.license_plate}
            agree.append(Reason("plate", text))
        else:
            differ.append(Reason("plate_differs", _("Different licence plate")))
    if (
        n.postcode
        and n.house_number
        and (n.postcode, n.house_number)
        == (
            s.postcode,
            s.house_number,
        )
    ):
        address = f"{s.postcode[:4]} {s.postcode[4:]} {s.house_number}"
        text = _("Same postcode and house number: %(address)s") % {"address": address}
        agree.append(Reason("address", text))
    return agree, differ


def _name_score(n: Named, s: Subject) -> tuple[int, Reason | None]:
    if not n.name_key:
        return 0, None
    best = 0
    for other in [s.name, *(s.trade_names or [])]:
        other_key = normalise_name(str(other), n.kind)
        if not other_key:
            continue
        if other_key == n.name_key:
            score = 100
        elif n.kind == PERSON:
            score = _person_score(n.name, n.name_key, str(other), other_key)
        else:
            score = round(fuzz.token_sort_ratio(n.name_key, other_key))
        best = max(best, score)
    if best >= 100:
        return best, Reason("name", _("Same name: “%(name)s”") % {"name": s.name})
    if best >= NAME_SCORE or (n.kind == ORGANISATION and best >= NAME_SCORE - 8):
        text = _("Similar name: “%(this)s” and “%(other)s”") % {"this": n.name, "other": s.name}
        return best, Reason("name", text)
    return 0, None


def _person_score(name: str, key: str, other: str, other_key: str) -> int:
    """Surname nearly equal and first names or initials that agree (names_similar); the
    score says how close: an initial only ('J.') counts a little less than a full name."""
    if not names_similar(name, other, PERSON):
        return 0
    surname = fuzz.ratio(key.split()[-1], other_key.split()[-1])
    given = key.split()[:-1] + other_key.split()[:-1]
    initials_only = any(len(t) == 1 for t in given) or not given
    return max(NAME_SCORE, round(surname) - (6 if initials_only else 2))


def _birth_date(n: Named, s: Subject) -> tuple[int, Reason | None]:
    if not n.birth_date or not s.birth_date:
        return 0, None
    if n.birth_date == s.birth_date:
        return BIRTH_DATE_BONUS, Reason("birth_date", _("Same birth date"))
    text = _("Different birth date: %(this)s and %(other)s") % {
        "this": dates.long(n.birth_date),
        "other": dates.long(s.birth_date),
    }
    return -BIRTH_DATE_PENALTY, Reason("birth_date_differs", text)


def score(n: Named, s: Subject) -> Candidate | None:
    """A candidate when an identifier or the name agrees; None otherwise."""
    agree, differ = _identifier_reasons(n, s)
    name_score, name_reason = _name_score(n, s)
    if not agree and name_reason is None:
        return None
    if any(r.code != "address" for r in agree):
        total = IDENTIFIER_SCORE
    elif agree:
        total = ADDRESS_SCORE
    else:
        total = name_score
    reasons = agree + ([name_reason] if name_reason else [])
    delta, date_reason = _birth_date(n, s)
    total += delta
    if date_reason:
        reasons.append(date_reason)
    if differ:
        total = min(total, IDENTIFIER_CONFLICT_CAP)
        reasons += differ
    return Candidate(subject=s, score=max(0, min(100, total)), reasons=reasons)


# --- the entry point --------------------------------------------------------------------


def candidates_for(*, user, report_subject) -> list[Candidate]:
    """Registered subjects this user may know of that the named subject may be, best first,
    at most LIMIT. Pairs judged the same (already linked) or not the same are left out.

    Precondition: the caller checked that the user may see the report."""
    n = named(report_subject)
    found = _found(user, n)
    if not found:
        return []
    never, here = judged(report_subject=report_subject, subject_ids=[s.pk for s in found])
    candidates = []
    for subject in found:
        if subject.pk in never:
            continue
        candidate = score(n, subject)
        if candidate is not None:
            candidate.judgement = here.get(subject.pk, "")
            candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, c.subject.name, c.subject.pk))
    return candidates[:LIMIT]
