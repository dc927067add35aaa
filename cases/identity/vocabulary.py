"""The words the recogniser knows: given names and surnames, common English words, and the words
that make a capitalised run a place, an organisation or a title rather than a person.

Given names and surnames come from Faker's person providers (a well-kept package that ships them
for many locales, from published sources such as the US Social Security Administration's names
and national statistics offices' lists), for the locales whose names are common among children in
England and Wales. Common English words come from Faker's English word list. The place, title and
function words below are csafe's own: the vocabulary of UK addresses, institutions and
professional titles that thematic writing uses.

Every word is folded as text is (``text.fold``), so a name and the text meet in one form.
"""

from __future__ import annotations

import functools
import importlib

from .text import fold


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Latin-script locales of Faker's person providers whose names are common among children in
# England and Wales: the British Isles, the Commonwealth countries of the largest communities,
# and the European countries of the largest recent arrivals.
NAME_LOCALES = (
    "en",
    "en_GB",
    "en_IE",
    "ga_IE",
    "en_US",
    "en_IN",
    "en_PK",
    "en_NG",
    "en_KE",
    "en_NZ",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "zu_ZA",
    "sw",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "lv_LV",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "pt_PT",
    "pt_BR",
    "es",
    "es_ES",
    "it_IT",
    "fr_FR",
    "de_DE",
    "nl_NL",
    "tr_TR",
)

# Given names that are also everyday English words: beside a capitalised word they read as a
# name only when that word is a known surname ("Will Smith", not "May Half Term").
EVERYDAY_GIVEN_NAMES = _words(
    """
    will may mark grace hope faith joy rose summer autumn june april august bill pat sue
    jack guy ray dawn art chase sky river ruby amber jade crystal ivy lily holly daisy
    heather violet iris hazel pearl penny sunny rocky frank earl chance hunter cole gene
    young said page rich major king prince duke bishop dean miles norman lane hill brook
    brooke gray grey brown green white black rain storm star angel precious justice honor
    honour patience mercy charity harmony melody destiny trinity genesis eden haven royal
    blue sage wren robin jay august christian carol noel easter sunday monday tuesday
    wednesday thursday friday saturday
    """
)

# Words that make a capitalised run a place or an institution: "Jordan Road", "Victoria Park",
# "St Mary's School", "Kingsley Court", "Mary Seacole Centre".
PLACE_WORDS = _words(
    """
    road rd street st lane ln avenue ave close way drive dr court ct crescent grove gardens
    garden place square sq terrace row walk parade mews hill green park common heath fields
    field estate tower towers house houses flats block blocks centre center hall school
    schools academy college university uni primary secondary high grammar infants juniors
    nursery library station stn stadium market bridge wharf quay yard arcade precinct church
    chapel mosque temple gurdwara synagogue cathedral abbey hospital surgery clinic pool
    baths leisure club line junction interchange retail shopping cinema museum theatre woods
    wood rec recreation ground grounds meadow meadows lido canal river marina point plaza
    mall circus cross gate gates hub campus lodge manor farm village town city borough ward
    boulevard embankment promenade pier beach bay cafe café shop shops store stores garage
    services trust foundation partnership council housing association centre estates view
    rise vale dale end side hythe moor bank banks bus buses tram metro underground
    overground tube airport port docks dock basin reservoir lake pond forest copse orchard
    allotments playground skatepark skate pitch pitches courts arena hotel inn pub bar
    tavern arms kitchen grill chicken pizza kebab express mart supermarket superstore
    pharmacy barbers salon laundrette launderette bakery works mill mills factory depot
    office offices buildings building chambers wing floor passage alley underpass subway
    footbridge walkway towpath path bypass flyover roundabout circle approach parkway
    """
)

# Words that come before a place's name: "St Mary's", "Upper Norwood", "King's Cross".
PLACE_PREFIXES = _words(
    """
    st saint mount mt lake fort port upper lower north south east west great little old new
    royal kings queens king queen princes prince lady lord
    """
)

# Titles and ranks: a name after one is an adult professional's ("PC Okafor", "Mr Hussain").
TITLES = _words(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev revd reverend father sister
    brother pc dc ds di dci sgt sergeant inspector officer pcso cllr councillor judge mp
    coach head headteacher teacher nurse
    """
)

# Words of the language itself, never a surname: articles, pronouns, prepositions,
# conjunctions, days, months and the words of the school and council calendar.
FUNCTION_WORDS = _words(
    """
    a an the this that these those it its he she they them their his her him we us our you
    your i me my mine of in on at by for from to into onto over under with without within
    about above below after before between among around near outside inside behind beside
    beyond during until since through across along against towards toward via per and or but
    nor so yet if then than when where while who whom whose which what why how all any both
    each every few many most much no none not only other some such own same more less very
    also too just is are was were be been being am has have had do does did done can could
    shall should would must might may will there here today yesterday tomorrow now later
    soon monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec spring summer autumn winter term half holiday holidays bank day
    week weekend month year night evening morning afternoon christmas easter eid diwali
    ramadan
    """
)

# Businesses and buildings named after people, seen in thematic writing as places.
NAMED_PLACES = frozenset(
    (
        ("john", "lewis"),
        ("harvey", "nichols"),
        ("ted", "baker"),
        ("jack", "wills"),
        ("tim", "hortons"),
        ("ronald", "mcdonald"),
        ("tommy", "hilfiger"),
        ("ralph", "lauren"),
        ("calvin", "klein"),
        ("hugo", "boss"),
        ("paul", "smith"),
        ("kurt", "geiger"),
        ("jd", "sports"),
        ("mary", "seacole"),
    )
)

# Particles inside a surname: "van der Meer", "Al-Rashid", "de la Cruz", "O'Dowd".
SURNAME_PARTICLES = _words(
    """
    van der den de del della da di dos das du la le von al el bin ibn bint binti ben ter ten
    ap ab o mac mc nic ni ui ua
    """
)


def _provider(locale: str):
    try:
        return importlib.import_module(f"faker.providers.person.{locale}").Provider
    except ModuleNotFoundError:  # a locale a later Faker no longer ships
        return None


def _folded(words) -> frozenset[str]:
    folded = set()
    for word in words:
        for part in fold(word).replace("-", " ").split():
            if len(part) >= 2 and part.replace("'", "").isalpha():
                folded.add(part)
    return frozenset(folded)


@functools.cache
def given_names() -> frozenset[str]:
    names = []
    for locale in NAME_LOCALES:
        provider = _provider(locale)
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names.extend(getattr(provider, attribute, None) or ())
    # One-letter and two-letter "names" ("Al", "Jo") are too often something else.
    return frozenset(n for n in _folded(names) if len(n) >= 3) - FUNCTION_WORDS - PLACE_WORDS


@functools.cache
def surnames() -> frozenset[str]:
    names = []
    for locale in NAME_LOCALES:
        provider = _provider(locale)
        names.extend(getattr(provider, "last_names", None) or ())
    return _folded(names) - FUNCTION_WORDS - PLACE_WORDS - SURNAME_PARTICLES


@functools.cache
def common_words() -> frozenset[str]:
    from faker.providers.lorem.en_US import Provider

    return frozenset(fold(w) for w in Provider.word_list) | FUNCTION_WORDS


@functools.cache
def zipf(form: str) -> float:
    """How common a word is in English, on wordfreq's Zipf scale (0 for a word never seen, 3 for
    once per million words, 6 for "will"). Names have frequencies too ("tyler" is 4.2), so this
    tells rare words from everyday ones, not names from words."""
    from wordfreq import zipf_frequency

    return zipf_frequency(form, "en")
