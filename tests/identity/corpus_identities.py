"""Invented children, and every way a practitioner's text might identify one of them.

Every child here is invented (names, identifiers, dates of birth, addresses, NHS numbers; the NHS
numbers are made up and carry a valid check digit only so that they are shaped like real ones).
``renderings(child)`` gives (label, sentence) pairs, each a realistic sentence of context work
that nevertheless identifies the child: by name in its many written forms, by local identifier or
NHS number, by a link to the child's record, or by date of birth. ``ALL_RENDERINGS`` is all of
them, flat, labelled "<child> / <rendering>". ``known_only_renderings(child)`` are forms that only
a known identity can catch (the preferred name with the surname, the home address).

``as_identity(child)`` builds the ``cases.identity.Identity`` for known-identity tests; it imports
lazily so that the corpus can be read without the recogniser.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

BASE_URL = "https://csafe.example.gov.uk"


@dataclass(frozen=True)
class Child:
    first_name: str
    last_name: str
    local_id: str
    record_id: int
    date_of_birth: date
    address: str
    preferred_name: str = ""
    nhs_number: str = ""
    extra_ids: tuple[str, ...] = field(default=())

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identifiers(self) -> tuple[str, ...]:
        return tuple(i for i in (self.local_id, self.nhs_number, *self.extra_ids) if i)


def nhs_number(base: str) -> str:
    """A 10-digit number with a valid NHS mod-11 check digit, from nine invented digits."""
    assert len(base) == 9 and base.isdigit()
    total = sum(int(d) * (10 - i) for i, d in enumerate(base))
    check = 11 - total % 11
    if check == 11:
        check = 0
    assert check != 10, f"{base} has no valid check digit"
    return base + str(check)


CHILDREN: list[Child] = [
    Child(
        "Tyler",
        "Wrackenbury",
        "TST004217",
        4217,
        date(2011, 3, 14),
        "14 Larch Walk, Northbridge, NB4 7TQ",
        preferred_name="Ty",
        nhs_number=nhs_number("485777345"),
    ),
    Child(
        "Amara",
        "Okonkwo-Bright",
        "TST004388",
        4388,
        date(2012, 7, 2),
        "Flat 31, Elliott House, Jordan Road, NB4 7TR",
        preferred_name="Mara",
    ),
    Child(
        "Kacper",
        "Zielinski",
        "SYN0001234",
        1234,
        date(2010, 11, 23),
        "7 Fenwick Gardens, NB2 3LX",
        preferred_name="Kacz",
        nhs_number=nhs_number("401023456"),
    ),
    Child(
        "Siobhan",
        "O'Dowd",
        "TST005120",
        5120,
        date(2009, 5, 30),
        "22 Heron Close, NB4 8AA",
        preferred_name="Shiv",
    ),
    Child(
        "Mohammed",
        "Al-Rashid",
        "SYN0002981",
        2981,
        date(2011, 9, 8),
        "Flat 9, Kingsley Court, NB4 7TQ",
        preferred_name="Mo",
        nhs_number=nhs_number("612345678"),
    ),
    Child("Dilly", "van der Meer", "TST006034", 6034, date(2013, 1, 17), "3 Ashdown Mews, NB7 1AA"),
    Child("Leah", "Øyen", "NB40219", 40219, date(2012, 4, 11), "58 Quarry Lane, NB4 9PE"),
    Child(
        "Jayden",
        "Smith",
        "TST007761",
        7761,
        date(2010, 2, 27),
        "Flat 4, Thomas Brereton Court, NB4 7TW",
        preferred_name="JJ",
    ),
    Child(
        "Zoë",
        "Brennan",
        "TST008102",
        8102,
        date(2013, 12, 5),
        "19 Mill Pond Row, NB3 2HD",
        nhs_number=nhs_number("723410986"),
    ),
    Child(
        "Oluwaseun",
        "Adeyinka-Cole",
        "SYN0003310",
        3310,
        date(2009, 8, 19),
        "41 Sorrel Drive, NB4 6QS",
        preferred_name="Seun",
    ),
    Child(
        "Anjali", "Venkataraman", "TST009455", 9455, date(2011, 6, 21), "12 Cobbler's Yard, NB2 5RT"
    ),
    Child("Rhys", "ap Gwilym", "TST010287", 10287, date(2010, 10, 3), "2 Chapel Terrace, NB6 4LN"),
    Child(
        "Ffion",
        "Llewellyn-Price",
        "TST010901",
        10901,
        date(2012, 2, 14),
        "66 Tannery Street, NB4 7UB",
        nhs_number=nhs_number("834201957"),
    ),
    Child(
        "Aleksandra",
        "Nowakowska",
        "SYN0004472",
        4472,
        date(2009, 12, 29),
        "Flat 12, Elliott House, Jordan Road, NB4 7TR",
        preferred_name="Ola",
    ),
    Child("Kwame", "Asante-Mensah", "TST011563", 11563, date(2011, 1, 9), "9 Beacon Rise, NB5 2JJ"),
    Child(
        "Hamza",
        "Iqbal",
        "TST012048",
        12048,
        date(2013, 5, 25),
        "35 Linnet Way, NB4 8AB",
        nhs_number=nhs_number("945612307"),
    ),
    Child(
        "Maisie-Rose",
        "Pettigrew",
        "TST012930",
        12930,
        date(2014, 3, 3),
        "5 Orchard Bank, NB3 7YZ",
        preferred_name="Maisie",
    ),
    Child("Eilidh", "MacAulay", "SYN0005519", 5519, date(2010, 7, 16), "27 Thistle Road, NB6 1DF"),
    Child(
        "Chloé",
        "Dubois-Harker",
        "TST013377",
        13377,
        date(2012, 9, 10),
        "Flat 2, 80 Foundry Lane, NB4 7TS",
    ),
    Child(
        "Ionuț",
        "Popescu",
        "TST014206",
        14206,
        date(2010, 4, 4),
        "11 Wharf Side, NB2 9GG",
        preferred_name="Nuțu",
        nhs_number=nhs_number("556018234"),
    ),
    Child(
        "Nathaniel",
        "Okoro",
        "TST014875",
        14875,
        date(2008, 11, 12),
        "73 Kestrel Avenue, NB4 6PX",
        preferred_name="Nate",
    ),
    Child("Freya", "Lindgren-Hale", "SYN0006627", 6627, date(2013, 8, 8), "4 Rowan Steps, NB7 3EE"),
    Child(
        "Tariq",
        "Mahmood",
        "TST015540",
        15540,
        date(2009, 3, 27),
        "Flat 17, Kingsley Court, NB4 7TQ",
        nhs_number=nhs_number("367190245"),
    ),
    Child(
        "Kezia",
        "Blackwood",
        "TST016119",
        16119,
        date(2011, 12, 1),
        "30 Saddler's Walk, NB4 5NN",
        preferred_name="Kez",
    ),
    Child("Ruairí", "Ó Briain", "TST016802", 16802, date(2012, 6, 6), "8 Glebe Cottages, NB6 2BQ"),
    Child(
        "Shanice",
        "Campbell-Reid",
        "SYN0007743",
        7743,
        date(2010, 1, 20),
        "52 Marram Court, NB4 7TX",
        preferred_name="Neece",
    ),
    Child("Mai", "Nguyen", "TST017364", 17364, date(2013, 10, 30), "Flat 6, 14 Ropewalk, NB2 8HL"),
    Child(
        "Emre",
        "Yıldız",
        "TST018095",
        18095,
        date(2011, 4, 19),
        "19 Cinder Path, NB4 9PF",
        nhs_number=nhs_number("702468135"),
    ),
    Child(
        "Reuben",
        "Goldfarb",
        "TST018660",
        18660,
        date(2012, 11, 28),
        "1 Weaver's Row, NB3 4KD",
        preferred_name="Ruby",
    ),
    Child(
        "Lacey-Mae",
        "Turnbull",
        "XYZ00418660",
        41866,
        date(2014, 7, 7),
        "Flat 3, Marram Court, NB4 7TX",
        preferred_name="Lace",
    ),
]

# --- Transformations ---------------------------------------------------------------------------

ZWSP = "\u200b"
SOFT_HYPHEN = "\u00ad"
LRM = "\u200e"
RLM = "\u200f"

_CYRILLIC = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "A": "\u0410",
    "E": "\u0415",
    "O": "\u041e",
}
_FOLD = {"Ø": "O", "ø": "o", "ı": "i", "ł": "l", "Ł": "L", "ß": "ss", "đ": "d"}
_ACCENT = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "y": "ý"}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

LONG_WORDS = [
    "Partnership",
    "Neighbourhood",
    "Safeguarding",
    "Environmental",
    "Assessment",
    "Community",
    "Transportation",
    "Observations",
    "Recommendations",
    "Intelligence",
    "Multiagency",
    "Coordination",
    "Accommodation",
    "Engagement",
    "Supervision",
    "Arrangements",
    "Consultation",
    "Development",
    "Interventions",
    "Partnerships",
]


def ascii_fold(text: str) -> str:
    text = "".join(_FOLD.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _words(name: str) -> list[str]:
    """The alphanumeric words of a name, for handles: "O'Dowd" -> ["ODowd"]."""
    out = []
    for part in ascii_fold(name).replace("-", " ").split():
        word = "".join(c for c in part if c.isalnum())
        if word:
            out.append(word)
    return out


def _camel(name: str) -> str:
    return "".join(w[0].upper() + w[1:] for w in _words(name))


def _insert_middle(name: str, mark: str) -> str:
    """``mark`` in the middle of the longest word of ``name``."""
    parts = name.split(" ")
    k = max(range(len(parts)), key=lambda j: len(parts[j]))
    middle = len(parts[k]) // 2
    parts[k] = parts[k][:middle] + mark + parts[k][middle:]
    return " ".join(parts)


def _cyrillic(name: str) -> str:
    out = []
    for word in name.split(" "):
        for i, c in enumerate(word):
            if c in _CYRILLIC:
                word = word[:i] + _CYRILLIC[c] + word[i + 1 :]
                break
        out.append(word)
    return " ".join(out)


def _fullwidth(name: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)


def _accent_added(name: str) -> str:
    for i, c in enumerate(name):
        if c in _ACCENT:
            return name[:i] + _ACCENT[c] + name[i + 1 :]
    raise AssertionError(f"no vowel to accent in {name}")


def _initial(first: str) -> str:
    return ascii_fold(first)[0].upper() if not first[0].isalpha() else first[0].upper()


def _digits_spaced(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def _with_spaces(identifier: str) -> str:
    letters = "".join(c for c in identifier if c.isalpha())
    digits = identifier[len(letters) :]
    return f"{letters} {digits}"


def _with_more_spaces(identifier: str) -> str:
    letters = "".join(c for c in identifier if c.isalpha())
    digits = identifier[len(letters) :]
    return f"{letters} {digits[:3]} {digits[3:]}"  # TST 004 217, SYN 000 1234


# --- Renderings --------------------------------------------------------------------------------

_TEMPLATES: dict[str, list[str]] = {
    "name": [
        "{n} was seen with the group in Victoria Park on Friday evening.",
        "The PCSO recognised {n} among the young people at the Abbey Road bus stop.",
        "Security at the shopping centre moved {n} and two older males on at about 8pm.",
        "The detached youth workers spoke to {n} in the Kingsley Court stairwell.",
    ],
    "list": [
        "Young people present: {n}, and three others not known to the school.",
        "Seen at the Morrisons car park on 14/03/2026: {n}, with two adults in a grey car.",
        "Referral received via MASH for {n} following the incident at the chicken shop.",
    ],
    "handle": [
        "Messages were sent to younger girls from the Instagram account {n}.",
        "The Snapchat username {n} was shared in the group chat on Tuesday.",
        "A TikTok account called {n} has posted videos filmed in Fenwick Gardens.",
        "Older males tagged {n} in a post from the Morrisons car park.",
    ],
    "hashtag": [
        "The hashtag {n} has been used in drill videos about the Abbey Road group.",
        "Posts tagged {n} show the group outside Elliott House late at night.",
    ],
    "id": [
        "See {n} for the individual concerns about the boy seen at the park.",
        "Case reference {n} relates to the young person found at King's Cross.",
        "The school has linked the incident on the 38 bus to {n}.",
    ],
    "link": [
        "Further detail is on the young person's file: {n}",
        "For the missing episode see {n} (entry of 3 March).",
        "Link shared in the meeting chat: {n}",
    ],
    "dob": [
        "One of the girls in the group, {n}, has been going missing from home.",
        "The young person seen getting into the car ({n}) attends Harris Academy.",
        "A boy, {n}, was found with a knife near Jordan Road.",
    ],
}


def _pick(kind: str, index: int, value: str) -> str:
    options = _TEMPLATES[kind]
    return options[index % len(options)].format(n=value)


def renderings(child: Child) -> list[tuple[str, str]]:
    """Every rendering of ``child`` from the spec, each in a realistic thematic sentence."""
    i = CHILDREN.index(child) if child in CHILDREN else 0
    first, last, nick = child.first_name, child.last_name, child.preferred_name
    full = child.full_name
    words = [*_words(first), *_words(last)]
    lower_words = [w.lower() for w in words]
    out: list[tuple[str, str]] = []

    def add(label: str, sentence: str) -> None:
        out.append((label, sentence))

    # Names in ordinary written forms.
    add("First Last", _pick("name", i, full))
    add("Last First", _pick("name", i + 1, f"{last} {first}"))
    add("LAST, First", _pick("list", i, f"{last.upper()}, {first}"))
    add("Last, First", _pick("list", i + 1, f"{last}, {first}"))
    add("Last, F.", _pick("list", i + 2, f"{last}, {_initial(first)}."))
    add("F. Last", f"{_initial(first)}. {last} is thought to be carrying for the older boys.")
    if nick:
        add("First 'Nick' Last", f"Staff at the youth club know {first} '{nick}' {last} well.")
        add("First (Nick) Last", _pick("name", i + 2, f"{first} ({nick}) {last}"))
        add("First “Nick” Last", f"The boxing coach says {first} “{nick}” {last} trains with him.")
    add("possessive", f"{full}'s mum told the meeting that the stairwell is unsafe at night.")
    add("possessive, Last First", f"The PCSO spoke to {last} {first}'s older brother at the shops.")
    add("lower case", f"{full.lower()} was in the stairwell again last night, per the caretaker")
    add("lower case, Last First", f"seen: {last.lower()} {first.lower()} with the older boys")
    add(
        "ALL CAPS",
        f"CONCERN RAISED BY SCHOOL: {full.upper()} SEEN GETTING INTO A CAR ON JORDAN ROAD.",
    )
    add("Title after name", f"{full} (Year 9, Harris Academy) was present at the fight.")
    # Handles and tags.
    add("First-Last", _pick("handle", i, "-".join(words)))
    add("first_last", _pick("handle", i + 1, "_".join(lower_words)))
    add("first.last", _pick("handle", i + 2, ".".join(lower_words)))
    add("#FirstLast", _pick("hashtag", i, "#" + _camel(first) + _camel(last)))
    add("#firstlast", _pick("hashtag", i + 1, "#" + "".join(lower_words)))
    add("@first_last", _pick("handle", i + 3, "@" + "_".join(lower_words)))
    add(
        "@lastfirst",
        _pick(
            "handle",
            i,
            "@"
            + "".join(w.lower() for w in _words(last))
            + "".join(w.lower() for w in _words(first)),
        ),
    )
    # Invisible characters and look-alikes.
    add("zero-width space inside", _pick("name", i, f"{_insert_middle(first, ZWSP)} {last}"))
    add("zero-width space for the space", _pick("name", i + 1, f"{first}{ZWSP}{last}"))
    add("soft hyphen inside", _pick("name", i + 2, f"{first} {_insert_middle(last, SOFT_HYPHEN)}"))
    add("left-to-right mark inside", _pick("name", i + 3, f"{_insert_middle(first, LRM)} {last}"))
    add("right-to-left mark inside", _pick("list", i, f"{first} {_insert_middle(last, RLM)}"))
    cyr = _cyrillic(full)
    if cyr != full:
        add("Cyrillic look-alike letters", _pick("name", i, cyr))
    if "o" in full.lower():
        add("digit 0 for o", _pick("name", i + 1, full.replace("o", "0").replace("O", "0")))
    if "l" in full:
        add("digit 1 for l", _pick("name", i + 2, full.replace("l", "1")))
    add("fullwidth letters", _pick("name", i + 3, _fullwidth(ascii_fold(full))))
    if ascii_fold(full) != full:
        add("accents dropped", _pick("list", i, ascii_fold(full)))
    add("accent added", _pick("list", i + 1, f"{_accent_added(first)} {last}"))
    add(
        "across a line break",
        f"Seen in the stairwell at 10pm: {first}\n{last}, with two older males.",
    )
    add(
        "across a line break, Last First",
        f"The caretaker named the boy as {last}\r\n{first} when he called the police.",
    )
    long_prefix = " ".join(LONG_WORDS[k % len(LONG_WORDS)] for k in range(200))
    add("after 200 capitalised words", f"{long_prefix} Concerning {full} And The Underpass.")
    # Identifiers.
    add("local identifier", _pick("id", i, child.local_id))
    add("local identifier, lower case", _pick("id", i + 1, child.local_id.lower()))
    add("local identifier, with a space", _pick("id", i + 2, _with_spaces(child.local_id)))
    add("local identifier, with spaces", _pick("id", i, _with_more_spaces(child.local_id)))
    if child.nhs_number:
        add("NHS number", f"NHS number {child.nhs_number} was given to the school nurse.")
        add("NHS number, spaced", _pick("id", i + 1, _digits_spaced(child.nhs_number)))
    # Record links.
    rid = child.record_id
    add("record link, relative", _pick("link", i, f"/young-people/{rid}/"))
    add("record link, absolute", _pick("link", i + 1, f"{BASE_URL}/young-people/{rid}/chronology/"))
    add("record link, API", _pick("link", i + 2, f"/api/young-people/{rid}/"))
    add("record link, absolute API", f"The export called {BASE_URL}/api/young-people/{rid}/ twice.")
    # Dates of birth.
    dob = child.date_of_birth
    add("born dd/mm/yyyy", _pick("dob", i, f"born {dob:%d/%m/%Y}"))
    add("DOB d.m.yy", _pick("dob", i + 1, f"DOB {dob.day}.{dob.month}.{dob:%y}"))
    add(
        "d.o.b. d Month yyyy",
        _pick("dob", i + 2, f"d.o.b. {dob.day} {MONTHS[dob.month - 1]} {dob.year}"),
    )
    add("date of birth: ISO", _pick("dob", i, f"date of birth: {dob.isoformat()}"))
    add("D.O.B: dd/mm/yy", _pick("dob", i + 1, f"D.O.B: {dob:%d/%m/%y}"))
    return out


def known_only_renderings(child: Child) -> list[tuple[str, str]]:
    """Forms only the child's known identity can catch: no generic rule could see them."""
    out = [("home address", f"Young people were seen going in and out of {child.address}.")]
    if child.preferred_name:
        out.append(
            ("Nick Last", f"{child.preferred_name} {child.last_name} was at the bus stop again.")
        )
    return out


