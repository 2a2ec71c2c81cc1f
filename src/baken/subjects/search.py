"""One search box for reports and subjects (issue 5, item 8), on each database's own engine.

- Reports: by reference (exact), and by the words of their description — SQLite FTS5 (with
  prefix matching, as FTS5 has no Dutch stemmer) or PostgreSQL full-text search with the
  'dutch' configuration (stems: "fietsen" finds "fiets").
- Subjects: by identifier (BSN, KvK number, licence plate; exact) and by name, fuzzily. The
  name key (core/names.py) is a few words; each typed word of two letters or more is
  widened to the words of the vocabulary within one or two edits of it (rapidfuzz OSA
  distance, so a swapped pair is one edit), and the engine's word index gives the subjects
  that have, for every typed word, one of its spellings (SQLite: FTS5 words table and its
  fts5vocab; PostgreSQL: a GIN index on the words and the table of all words). rapidfuzz
  ranks those. When no subject has all the words, each word may be missing once; when that
  finds nothing either (only initials, or a word beyond two edits), the trigrams of the whole
  key are the fallback (SQLite FTS5 trigrams, the rarest four OR-ed; PostgreSQL pg_trgm `%`).

Need-to-know: every query starts from report_list / subject_list, so a report or subject the
user may not see is never a candidate, and the answer for it is the same as for nothing.
"""

import re
import time
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.names import ORGANISATION, normalise_name
from baken.core.roles import Capability
from baken.reports.identifiers import normalise_kvk, normalise_plate
from baken.reports.models import Report

from .models import Subject
from .report_search import Reason, report_search
from .search_index import PG_WORDS
from .selectors import subject_list

MAX_QUERY = 200
MAX_LIMIT = 50
MIN_SCORE = 70  # rapidfuzz WRatio 0–100: below this a name is not shown as a match
# PostgreSQL: the best trigram candidates re-ranked by rapidfuzz.
PG_CANDIDATES = 200
# SQLite: the rarest trigrams of the query (a typo spoils at most three consecutive ones, so
# four distinct ones keep at least one intact), and at most this many names re-ranked.
RARE_TRIGRAMS = 4
SQLITE_CANDIDATES = 20_000
# The word path: at most this many spellings per typed word, and names re-ranked.
WORD_VARIANTS = 30
WORD_CANDIDATES = 2_000
MAX_WORDS = 5
# The vocabulary of name words is kept in memory per process: reloaded when a subject's name
# changes in this process or another (a version in the shared cache), or after this long.
VOCABULARY_VERSION = "subjects:name-vocabulary"
VOCABULARY_SECONDS = 300
_vocabularies: dict[str, tuple[object, float, dict[int, list[str]], set[str]]] = {}


@dataclass(frozen=True)
class SearchResults:
    query: str
    reports: list[Report] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    # Why each report was found, by its pk (report_search.py).
    reasons: dict[int, list[Reason]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.reports and not self.subjects


def clean_query(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY]


def search(*, user, query: str, limit: int = 10) -> SearchResults:
    """Reports and subjects this user may see that match `query`; the search is logged with
    the results shown (ids). Not the query itself: it may hold a name, and the audit log is
    append-only, so it would outlive every retention period."""
    query = clean_query(query)
    limit = max(1, min(limit, MAX_LIMIT))
    if len(query) < 2 or not user.can(Capability.WORKSPACE):
        return SearchResults(query=query)
    reports, reasons = report_search(user=user, query=query, limit=limit)
    results = SearchResults(
        query=query,
        reports=reports,
        subjects=subject_search(user=user, query=query, limit=limit),
        reasons=reasons,
    )
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        target=Target("subjects.search", "*"),
        detail={
            "reports": [r.pk for r in results.reports],
            "subjects": [s.pk for s in results.subjects],
        },
    )
    return results


# --- subjects --------------------------------------------------------------------------------


def query_key(query: str) -> str:
    """The name key of a typed name, folded like Subject.name_key: without tussenvoegsels
    and legal-form words, whatever kind of subject is meant."""
    return normalise_name(normalise_name(query, ORGANISATION))


def _identifier(query: str) -> Q | None:
    compact = re.sub(r"[\s.\-]", "", query)
    if re.fullmatch(r"\d{9}", compact):
        return Q(bsn=compact)
    if kvk := normalise_kvk(query):
        return Q(kvk_number=kvk)
    if re.fullmatch(r"[A-Za-z0-9]{6}", compact) and re.search(r"\d", compact):
        plate = normalise_plate(compact)
        return Q(license_plate=plate) if plate else None
    return None


def _trigrams(key: str) -> set[str]:
    return {key[i : i + 3] for i in range(len(key) - 2)}


def _sqlite_candidates(key: str, within: QuerySet[Subject]) -> list[tuple[int, str]]:
    trigrams = sorted(_trigrams(key))
    if not trigrams:
        return []
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(trigrams))
        cursor.execute(
            f"SELECT term, doc FROM search_subject_vocab WHERE term IN ({marks})",  # noqa: S608 (placeholders only)
            trigrams,
        )
        rare = sorted((doc, term) for term, doc in cursor.fetchall() if doc)[:RARE_TRIGRAMS]
    if not rare:
        return []
    match = " OR ".join('"' + term.replace('"', '""') + '"' for _doc, term in rare)
    condition = RawSQL(
        "subjects_subject.id IN (SELECT rowid FROM search_subject WHERE search_subject MATCH %s)",
        [match],
        output_field=BooleanField(),
    )
    return list(
        within.filter(condition).order_by().values_list("pk", "name_key")[:SQLITE_CANDIDATES]
    )


