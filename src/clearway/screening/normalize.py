"""Name normalization for screening: fold, transliterate, drop legal forms, phonetic key.

`analyze(name)` turns one written name into one or more `NameForm`s (one per plausible Latin
reading): NFKC + casefold, Cyrillic (Russian, Ukrainian, Bulgarian, Serbian, Macedonian) and
Greek transliterated with explicit tables in several readings (English-style digraphs and
ISO 9 / ELOT 743-style letters: `transliterate`), diacritics stripped, punctuation and legal
forms removed, and each token reduced to a phonetic *key* that folds spelling systems
together (`shevchenko`, `sevcenko` -> `sevcenko`; `kh` -> `h`, `ts` -> `c`, `j` -> `y`,
doubled letters once). The matcher compares keys; the readable `folded` form is kept for
explanations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from clearway.screening.transliterate import in_cyrillic_or_greek, readings, strip_diacritics

_DROP = re.compile(r"['`\u2019\u02bc.]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGIT = re.compile(r"\d")

_KEY_RULES = (("shch", "s"), ("dsch", "j"), ("sch", "s"), ("dzh", "j"), ("tch", "c"), ("zh", "z"),
              ("sh", "s"), ("ch", "c"), ("kh", "h"), ("dj", "j"), ("dz", "j"), ("ts", "c"),
              ("tz", "c"), ("ph", "f"), ("th", "t"), ("gh", "g"), ("ck", "k"), ("ou", "u"),
              ("w", "v"), ("q", "k"), ("x", "ks"), ("j", "y"), ("iya", "ya"), ("iu", "yu"),
              ("ia", "ya"))
_HARD_C = re.compile(r"c(?=[aoulrktsv])")   # company/kompani, tactical/taktikal
# Greek written in Latin letters (ELOT 743): word-initial mp/nt/gk/tz are b/d/g/j
# (Mpelsina, Ntinos, Gkikas, Tzoint). Inside a word mp stays: import, kompani.
_GREEK_LATIN_INITIAL = {"mp": "b", "nt": "d", "gk": "g", "tz": "j"}
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
    if token[:2] in _GREEK_LATIN_INITIAL:
        token = _GREEK_LATIN_INITIAL[token[:2]] + token[2:]
    for old, new in _KEY_RULES:
        if old in token:
            token = token.replace(old, new)
    token = _DOUBLE.sub(r"\1", token)
    return _FINAL_I.sub("i", token) if len(token) > 3 else token


def tokenize(ascii_text: str) -> list[str]:
    return _NON_ALNUM.sub(" ", _DROP.sub("", ascii_text)).split()


def _one_deleted(key: str) -> set[str]:
    """The key and, from 4 letters, the key with each letter left out: two keys one edit
    apart share one of them."""
    if len(key) < 4:
        return {key}
    return {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}


def _near(a: str, b: str) -> bool:
    """Equal, or one edit apart (insert, delete, replace, swap) from 4 letters."""
    return a == b or (min(len(a), len(b)) >= 4 and OSA.distance(a, b, score_cutoff=1) <= 1)


_LEGAL_WORDS = frozenset(LEGAL_FORMS)
_LEGAL_KEYS = frozenset(k for t in LEGAL_FORMS if len(k := token_key(t)) >= 3)
_LEGAL_BY_LENGTH: dict[int, list[str]] = {}
for _key in sorted(k for k in _LEGAL_KEYS if len(k) >= 6):
    for _n in range(len(_key) - 2, len(_key) + 3):
        _LEGAL_BY_LENGTH.setdefault(_n, []).append(_key)
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}   # also by the first word's deletions
for _phrase in sorted((tuple(token_key(t) for t in p.split()) for p in LEGAL_PHRASES),
                      key=len, reverse=True):
    for _probe in _one_deleted(_phrase[0]):
        if _phrase not in _PHRASES_BY_FIRST.setdefault(_probe, []):
            _PHRASES_BY_FIRST[_probe].append(_phrase)


@lru_cache(maxsize=50_000)
def is_legal_word(word: str, key: str) -> bool:
    """A legal-form word, also misspelt or transliterated (`komapni`, `lyabiliti`)."""
    if word in _LEGAL_WORDS or key in _LEGAL_KEYS:
        return True
    near = _LEGAL_BY_LENGTH.get(len(key))   # 85 % similar needs lengths within 2 letters
    return near is not None and process.extractOne(key, near, scorer=fuzz.ratio,
                                                   score_cutoff=85) is not None


@lru_cache(maxsize=50_000)
def _phrases_at(key: str) -> tuple[tuple[str, ...], ...]:
    """Legal phrases whose first word is `key` or one edit from it, longest first."""
    found = {p for probe in _one_deleted(key) for p in _PHRASES_BY_FIRST.get(probe, ())}
    return tuple(sorted(found, key=len, reverse=True))


def _legal_positions(words: list[str], keys: list[str]) -> set[int]:
    """Positions of legal-form words: single words (also misspelt) and phrases (by key, a
    word of 4 letters or more also with one typo: `jiont stock`, `aktsionenoe obshchestvo`)."""
    drop = {i for i, (w, k) in enumerate(zip(words, keys, strict=True)) if is_legal_word(w, k)}
    for i, key in enumerate(keys):
        for phrase in _phrases_at(key):
            if i + len(phrase) <= len(keys) and all(
                    _near(p, k) for p, k in zip(phrase, keys[i:i + len(phrase)], strict=True)):
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
    diacritics = not text.isascii() and not in_cyrillic_or_greek(text)
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
