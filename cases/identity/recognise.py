"""Finding a person's identity in text. Pure: no database, no settings.

Generic rules (``generic=True``) depend only on the text and the shipped vocabulary, so that the
answer for a name is the same whether or not csafe holds a young person by that name. Known
identities (``known``) are matched in every rendering, and only for themselves.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from . import vocabulary as vocab
from .text import Token, clean, fold, fold_plain, has_invisible, tokens

RECORD_PATHS = ("young-people",)  # the URL segment of a young person's record (cases/urls.py)
# The council's identifiers: csafe's own (TST000123, SYN0001234) are 2-4 letters then 5-8
# digits. contexts.guard passes the patterns configured for the council.
DEFAULT_IDENTIFIER_PATTERNS = (r"[a-z]{2,4}-?\d{5,8}",)

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_NUMERIC_DATE = r"(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})"
_ISO_DATE = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_DAY_MONTH_YEAR = rf"(\d{{1,2}}){_ORD}\s+(?:of\s+)?({_MONTH}),?\s+(\d{{4}}|\d{{2}})"
_MONTH_DAY_YEAR = rf"({_MONTH})\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})"
_ANY_DATE = (
    rf"(?:{_NUMERIC_DATE}|{_ISO_DATE}|{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}"
    rf"|(?:in\s+)?(?:{_MONTH}\s+)?(?:19|20)\d\d)"
)
_BIRTH_CUE = (
    r"(?<![a-z])(?:born|b\.|dob|d\.\s?o\.\s?b\.?|date\s+of\s+birth|birth\s?date|birthday"
    r"|date\s+born)"
)
_DATE_OF_BIRTH = re.compile(rf"{_BIRTH_CUE}\s*(?:is|was|on|:|-|–)?\s*(?:on\s+)?{_ANY_DATE}")
_DATES = re.compile(
    rf"(?<!\d)(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR})(?!\d)"
)
_RECORD_LINK = re.compile(r"(?:" + "|".join(RECORD_PATHS) + r")\s?/\s?\d+")
_NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
_OPENERS = "(\"'[“‘«"
_CLOSERS = ")\"']”’»"


class FindingKind(enum.StrEnum):
    NAME = "name"
    IDENTIFIER = "identifier"
    RECORD_LINK = "record_link"
    DATE_OF_BIRTH = "date_of_birth"
    ADDRESS = "address"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    known: bool  # matched a known identity, not a generic rule


@dataclass(frozen=True)
class Identity:
    """What csafe holds that identifies one young person."""

    first_name: str
    last_name: str
    preferred_name: str = ""
    identifiers: tuple[str, ...] = ()
    date_of_birth: date | None = None
    address: str = ""


def find_identity(
    text: str,
    *,
    known: Iterable[Identity] = (),
    staff: frozenset[tuple[str, str]] = frozenset(),
    generic: bool = True,
    identifier_patterns: Iterable[str] = DEFAULT_IDENTIFIER_PATTERNS,
) -> Finding | None:
    """The first identity found in ``text``, or None. ``staff`` are (first, last) names of
    csafe's staff, allowed by the generic name rules (a context shows its professionals)."""
    staff_folded = frozenset((fold(f), fold(last)) for f, last in staff)
    # A zero-width character may stand inside a word ("Tyl\u200ber") or between two
    # ("Tyler\u200bWrackenbury"): read the text both ways.
    readings = [clean(text)]
    if has_invisible(text):
        readings.append(clean(text, invisible_as=" "))
    for cleaned in readings:
        if not cleaned.strip():
            continue
        finding = _find(
            _Reading(cleaned, staff_folded), list(known), generic, tuple(identifier_patterns)
        )
        if finding is not None:
            return finding
    return None


