"""Name normalization for screening: fold, transliterate, drop legal forms, phonetic key.

`analyze(name)` turns one written name into one or more `NameForm`s (one per plausible Latin
reading): NFKC + casefold, Cyrillic (Russian, Ukrainian, Bulgarian, Serbian, Macedonian) and
Greek transliterated with explicit tables in several readings (English-style digraphs and
ISO 9 / ELOT 743-style letters), diacritics stripped, punctuation and legal forms removed,
and each token reduced to a phonetic *key* that folds spelling systems together
(`shevchenko`, `sevcenko` -> `sevcenko`; `kh` -> `h`, `ts` -> `c`, `j` -> `y`, doubled letters
once). The matcher compares keys; the readable `folded` form is kept for explanations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

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
_DROP = re.compile(r"['`\u2019\u02bc.]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGIT = re.compile(r"\d")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

_KEY_RULES = (("shch", "s"), ("sch", "s"), ("dzh", "j"), ("tch", "c"), ("zh", "z"),
              ("sh", "s"), ("ch", "c"), ("kh", "h"), ("dj", "j"), ("dz", "j"), ("ts", "c"),
              ("tz", "c"), ("ph", "f"), ("th", "t"), ("gh", "g"), ("ck", "k"), ("ou", "u"),
              ("w", "v"), ("q", "k"), ("x", "ks"), ("j", "y"), ("iya", "ya"), ("iu", "yu"),
              ("ia", "ya"))
_HARD_C = re.compile(r"c(?=[aoulrktsv])")   # company/kompani, tactical/taktikal
_DOUBLE = re.compile(r"([a-z])\1+")
_FINAL_I = re.compile(r"[iy]+$")   # -iy, -ij, -ii, -yi, -y, -ey/-ei, -oy/-oi/-oj

LEGAL_FORMS = (
    "llc", "ltd", "limited", "inc", "incorporated", "gmbh", "ag", "kg", "sa", "srl", "sarl",
    "sas", "spa", "sl", "doo", "dooel", "ad", "ae", "epe", "ike", "oe", "ooo", "zao", "oao",
    "pao", "ao", "pjsc", "jsc", "ojsc", "cjsc", "tov", "eood", "yeood", "ood", "shpk",
    "as", "sro", "kft", "zrt", "bv", "nv", "plc", "llp", "lp", "pte", "pvt", "fze", "fzco",
    "fzc", "co", "company", "corporation", "corp", "trading", "group", "holding", "holdings",
    "the", "cv", "ab", "oy", "ltda", "sal", "sirketi", "ink", "korp", "liability",
    "llk", "dzhsk", "pjsk", "kompaniya", "kompanija", "treyding", "treiding", "grupp", "grupa",
    "korporatsiya", "korporacija",
)
LEGAL_PHRASES = (
    "sp z oo", "sa de cv", "s de rl de cv", "s de rl", "de cv", "s a", "a e", "a d", "d o o",
    "limited liability company", "joint stock company", "public joint stock company",
    "closed joint stock company", "open joint stock company", "private limited company",
    "obshchestvo s ogranichennoy otvetstvennostyu", "aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshchestvo", "drustvo so ogranicena odgovornost",
    "drustvo sa ogranicenom odgovornoscu", "anonymi etaireia", "sociedad anonima",
    "societe anonyme", "general trading", "trading company", "limited sirketi",
    "anonim sirketi", "sanayi ve ticaret", "tovarystvo z obmezhenoyu vidpovidalnistyu",
    "zakrytoe aktsionernoe obshchestvo", "otkrytoe aktsionernoe obshchestvo", "pte ltd",
    "public joint stock", "closed joint stock", "open joint stock", "joint stock",
    "preduzece za trgovinu na veliko i malo", "drustvo za trgovinu", "torgovyy dom",
)
_JOIN_NEXT = frozenset({"al", "el", "ul"})
_PATRONYMIC = re.compile(r"(?:ovic|evic|ovna|evna|ovyc|evyc|ycna|icna)$")


@dataclass(slots=True)
class NameForm:
    """One Latin reading of a name, ready to compare."""

    text: str                    # the name as written
    folded: str                  # readable ASCII form, legal forms removed
    key: str                     # phonetic key compared by the matcher (tokens as written)
    sorted_key: str              # key tokens sorted: word order ignored
    tokens: tuple[str, ...]      # key tokens
    reading: str | None          # e.g. "Cyrillic (Ukrainian reading)"; None for Latin
    legal: tuple[str, ...]       # legal-form words that were removed
    diacritics: bool             # Latin diacritics were stripped
    short: bool                  # one token or under 5 letters: needs near-exact equality
    alts: tuple[tuple[str, ...], ...] = ()   # per token: its keys in every reading
    optional: tuple[bool, ...] = ()   # per token: a patronymic, or a seat after a legal form
    digits: bool = False         # has digits ("S 7 ENGINEERING"): no initials there
    one_reading: bool = True     # every token has a single key (the fast path)


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


def fold(text: str) -> str:
    """NFKC, casefold; the first step for every name."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """Phonetic key of one ASCII token: spelling systems folded together."""
    if len(token) <= 2:
        return token
    if "c" in token:
        token = _HARD_C.sub("k", token)
    for old, new in _KEY_RULES:
        if old in token:
            token = token.replace(old, new)
    token = _DOUBLE.sub(r"\1", token)
    return _FINAL_I.sub("i", token) if len(token) > 3 else token


def tokenize(ascii_text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", _DROP.sub("", ascii_text)).split()


_LEGAL_WORDS = frozenset(LEGAL_FORMS)
_LEGAL_KEYS = frozenset(k for t in LEGAL_FORMS if len(k := token_key(t)) >= 3)
_LEGAL_BY_LENGTH: dict[int, list[str]] = {}
for _key in sorted(k for k in _LEGAL_KEYS if len(k) >= 6):
    for _n in range(len(_key) - 2, len(_key) + 3):
        _LEGAL_BY_LENGTH.setdefault(_n, []).append(_key)
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted((tuple(token_key(t) for t in p.split()) for p in LEGAL_PHRASES),
                      key=len, reverse=True):
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


@lru_cache(maxsize=50_000)
def is_legal_word(word: str, key: str) -> bool:
    """A legal-form word, also misspelt or transliterated (`komapni`, `lyabiliti`)."""
    if word in _LEGAL_WORDS or key in _LEGAL_KEYS:
        return True
    near = _LEGAL_BY_LENGTH.get(len(key))   # 85 % similar needs lengths within 2 letters
    return near is not None and process.extractOne(key, near, scorer=fuzz.ratio,
                                                   score_cutoff=85) is not None


def _legal_positions(words: list[str], keys: list[str]) -> set[int]:
    """Positions of legal-form words: single words (also misspelt) and phrases (by key)."""
    drop = {i for i, (w, k) in enumerate(zip(words, keys, strict=True)) if is_legal_word(w, k)}
    for i, key in enumerate(keys):
        for phrase in _PHRASES_BY_FIRST.get(key, ()):
            if tuple(keys[i:i + len(phrase)]) == phrase:
                drop.update(range(i, i + len(phrase)))
    return drop


def _join_groups(words: list[str]) -> list[list[int]]:
    """Word positions, with an Arabic article joined to the next word (al ghanimi)."""
    groups: list[list[int]] = []
    for i in range(len(words)):
        if groups and len(groups[-1]) == 1 and words[groups[-1][0]] in _JOIN_NEXT:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _optional(kept: list[int], drop: set[int], keys: list[str]) -> tuple[bool, ...]:
    """Words a name may go without: a patronymic (not first), or the seat written after a
    legal form that follows the name (`VELCOM TRADE DOO BEOGRAD`)."""
    after = min((d for d in drop if kept and d > kept[0]), default=len(keys))
    return tuple(i > after or (n > 0 and _PATRONYMIC.search(keys[i]) is not None)
                 for n, i in enumerate(kept))


def _form(text: str, words: list[str], tokens: tuple[str, ...], reading: str | None,
          legal: tuple[str, ...], alts: tuple[tuple[str, ...], ...], diacritics: bool,
          optional: tuple[bool, ...], sorted_key: str) -> NameForm:
    key = " ".join(tokens)
    return NameForm(text=text, folded=" ".join(words), key=key, sorted_key=sorted_key,
                    tokens=tokens, reading=reading, legal=legal, diacritics=diacritics,
                    alts=alts, optional=optional,
                    short=len(tokens) == 1 or len(key) - len(tokens) < 4,
                    digits=_DIGIT.search(key) is not None,
                    one_reading=all(len(a) == 1 for a in alts))


def analyze(name: str) -> list[NameForm]:
    """All distinct Latin readings of `name` (one for Latin names), empty if nothing is left.

    The readings of one written name have the same words; each word keeps the keys of all
    its readings (`alts`), so the matcher may read each word its own way (`ΚΟΜΠΑΝΙ` as
    kompani, `ΛΙΑΜΠΙΛΙΤΙ` as liabiliti). A legal form in any reading is dropped in all.
    """
    text = fold(name)
    diacritics = not text.isascii() and not _CYRILLIC.search(text) and not _GREEK.search(text)
    reads = [(tokenize(strip_diacritics(latin) if not latin.isascii() else latin), label)
             for latin, label in readings(text)]
    if any(len(words) != len(reads[0][0]) for words, _ in reads):
        reads = reads[:1]   # readings disagree on word boundaries: keep the first
    if _JOIN_NEXT.isdisjoint(reads[0][0]):
        merged = [words for words, _ in reads]
    else:
        groups = _join_groups(reads[0][0])
        merged = [["".join(words[i] for i in g) for g in groups] for words, _ in reads]
    keys = [[token_key(w) for w in words] for words in merged]
    drop: set[int] = set()
    for words, ks in zip(merged, keys, strict=True):
        drop |= _legal_positions(words, ks)
    n = len(keys[0])
    if len(drop) == n:   # nothing but legal words: keep them
        drop = set()
    kept = [i for i in range(n) if i not in drop]
    if not kept:
        return []
    legal = tuple(merged[0][i] for i in sorted(drop))
    optional = _optional(kept, drop, keys[0])
    alts = tuple(tuple(dict.fromkeys(k[i] for k in keys)) for i in kept)
    forms: dict[str, NameForm] = {}
    for words, ks, (_, label) in zip(merged, keys, reads, strict=True):
        tokens = tuple(ks[i] for i in kept)
        sorted_key = " ".join(sorted(tokens))
        if sorted_key not in forms:
            forms[sorted_key] = _form(name, [words[i] for i in kept], tokens, label, legal, alts,
                                      diacritics, optional, sorted_key)
    return list(forms.values())
