"""General lookup tables: language names to BCP 47, country names and demonyms to ISO 3166 alpha-2.

These are general-purpose tables (the common film languages and countries), not lists of films or people.
"""

from __future__ import annotations

#: Language name (lower case) -> BCP 47 tag.
LANGUAGES: dict[str, str] = {
    "english": "en", "korean": "ko", "japanese": "ja", "chinese": "zh", "mandarin": "zh",
    "cantonese": "yue", "french": "fr", "german": "de", "spanish": "es", "italian": "it",
    "portuguese": "pt", "russian": "ru", "hindi": "hi", "tamil": "ta", "telugu": "te",
    "malayalam": "ml", "bengali": "bn", "marathi": "mr", "punjabi": "pa", "urdu": "ur",
    "persian": "fa", "farsi": "fa", "arabic": "ar", "turkish": "tr", "hebrew": "he",
    "greek": "el", "polish": "pl", "czech": "cs", "hungarian": "hu", "romanian": "ro",
    "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi", "icelandic": "is",
    "dutch": "nl", "flemish": "nl", "thai": "th", "vietnamese": "vi", "indonesian": "id",
    "tagalog": "tl", "filipino": "fil", "ukrainian": "uk", "serbian": "sr", "croatian": "hr",
    "georgian": "ka", "kazakh": "kk", "mongolian": "mn", "catalan": "ca", "basque": "eu",
}

#: Country name (lower case) -> ISO 3166-1 alpha-2.
COUNTRIES: dict[str, str] = {
    "south korea": "KR", "republic of korea": "KR", "korea": "KR", "north korea": "KP",
    "japan": "JP", "china": "CN", "hong kong": "HK", "taiwan": "TW", "india": "IN",
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "america": "US", "united kingdom": "GB", "uk": "GB", "britain": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "ireland": "IE", "france": "FR", "germany": "DE",
    "spain": "ES", "italy": "IT", "portugal": "PT", "brazil": "BR", "argentina": "AR",
    "mexico": "MX", "chile": "CL", "colombia": "CO", "canada": "CA", "australia": "AU",
    "new zealand": "NZ", "russia": "RU", "iran": "IR", "turkey": "TR", "israel": "IL",
    "egypt": "EG", "nigeria": "NG", "south africa": "ZA", "greece": "GR", "poland": "PL",
    "czech republic": "CZ", "czechia": "CZ", "hungary": "HU", "romania": "RO", "sweden": "SE",
    "denmark": "DK", "norway": "NO", "finland": "FI", "iceland": "IS", "netherlands": "NL",
    "belgium": "BE", "austria": "AT", "switzerland": "CH", "thailand": "TH", "vietnam": "VN",
    "indonesia": "ID", "philippines": "PH", "malaysia": "MY", "singapore": "SG",
    "ukraine": "UA", "pakistan": "PK", "bangladesh": "BD", "lebanon": "LB",
}

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