def _find(reading, known, generic, identifier_patterns) -> Finding | None:
    for identity in known:
        kind = _known(identity).find(reading)
        if kind is not None:
            return Finding(kind, known=True)
    if not generic:
        return None
    if _RECORD_LINK.search(reading.flat):
        return Finding(FindingKind.RECORD_LINK, known=False)
    if _DATE_OF_BIRTH.search(reading.flat):
        return Finding(FindingKind.DATE_OF_BIRTH, known=False)
    if _has_identifier(reading, identifier_patterns):
        return Finding(FindingKind.IDENTIFIER, known=False)
    if _has_name(reading):
        return Finding(FindingKind.NAME, known=False)
    return None


# --- reading a text ------------------------------------------------------------------------


class _Reading:
    """One text, cleaned, split and folded once for every rule."""

    def __init__(self, cleaned: str, staff: frozenset[tuple[str, str]]):
        self.cleaned = cleaned
        # Folded letter by letter, digits kept: what the date and link patterns read.
        self.flat = fold_plain(cleaned)
        self.tokens = tokens(cleaned)
        letters = [c for c in cleaned if c.isalpha()]
        # A text all in one case says nothing by its capitals.
        self.has_case = any(c.isupper() for c in letters) and any(c.islower() for c in letters)
        self.staff = staff
        self.staff_surnames = frozenset(last for _, last in staff)

    # What known identities are compared with, worked out once for all of them.
    @functools.cached_property
    def token_forms(self) -> list[set[str]]:
        return [set(t.forms) for t in self.tokens]

    @functools.cached_property
    def positions(self) -> dict[str, list[int]]:
        """Where each form stands in the text."""
        found: dict[str, list[int]] = {}
        for index, forms in enumerate(self.token_forms):
            for form in forms:
                found.setdefault(form, []).append(index)
        return found

    @functools.cached_property
    def present(self) -> frozenset[str]:
        return frozenset(form for forms in self.token_forms for form in forms)

    @functools.cached_property
    def joined(self) -> frozenset[str]:
        """Every word, and every run of glued words written as one ("#DillyVanDerMeer")."""
        joined = set(self.present) | {form.replace("'", "") for form in self.present}
        for start, token in enumerate(self.tokens):
            word = token.form.replace("'", "")
            for nxt in self.tokens[start + 1 : start + 6]:
                if not nxt.glued:
                    break
                word += nxt.form.replace("'", "")
                joined.add(word)
        return frozenset(joined)

    @functools.cached_property
    def compact(self) -> str:
        """Letters and digits only: an identifier written with spaces or dashes is found."""
        return re.sub(r"[^a-z0-9]", "", self.flat)

    @functools.cached_property
    def spaced(self) -> str:
        return " " + " ".join(re.findall(r"[a-z0-9']+", self.flat)) + " "

    @functools.cached_property
    def dates(self) -> set[date]:
        return _dates(self.flat)


def _boundary(left: Token, right: Token) -> bool:
    """A sentence or clause ends between two tokens (a dot after an initial or a title does
    not end one)."""
    if not re.search(r"[.!?;:]", right.before) or right.glued:
        return False
    return not (right.before.strip() == "." and (left.is_initial or left.form in vocab.TITLES))


def _is(token: Token, words: frozenset[str]) -> bool:
    return any(form in words for form in token.forms)


# --- the generic rules ---------------------------------------------------------------------