def _postgresql_candidates(key: str, within: QuerySet[Subject]) -> list[tuple[int, str]]:
    return list(
        within.filter(TrigramSimilar(F("name_key"), Value(key)))
        .annotate(similarity=TrigramSimilarity("name_key", key))
        .order_by("-similarity", "pk")
        .values_list("pk", "name_key")[:PG_CANDIDATES]
    )


def name_key_saved(name_key: str, using: str) -> None:
    """A subject was saved: when its name has a word this process has not seen, every
    process reloads its vocabulary (the version in the shared cache changes)."""
    held = _vocabularies.get(using)
    if held is None or not set(name_key.split()) <= held[3]:
        cache.set(VOCABULARY_VERSION, time.time_ns(), None)


def _vocabulary() -> dict[int, list[str]]:
    """Every word of a name key, by length."""
    version = cache.get(VOCABULARY_VERSION)
    held = _vocabularies.get(connection.alias)
    if held and held[0] == version and time.monotonic() - held[1] < VOCABULARY_SECONDS:
        return held[2]
    sql = (
        "SELECT word FROM subjects_name_word"
        if connection.vendor == "postgresql"
        else "SELECT term FROM search_subject_word_vocab"
    )
    by_length: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for (word,) in cursor.fetchall():
            by_length.setdefault(len(word), []).append(word)
    words = {word for group in by_length.values() for word in group}
    _vocabularies[connection.alias] = (version, time.monotonic(), by_length, words)
    return by_length


def word_variants(word: str, vocabulary: dict[int, list[str]]) -> list[str]:
    """The word itself and the vocabulary's words within one edit (short words) or two,
    closest first."""
    most = 1 if len(word) <= 4 else 2
    near: list[tuple[int, str]] = []
    for length in range(len(word) - most, len(word) + most + 1):
        words = vocabulary.get(length)
        if words:
            found = process.extract(
                word, words, scorer=OSA.distance, score_cutoff=most, limit=WORD_VARIANTS
            )
            near += [(int(distance), match) for match, distance, _i in found]
    near.sort()
    variants = [word] + [match for _d, match in near if match != word]
    return variants[:WORD_VARIANTS]


def _word_condition(groups: list[list[str]]) -> RawSQL:
    """Subjects whose name key has, for each group, one of its words."""
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611 (a constant expression; the words are parameters)
            " AND ".join([f"{PG_WORDS} && %s::text[]"] * len(groups)),
            groups,
            output_field=BooleanField(),
        )
    match = " AND ".join("(" + " OR ".join(f'"{w}"' for w in group) + ")" for group in groups)
    return RawSQL(
        "subjects_subject.id IN "
        "(SELECT rowid FROM search_subject_word WHERE search_subject_word MATCH %s)",
        [match],
        output_field=BooleanField(),
    )


def _word_candidates(key: str, within: QuerySet[Subject]) -> list[tuple[int, str]]:
    """Subjects with every typed word (of two letters or more) in one of its spellings; if
    none has them all, with all but one. At most MAX_WORDS words are used (the longest: the
    most telling), so a long query cannot make the database do a hundred lookups."""
    typed = [w for w in dict.fromkeys(key.split()) if len(w) > 1]
    if not typed:
        return []
    words = sorted(typed, key=len, reverse=True)[:MAX_WORDS]
    vocabulary = _vocabulary()
    groups = [word_variants(w, vocabulary) for w in words]
    tries = [groups]
    if len(groups) > 1:
        tries += [groups[:i] + groups[i + 1 :] for i in range(len(groups))]
    initial = key[0] if len(key) > 1 and key[1] == " " else ""
    for attempt in tries:
        found = within.filter(_word_condition(attempt)).order_by()
        if initial:
            # "p jansen": among many Jansens, those whose first name starts with a p first.
            first = list(
                found.filter(name_key__startswith=initial).values_list("pk", "name_key")[
                    :WORD_CANDIDATES
                ]
            )
            if first:
                return first
        rows = list(found.values_list("pk", "name_key")[:WORD_CANDIDATES])
        if rows:
            return rows
    return []


def name_matches(
    key: str, *, within: QuerySet[Subject] | None = None, limit: int = 10
) -> list[tuple[int, float]]:
    """The `limit` subjects whose name key is most like `key`, best first, as (pk, score)."""
    if len(key) < 3:
        return []
    within = Subject.objects.all() if within is None else within
    # The key itself first (its own index): an exact name is never lost among the many
    # that share a common word.
    exact = list(within.filter(name_key=key).order_by().values_list("pk", "name_key")[:limit])
    candidates = exact + _word_candidates(key, within)
    if not candidates and connection.vendor == "postgresql":
        candidates = _postgresql_candidates(key, within)
    elif not candidates:
        candidates = _sqlite_candidates(key, within)
    ranked = process.extract(
        key, dict(candidates), scorer=fuzz.WRatio, limit=limit, score_cutoff=MIN_SCORE
    )
    return [(pk, score) for _name, score, pk in ranked]


def subject_search(*, user, query: str, limit: int) -> list[Subject]:
    """By identifier (exact), then by name (fuzzy, best first)."""
    visible = subject_list(user=user)
    found: list[Subject] = []
    identifier = _identifier(query)
    if identifier is not None:
        found = list(visible.filter(identifier)[:limit])
    seen = {s.pk for s in found}
    ranked = [pk for pk, _score in name_matches(query_key(query), within=visible, limit=limit)]
    ranked = [pk for pk in ranked if pk not in seen][: limit - len(found)]
    if ranked:
        by_pk = Subject.objects.in_bulk(ranked)
        found += [by_pk[pk] for pk in ranked if pk in by_pk]
    return found
