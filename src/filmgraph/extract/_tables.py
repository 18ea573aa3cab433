"""Language and country names: `langcodes` (with `language_data`) and `pycountry` know the names and codes;
this module keeps only what they do not say (and the script ranges, which Python's `unicodedata` lacks).

- `language_tag`: a language's English name (`Korean`, `Farsi`, `Panjabi`) -> its ISO 639-1 tag, from
  langcodes. Only ISO 639-1 languages are taken from it (langcodes names some 8,000, among them words like
  `Even`, `Ho`, `Ga` and `Klingon`), plus `LANGUAGE_NAMES`, the film languages it tags otherwise or not at all.
- `country_code`: a country's ISO 3166 short, common or official name -> alpha-2, from pycountry, plus
  `COUNTRY_NAMES`, names in everyday use that ISO does not list (`USA`, `Britain`, `England`, `Korea`).
- `PROSE_COUNTRIES`: the countries the plain-text reader takes as a country in running text and headlines,
  where a whole-world list would read `Georgia Rule`, `Jersey Girl` or an all-caps `ME` as countries.
- `DEMONYMS`: adjectives of origin and film-industry names; neither library has demonyms.
"""

from __future__ import annotations

import functools

import langcodes
import pycountry

#: Film languages langcodes tags otherwise than film catalogues do, or does not tag (name -> BCP 47).
LANGUAGE_NAMES: dict[str, str] = {
    "mandarin": "zh",  # langcodes: cmn; catalogues and schema:inLanguage use the macrolanguage
    "flemish": "nl",  # langcodes: nl-BE
    "dari": "prs",  # langcodes: fa-AF; ISO 639-3 names Dari prs
    "maya": "myn",  # a family (ISO 639-5), which langcodes does not find by name
    # no ISO 639-1 code, so outside the langcodes rule above
    "cantonese": "yue", "filipino": "fil", "aramaic": "arc",
}

#: Country names in everyday use that ISO 3166 does not list (name -> alpha-2).
COUNTRY_NAMES: dict[str, str] = {
    "korea": "KR", "republic of korea": "KR", "usa": "US", "us": "US", "america": "US", "uk": "GB",
    "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "russia": "RU",
    "turkey": "TR",  # ISO's short name is now Türkiye
}

#: Countries the plain-text reader recognises by name in prose and headlines (lower case; the first name of
#: each country is the one the graph names it by).
PROSE_COUNTRIES: tuple[str, ...] = (
    "south korea", "republic of korea", "korea", "north korea", "japan", "china", "hong kong", "taiwan",
    "india", "united states", "united states of america", "usa", "us", "america", "united kingdom", "uk",
    "britain", "great britain", "england", "scotland", "ireland", "france", "germany", "spain", "italy",
    "portugal", "brazil", "argentina", "mexico", "chile", "colombia", "canada", "australia", "new zealand",
    "russia", "iran", "turkey", "israel", "egypt", "nigeria", "south africa", "greece", "poland",
    "czech republic", "czechia", "hungary", "romania", "sweden", "denmark", "norway", "finland", "iceland",
    "netherlands", "belgium", "austria", "switzerland", "thailand", "vietnam", "indonesia", "philippines",
    "malaysia", "singapore", "ukraine", "pakistan", "bangladesh", "lebanon",
)


@functools.lru_cache(maxsize=4096)
def language_tag(name: str) -> str | None:
    """BCP 47 tag for a language's English name (`Korean` -> `ko`); a tag passes through; None if unknown."""
    key = name.strip().strip(".").lower()
    if not key:
        return None
    if key in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[key]
    if key in LANGUAGE_NAMES.values() or (len(key) == 2 and pycountry.languages.get(alpha_2=key)):
        return key  # a current ISO 639-1 code (not a withdrawn one such as `in` or `iw`)
    try:
        found = langcodes.find(key, language="en")
    except LookupError:
        return None
    return found.language if found.language and len(found.language) == 2 and found.to_tag() == found.language \
        else None


