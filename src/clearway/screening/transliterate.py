"""Latin readings of Cyrillic and Greek names, with explicit tables, and Latin diacritics
stripped.

Cyrillic (Russian, Ukrainian, Bulgarian, Serbian, Macedonian) and Greek are transliterated in
several readings (English-style digraphs and ISO 9 / ELOT 743-style letters, a Ukrainian and
a Bulgarian reading where the letters allow it, a phonetic and a foreign-name Greek one): a
name on a list and the same name on a declaration may have been romanised either way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

_CYR_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "ъ": "", "ь": "", "ы": "y", "э": "e", "і": "i", "ґ": "g", "ј": "j", "љ": "lj",
    "њ": "nj", "ѕ": "dz",
}
# English/BGN-style digraphs (Shevchenko, Zhukov, Khodorkovsky, Djordjevic).
CYRILLIC_EN = {**_CYR_COMMON, "ё": "yo", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch",
               "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "ђ": "dj",
               "џ": "dzh", "ћ": "ch", "ѓ": "gj", "ќ": "kj"}
# ISO 9 / South Slavic Latin letters (Ševčenko, Žukov, Hodorkovskij, Đorđević).
CYRILLIC_ISO = {**_CYR_COMMON, "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č",
                "ш": "š", "щ": "ŝ", "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "ђ": "đ",
                "џ": "dž", "ћ": "ć", "ѓ": "ǵ", "ќ": "ḱ"}
_UKRAINIAN = {"г": "h", "и": "y", "ї": "yi", "є": "ye", "щ": "shch"}
_BULGARIAN = {"щ": "sht", "ъ": "a", "ж": "zh", "ю": "yu", "я": "ya"}
_CYR_INITIAL_EN = {"е": "ye"}

_GREEK_COMMON = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    "ου": "ou", "γγ": "ng", "γξ": "nx", "γχ": "nch", "μπ": "mp", "ντ": "nt", "γκ": "gk",
}
# ELOT 743: digraphs kept (Papadopoulos, Chatzidakis, Konstantinos).
GREEK_ELOT = {**_GREEK_COMMON}
# Phonetic reading (Hatzidakis, Papadopulos, Bakoyannis): ου->u, αι->e, ει/οι/υ->i, χ->h, γι->y.
GREEK_PHONETIC = {**_GREEK_COMMON, "ου": "u", "αι": "e", "ει": "i", "οι": "i", "υι": "i",
                  "υ": "i", "χ": "h", "μπ": "mb", "ντ": "nd", "γκ": "ng", "γι": "y"}
# Foreign names written in Greek (Ρομπέρτο, Τζόκιτς, Ουέι): μπ->b, τζ->j, ου->u/w.
GREEK_FOREIGN = {**_GREEK_COMMON, "ου": "u", "χ": "h", "μπ": "b", "γκ": "g", "τζ": "j"}
_GREEK_INITIAL = {"μπ": "b", "ντ": "d", "γκ": "g"}
_INITIAL_U = re.compile(r"\bu(?=[aeio])")

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_NOT_UKRAINIAN = re.compile(r"[ыэёъђћџљњјѓќѕ]")
_LATIN_SPECIAL = str.maketrans({"ß": "ss", "đ": "dj", "ð": "d", "ø": "o", "æ": "ae",
                                "œ": "oe", "þ": "th", "ł": "l", "ı": "i", "ħ": "h", "č": "ch",
                                "ć": "ch", "š": "sh", "ž": "zh", "ş": "sh", "ç": "ch"})
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _compile(table: dict[str, str], initial: dict[str, str]) -> Callable[[str], str]:
    """A transliterator: word-initial rules, then digraphs (longest first), then letters."""
    def alternation(keys: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))

    parts = [rf"(?<!\w)(?P<i>{alternation(initial)})"] if initial else []
    if "α" in table:   # αυ/ευ: af/ef before a voiceless consonant or at the end, else av/ev
        parts.append(r"(?P<f>[αε]υ)(?=[θκξπστφχψ]|\W|$)|(?P<v>[αε]υ)")
    multi = [k for k in table if len(k) > 1]
    if multi:
        parts.append(f"(?P<m>{alternation(multi)})")
    letters = str.maketrans({k: v for k, v in table.items() if len(k) == 1})
    if not parts:
        return lambda text: text.translate(letters)
    pattern = re.compile("|".join(parts))

    def replace(m: re.Match[str]) -> str:
        kind, text = m.lastgroup, m.group()
        if kind == "i":
            return initial[text]
        if kind in ("f", "v"):
            return table[text[0]] + ("f" if kind == "f" else "v")
        return table[text]

    return lambda text: pattern.sub(replace, text).translate(letters)


_CYR_EN = _compile(CYRILLIC_EN, _CYR_INITIAL_EN)
_CYR_ISO = _compile(CYRILLIC_ISO, {})
_CYR_UK = _compile({**CYRILLIC_EN, **_UKRAINIAN}, {})
_CYR_BG = _compile({**CYRILLIC_EN, **_BULGARIAN}, {})
_GR_ELOT = _compile(GREEK_ELOT, _GREEK_INITIAL)
_GR_PHON = _compile(GREEK_PHONETIC, _GREEK_INITIAL)
_GR_FOREIGN = _compile(GREEK_FOREIGN, _GREEK_INITIAL)


def readings(text: str) -> list[tuple[str, str | None]]:
    """The Latin spellings of `text` (already NFKC + casefolded) with their reading label."""
    if _CYRILLIC.search(text):
        out: list[tuple[str, str | None]] = [(_CYR_EN(text), "Cyrillic"),
                                             (_CYR_ISO(text), "Cyrillic (ISO 9 reading)")]
        if not _NOT_UKRAINIAN.search(text) and re.search("[гиіїєґ]", text):
            out.append((_CYR_UK(text), "Cyrillic (Ukrainian reading)"))
        if re.search("[щъ]", text) and not re.search("[ыэё]", text):
            out.append((_CYR_BG(text), "Cyrillic (Bulgarian reading)"))
        return out
    if _GREEK.search(text):
        plain = strip_diacritics(text)   # tonos and dialytika
        foreign = _INITIAL_U.sub("w", _GR_FOREIGN(plain))
        return [(_GR_ELOT(plain), "Greek (ELOT 743)"),
                (_GR_PHON(plain), "Greek (phonetic reading)"),
                (foreign, "Greek (foreign-name reading)")]
    return [(text, None)]


def strip_diacritics(text: str) -> str:
    """Latin letters without their marks (č -> ch, ß -> ss, đ -> dj, é -> e); Greek tonos."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.translate(_LATIN_SPECIAL)))


def in_cyrillic_or_greek(text: str) -> bool:
    """Whether `text` holds a Cyrillic or Greek letter (its diacritics are no Latin ones)."""
    return bool(_CYRILLIC.search(text) or _GREEK.search(text))
