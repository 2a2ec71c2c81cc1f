"""Dutch names made comparable: case, diacritics, tussenvoegsels and legal-form words.

Used by related reports and by subject matching and search. rapidfuzz scores; the folding
is written here because no library knows Dutch particles and legal forms.
"""

import re
import unicodedata

from rapidfuzz import fuzz

PERSON, ORGANISATION = "person", "organisation"
NAME_SCORE = 88  # rapidfuzz 0–100; below this two names are not "similar"

# Dutch name particles (tussenvoegsels): "Jan van der Berg" and "J. Berg" share "berg".
TUSSENVOEGSELS = frozenset(
    {"van", "de", "der", "den", "het", "t", "ten", "ter", "te", "in", "op", "aan", "bij"}
    | {"uit", "la", "le", "du", "di", "da", "von", "vd"}
)
# Legal forms, as token runs after dots became spaces: "B.V." → ("b", "v").
LEGAL_FORMS = (
    ("v", "o", "f"),
    ("b", "v"),
    ("n", "v"),
    ("c", "v"),
    ("u", "a"),
    ("bv",),
    ("nv",),
    ("vof",),
    ("cv",),
    ("ua",),
    ("stichting",),
    ("vereniging",),
    ("cooperatie",),
    ("eenmanszaak",),
)


# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "ß": "ss"})


def fold(value: str) -> str:
    """Lower case without diacritics: 'Müller' → 'muller', 'Yılmaz' → 'yilmaz'."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(value: str) -> list[str]:
    return re.sub(r"[^0-9a-z]+", " ", fold(value).replace("'", "")).split()


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for form in LEGAL_FORMS:
            if tuple(tokens[i : i + len(form)]) == form:
                i += len(form)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def _join_abbreviated_particles(tokens: list[str]) -> list[str]:
    """'v.d.' and 'v/d' (van de, van der, van den) became 'v d'; after a first name they are
    the particle, not two initials: 'Jan v.d. Berg' → 'jan vd berg', 'V.D. Jansen' stays."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i > 0 and tokens[i : i + 2] == ["v", "d"] and i + 2 < len(tokens):
            out.append("vd")
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def normalise_name(value: str, kind: str = PERSON) -> str:
    """'J. van der Vries' → 'j vries'; 'Jan v.d. Vries' → 'jan vries';
    'Bakkerij Jansen B.V.' → 'bakkerij jansen'."""
    tokens = _tokens(value)
    if kind == ORGANISATION:
        tokens = _strip_legal_forms(tokens)
    else:
        tokens = _join_abbreviated_particles(tokens)
    return " ".join(t for t in tokens if t not in TUSSENVOEGSELS)


def _person_similar(a: str, b: str) -> bool:
    """Same surname (last part, nearly equal) and first names or initials that agree:
    'j vries' ~ 'jan vries', not 'piet vries'."""
    ta, tb = a.split(), b.split()
    if not ta or not tb or fuzz.ratio(ta[-1], tb[-1]) < NAME_SCORE:
        return False
    given_a, given_b = ta[:-1], tb[:-1]
    if not given_a or not given_b:
        return True
    if any(len(t) == 1 for t in given_a + given_b):
        return given_a[0][0] == given_b[0][0]
    return fuzz.token_sort_ratio(" ".join(given_a), " ".join(given_b)) >= NAME_SCORE


def names_similar(a: str, b: str, kind: str) -> bool:
    """Whether two names of the same kind of subject may well mean the same one."""
    na, nb = normalise_name(a, kind), normalise_name(b, kind)
    if not na or not nb:
        return False
    if kind == PERSON:
        return _person_similar(na, nb)
    return fuzz.token_sort_ratio(na, nb) >= NAME_SCORE
