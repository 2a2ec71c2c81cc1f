"""Reports found by what they say (issue 12, item 8): the names, identifiers and addresses
they mention, not only registered subjects — so "have we seen this before?" has an answer
before anyone has registered a subject.

Each way of matching is one query on its own index, scoped to report_list(user) inside the
database, so a report the user may not see is never a candidate:

- reference (exact); BSN, KvK number, licence plate (normalised: "vt123k" is "VT-123-K"),
  postcode with or without house number — the identifier indexes of ReportSubject and Report;
- the words of a named subject's name and address, and of the report's own address and "place
  in words" (every typed word as a prefix; tussenvoegsels left out, so "Jan van den Berg" and
  "jan berg" both find "Jan van der Berg"): SQLite FTS5 tables, PostgreSQL GIN indexes on a
  'simple' tsvector (search_index.py, ADR 10);
- the words of the description (as before: FTS5, or PostgreSQL's Dutch configuration).

Every report found carries why it matched (a Reason: the field and the text that matched).
"""

import json
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from baken.core.names import TUSSENVOEGSELS, fold
from baken.reports.identifiers import normalise_kvk, normalise_plate
from baken.reports.models import Report, ReportSubject
from baken.reports.selectors import SEALED, report_list, scope_parts

from .search_index import PG_MENTION_WORDS, PG_PLACE_WORDS

_REFERENCE = re.compile(r"M?([2-9A-Z]{4})([2-9A-Z]{4})")
_POSTCODE = re.compile(r"([1-9][0-9]{3})\s?([A-Za-z]{2})(?:[\s,]+([0-9]{1,5}))?")
_WORD = re.compile(r"[0-9a-z]+")
MAX_WORDS = 5
# Reasons shown per report and way of matching.
ROWS_PER_REPORT = 5
# How a way of matching is read (see _newest_matching): up to FEW matches are looked up by
# id; more, and the WINDOW newest reports in view are read in date order, each looked up in
# the way's index; fewer than asked there, and up to CANDIDATES matches are looked up by id.
FEW = 500
WINDOW = 2_000
CANDIDATES = 5_000

LABELS = {
    "reference": _("Reference"),
    "bsn": _("BSN"),
    "kvk_number": _("KvK number"),
    "license_plate": _("Licence plate"),
    "address": _("Address"),
    "name": _("Name"),
    "report_address": _("Place of the report"),
    "description": _("Description"),
}


@dataclass(frozen=True)
class Reason:
    """Why a report was found: which field, and the text in it that matched."""

    field: str
    value: str

    @property
    def label(self) -> str:
        return str(LABELS[self.field])


def _reference(query: str) -> str | None:
    match = _REFERENCE.fullmatch(re.sub(r"[^0-9A-Za-z]", "", query).upper())
    return f"M-{match[1]}-{match[2]}" if match else None


def _identifier(query: str) -> tuple[str, Q] | None:
    """BSN, KvK number or licence plate as ReportSubject stores them."""
    compact = re.sub(r"[\s.\-]", "", query)
    if re.fullmatch(r"\d{9}", compact):
        return "bsn", Q(bsn=compact)
    if kvk := normalise_kvk(query):
        return "kvk_number", Q(kvk_number=kvk)
    if re.fullmatch(r"[A-Za-z0-9]{6}", compact) and re.search(r"\d", compact):
        plate = normalise_plate(compact)
        return ("license_plate", Q(license_plate=plate)) if plate else None
    return None


def _postcode(query: str) -> Q | None:
    match = _POSTCODE.fullmatch(query.strip())
    if not match:
        return None
    found = Q(postcode=f"{match[1]}{match[2].upper()}")
    return found & Q(house_number=int(match[3])) if match[3] else found


def words(query: str) -> list[str]:
    """The typed words that tell something: folded, without tussenvoegsels (unless nothing
    else is left) and single letters, the longest MAX_WORDS."""
    typed = list(dict.fromkeys(_WORD.findall(fold(query))))
    telling = [w for w in typed if w not in TUSSENVOEGSELS and len(w) > 1] or typed
    return sorted(telling, key=len, reverse=True)[:MAX_WORDS]