def _nhs_number_valid(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _has_identifier(reading: _Reading, patterns: Iterable[str]) -> bool:
    compiled = [re.compile(rf"(?<![a-z0-9]){p}(?![a-z0-9])") for p in patterns]
    common = vocab.common_words()
    toks = reading.tokens
    for index, token in enumerate(toks):
        candidates = [token.raw.lower()]
        # "TST 004217", "TST 004 217": letters and digits as several words.
        if token.raw.isalpha() and token.form not in common:
            joined = token.raw.lower()
            for nxt in toks[index + 1 : index + 4]:
                if nxt.before not in {" ", "-"} or not nxt.raw.isdigit():
                    break
                joined += nxt.raw
                candidates.append(joined)
        if any(p.fullmatch(c) for p in compiled for c in candidates):
            return True
    for match in _NHS_NUMBER.finditer(reading.cleaned):
        if _nhs_number_valid("".join(match.groups())):
            return True
    return False


@dataclass
class _Vocabulary:
    given: frozenset[str] = field(default_factory=vocab.given_names)
    surnames: frozenset[str] = field(default_factory=vocab.surnames)
    common: frozenset[str] = field(default_factory=vocab.common_words)


def _has_name(reading: _Reading) -> bool:
    words = _Vocabulary()
    rules = _NameRules(reading, words)
    return any(rules.names_someone(index) for index in range(len(reading.tokens)))


class _NameRules:
    def __init__(self, reading: _Reading, words: _Vocabulary):
        self.r = reading
        self.t = reading.tokens
        self.w = words

    # What a token is.
    def given(self, token: Token) -> bool:
        return _is(token, self.w.given)

    def everyday(self, token: Token) -> bool:
        return _is(token, vocab.EVERYDAY_GIVEN_NAMES) or _is(token, self.w.common)

    def capital(self, token: Token) -> bool:
        return token.capitalised or not self.r.has_case

    def blocked(self, token: Token) -> bool:
        return (
            _is(token, vocab.FUNCTION_WORDS)
            or _is(token, vocab.PLACE_WORDS)
            or _is(token, vocab.TITLES)
            or not token.form.replace("'", "").isalpha()
        )

    def surname_like(self, token: Token, *, strong: bool) -> bool:
        """Could be a surname: a known surname that is not an everyday word, or, with the
        evidence of a capital (or of being glued to a given name), any word that is not an
        everyday one."""
        if self.blocked(token) or len(token.form) < 2:
            return False
        if _is(token, self.w.surnames) and not _is(token, self.w.common):
            return True
        return strong and not _is(token, self.w.common)

    # Where a token stands.
    def sentence_start(self, index: int) -> bool:
        return index == 0 or _boundary(self.t[index - 1], self.t[index])

    def after_title(self, index: int) -> bool:
        return (
            index > 0
            and self.t[index - 1].form in vocab.TITLES
            and not (re.search(r"[!?;:]", self.t[index].before))
        )

    def after_place_prefix(self, index: int) -> bool:
        if index == 0:
            return False
        previous = self.t[index - 1]
        return (
            previous.form in vocab.PLACE_PREFIXES
            and self.capital(previous)
            and not _boundary(previous, self.t[index])
        )

    def place_follows(self, index: int) -> bool:
        """The capitalised run that ``index`` ends is followed by a place word: "Jordan Road",
        "Mary Seacole Centre", "Kingsley Court stairwell"."""
        for following in range(index + 1, min(index + 4, len(self.t))):
            token = self.t[following]
            if _boundary(self.t[following - 1], token):
                return False
            if _is(token, vocab.PLACE_WORDS):
                return self.capital(token)
            if not self.capital(token) or _is(token, vocab.FUNCTION_WORDS):
                return False
        return False

    def next_words(self, index: int) -> list[int]:
        """The tokens that may be the next part of a name after ``index``: the next one, the
        one after a nickname in quotes or brackets, and the ones after surname particles."""
        found = []
        nxt = index + 1
        if nxt >= len(self.t):
            return found
        found.append(nxt)
        opener = next((c for c in self.t[nxt].before if c in _OPENERS), None)
        if opener:
            for after in range(nxt + 1, min(nxt + 4, len(self.t))):
                if any(c in _CLOSERS for c in self.t[after].before):
                    found.append(after)
                    break
        for start in list(found):
            position = start
            while (
                position + 1 < len(self.t)
                and self.t[position].form in vocab.SURNAME_PARTICLES
                and not _boundary(self.t[position], self.t[position + 1])
            ):
                position += 1
                found.append(position)
        return found

    def allowed_pair(self, first: Token, last: Token) -> bool:
        pair = (first.form, last.form)
        return (
            pair in self.r.staff
            or (last.form, first.form) in self.r.staff
            or pair in vocab.NAMED_PLACES
            or (last.form, first.form) in vocab.NAMED_PLACES
        )

    def starts_staff_name(self, index: int) -> bool:
        return any(self.allowed_pair(self.t[index], self.t[j]) for j in self.next_words(index))

    # The rules.
    def names_someone(self, index: int) -> bool:
        return (
            self.given_then_surname(index)
            or self.surname_then_given(index)
            or self.initial_then_surname(index)
            or self.surname_then_initial(index)
            or self.glued_handle(index)
            or self.rare_then_surname(index)
            or self.rare_pair(index)
        )

    def _pair_start(self, index: int) -> tuple[Token, Token] | None:
        """Two capitalised words side by side, not a title's, place's or staff member's."""
        if index + 1 >= len(self.t):
            return None
        first, last = self.t[index], self.t[index + 1]
        if not (self.capital(first) and self.capital(last)) or _boundary(first, last):
            return None
        if self.after_title(index) or self.after_place_prefix(index):
            return None
        if self.blocked(first) or self.blocked(last) or self.allowed_pair(first, last):
            return None
        if self.place_follows(index + 1) or last.before.strip() not in {"", "-", ","}:
            return None
        if self.starts_staff_name(index + 1) or (
            index > 0 and self.allowed_pair(self.t[index - 1], first)
        ):
            return None
        return first, last

    def rarity(self, index: int) -> float:
        """How common the word at ``index`` is; for a part of a hyphenated word, the rarest
        part ("Llewellyn-Price")."""
        rarity = vocab.zipf(self.t[index].form)
        position = index
        while position > 0 and self.t[position].before == "-":
            position -= 1
            rarity = min(rarity, vocab.zipf(self.t[position].form))
        return rarity

    def rare_then_surname(self, index: int) -> bool:
        """A word that is no everyday word before a known surname: a given name the list does
        not have ("Kezia Smith", "Emre Yıldız")."""
        pair = self._pair_start(index)
        if pair is None:
            return False
        first, last = pair
        if self.given(first) or not first.raw.isalpha() or vocab.zipf(first.form) >= 3.0:
            return False
        return _is(last, self.w.surnames) and not _is(last, self.w.common)

    def _rare(self, index: int, other: int) -> bool:
        pair = (self.t[index], self.t[other])
        rarity = [self.rarity(index), vocab.zipf(pair[1].form)]
        letters = all(t.raw.replace("'", "").isalpha() for t in pair)
        return letters and max(rarity) < 3.0 and min(rarity) < 2.5

    def rare_pair(self, index: int) -> bool:
        """Two rare words side by side, capitalised or joined into a handle: a name neither
        list has ("Zephyrine Quillfeather", "Blackwood, Kezia", "kezia_blackwood")."""
        if index + 1 < len(self.t):
            first, last = self.t[index], self.t[index + 1]
            handle = last.before in {"_", "."} or (last.glued and not self.r.has_case)
            clear = not (
                self.blocked(first) or self.blocked(last) or self.allowed_pair(first, last)
            )
            if handle and clear and self._rare(index, index + 1):
                return True
        pair = self._pair_start(index)
        if pair is None:
            return False
        first, last = pair
        if first.upper and last.upper and self.r.has_case:  # acronyms side by side
            return False
        if self._rare(index, index + 1):
            return True
        # Across a nickname: "Kezia 'Kez' Blackwood".
        for other in self.next_words(index)[1:]:
            word = self.t[other]
            if self.capital(word) and not self.blocked(word) and self._rare(index, other):
                return True
        return False

    def given_then_surname(self, index: int) -> bool:
        first = self.t[index]
        if not self.given(first) or self.after_title(index) or self.after_place_prefix(index):
            return False
        everyday = self.everyday(first)
        if everyday and not (self.capital(first) or first.glued):
            return False
        lower_pair = self.r.has_case and not first.capitalised and not everyday
        for j in self.next_words(index):
            last = self.t[j]
            if _boundary(self.t[j - 1], last) or self.allowed_pair(first, last):
                continue
            if last.form in vocab.SURNAME_PARTICLES or self.place_follows(j):
                continue
            glued = j == index + 1 and last.glued
            if everyday:
                surname = _is(last, self.w.surnames) and not _is(last, self.w.common)
                if (self.capital(last) or glued) and surname and not self.blocked(last):
                    return True
                continue
            # Written in lower case, a given name is read as a name only before a rare word
            # ("tyler wrackenbury", not "peer abuse").
            strong = self.capital(last) or glued or (lower_pair and vocab.zipf(last.form) < 3.0)
            if self.surname_like(last, strong=strong):
                return True
        return False

    def lower_surname_then_given(self, index: int) -> bool:
        """In lower case: a rare word, then a given name ("wrackenbury tyler", "pettigrew,
        mohammed")."""
        last = self.t[index]
        if index + 1 >= len(self.t) or last.capitalised or not self.r.has_case:
            return False
        first = self.t[index + 1]
        if first.capitalised or _boundary(last, first) or self.blocked(last):
            return False
        if not self.given(first) or self.everyday(first) or self.rarity(index) >= 3.0:
            return False
        return first.before.strip() in {"", ","} and not self.place_follows(index + 1)

    def surname_then_given(self, index: int) -> bool:
        last = self.t[index]
        if self.lower_surname_then_given(index):
            return True
        if index + 1 >= len(self.t) or not self.capital(last) or self.after_title(index):
            return False
        first = self.t[index + 1]
        if _boundary(last, first) or self.after_place_prefix(index):
            return False
        if self.allowed_pair(first, last) or self.starts_staff_name(index + 1):
            return False
        if self.place_follows(index + 1) or self.place_follows(index):
            return False
        upper = self.r.has_case and last.upper and not first.upper
        if "," in first.before:
            if not self.surname_like(last, strong=True):
                return False
            return self.given(first) or self.lone_initial(index + 1)
        if not (first.before.strip() == "" or first.glued):
            return False
        if not self.given(first) or self.everyday(first) or not self.capital(first):
            return False
        if upper and not self.blocked(last):
            return True
        if _is(last, self.w.surnames):
            return self.surname_like(last, strong=True)
        # An unknown capitalised word before a given name ("Wrackenbury Tyler"), unless it is
        # a word that starts a sentence or follows a preposition ("Later Tyler", "at Leeds").
        if self.given(last) or not self.surname_like(last, strong=True):
            return False
        return self.rarity(index) < 3.0 or (last.capitalised and not self.sentence_start(index))

    def lone_initial(self, index: int) -> bool:
        """A capital letter standing for a name: followed by a dot, or by the end of the text
        or of a clause ("Wrackenbury, T." / "Wrackenbury, T")."""
        token = self.t[index]
        if not token.is_initial or not token.raw.isupper():
            return False
        if index + 1 == len(self.t):
            return True
        after = self.t[index + 1].before
        return after.startswith(".") or bool(re.match(r"\s*[,;:)!?]", after))

    def initial_then_surname(self, index: int) -> bool:
        initial = self.t[index]
        if not initial.is_initial or not initial.raw.isupper() or index + 1 >= len(self.t):
            return False
        last = self.t[index + 1]
        if last.form in self.r.staff_surnames or self.place_follows(index + 1):
            return False
        if last.before.strip() == "." and self.capital(last):
            return self.surname_like(last, strong=True)
        if last.before == " " and initial.raw not in {"A", "I"} and self.capital(last):
            return _is(last, self.w.surnames) and self.surname_like(last, strong=False)
        return False

    def surname_then_initial(self, index: int) -> bool:
        last = self.t[index]
        if index + 1 >= len(self.t) or not self.capital(last) or self.after_title(index):
            return False
        if last.form in self.r.staff_surnames or self.after_place_prefix(index):
            return False
        initial = self.t[index + 1]
        if not self.lone_initial(index + 1):
            return False
        if "," in initial.before:
            return self.surname_like(last, strong=True)
        ends = index + 2 >= len(self.t) or self.t[index + 2].before.startswith(".")
        if initial.before == " " and ends:
            return self.surname_like(last, strong=True)
        return False

    def glued_handle(self, index: int) -> bool:
        """A name written as one word: "#tylerwrackenbury", "@wrackenburytyler"."""
        token = self.t[index]
        handle = token.before[-1:] in {"#", "@"}
        form = token.form
        if len(form) < 6 or not form.isalpha():
            return False
        # Outside a handle, only a word English does not have ("tylerwrackenbury", not
        # "riverside").
        if not handle and (len(form) < 8 or vocab.zipf(form) >= 1.0):
            return False
        for cut in range(3, len(form) - 2):
            head, tail = form[:cut], form[cut:]
            for first, last in ((head, tail), (tail, head)):
                if first not in self.w.given or first in vocab.EVERYDAY_GIVEN_NAMES:
                    continue
                if first in self.w.common or (first, last) in self.r.staff:
                    continue
                if last in vocab.PLACE_WORDS or last in self.w.common:
                    continue
                if last in self.w.surnames or (handle and len(last) >= 3):
                    return True
        # A handle made of two rare words that English has no word for together
        # ("#keziablackwood"): a name neither list has.
        if handle and vocab.zipf(form) == 0:
            for cut in range(3, len(form) - 2):
                if all(0 < vocab.zipf(part) < 3.0 for part in (form[:cut], form[cut:])):
                    return True
        return False


# --- known identities ----------------------------------------------------------------------


def _name_parts(name: str) -> list[str]:
    return [p for p in re.split(r"[\s\-]+", fold(name)) if p]


def _dates(flat: str) -> set[date]:
    found = set()
    for match in _DATES.finditer(flat):
        groups = match.groups()
        iso, numeric, dmy, mdy = groups[0:3], groups[3:6], groups[6:9], groups[9:12]
        try:
            if iso[0]:
                found.add(date(int(iso[0]), int(iso[1]), int(iso[2])))
            elif numeric[0]:
                found.add(date(_year(numeric[2]), int(numeric[1]), int(numeric[0])))
            elif dmy[0]:
                found.add(date(_year(dmy[2]), _MONTHS[dmy[1].rstrip(".")], int(dmy[0])))
            elif mdy[0]:
                found.add(date(int(mdy[2]), _MONTHS[mdy[0].rstrip(".")], int(mdy[1])))
        except (ValueError, KeyError):
            continue
    return found


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= date.today().year % 100 else 1900
    return year


@functools.cache
def _not_distinctive() -> frozenset[str]:
    """Surnames that alone say nothing: everyday words, place words, given names."""
    return vocab.common_words() | vocab.PLACE_WORDS | vocab.given_names()


@functools.lru_cache(maxsize=100_000)
def _known(identity: Identity) -> _Known:
    return _Known(identity)


class _Known:
    """One identity, matched in every rendering: first or preferred name with the surname in
    either order, with an initial, glued into one word, the surname alone (when it is not an
    everyday word), any identifier, the date of birth written in any form, the address."""

    def __init__(self, identity: Identity):
        # Everything about the identity worked out once (``_known`` keeps them): a manager's
        # check meets two thousand young people.
        self.firsts = [
            _name_parts(n) for n in (identity.first_name, identity.preferred_name) if n.strip()
        ]
        last = _name_parts(identity.last_name)
        # "O'Dowd" also as "ODowd" or "odowd" in a handle.
        plain = [p.replace("'", "") for p in last]
        self.lasts = [last, plain] if plain != last else [last]
        self.identifiers = [
            wanted
            for wanted in (re.sub(r"[^a-z0-9]", "", fold_plain(i)) for i in identity.identifiers)
            if len(wanted) >= 4
        ]
        self.date_of_birth = identity.date_of_birth
        address = re.findall(r"[a-z0-9']+", fold_plain(identity.address))
        self.address = f" {' '.join(address)} " if len(address) >= 2 else ""

    def find(self, reading: _Reading) -> FindingKind | None:
        if any(self._named(reading, last) for last in self.lasts):
            return FindingKind.NAME
        if any(wanted in reading.compact for wanted in self.identifiers):
            return FindingKind.IDENTIFIER
        if self.date_of_birth and self.date_of_birth in reading.dates:
            return FindingKind.DATE_OF_BIRTH
        if self.address and self.address in reading.spaced:
            return FindingKind.ADDRESS
        return None

    def _named(self, reading: _Reading, last: list[str]) -> bool:
        if not last:
            return False
        forms = reading.token_forms
        present = reading.present
        last_core = [p for p in last if p not in vocab.SURNAME_PARTICLES] or last
        glued_last = "".join(last).replace("'", "")
        firsts = [("".join(f).replace("'", ""), f) for f in self.firsts]
        # One word: "tylerwrackenbury", "wrackenburytyler", "#DillyVanDerMeer".
        for glued_first, _ in firsts:
            if {glued_first + glued_last, glued_last + glued_first} & reading.joined:
                return True
        if not set(last_core) <= present and glued_last not in present:
            return False
        toks = reading.tokens
        for index in reading.positions.get(last[0], ()):
            end = self._match(forms, index, last)
            if end is None:
                continue
            # The surname alone, when it is not an everyday word nor a place's name.
            if self._distinctive_surname(reading, index, end, last):
                return True
            before = self._before(forms, toks, index)
            after = self._after(forms, toks, end)
            for _, first in firsts:
                if any(self._ends_with(forms, position, first) for position in before):
                    return True
                if any(self._match(forms, position, first) is not None for position in after):
                    return True
            initials = {f[0][0] for f in self.firsts if f}
            if any(forms[p] & initials and len(toks[p].raw) == 1 for p in before + after):
                return True
        return False

    @staticmethod
    def _match(forms, index: int, words: list[str]) -> int | None:
        """The index after ``words`` when they stand at ``index``, else None."""
        if index + len(words) > len(forms):
            return None
        for offset, word in enumerate(words):
            if word not in forms[index + offset]:
                return None
        return index + len(words)

    def _ends_with(self, forms, end: int, words: list[str]) -> bool:
        start = end - len(words) + 1
        return start >= 0 and self._match(forms, start, words) is not None

    @staticmethod
    def _before(forms, toks, index: int) -> list[int]:
        """Where a first name may end before a surname at ``index``: just before, or before a
        nickname in quotes or brackets."""
        found = [index - 1] if index >= 1 else []
        if index >= 2 and any(c in _CLOSERS for c in toks[index].before):
            for back in range(index - 1, max(index - 4, 0), -1):
                if any(c in _OPENERS for c in toks[back].before):
                    found.append(back - 1)
                    break
        return [p for p in found if p >= 0]

    @staticmethod
    def _after(forms, toks, end: int) -> list[int]:
        return [end] if end < len(toks) else []

    def _distinctive_surname(self, reading: _Reading, index: int, end: int, last) -> bool:
        words = set(last)
        if words & _not_distinctive():
            return False
        if words & reading.staff_surnames:
            return False
        toks = reading.tokens
        if index > 0 and toks[index - 1].form in vocab.TITLES:
            return False
        return not (end < len(toks) and _is(toks[end], vocab.PLACE_WORDS))
