"""Text as the recogniser reads it: one form whatever the case, accents, spacing, invisible
characters, look-alike letters from other scripts or digits written for letters.

``clean`` keeps the text's shape (case, punctuation, where words start) and removes what cannot
be seen; ``fold`` turns one word into the form names are compared in; ``tokens`` splits clean
text into words with the separators between them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii
from confusable_homoglyphs.confusables import confusables_data

# Digits written for letters inside a word ("Ty1er", "J0rdan", "3mma"). The Unicode confusables
# table gives 0 -> O and 1 -> l; it has no entry for the other digits people use this way.
_DIGIT_LETTERS = {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"}
_APOSTROPHES = "'’‘`´ʼ′"


def _is_invisible(char: str) -> bool:
    # Format characters (zero-width spaces and joiners, soft hyphens, direction marks and
    # isolates, the byte-order mark, invisible operators) and variation selectors.
    return unicodedata.category(char) == "Cf" or "\ufe00" <= char <= "\ufe0f"


def has_invisible(text: str) -> bool:
    return any(_is_invisible(c) for c in text)


def clean(text: str, *, invisible_as: str = "") -> str:
    """NFKC (full-width and styled letters become plain ones, ligatures come apart), invisible
    characters removed (or read as ``invisible_as``: a zero-width space may stand between two
    words, or inside one), every apostrophe one apostrophe, every run of white space one
    space."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(invisible_as if _is_invisible(c) else c for c in text)
    text = re.sub(f"[{_APOSTROPHES}]", "'", text)
    return re.sub(r"\s+", " ", text)


@functools.cache
def _latin(char: str) -> str:
    """One character as plain Latin letters: its accent dropped ("ë"), its look-alike from the
    Unicode confusables table ("о" in Cyrillic is "o"), or else its transliteration ("ß")."""
    if char.isascii():
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base.isascii() and base:
        return base
    for glyph in confusables_data.get(char, ()):
        candidate = "".join(
            c for c in unicodedata.normalize("NFKD", glyph["c"]) if not unicodedata.combining(c)
        )
        if candidate.isascii() and candidate.isalpha():
            return candidate
    return anyascii(char)


def fold_plain(text: str) -> str:
    """Lower case, plain Latin letters, digits left as digits: for dates, numbers and links."""
    return "".join(_latin(c) for c in clean(text)).lower()


@functools.lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The form names are compared in: lower case, plain Latin letters, one apostrophe, digits
    inside a word read as the letters they stand for."""
    word = clean(word)
    latin = "".join(_latin(c) for c in word)
    if any(c.isalpha() for c in latin) and any(c.isdigit() for c in latin):
        latin = "".join(_DIGIT_LETTERS.get(c, c) for c in latin)
    return latin.lower()


def fold_variants(word: str) -> tuple[str, ...]:
    """``fold``, and for a word with a 1 in it the reading with an i ("A1sha")."""
    folded = fold(word)
    if "1" in word and any(c.isalpha() for c in word):
        return (folded, fold(word.replace("1", "i")))
    return (folded,)


# A word: letters and digits (any script), with apostrophes inside ("O'Dowd", "Tyler's").
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SURNAME_HEADS = {"mc", "mac", "o", "de", "di", "da", "du", "la", "le", "van", "von", "del", "des"}
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(frozen=True)
class Token:
    raw: str  # as written (after ``clean``)
    forms: tuple[str, ...]  # folded, possessive taken off; several readings of digits
    before: str  # the characters between the previous token and this one
    start: int

    @property
    def form(self) -> str:
        return self.forms[0]

    @property
    def capitalised(self) -> bool:
        letters = [c for c in self.raw if c.isalpha()]
        return bool(letters) and letters[0].isupper()

    @property
    def upper(self) -> bool:
        letters = [c for c in self.raw if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @property
    def is_initial(self) -> bool:
        return len(self.raw) == 1 and self.raw.isalpha()

    @property
    def glued(self) -> bool:
        """Joined to the previous token with nothing a reader would call a space: a hyphen,
        underscore or dot between letters ("tyler_wrackenbury", "Tyler.Wrackenbury"), or the
        parts of one camel-cased word ("TylerWrackenbury")."""
        return self.before in {"", "-", "_", "."}


def _possessive_off(form: str) -> str:
    if form.endswith("'s"):
        return form[:-2]
    return form


def tokens(text: str) -> list[Token]:
    """The words of clean text in order. A camel-cased word ("TylerWrackenbury") gives one
    token per part, glued together."""
    found: list[Token] = []
    end = 0
    for match in _WORD.finditer(text):
        raw = match.group()
        before = text[end : match.start()]
        end = match.end()
        parts = [raw]
        if raw.isascii() and re.search(r"[a-z][A-Z]", raw):
            # "TylerWrackenbury" is two words; "McDonald", "MacAulay", "DeShawn" one.
            split: list[str] = []
            for part in _CAMEL.findall(raw):
                if split and split[-1].lower() in _SURNAME_HEADS:
                    split[-1] += part
                else:
                    split.append(part)
            if len(split) > 1 and all(len(p) >= 3 for p in split):
                parts = split
        offset = match.start()
        for index, part in enumerate(parts):
            forms = tuple(dict.fromkeys(_possessive_off(f) for f in fold_variants(part)))
            found.append(Token(part, forms, before if index == 0 else "", offset))
            offset += len(part)
    return found