def _words_match(fts: str, column: str, expression: str, found: list[str]) -> RawSQL:
    """Rows with every word (as a prefix) in the indexed columns. `column` and `expression`
    name the row's id and columns as the query reaches them."""
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611 (a constant expression; the words are a parameter)
            f"to_tsvector('simple', {expression}) @@ to_tsquery('simple', %s)",
            [" & ".join(f"{w}:*" for w in found)],
            output_field=BooleanField(),
        )
    return RawSQL(  # noqa: S611 (constant names; the words are a parameter)
        f"{column} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)",  # noqa: S608
        [" AND ".join(f'"{w}"*' for w in found)],
        output_field=BooleanField(),
    )


def _mention_words(found: list[str]) -> RawSQL:
    # Unqualified: the named subjects are read in a subquery, where Django gives the table
    # an alias.
    expression = PG_MENTION_WORDS.replace("reports_reportsubject.", "")
    return _words_match("search_reportsubject_words", "id", expression, found)


def _place_words(found: list[str]) -> RawSQL:
    return _words_match("search_report_words", "reports_report.id", PG_PLACE_WORDS, found)


def _address(row: dict) -> str:
    number = f"{row['house_number'] or ''}{row['house_letter']}"
    street = " ".join(part for part in (row["street"], number) if part)
    place = ", ".join(part for part in (street, row["city"]) if part)
    return place or row["postcode"]


def _mention_reason(row: dict, field: str) -> Reason:
    if field in ("bsn", "kvk_number", "license_plate"):
        shown = row[field] + (f" ({row['name']})" if row["name"] else "")
        return Reason(field, shown)
    if field == "address" or row["kind"] == "address" or not row["name"]:
        return Reason("address", _address(row))
    return Reason("name", row["name"] or _address(row))


_MENTION_FIELDS = ("report_id", "kind", "name", "bsn", "kvk_number", "license_plate")
_ADDRESS_FIELDS = ("postcode", "house_number", "house_letter", "street", "city")


class _Found:
    """Reports in the order found, each with its reasons."""

    def __init__(self, limit: int, user) -> None:
        self.limit = limit
        self.user = user
        self.reasons: dict[int, list[Reason]] = {}
        self._window: tuple[str, tuple] | None = None

    def window(self, visible: QuerySet[Report]) -> tuple[str, tuple]:
        """SQL for the WINDOW newest reports in view (pk, received_at), built once."""
        if self._window is None:
            self._window = _window(self.user, visible)
        return self._window

    @property
    def full(self) -> bool:
        return len(self.reasons) >= self.limit

    def add(self, pk: int, reason: Reason) -> None:
        if pk not in self.reasons and self.full:
            return
        held = self.reasons.setdefault(pk, [])
        if reason not in held:
            held.append(reason)


def _newest(
    found: _Found, visible: QuerySet[Report], condition, besides: list[int] | None = None
) -> list[int]:
    """The newest reports in view that meet `condition` and were not found yet (nor are in
    `besides`). The scope is a condition on the report itself, not a list of the reports in
    view: an analyst's team may have a hundred thousand."""
    left_out = [*found.reasons, *(besides or [])]
    return list(
        visible.filter(condition)
        .exclude(pk__in=left_out)
        .order_by("-received_at", "-pk")
        .values_list("pk", flat=True)[: found.limit - len(left_out)]
    )


def _newest_sql(reports: QuerySet[Report]) -> tuple[str, tuple]:
    newest = reports.order_by("-received_at", "-pk").values("pk", "received_at")[:WINDOW]
    return newest.query.sql_with_params()


def _window(user, visible: QuerySet[Report]) -> tuple[str, tuple]:
    """The WINDOW newest reports in view, as SQL: when the scope has several parts (an
    analyst's team, what is assigned to them, their cases' reports of other teams), the
    newest of each part, each read from its own index (as the inbox reads them), and the
    newest of those together; an OR of the parts would have the database read and sort the
    whole scope."""
    parts = scope_parts(user) or []
    if len(parts) < 2:
        return _newest_sql(visible)
    selects: list[str] = []
    params: list = []
    for i, part in enumerate(parts):
        q = part.q if part.from_user is None else part.from_user
        sql, part_params = _newest_sql(Report.objects.filter(q).exclude(SEALED))
        selects.append(f"SELECT * FROM ({sql}) part{i}")  # noqa: S608 (compiled querysets)
        params += part_params
    union = " UNION ".join(selects)
    return (
        f"SELECT * FROM ({union}) parts ORDER BY received_at DESC, pk DESC LIMIT %s",  # noqa: S608
        (*params, WINDOW),
    )


