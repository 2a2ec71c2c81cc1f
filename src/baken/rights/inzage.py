"""The access overview (inzage, AVG art. 15) of a request: per confirmed hit what is held
about the requester, where it came from, for what purpose, who received it and how long it is
kept — built from the objects as they are now, in words the requester reads.

What each kind of item shows, and what it never shows:

- a registered subject: its recorded fields (name, date of birth, address; a BSN as its last
  three digits only, as a letter by post should); where it came from is the channel of the
  reports that named it, or "recorded by the municipality";
- a report: its category, the day it was received, its state in coarse words (a case is never
  named by the state: "being investigated further" for both further analysis and a case), the
  decision taken and when, the requester's own entries among the subjects it names (the fields
  the report gives for them), and the parts of the reporter's text that concern them: the
  sentences that name them, *except* every sentence in the first person (ik, mij, wij, ...:
  the reporter speaking of themselves) or about the reporter (melder, buurvrouw, collega,
  ...). In those sentences everything that could point to someone else is replaced by
  "[...]", by default and not only when Baken knows the name: every capitalised word but the
  requester's own name (particles and an initial before it included) and a common word
  starting the sentence (`STARTERS`: "De", "Gisteren", "Volgens", ...; any other first word
  may be a name), every postcode, house number, plate or other code of letters and digits,
  every number but a date or time, every e-mail address, telephone number, web address and
  receipt code, and the names of everyone else the report names, of the named reporter (their
  contact details are read only to be removed) and of every staff member, however written.
  The draft tells the officer per passage what kinds of thing were blanked (name, address,
  ...), never the words. The hour of receipt, the moment observed, the place, the answers
  to the category's questions, notes, messages of the follow-up dialogue and the reasons of
  decisions are left out: they are the reporter's or the team's, and say more about who
  reported than about the requester. The officer reads every item on the draft and
  withholds what still says too much;
- a case: its type, stage, open or closed (and its result), the dates, and the measures
  (interventions) taken with their legal basis — not its title, summary, notes or tasks;
- a relation: its kind and dates; the other party is named only when it is an organisation
  or the requester's own registered address; otherwise only its kind ("another person", "an
  address", "a vehicle": an address may be the reporter's door, a plate someone else's);
- a hand-over: to whom (kind and name of the recipient), when and on which legal basis.

Where it came from is the channel (Meldpunt, telephone, e-mail, a partner, an earlier
register) or the municipality's own work — never the reporter: not their name, contact
details, department or organisation, the staff member who registered it, or a receipt code.

Who received it: the hand-overs that held it and a report's referral or forward with its
recipient.

Nothing withheld can be read from what is disclosed: in the overview that goes out every
item's source, purpose, recipients and retention are built from disclosed items only (a
register entry's categories from its disclosed reports, a case's source from its disclosed
reports, a relation's from its report only when that is disclosed, a report's end date from
its cases only when they are), a hand-over is named only when it is itself disclosed and its
case is not withheld, and the hand-over of a withheld case is left out. The draft shows the
same, undecided items counted as disclosed, and marks what is left out and why.

How long it is kept: the retention rule in force for its kind (privacy/rules.py, the
approved versions of privacy.models.RetentionRule) and the date that follows from it where
it is known; a legal hold lengthens it (its date, never its reason).
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from baken.accounts.models import User
from baken.cases.models import Case, CaseReport, Handover, Intervention
from baken.core import crypto, dates
from baken.core.names import TUSSENVOEGSELS, fold, names_similar
from baken.core.pdf import render_pdf
from baken.privacy.models import LegalHold, RetentionRule, RuleKind, RuleState
from baken.privacy.rules import BY_KIND
from baken.reports import keys
from baken.reports.models import (
    Channel,
    Decision,
    DecisionKind,
    Report,
    ReporterContact,
    ReportKey,
    ReportSubject,
)
from baken.reports.workflow import QUEUE, Status
from baken.subjects.models import Judgement, Mention, Relation, Subject

from .models import Disclosure, Hit, HitKind, Request

# --- what the overview is made of --------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    blanked: tuple[str, ...] = ()  # the kinds of what its text lost to [...] (for the draft)

    @property
    def blanked_words(self) -> str:
        return _blanked_words(self.blanked)


@dataclass(frozen=True)
class Recipient:
    who: str
    on: date | None
    basis: str
    handover: int | None = None  # the hand-over's id, to leave out one not disclosed
    left_out: str = ""  # the draft's mark: why it is not in the overview that goes out


@dataclass(frozen=True)
class Keeping:
    rule: str  # the rule in words: the period, what it is counted from, what follows
    until: date | None  # the date that follows from it, where it is known
    source: str = ""  # the rule's legal source


@dataclass
class Item:
    hit: Hit
    title: str
    exists: bool = True  # False: destroyed since it was confirmed
    held: list[Row] = field(default_factory=list)
    passages: list["Passage"] = field(default_factory=list)
    source: str = ""
    purpose: str = ""
    recipients: list[Recipient] = field(default_factory=list)
    keeping: Keeping | None = None
    left_out: str = ""  # the draft's mark: why the item is not in the overview that goes out

    @property
    def decided(self) -> bool:
        return self.hit.disclosure != Disclosure.UNDECIDED


@dataclass(frozen=True)
class Overview:
    request: Request
    items: list[Item]
    final: bool  # only the disclosed items, for the requester
    made_at: datetime

    @property
    def made_on(self) -> date:
        return timezone.localdate(self.made_at)

    @property
    def undecided(self) -> int:
        return sum(1 for item in self.items if not item.decided)


GENERAL_PURPOSE = gettext_noop(
    "Preventing and tackling organised, undermining crime (ondermijning) in the municipality: "
    "assessing signals, and where needed taking administrative measures together with partners."
)
WITHHELD_SENTENCE = gettext_noop(
    "Data may be withheld from this overview where that is necessary to prevent or investigate "
    "criminal offences, to protect the person who reported it, or to protect the rights and "
    "freedoms of others (UAVG art. 41)."
)
HIDDEN = "[...]"

# --- the person the request is about ----------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    birth_date: date | None
    subject_ids: frozenset[int]  # confirmed subjects, with those merged into them


def person_of(request: Request, hits: Iterable[Hit]) -> Person:
    ids = {hit.object_id for hit in hits if hit.kind == HitKind.SUBJECT}
    merged = Subject.objects.filter(Q(merged_into__in=ids) | Q(pk__in=ids)).values_list(
        "pk", "merged_into"
    )
    for pk, into in merged:
        ids.add(pk)
        if into:
            ids.add(into)
    return Person(request.requester_name, request.requester_birth_date, frozenset(ids))


def _is_theirs(entry: ReportSubject, person: Person, mentioned: set[int]) -> bool:
    if entry.pk in mentioned:
        return True
    if entry.kind != "person" or not entry.name:
        return False
    if person.birth_date and entry.birth_date and person.birth_date != entry.birth_date:
        return False
    return names_similar(entry.name, person.name, "person")


# --- texts -------------------------------------------------------------------------------------

_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ'’]+")
# A sentence ends at . ! or ? before a capital (not after "tel." or "nr." before a number).
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ö\"'“‘(\[])|\n+")
_FIRST_PERSON = frozenset({"ik", "mij", "me", "mijn", "m'n", "mn", "wij", "we", "ons", "onze"})
# Words by which a reporter speaks of themselves, or is spoken of, in the third person.
_THE_REPORTER = frozenset(
    {"melder", "melders", "melder's", "buurman", "buurvrouw", "buren", "overbuurman"}
    | {"overbuurvrouw", "overburen", "collega", "collega's", "getuige", "getuigen"}
)
# What is blanked, by kind: the draft tells the officer the kinds, never the words.
CONTACT, ADDRESS, CODE, NUMBER, NAME = "contact", "address", "code", "number", "name"
BLANKED = {
    CONTACT: gettext_noop("contact detail"),
    ADDRESS: gettext_noop("address"),
    CODE: gettext_noop("plate or code"),
    NUMBER: gettext_noop("number or amount"),
    NAME: gettext_noop("name"),
}
_PATTERNS = [
    (CONTACT, re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),  # e-mail
    (CONTACT, re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)),  # web address
    (CONTACT, re.compile(r"\b[2-9A-HJ-NP-TW-Z]{4}(-?[2-9A-HJ-NP-TW-Z]{4}){4}\b", re.I)),  # receipt
    (ADDRESS, re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b|\b[1-9]\d{3}[a-z]{2}\b")),  # postcode
    # A plate, a house number with a letter, any code: letters and digits in one token, alone
    # or joined by hyphens (12-ABC-3, 12ABC3, 16a, 16-B).
    (CODE, re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[^\W\d_])\w+(?:-\w+)*\b")),
]
# Every number (a telephone number, BSN, KvK number, house number, amount, age) but those
# below; a telephone number written in parts becomes one [...] as its parts are joined.
_DIGITS = re.compile(r"(\+|\b)\d+(?:[.:/-]\d+)*\b")
# What a number may be and still be shown: a date, a time of day, a year, a day of a month.
_DATE_OR_TIME = re.compile(
    r"\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})|\d{1,2}[:.]\d{2}|(19|20)\d{2}", re.ASCII
)
_MONTHS = (
    r"jan(uari)?|feb(ruari)?|maart|mrt|apr(il)?|mei|jun[i]?|jul[i]?|aug(ustus)?"
    r"|sep(t|tember)?|okt(ober)?|nov(ember)?|dec(ember)?|uur"
)
_DAY_OF_MONTH = re.compile(rf"\s+({_MONTHS})\b", re.IGNORECASE)
# Particles of names: between two blanked words they are blanked with them ("Kees van der
# Meer" is one [...]); a capitalised one mid-sentence is a name's ("in Den Helder").
_PARTICLES = frozenset(
    {"van", "de", "der", "den", "ten", "ter", "te", "'t", "’t", "la", "le", "du", "di", "da"}
    | {"von", "vd", "el", "al", "bin", "ben"}
)
# What may stand between two blanked words and be blanked with them.
_BETWEEN = re.compile(r"[\s,.&/–-]*")
# The words a Dutch sentence often starts with that are no name: the first word of a sentence
# is shown only when it is one of these (or the requester's own name); any other capitalised
# word is blanked wherever it stands. Better a common noun blanked than a name shown.
STARTERS = frozenset(
    # articles, pronouns, question words
    {"de", "het", "een", "deze", "die", "dit", "dat", "daar", "hier", "er", "hij", "zij", "ze"}
    | {"hun", "hen", "hem", "haar", "zijn", "u", "uw", "men", "iemand", "niemand", "iedereen"}
    | {"alles", "niets", "wie", "wat", "waar", "wanneer", "waarom", "hoe", "welke", "welk"}
    # conjunctions, adverbs, prepositions
    | {"en", "maar", "of", "want", "dus", "toen", "nu", "ook", "nog", "al", "wel", "niet"}
    | {"geen", "als", "omdat", "nadat", "voordat", "terwijl", "zodra", "sinds", "tijdens"}
    | {"volgens", "via", "door", "na", "voor", "met", "van", "aan", "op", "in", "bij", "om"}
    | {"uit", "over", "onder", "achter", "naast", "tegenover", "tussen", "rond", "rondom"}
    | {"omstreeks", "ongeveer", "zo", "daarna", "daarnaast", "daarom", "daardoor", "daarbij"}
    | {"verder", "vervolgens", "later", "eerder", "gisteren", "vandaag", "morgen", "vanochtend"}
    | {"vanmiddag", "vanavond", "vannacht", "afgelopen", "vorige", "vorig", "elke", "elk"}
    | {"iedere", "ieder", "alle", "veel", "vaak", "soms", "meestal", "regelmatig", "dagelijks"}
    | {"wekelijks", "altijd", "nooit", "steeds", "opnieuw", "weer", "inmiddels", "blijkbaar"}
    | {"waarschijnlijk", "mogelijk", "misschien", "kennelijk", "opvallend", "ook", "zowel"}
    | {"nachts", "avonds", "morgens", "middags", "ochtends", "overdag", "eerst", "dan", "toch"}
    | {"bovendien", "ondanks", "zonder", "tot", "vanaf", "vanuit", "binnen", "buiten", "boven"}
    | {"beneden", "langs", "tegen", "verschillende", "meerdere", "enkele", "twee", "drie"}
    # the people and things reports are about
    | {"man", "mannen", "vrouw", "vrouwen", "jongen", "jongens", "meisje", "meisjes", "kind"}
    | {"kinderen", "persoon", "personen", "mensen", "bewoner", "bewoners", "bewoonster"}
    | {"buurtbewoners", "bezoekers", "bezoek", "klanten", "jongeren", "eigenaar", "huurder"}
    | {"huurders", "verhuurder", "betrokkene", "betrokkenen", "verdachte", "auto", "auto's"}
    | {"bus", "busje", "pand", "woning", "huis", "loods", "schuur", "garage", "bedrijf"}
    | {"winkel", "zaak", "kelder", "zolder", "tuin", "straat", "buurt", "wijk", "drukte"}
    | {"overlast", "stankoverlast", "geluidsoverlast", "geluiden", "geluid", "stank", "lawaai"}
    | {"geld", "contant", "pakketjes", "pakketten", "dozen", "kratten", "drugs", "wiet"}
)


@dataclass(frozen=True)
class Passage:
    """A text as the requester reads it, and the kinds of what in it was replaced by [...]
    (`BLANKED`'s keys, once per [...]), for the officer's draft."""

    text: str
    blanked: tuple[str, ...] = ()

    @property
    def blanked_words(self) -> str:
        return _blanked_words(self.blanked)


def _blanked_words(kinds: Iterable[str]) -> str:
    """'name (2); address' — what was blanked, in words, without the words themselves."""
    counted: dict[str, int] = {}
    for kind in kinds:
        counted[kind] = counted.get(kind, 0) + 1
    return "; ".join(_(BLANKED[kind]) + (f" ({n})" if n > 1 else "") for kind, n in counted.items())


def _tokens(name: str) -> set[str]:
    return {
        fold(word)
        for word in _WORD.findall(name)
        if len(word) >= 3 and fold(word) not in TUSSENVOEGSELS
    }


def _own(name: str) -> set[str]:
    """Every word of the requester's own name, however short (Li Wu), without particles."""
    return {fold(word) for word in _WORD.findall(name) if fold(word) not in TUSSENVOEGSELS}


_QUOTES = "'’"


def _possessor(folded: str) -> str:
    """'jan' of "jan's" and "jans'": a name with the possessive."""
    return re.split(r"['’]", folded)[0]


def _has_letter(word: str) -> bool:
    return any(c.isalpha() for c in word)


def _shown_number(sentence: str, match: re.Match) -> bool:
    if _DATE_OR_TIME.fullmatch(match.group()):
        return True
    return bool(_DAY_OF_MONTH.match(sentence, match.end())) and match.group().isdigit()


Span = tuple[int, int, frozenset[str]]  # start, end and the kinds found there


def _blanks(sentence: str, *, hidden: set[str], mine: set[str]) -> list[Span]:
    """The spans of `sentence` to blank: contact details, codes, postcodes, plates and
    numbers but dates and times; every capitalised word but the requester's own name and a
    common first word; and every word of `hidden`."""
    spans: list[Span] = [
        (*m.span(), frozenset({kind}))
        for kind, pattern in _PATTERNS
        for m in pattern.finditer(sentence)
    ]

    def covered(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e, _kinds in spans)

    for m in _DIGITS.finditer(sentence):
        if not covered(*m.span()) and not _shown_number(sentence, m):
            long = sum(c.isdigit() for c in m.group()) >= 9  # a telephone number, a BSN
            spans.append((*m.span(), frozenset({CONTACT if long else NUMBER})))
    words = [
        (m.start() + len(m.group()) - len(m.group().lstrip(_QUOTES)), m.group().strip(_QUOTES))
        for m in _WORD.finditer(sentence)
        if _has_letter(m.group()) and not covered(*m.span())
    ]
    spans += _names([(start, word) for start, word in words if word], hidden=hidden, mine=mine)
    return _joined(sentence, spans)


def _names(words: list[tuple[int, str]], *, hidden: set[str], mine: set[str]) -> list[Span]:
    """The words to blank as names: each word of `hidden`, and every capitalised word but
    the requester's own, a common first word of the sentence, and a particle or initial
    before the requester's name. `words`: each with where it starts, without quotes around
    it ('Kamers Den Helder')."""
    spans: list[Span] = []
    name = frozenset({NAME})
    folded = [fold(word) for _start, word in words]
    # The first word, not counting 's or 't ('s Avonds, 't Is).
    first = next((i for i, f in enumerate(folded) if f not in {"s", "t"}), None)

    initials = {word[0] for word in mine if word}  # J. of Jan

    def own(index: int) -> bool:
        return folded[index] in mine or _possessor(folded[index]) in mine

    def before_own(index: int) -> bool:
        """A particle or an initial before the requester's own name ("Van der Berg",
        "J. van der Berg")."""
        following = index + 1
        while following < len(words) and folded[following] in _PARTICLES:
            following += 1
        return following < len(words) and own(following)

    for index, (start, word) in enumerate(words):
        span = (start, start + len(word), name)
        if folded[index] in hidden and not own(index):
            spans.append(span)
        elif own(index) or not word[0].isupper():
            continue
        elif index == first:
            if folded[index] not in STARTERS:
                spans.append(span)
        elif (folded[index] in _PARTICLES or folded[index] in initials) and before_own(index):
            continue
        else:
            spans.append(span)
    return spans


def _joined(sentence: str, spans: list[Span]) -> list[Span]:
    """Overlapping spans as one, and two spans with only spaces, commas, hyphens or name
    particles between them ("Kees van der Meer", "Havenweg 16, 1781 AB")."""
    joined: list[Span] = []
    for start, end, kinds in sorted(spans, key=lambda span: span[:2]):
        if joined:
            last_start, last_end, last_kinds = joined[-1]
            between = sentence[last_end:start]
            if start <= last_end or (
                _BETWEEN.fullmatch(between)
                or all(fold(w) in _PARTICLES for w in _WORD.findall(between))
                and _BETWEEN.fullmatch(_WORD.sub("", between))
            ):
                joined[-1] = (last_start, max(last_end, end), last_kinds | kinds)
                continue
        joined.append((start, end, kinds))
    return joined


def _kind(kinds: frozenset[str], text: str) -> str:
    """What one [...] stood for: a street with its number or a postcode is an address, nine
    digits or more in a row (however written) a telephone number or BSN."""
    if CONTACT in kinds or (kinds == {NUMBER} and sum(c.isdigit() for c in text) >= 9):
        return CONTACT
    if ADDRESS in kinds or (NAME in kinds and kinds & {NUMBER, CODE}):
        return ADDRESS
    return CODE if CODE in kinds else NUMBER if NUMBER in kinds else NAME


def _redacted(text: str, *, hidden: Iterable[str], mine: Iterable[str] = ()) -> Passage:
    words, own = {fold(word) for word in hidden}, {fold(word) for word in mine}
    out, blanked, at = [], [], 0
    for start, end, kinds in _blanks(text, hidden=words, mine=own):
        out += [text[at:start], HIDDEN]
        blanked.append(_kind(kinds, text[start:end]))
        at = end
    out.append(text[at:])
    return Passage("".join(out), tuple(blanked))


def redact(text: str, *, hidden: Iterable[str], mine: Iterable[str] = ()) -> str:
    """`text` with every name but the requester's (`mine`, folded), each word of `hidden`
    (folded), every contact detail, postcode, plate and number but dates and times replaced
    by [...]."""
    return _redacted(text, hidden=hidden, mine=mine).text


def passages(
    text: str, *, mine: set[str], hidden: set[str], own: Iterable[str] = ()
) -> list[Passage]:
    """The sentences of `text` that name the person (a word of `mine`), without those in the
    first person or about the reporter (melder, buurvrouw, collega, ...), each redacted: every
    name but the person's own (`mine` and `own`, the words of their name however short), the
    `hidden` words, contact details, addresses, plates and numbers but dates and times
    replaced by [...]."""
    found = []
    exempt = mine | set(own)
    for sentence in _SENTENCES.split(text):
        words = {fold(word) for word in _WORD.findall(sentence)}
        words |= {_possessor(word) for word in words}
        if not words & mine or words & (_FIRST_PERSON | _THE_REPORTER):
            continue
        found.append(_redacted(sentence.strip(), hidden=hidden - exempt, mine=exempt))
    return found


def described(text: str, *, hidden: set[str], own: set[str]) -> Row | None:
    """The description of the requester's own entry in a report, as a row: it is about them
    by its place, so every sentence counts but those in the first person or about the
    reporter, each redacted as a passage is."""
    parts = [
        _redacted(sentence.strip(), hidden=hidden - own, mine=own)
        for sentence in _SENTENCES.split(text)
        if sentence.strip()
        and not {fold(w) for w in _WORD.findall(sentence)} & (_FIRST_PERSON | _THE_REPORTER)
    ]
    if not parts:
        return None
    blanked = tuple(kind for part in parts for kind in part.blanked)
    return Row("", " ".join(part.text for part in parts), blanked)


def _staff_words() -> set[str]:
    words: set[str] = set()
    for first, last in User.objects.values_list("first_name", "last_name"):
        words |= _tokens(f"{first} {last}")
    return words


def _mask_bsn(bsn: str) -> str:
    return _("recorded, ending in %(end)s") % {"end": bsn[-3:]} if bsn else ""


def _address(obj) -> str:
    number = f"{obj.house_number or ''}{obj.house_letter}"
    if obj.addition:
        number = f"{number}-{obj.addition}"
    street = " ".join(part for part in (obj.street, number) if part)
    place = " ".join(part for part in (obj.postcode, obj.city) if part)
    return ", ".join(part for part in (street, place) if part)


def _lower_first(text) -> str:
    text = str(text)
    return text[:1].lower() + text[1:]


def _rows(pairs: Iterable[tuple[str, object]]) -> list[Row]:
    return [Row(label, str(value)) for label, value in pairs if value not in (None, "", [])]


def _day(value) -> date | None:
    if value is None:
        return None
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


# --- how long it is kept -----------------------------------------------------------------------


class Rules:
    """The retention rules in force, read once per overview."""

    def __init__(self) -> None:
        self.rules = list(
            RetentionRule.objects.filter(state=RuleState.IN_FORCE).select_related("case_type")
        )

    def of(self, kind: str) -> RetentionRule | None:
        return next((r for r in self.rules if r.kind == kind and not r.is_scoped), None)

    def for_case(self, case: Case) -> RetentionRule | None:
        """The rule that governs a case when it is closed: the most specific one that fits
        its type and (once closed) its result (privacy.retention.governs)."""
        fitting = [
            rule
            for rule in self.rules
            if rule.kind == RuleKind.CASE_CLOSED
            and rule.case_type_id in (None, case.version.case_type_id)
            and (not rule.case_result or (case.result and case.result.code == rule.case_result))
        ]
        return max(fitting, key=lambda rule: rule.specificity, default=None)


def _words(rule: RetentionRule) -> str:
    default = BY_KIND[rule.kind]
    return _("%(period)s after %(counted_from)s; then %(action)s.") % {
        "period": rule.period,
        "counted_from": default.counted_from,
        "action": default.action,
    }


def _after(start, rule: RetentionRule | None) -> date | None:
    if start is None or rule is None:
        return None
    return _day(start) + relativedelta(**{rule.period_unit: rule.period_amount})


def _held_until(keeping: Keeping, holds: Iterable[LegalHold]) -> Keeping:
    """A legal hold in force keeps it at least until the hold's date (its reason unsaid)."""
    latest = max((hold.until for hold in holds), default=None)
    if latest is None:
        return keeping
    until = max(keeping.until, latest) if keeping.until else None
    text = _("A legal obligation keeps it at least until %(date)s.") % {"date": dates.long(latest)}
    return Keeping(f"{keeping.rule} {text}", until, keeping.source)


def _case_keeping(case: Case, rules: Rules, data: "Data") -> Keeping:
    rule = rules.for_case(case)
    if rule is None:
        return Keeping(_("As long as the case is open."), None)
    keeping = Keeping(_words(rule), _after(case.closed_at, rule), rule.legal_source)
    return _held_until(keeping, data.holds.get(("case", case.pk), []))


Shows = Callable[[str, int | None], bool]


def _report_keeping(report: Report, rules: Rules, data: "Data", *, shows: Shows) -> Keeping:
    """How long `report` is kept; a case's date only when every case holding it `shows`, the
    report it was merged into only when that one does."""
    if report.merged_into_id:
        if not shows(HitKind.REPORT, report.merged_into_id):
            return Keeping(_("As long as the report it was joined to is kept."), None)
        leading = data.reports.get(report.merged_into_id)
        if leading is not None:
            return _report_keeping(leading, rules, data, shows=shows)
    holds = data.holds.get(("report", report.pk), [])
    if report.status in (Status.IN_ANALYSIS, Status.LINKED_TO_CASE):
        cases = [data.cases[pk] for pk in data.cases_of.get(report.pk, []) if pk in data.cases]
        rule = rules.of(RuleKind.CASE_CLOSED)
        keeping = Keeping(
            _(
                "As long as it is investigated further; after that %(period)s from the end of "
                "the investigation, then %(action)s."
            )
            % {
                "period": rule.period if rule else "—",
                "action": BY_KIND[RuleKind.CASE_CLOSED].action,
            },
            None,
            rule.legal_source if rule else "",
        )
        if cases and all(shows(HitKind.CASE, case.pk) for case in cases):
            ends = [_case_keeping(case, rules, data).until for case in cases]
            if all(ends):
                keeping = Keeping(keeping.rule, max(e for e in ends if e), keeping.source)
        return _held_until(keeping, holds)
    if report.status in QUEUE:
        rule = rules.of(RuleKind.REPORT_UNWEIGHED)
        start: datetime | None = report.received_at
    else:
        kind = (
            RuleKind.REPORT_NO_ACTION
            if report.status == Status.NO_ACTION
            else RuleKind.REPORT_REFERRED
        )
        rule = rules.of(kind)
        decision = data.latest_decision(report.pk)
        start = decision.at if decision else None
    if rule is None:
        return _held_until(Keeping(_("No period is set."), None), holds)
    return _held_until(Keeping(_words(rule), _after(start, rule), rule.legal_source), holds)


def _latest(keepings: list[Keeping]) -> date | None:
    ends = [keeping.until for keeping in keepings]
    return max(e for e in ends if e) if ends and all(ends) else None


# --- where it came from, what for, to whom -----------------------------------------------------

SOURCES: dict[str, str] = {
    Channel.WEB: gettext_noop("A report to the Meldpunt"),
    Channel.APP: gettext_noop("A report to the Meldpunt"),
    Channel.PHONE: gettext_noop("A report by telephone"),
    Channel.EMAIL: gettext_noop("A report by e-mail"),
    Channel.PARTNER: gettext_noop("A report passed on by a partner organisation"),
    Channel.IMPORT: gettext_noop("A report taken over from an earlier register"),
}
OWN_WORK = gettext_noop("Recorded by the municipality in its own work")

# The state of a report in the requester's words: coarse, and never naming a case.
ASSESSED = gettext_noop("Being assessed")
FURTHER = gettext_noop("Being investigated further")
STATES = {
    Status.RECEIVED: ASSESSED,
    Status.IN_TRIAGE: ASSESSED,
    Status.AWAITING_REPORTER: ASSESSED,
    Status.WEIGHED: ASSESSED,
    Status.NO_ACTION: gettext_noop("Assessed: no action"),
    Status.REFERRED: gettext_noop("Passed on to the authority concerned"),
    Status.FORWARDED: gettext_noop("Passed on to a partner organisation"),
    Status.IN_ANALYSIS: FURTHER,
    Status.LINKED_TO_CASE: FURTHER,
}


def _source(channels: Iterable[str]) -> str:
    texts = sorted({_(SOURCES[channel]) for channel in channels if channel in SOURCES})
    return "; ".join(texts) if texts else _(OWN_WORK)


def _purpose(*specific: str) -> str:
    return " ".join([*specific, _(GENERAL_PURPOSE)])


def _category_purpose(names: Iterable[str]) -> str:
    names = sorted({name for name in names if name})
    if not names:
        return _purpose()
    return _purpose(
        _("Assessing a signal about %(categories)s.") % {"categories": ", ".join(names)}
    )


def _handover_recipient(handover: Handover) -> Recipient:
    return Recipient(
        who=f"{handover.recipient} ({_lower_first(handover.get_recipient_kind_display())})",
        on=_day(handover.at),
        basis=handover.legal_basis,
        handover=handover.pk,
    )


def _decision_recipients(decisions: Iterable[Decision]) -> list[Recipient]:
    """A report's referral or forward, with its recipient."""
    return [
        Recipient(who=decision.recipient, on=_day(decision.at), basis=decision.get_kind_display())
        for decision in decisions
        if decision.kind in (DecisionKind.REFERRED, DecisionKind.FORWARDED) and decision.recipient
    ]


# --- what the items are built from -------------------------------------------------------------


class Data:
    """Everything the items are built from, read in a fixed number of queries whatever the
    number of items (so the page costs the same for two reports or twenty): the confirmed
    subjects, reports, cases, relations and hand-overs, and what hangs on them — the reports
    that name a subject, each report's entries, decisions, cases and reporter's contact, each
    case's measures, the hand-overs of every case involved and the legal holds in force."""

    def __init__(self, hits: list[Hit], person: Person) -> None:
        self.ids: dict[str, set[int]] = {kind: set() for kind in HitKind.values}
        for hit in hits:
            self.ids[hit.kind].add(hit.object_id)
        self._subjects()
        self._named(person)
        self._cases()
        self._reports()
        self.contacts = _reporter_contacts(self.ids[HitKind.REPORT])

    def _subjects(self) -> None:
        """The confirmed subjects and those they were merged into; those merged into them;
        the confirmed relations."""
        confirmed = self.ids[HitKind.SUBJECT]
        self.subjects: dict[int, Subject] = {
            subject.pk: subject
            for subject in Subject.objects.filter(
                Q(pk__in=confirmed) | Q(merged_subjects__in=confirmed)
            ).distinct()
        }
        self.merged: dict[int, list[int]] = {}
        for pk, into in Subject.objects.filter(merged_into__in=list(self.subjects)).values_list(
            "pk", "merged_into"
        ):
            if into is not None:
                self.merged.setdefault(into, []).append(pk)
        self.relations: dict[int, Relation] = Relation.objects.select_related(
            "source", "target", "source_report"
        ).in_bulk(self.ids[HitKind.RELATION])

    def _named(self, person: Person) -> None:
        """Which reports name each subject (judged the same), and which report entries are
        the requester's."""
        ends = {pk for r in self.relations.values() for pk in (r.source_id, r.target_id)}
        subjects = set(person.subject_ids) | set(self.subjects) | ends
        subjects |= {pk for pks in self.merged.values() for pk in pks}
        self.named_in: dict[int, set[int]] = {}
        self.same_entries: set[int] = set()
        for subject_id, entry_id, report_id in Mention.objects.filter(
            subject__in=subjects, judgement=Judgement.SAME
        ).values_list("subject", "report_subject", "report_subject__report"):
            self.named_in.setdefault(subject_id, set()).add(report_id)
            if subject_id in person.subject_ids:
                self.same_entries.add(entry_id)
        self.report_ids = set(self.ids[HitKind.REPORT])
        self.report_ids |= {
            r.source_report_id for r in self.relations.values() if r.source_report_id
        }
        self.report_ids |= {pk for pks in self.named_in.values() for pk in pks}

    def _cases(self) -> None:
        """The cases confirmed, of a confirmed hand-over or holding one of the reports; their
        hand-overs and (of the confirmed ones) their measures."""
        handed = Handover.objects.filter(pk__in=self.ids[HitKind.HANDOVER]).values("case")
        self.cases_of: dict[int, list[int]] = {}
        self.reports_of: dict[int, list[int]] = {}
        for case_id, report_id in CaseReport.objects.filter(
            Q(report__in=self.report_ids) | Q(case__in=self.ids[HitKind.CASE]) | Q(case__in=handed)
        ).values_list("case", "report"):
            self.cases_of.setdefault(report_id, []).append(case_id)
            self.reports_of.setdefault(case_id, []).append(report_id)
        self.cases: dict[int, Case] = {
            case.pk: case
            for case in Case.objects.filter(
                Q(pk__in=[*self.reports_of, *self.ids[HitKind.CASE]]) | Q(pk__in=handed)
            ).select_related("version__case_type", "stage", "result")
        }
        self.handovers: list[Handover] = list(
            Handover.objects.filter(
                Q(case__in=list(self.cases)) | Q(pk__in=self.ids[HitKind.HANDOVER])
            )
            .order_by("at", "pk")
            .distinct()
        )
        self.measures: dict[int, list[Intervention]] = {}
        for intervention in Intervention.objects.filter(
            case__in=self.ids[HitKind.CASE]
        ).select_related("kind"):
            self.measures.setdefault(intervention.case_id, []).append(intervention)

    def _reports(self) -> None:
        """The reports, the confirmed ones' entries, their decisions and the legal holds in
        force on any report, case or subject here."""
        self.report_ids |= {pk for pks in self.reports_of.values() for pk in pks}
        self.reports: dict[int, Report] = Report.objects.select_related("category").in_bulk(
            self.report_ids
        )
        self.entries: dict[int, list[ReportSubject]] = {}
        for entry in ReportSubject.objects.filter(report__in=self.ids[HitKind.REPORT]).order_by(
            "position", "pk"
        ):
            self.entries.setdefault(entry.report_id, []).append(entry)
        self.decisions: dict[int, list[Decision]] = {}
        for decision in Decision.objects.filter(report__in=list(self.reports)).order_by("at", "pk"):
            self.decisions.setdefault(decision.report_id, []).append(decision)
        self.holds: dict[tuple[str, int], list[LegalHold]] = {}
        for hold in LegalHold.objects.active().filter(
            Q(report__in=list(self.reports))
            | Q(case__in=list(self.cases))
            | Q(subject__in=list(self.subjects))
        ):
            for name, pk in (
                ("report", hold.report_id),
                ("case", hold.case_id),
                ("subject", hold.subject_id),
            ):
                if pk is not None:
                    self.holds.setdefault((name, pk), []).append(hold)

    def handovers_of(self, *, reports: Iterable[int] = (), subjects: Iterable[int] = ()):
        """The hand-overs that held one of `reports` or `subjects`, oldest first."""
        reports, subjects = set(reports), set(subjects)
        return [
            h
            for h in self.handovers
            if reports & set(h.reports or []) or subjects & set(h.subjects or [])
        ]

    def latest_decision(self, report_id: int) -> Decision | None:
        decisions = self.decisions.get(report_id)
        return decisions[-1] if decisions else None


def _reporter_contacts(report_ids: Iterable[int]) -> dict[int, dict]:
    """The named reporters' details of these reports, decrypted in two queries (as
    reports.reporter.reporter_contact does one by one); none for a report whose key is gone."""
    contacts = dict(
        ReporterContact.objects.filter(report__in=report_ids).values_list("report", "ciphertext")
    )
    if not contacts:
        return {}
    wrapped = dict(
        ReportKey.objects.filter(report__in=list(contacts)).values_list("report", "wrapped")
    )
    found = {}
    for report_id, ciphertext in contacts.items():
        if report_id not in wrapped:
            continue  # destroyed after the backup this database came from: nothing to read
        key = crypto.subkey(keys.unwrap(report_id, bytes(wrapped[report_id])), keys.CONTACT_PURPOSE)
        plain = crypto.decrypt_with(
            key, bytes(ciphertext), context=f"{keys.CONTACT_PURPOSE}:{report_id}".encode()
        )
        found[report_id] = json.loads(plain)
    return found


# --- each kind of item -------------------------------------------------------------------------

HANDOVER_WITHHELD = gettext_noop(
    "left out of the overview that goes out: the hand-over is withheld"
)
CASE_WITHHELD = gettext_noop("left out of the overview that goes out: its case is withheld")
NOT_CONFIRMED = gettext_noop(
    "left out of the overview that goes out: the hand-over is not a confirmed item of this request"
)


class Builder:
    """Builds each item from the object it is about, and everything said *about* it (where
    it came from, what for, to whom, how long) only from confirmed items that are shown:
    disclosed in the final overview, not withheld in the draft. So a withheld report, case,
    relation or hand-over cannot be read from any other item."""

    def __init__(self, request: Request, hits: list[Hit], *, final: bool = False) -> None:
        self.request = request
        self.final = final
        self.person = person_of(request, hits)
        self.rules = Rules()
        self.hits = {(hit.kind, hit.object_id): hit for hit in hits}
        self.data = Data(hits, self.person)
        self._staff: set[str] | None = None
        self._addresses: set[tuple[str, int]] | None = None
        self._given: tuple[str, set[int]] = ("", set())

    def shows(self, kind: str, object_id: int | None) -> bool:
        """Whether a confirmed item of this kind and id is in the overview (undecided ones
        count as shown in the draft)."""
        hit = self.hits.get((kind, object_id))  # type: ignore[arg-type]
        if hit is None:
            return False
        if self.final:
            return hit.disclosure == Disclosure.DISCLOSE
        return hit.disclosure != Disclosure.WITHHOLD

    def withholds(self, kind: str, object_id: int | None) -> bool:
        hit = self.hits.get((kind, object_id))  # type: ignore[arg-type]
        return hit is not None and not self.shows(kind, object_id)

    def recipient(self, handover: Handover) -> Recipient:
        """A hand-over as a recipient; marked left out unless it is a shown item and its case
        is not withheld."""
        if self.withholds(HitKind.CASE, handover.case_id):
            why = CASE_WITHHELD
        elif self.withholds(HitKind.HANDOVER, handover.pk):
            why = HANDOVER_WITHHELD
        elif not self.shows(HitKind.HANDOVER, handover.pk):
            why = NOT_CONFIRMED
        else:
            why = ""
        return replace(_handover_recipient(handover), left_out=_(why) if why else "")

    @property
    def staff(self) -> set[str]:
        if self._staff is None:
            self._staff = _staff_words()
        return self._staff

    def item(self, hit: Hit) -> Item:
        build = {
            HitKind.SUBJECT: self.subject,
            HitKind.REPORT: self.report,
            HitKind.CASE: self.case,
            HitKind.RELATION: self.relation,
            HitKind.HANDOVER: self.handover,
        }[HitKind(hit.kind)]
        return build(hit)

    def gone(self, hit: Hit, title: str) -> Item:
        return Item(
            hit=hit,
            title=title,
            exists=False,
            held=[Row(_("State"), _("Destroyed since; nothing of it is held any more."))],
        )

    # A subject ------------------------------------------------------------------------------

    def subject(self, hit: Hit) -> Item:
        data = self.data
        subject = data.subjects.get(hit.object_id)
        if subject is not None and subject.merged_into_id:
            subject = data.subjects.get(subject.merged_into_id) or subject
        title = _("Your details in the register of persons and organisations")
        if subject is None:
            return self.gone(hit, title)
        ids = [subject.pk, *data.merged.get(subject.pk, [])]
        named = sorted({pk for each in ids for pk in data.named_in.get(each, ())})
        reports = [
            data.reports[pk]
            for pk in named
            if pk in data.reports and self.shows(HitKind.REPORT, pk)
        ]
        kind = subject.get_kind_display()
        held = _rows(
            [
                (_("Kind"), kind),
                (_("Name"), subject.name if subject.kind != Subject.Kind.VEHICLE else ""),
                (_("Date of birth"), dates.long(subject.birth_date)),
                (_("BSN"), _mask_bsn(subject.bsn)),
                (_("KvK number"), subject.kvk_number),
                (_("Legal form"), subject.legal_form),
                (_("Trade names"), ", ".join(subject.trade_names or [])),
                (_("Address"), _address(subject)),
                (_("Kind of object"), subject.object_kind),
                (_("Licence plate"), subject.license_plate),
                (_("Make"), subject.make),
                (_("Colour"), subject.colour),
                (_("Recorded on"), dates.long(_day(subject.created_at))),
            ]
        )
        handovers = data.handovers_of(subjects=ids)
        keepings = [
            _report_keeping(report, self.rules, data, shows=self.shows) for report in reports
        ]
        keeping = Keeping(
            _("As long as a report, case or relation that names you is kept."),
            _latest(keepings) if keepings else None,
        )
        keeping = _held_until(keeping, data.holds.get(("subject", subject.pk), []))
        return Item(
            hit=hit,
            title=title,
            held=held,
            source=_source(report.channel for report in reports),
            purpose=_category_purpose(r.category.name for r in reports if r.category),
            recipients=[self.recipient(h) for h in handovers],
            keeping=keeping,
        )

    # A report -------------------------------------------------------------------------------

    def report(self, hit: Hit) -> Item:
        data = self.data
        report = data.reports.get(hit.object_id)
        if report is None:
            return self.gone(hit, _("A report"))
        entries = data.entries.get(report.pk, [])
        mentioned = {entry.pk for entry in entries if entry.pk in data.same_entries}
        theirs = [entry for entry in entries if _is_theirs(entry, self.person, mentioned)]
        others = [entry for entry in entries if entry not in theirs]
        mine = _tokens(self.person.name)
        own = _own(self.person.name)
        for entry in theirs:
            mine |= _tokens(entry.name)
            own |= _own(entry.name)
        hidden = set(self.staff)
        for entry in others:
            hidden |= _tokens(entry.name) | _tokens(entry.license_plate)
            hidden |= {entry.bsn, entry.kvk_number} - {""}
        hidden |= self._reporter_words(report)
        decision = data.latest_decision(report.pk)
        held = _rows(
            [
                (_("Reference"), report.reference),
                (_("About"), report.category.name if report.category else ""),
                (_("Received on"), dates.long(_day(report.received_at))),
                (_("State"), _(STATES[Status(report.status)])),
                (
                    _("Decision"),
                    f"{decision.get_kind_display()}, {dates.long(_day(decision.at))}"
                    if decision
                    else "",
                ),
            ]
        )
        for number, entry in enumerate(theirs, start=1):
            prefix = _("About you") if len(theirs) == 1 else _("About you (%(n)d)") % {"n": number}
            held += _rows(
                [
                    (f"{prefix}: {_('name')}", entry.name),
                    (f"{prefix}: {_('date of birth')}", dates.long(entry.birth_date)),
                    (f"{prefix}: BSN", _mask_bsn(entry.bsn)),
                    (f"{prefix}: {_('address')}", _address(entry)),
                ]
            )
            row = described(entry.description, hidden=hidden, own=mine | own)
            if row is not None:
                held.append(replace(row, label=f"{prefix}: {_('description')}"))
        handovers = data.handovers_of(reports=[report.pk])
        return Item(
            hit=hit,
            title=_("Report %(reference)s") % {"reference": report.reference},
            held=held,
            passages=passages(report.description, mine=mine, hidden=hidden, own=own),
            source=_source([report.channel]),
            purpose=_category_purpose([report.category.name] if report.category else []),
            recipients=[self.recipient(h) for h in handovers]
            + _decision_recipients(data.decisions.get(report.pk, [])),
            keeping=_report_keeping(report, self.rules, data, shows=self.shows),
        )

    def _reporter_words(self, report: Report) -> set[str]:
        """A named reporter's name, organisation and contact details, to be removed from the
        text (never shown)."""
        contact = self.data.contacts.get(report.pk) or {}
        words: set[str] = set()
        for key in ("name", "organisation"):
            words |= _tokens(str(contact.get(key) or ""))
        return words

    # A case ---------------------------------------------------------------------------------

    def case(self, hit: Hit) -> Item:
        data = self.data
        case = data.cases.get(hit.object_id)
        if case is None:
            return self.gone(hit, _("A case"))
        interventions = data.measures.get(case.pk, [])
        held = _rows(
            [
                (_("Reference"), case.reference),
                (_("Kind of case"), case.version.case_type.name),
                (_("Stage"), case.stage.name),
                (_("State"), _("Closed") if case.is_closed else _("Open")),
                (_("Result"), case.result.name if case.result else ""),
                (_("Opened on"), dates.long(_day(case.opened_at))),
                (_("Closed on"), dates.long(_day(case.closed_at))),
            ]
        )
        for intervention in interventions:
            period = dates.long(intervention.start_date)
            if intervention.end_date:
                period = f"{period} – {dates.long(intervention.end_date)}"
            held.append(
                Row(
                    _("Measure"),
                    f"{intervention.kind.name} ({intervention.legal_basis}), {period}: "
                    f"{intervention.get_state_display()}",
                )
            )
        handovers = [h for h in data.handovers if h.case_id == case.pk]
        channels = [
            data.reports[pk].channel
            for pk in data.reports_of.get(case.pk, [])
            if pk in data.reports and self.shows(HitKind.REPORT, pk)
        ]
        return Item(
            hit=hit,
            title=_("Case %(reference)s") % {"reference": case.reference},
            held=held,
            source=_("Opened by the municipality on the basis of: %(sources)s")
            % {"sources": _lower_first(_source(channels))}
            if channels
            else _(OWN_WORK),
            purpose=_purpose(
                _("An administrative approach following %(kind)s.")
                % {"kind": case.version.case_type.name}
            ),
            recipients=[self.recipient(h) for h in handovers],
            keeping=_case_keeping(case, self.rules, data),
        )

    # A relation -----------------------------------------------------------------------------

    def relation(self, hit: Hit) -> Item:
        data = self.data
        relation = data.relations.get(hit.object_id)
        if relation is None:
            return self.gone(hit, _("A relation"))
        ids = self.person.subject_ids
        if relation.target_id in ids and relation.source_id not in ids:
            other, theirs_is_source = relation.source, False
        elif relation.source_id in ids or names_similar(
            relation.source.name, self.person.name, "person"
        ):
            other, theirs_is_source = relation.target, True
        else:
            other, theirs_is_source = relation.source, False
        other_is = self.other_end(other)
        kind = relation.get_kind_display()
        held = _rows(
            [
                (
                    _("Relation"),
                    _("You: %(kind)s %(other)s") % {"kind": kind, "other": other_is}
                    if theirs_is_source
                    else _("%(other)s: %(kind)s you") % {"kind": kind, "other": other_is},
                ),
                (_("From"), dates.long(relation.start_date)),
                (_("Until"), dates.long(relation.end_date)),
                (_("Recorded on"), dates.long(_day(relation.added_at))),
            ]
        )
        report = relation.source_report
        if report is not None and self.shows(HitKind.REPORT, report.pk):
            source = _source([report.channel])
            keeping = _report_keeping(report, self.rules, data, shows=self.shows)
            keeping = Keeping(
                _("With the report it was taken from: %(rule)s")
                % {"rule": _lower_first(keeping.rule)},
                keeping.until,
                keeping.source,
            )
        else:
            source = (
                _("A government register: %(name)s") % {"name": relation.source_registry}
                if relation.source_registry
                else _(OWN_WORK)
            )
            keeping = Keeping(_("As long as both ends of the relation are kept."), None)
        handovers = [
            h
            for h in data.handovers_of(subjects=[relation.source_id, relation.target_id])
            if {relation.source_id, relation.target_id} <= set(h.subjects)
        ]
        return Item(
            hit=hit,
            title=_("A relation with you"),
            held=held,
            source=source,
            purpose=_purpose(),
            recipients=[self.recipient(h) for h in handovers],
            keeping=keeping,
        )

    def other_end(self, other: Subject) -> str:
        """The other end of a relation in words: an organisation by its name; a person, an
        address or a vehicle only by its kind (an address may be the reporter's own door, a
        plate someone else's car), except the requester's own registered address."""
        if other.kind == Subject.Kind.ORGANISATION:
            return other.name
        if other.kind == Subject.Kind.ADDRESS:
            return other.name if self.own_address(other) else _("an address")
        if other.kind == Subject.Kind.VEHICLE:
            return _("a vehicle")
        return _("another person")

    def own_address(self, address: Subject) -> bool:
        """Whether `address` is where the requester lives as registered: the address of a
        confirmed subject that is the requester, or the address the request gives."""
        postcode = address.postcode.replace(" ", "").upper()
        if not postcode or address.house_number is None:
            return False
        if self._addresses is None:
            self._addresses = {
                (p.replace(" ", "").upper(), n)
                for p, n in Subject.objects.filter(
                    pk__in=self.person.subject_ids, kind=Subject.Kind.PERSON
                ).values_list("postcode", "house_number")
                if p and n is not None
            }
            given = self.request.requester_address.upper()
            compact = re.sub(r"\s+", "", given)
            self._given = (compact, {int(n) for n in re.findall(r"\b(\d{1,5})\b", given)})
        if (postcode, address.house_number) in self._addresses:
            return True
        compact, numbers = self._given
        return postcode in compact and address.house_number in numbers

    # A hand-over ----------------------------------------------------------------------------

    def handover(self, hit: Hit) -> Item:
        data = self.data
        handover = next((h for h in data.handovers if h.pk == hit.object_id), None)
        if handover is None or handover.case_id not in data.cases:
            return self.gone(hit, _("A hand-over"))
        recipient = _handover_recipient(handover)
        withheld_case = self.withholds(HitKind.CASE, handover.case_id)
        return Item(
            hit=hit,
            title=_("Data passed on to %(who)s") % {"who": recipient.who},
            held=_rows(
                [
                    (_("Recipient"), recipient.who),
                    (_("Date"), dates.long(recipient.on)),
                    (_("Legal basis"), recipient.basis),
                ]
            ),
            source=_(OWN_WORK),
            purpose=_purpose(),
            recipients=[self.recipient(handover)],
            # Its case's rule only when the case is in the overview too.
            keeping=_case_keeping(data.cases[handover.case_id], self.rules, data)
            if self.shows(HitKind.CASE, handover.case_id)
            else Keeping(_("As long as the file it was part of is kept."), None),
            left_out=_(CASE_WITHHELD) if withheld_case else "",
        )


# --- the overview ------------------------------------------------------------------------------

ORDER: list[str] = [
    HitKind.SUBJECT,
    HitKind.REPORT,
    HitKind.CASE,
    HitKind.RELATION,
    HitKind.HANDOVER,
]


def overview_build(request: Request, *, final: bool = False) -> Overview:
    """The overview of `request`'s confirmed hits (no audit entry: the caller records the
    read). `final`: only the disclosed items, with nothing that names a withheld hand-over or
    case — what the requester receives."""
    hits = sorted(request.hits.all(), key=lambda hit: (ORDER.index(hit.kind), hit.object_id))
    builder = Builder(request, hits, final=final)
    items = [builder.item(hit) for hit in hits]
    if final:
        items = [
            item
            for item in items
            if item.hit.disclosure == Disclosure.DISCLOSE and not item.left_out
        ]
        for item in items:
            item.recipients = [r for r in item.recipients if not r.left_out]
    return Overview(request=request, items=items, final=final, made_at=timezone.now())


def overview_pdf(overview: Overview) -> bytes:
    """The overview as a PDF, in the product's language (Dutch): marked CONCEPT with each
    item's decision unless it is final."""
    with translation.override("nl"):
        html = render_to_string(
            "rights/pdf/inzage.html",
            {
                "overview": overview,
                "withheld_sentence": _(WITHHELD_SENTENCE),
                # The sender: the controller and where to reach its privacy officer.
                "municipality": str(getattr(settings, "MUNICIPALITY_NAME", "")).strip(),
                "officer_email": ", ".join(getattr(settings, "PRIVACY_OFFICER_EMAIL", [])),
            },
        )
    return render_pdf(html)


def file_name(request: Request, *, final: bool, on: date | None = None) -> str:
    day = on or timezone.localdate()
    prefix = "inzage" if final else "concept-inzage"
    return f"{prefix}-{request.reference}-{day:%Y-%m-%d}.pdf"