def as_identity(child: Child):
    from cases.identity import Identity

    return Identity(
        first_name=child.first_name,
        last_name=child.last_name,
        preferred_name=child.preferred_name,
        identifiers=child.identifiers,
        date_of_birth=child.date_of_birth,
        address=child.address,
    )


RECORD_LINK_LABELS = frozenset(
    {
        "record link, relative",
        "record link, absolute",
        "record link, API",
        "record link, absolute API",
    }
)

ALL_RENDERINGS: list[tuple[str, str]] = [
    (f"{child.full_name} / {label}", sentence)
    for child in CHILDREN
    for label, sentence in renderings(child)
]


def _check() -> None:
    firsts = [c.first_name for c in CHILDREN]
    lasts = [c.last_name for c in CHILDREN]
    nicks = [c.preferred_name for c in CHILDREN if c.preferred_name]
    assert len(set(firsts + nicks)) == len(firsts) + len(nicks), "shared given names"
    assert len(set(lasts)) == len(lasts), "shared surnames"
    assert len({c.date_of_birth for c in CHILDREN}) == len(CHILDREN), "shared dates of birth"
    assert len({c.record_id for c in CHILDREN}) == len(CHILDREN), "shared record ids"
    ids = [i for c in CHILDREN for i in c.identifiers]
    assert len(set(ids)) == len(ids), "shared identifiers"
    assert all(2008 <= c.date_of_birth.year <= 2014 for c in CHILDREN)


_check()