def _newest_in_window(
    found: _Found, visible: QuerySet[Report], ids: QuerySet, key: str
) -> list[int]:
    """_newest among the WINDOW newest reports in view only: those reports are read in date
    order (the scope's own indexes) and each is looked up in `ids` (the rows of a way of
    matching, whose `key` is the report's id), until enough are found. A derived table with
    its own LIMIT, and a correlated EXISTS the database may not turn into a join (OFFSET 0
    on PostgreSQL), so it can neither read every match of a common word first nor walk the
    whole scope."""
    window_sql, window_params = found.window(visible)
    probe = ids.filter(**{key: RawSQL("w.pk", [])})
    probe_sql, probe_params = probe.query.sql_with_params()
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    # Found reports are left out here, in Python: asking for as many more keeps it exact.
    wanted = found.limit - len(found.reasons)
    sql = (
        f"SELECT w.pk FROM ({window_sql}) w WHERE EXISTS ({probe_sql}{fence}) "  # noqa: S608 (compiled querysets; the values are parameters)
        "ORDER BY w.received_at DESC, w.pk DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*window_params, *probe_params, wanted + len(found.reasons)))
        pks = [pk for (pk,) in cursor.fetchall() if pk not in found.reasons]
    return pks[:wanted]


def _among(ids: list[int]) -> Q | RawSQL:
    """Reports whose id is in `ids` (up to CANDIDATES). On PostgreSQL one array parameter:
    Django prepares each value of an IN list and psycopg parses a statement with thousands
    of placeholders, milliseconds of Python per search."""
    if connection.vendor != "postgresql" or not ids:
        return Q(pk__in=set(ids))  # none: Django asks nothing at all
    return RawSQL(
        '"reports_report"."id" = ANY(%s::bigint[])',
        [sorted(set(ids))],
        output_field=BooleanField(),
    )


def _estimate(ids: QuerySet) -> float:
    """How many rows PostgreSQL expects `ids` to give (its statistics of the index's words):
    a plan, no rows read."""
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _newest_matching(
    found: _Found,
    visible: QuerySet[Report],
    ids: QuerySet,
    key: str,
    otherwise: Q | RawSQL,
    words: bool = False,
) -> list[int]:
    """The newest reports in view, not found yet, among `ids` (the rows of a way of
    matching, read from the way's own index; `key` is the report's id in them), the cheapest
    way for how many match:

    - few (a plate, a BSN, a rare word, nothing at all): their ids, so the database looks up
      only those;
    - many (a common surname: at 5 million reports 100,000 named subjects): the newest
      reports in view are read in date order and each looked up in the way's index — a
      common word is met soon — but only the WINDOW newest (_newest_in_window);
    - many, and fewer than asked among those: up to CANDIDATES ids, and beyond that
      `otherwise`, the condition itself, in date order over the whole scope.

    A b-tree index (identifiers, postcodes) is asked for FEW + 1 ids and stops there. A word
    index (`words`, PostgreSQL's GIN) gives its rows only after reading every match, so
    whether a word is common is asked of the planner's statistics instead. The answer is the
    same either way; only its cost differs."""
    wanted = found.limit - len(found.reasons)
    if words and connection.vendor == "postgresql":
        many = _estimate(ids) > FEW
    else:
        few = list(ids[: FEW + 1])
        many = len(few) > FEW
        if not many:
            return _newest(found, visible, _among(few))
    pks: list[int] = []
    if many:
        pks = _newest_in_window(found, visible, ids, key)
        if len(pks) >= wanted:
            return pks
    # Read without DISTINCT: a bitmap scan stops after the rows asked for, a sort for
    # DISTINCT would read every match first.
    more = list(ids[: CANDIDATES + 1])
    condition = _among(more) if len(more) <= CANDIDATES else otherwise
    return pks + _newest(found, visible, condition, besides=pks)


def _mentions(
    found: _Found,
    visible: QuerySet[Report],
    condition: Q | RawSQL,
    field: str,
    words: bool = False,
) -> None:
    """Reports that name a subject meeting `condition`, with those subjects as the reason."""
    if found.full:
        return
    named = ReportSubject.objects.filter(condition).order_by()
    ids = named.values_list("report_id", flat=True)
    otherwise = Q(pk__in=named.values("report_id"))
    pks = _newest_matching(found, visible, ids, "report_id", otherwise, words)
    if not pks:
        return
    # Every named subject of those few reports, read by report, with whether it matches: as
    # a condition the database might read the whole match of a common word in its own index.
    rows = (
        ReportSubject.objects.filter(report_id__in=pks)
        .annotate(hit=ExpressionWrapper(condition, output_field=BooleanField()))
        .order_by("position")
        .values("hit", *_MENTION_FIELDS, *_ADDRESS_FIELDS)
    )
    by_report: dict[int, list[dict]] = {}
    for row in rows:
        if row["hit"]:
            by_report.setdefault(row["report_id"], []).append(row)
    for pk in pks:
        for row in by_report.get(pk, [])[:ROWS_PER_REPORT]:
            found.add(pk, _mention_reason(row, field))


def _reports(
    found: _Found,
    visible: QuerySet[Report],
    condition: Q | RawSQL,
    field: str,
    words: bool = False,
) -> None:
    if found.full:
        return
    ids = Report.objects.filter(condition).order_by().values_list("pk", flat=True)
    pks = _newest_matching(found, visible, ids, "pk", condition, words)
    if not pks:
        return
    by_pk = {
        row["pk"]: row
        for row in Report.objects.filter(pk__in=pks).values(
            "pk", "reference", "location_description", *_ADDRESS_FIELDS
        )
    }
    for pk in pks:
        row = by_pk[pk]
        if field == "report_address":
            value = _address(row) or row["location_description"]
        else:
            value = row["reference"] if field == "reference" else ""
        found.add(pk, Reason(field, value))


def _description(query: str) -> RawSQL | None:
    if connection.vendor == "postgresql":
        # The same expression as the index report_description_fts (search_index.py).
        return RawSQL(
            "to_tsvector('dutch', reports_report.description) @@ websearch_to_tsquery('dutch', %s)",
            [query],
            output_field=BooleanField(),
        )
    typed = _WORD.findall(fold(query))
    if not typed:
        return None
    return RawSQL(
        "reports_report.id IN (SELECT rowid FROM search_report WHERE search_report MATCH %s)",
        [" ".join(f'"{w}"*' for w in typed)],
        output_field=BooleanField(),
    )


def report_search(*, user, query: str, limit: int) -> tuple[list[Report], dict[int, list[Reason]]]:
    """The reports this user may see that `query` points at, most telling way first (a
    reference, an identifier, a name or address, the description), newest first within each;
    with why each matched. One query per way, and one for the reports."""
    visible = report_list(user=user).prefetch_related(None).select_related(None)
    found = _Found(limit, user)
    if reference := _reference(query):
        _reports(found, visible, Q(reference=reference), "reference")
    if identifier := _identifier(query):
        _mentions(found, visible, identifier[1], identifier[0])
    if postcode := _postcode(query):
        _mentions(found, visible, postcode, "address")
        _reports(found, visible, postcode, "report_address")
    if typed := words(query):
        _mentions(found, visible, _mention_words(typed), "words", words=True)
        _reports(found, visible, _place_words(typed), "report_address", words=True)
    if (described := _description(query)) is not None:
        _reports(found, visible, described, "description", words=True)
    by_pk = Report.objects.select_related("category").in_bulk(list(found.reasons))
    reports = [by_pk[pk] for pk in found.reasons if pk in by_pk]
    for report in reports:
        # For the page and the API, which show each report with why it was found.
        report.found_by = found.reasons[report.pk]  # type: ignore[attr-defined]
    return reports, found.reasons


# --- for the privacy officer's search of one person (rights/finding.py) ----------------------


def mention_words_condition(found: list[str]) -> RawSQL:
    """Named subjects (ReportSubject rows, queried without joins) whose name or address has
    every word of `found` as a prefix, on the same word index as the search above."""
    return _mention_words(found)


def description_condition(text: str) -> RawSQL | None:
    """Reports whose description holds the words of `text`, on the description's full-text
    index; None when nothing searchable was given."""
    return _description(text)