@functools.lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a country's name (`South Korea` -> `KR`); a code passes through."""
    key = name.strip().strip(".").lower()
    if key.startswith("the "):
        key = key[4:].strip()
    if key in COUNTRY_NAMES:
        return COUNTRY_NAMES[key]
    if len(key) == 2:
        country = pycountry.countries.get(alpha_2=key)
        return str(country.alpha_2) if country else None
    for country in (pycountry.countries.get(name=key), pycountry.countries.get(common_name=key),
                    pycountry.countries.get(official_name=key)):
        if country:
            return str(country.alpha_2)
    return None


#: `PROSE_COUNTRIES` with their codes (name -> alpha-2), in the same order.
COUNTRIES: dict[str, str] = {name: code for name in PROSE_COUNTRIES if (code := country_code(name))}


#: Demonym or film-industry name (lower case) -> (BCP 47 language or None, ISO country or None).
DEMONYMS: dict[str, tuple[str | None, str | None]] = {
    "korean": ("ko", "KR"), "south korean": ("ko", "KR"), "k-drama": ("ko", "KR"),
    "north korean": ("ko", "KP"), "japanese": ("ja", "JP"), "chinese": ("zh", "CN"),
    "hong kong": ("yue", "HK"), "taiwanese": ("zh", "TW"), "indian": (None, "IN"),
    "bollywood": ("hi", "IN"), "tollywood": ("te", "IN"), "kollywood": ("ta", "IN"),
    "hollywood": ("en", "US"), "american": ("en", "US"), "british": ("en", "GB"),
    "english": ("en", "GB"), "irish": ("en", "IE"), "australian": ("en", "AU"),
    "canadian": (None, "CA"), "french": ("fr", "FR"), "german": ("de", "DE"),
    "spanish": ("es", "ES"), "italian": ("it", "IT"), "portuguese": ("pt", "PT"),
    "brazilian": ("pt", "BR"), "mexican": ("es", "MX"), "argentine": ("es", "AR"),
    "argentinian": ("es", "AR"), "russian": ("ru", "RU"), "iranian": ("fa", "IR"),
    "turkish": ("tr", "TR"), "israeli": ("he", "IL"), "greek": ("el", "GR"),
    "polish": ("pl", "PL"), "czech": ("cs", "CZ"), "hungarian": ("hu", "HU"),
    "romanian": ("ro", "RO"), "swedish": ("sv", "SE"), "danish": ("da", "DK"),
    "norwegian": ("no", "NO"), "finnish": ("fi", "FI"), "icelandic": ("is", "IS"),
    "dutch": ("nl", "NL"), "belgian": (None, "BE"), "thai": ("th", "TH"),
    "vietnamese": ("vi", "VN"), "indonesian": ("id", "ID"), "filipino": ("fil", "PH"),
    "ukrainian": ("uk", "UA"), "nigerian": (None, "NG"), "egyptian": ("ar", "EG"),
}

#: Unicode script ranges -> BCP 47 language guessed from the script of a title.
SCRIPT_LANGUAGES: list[tuple[int, int, str]] = [
    (0xAC00, 0xD7A3, "ko"), (0x1100, 0x11FF, "ko"), (0x3130, 0x318F, "ko"),
    (0x3040, 0x309F, "ja"), (0x30A0, 0x30FF, "ja"),
    (0x0E00, 0x0E7F, "th"), (0x0590, 0x05FF, "he"), (0x0600, 0x06FF, "ar"),
    (0x0900, 0x097F, "hi"), (0x0B80, 0x0BFF, "ta"), (0x0C00, 0x0C7F, "te"),
    (0x0370, 0x03FF, "el"), (0x0400, 0x04FF, "ru"), (0x10A0, 0x10FF, "ka"),
]
#: CJK ideographs alone are Chinese unless kana or Hangul also appear.
CJK_RANGE = (0x4E00, 0x9FFF)
