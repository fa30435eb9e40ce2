"""How similar two name forms are, word by word, and the notes that say why they met.

Words pair one to one in any order and reading (edit similarity >= 0.75; 0.85 for 4 letters,
or 0.75 for one letter replaced or two swapped; a 3-letter word equal, or 0.75 against a
4-letter word it lacks one letter of; an initial with its word); the score is the weighted
share of both names that found a partner times its similarity, a word weighing what the
caller says (the matcher: its length, less when common on the list), a quarter for an
optional word - a patronymic, a seat after a legal form - that the other name lacks; x0.85
when only common words paired and a rare list word did not; names written together are
compared too. Short names (one word or < 5 letters) need plain similarity >= 0.9, or one
typo in a name of 6 letters or more.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from clearway.screening.normalize import NameForm

SHORT_MIN = 0.90         # short names: near-exact equality
TOKEN_MIN = 0.75         # two words below this similarity are not paired
TOKEN_MIN_4 = 0.85       # the same for a 4-letter word: one letter more or less
INITIAL_SIM = 0.90       # "t" against "taras"
OPTIONAL_WEIGHT = 0.25   # an optional word (patronymic, seat) the other name leaves out
JOINED_FACTOR = 0.95     # names compared written together
GENERIC_FACTOR = 0.85    # only common words paired while a rare list word found no partner
_CUT, _CUT_4 = TOKEN_MIN * 100, TOKEN_MIN_4 * 100
TYPO_MIN_LEN = 6         # a one-word name this long passes with one typo (OSA distance 1)

Pair = tuple[float, int, int]


def _token_sim(a: str, b: str, initials: bool = True) -> float:
    """Similarity of two key words: exact up to 3 letters, an initial meets its name."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return INITIAL_SIM if initials and a[0] == b[0] else 0.0
    shorter = la if la < lb else lb
    if shorter == 3 and la + lb == 7 and OSA.distance(a, b, score_cutoff=1) <= 1:
        return TOKEN_MIN   # a letter left out of a 4-letter word (vnh / vinh)
    if shorter <= 3 or 2 * shorter < TOKEN_MIN * (la + lb):   # too short, or lengths too far
        return 0.0
    s = fuzz.ratio(a, b, score_cutoff=_CUT_4 if shorter == 4 else _CUT) / 100
    if not s and la == lb == 4 and OSA.distance(a, b, score_cutoff=1) <= 1:
        return TOKEN_MIN   # one letter replaced or two swapped in a 4-letter word: a typo
    return s


def align(q: NameForm, c: NameForm, wq: Sequence[float], wc: Sequence[float]
          ) -> tuple[float, list[Pair]]:
    """Name similarity (0..1) of two forms with word weights, and the word pairs behind it."""
    if q.short or c.short:
        s = fuzz.ratio(q.sorted_key, c.sorted_key) / 100
        if s < SHORT_MIN and min(len(q.key), len(c.key)) >= TYPO_MIN_LEN and (
                OSA.distance(q.key, c.key, score_cutoff=1) <= 1
                or OSA.distance(q.folded, c.folded, score_cutoff=1) <= 1):
            s = SHORT_MIN   # one typo in a long one-word name (as written or in its key)
        return (s if s >= SHORT_MIN else 0.0), []
    initials = not (q.digits or c.digits)   # "S 7" holds no initial
    if q.one_reading and c.one_reading:
        candidates = [(s, i, j) for i, a in enumerate(q.tokens) for j, b in enumerate(c.tokens)
                      if (s := 1.0 if a == b else _token_sim(a, b, initials))]
    else:
        candidates = [(s, i, j) for i, xa in enumerate(q.alts) for j, xb in enumerate(c.alts)
                      if (s := max(_token_sim(a, b, initials) for a in xa for b in xb))]
    candidates.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    got = 0.0
    wq_, wc_ = list(wq), list(wc)
    for s, i, j in candidates:
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        pairs.append((s, i, j))
        if len(q.tokens[i]) == 1 or len(c.tokens[j]) == 1:   # an initial weighs one letter
            wq_[i] = wc_[j] = min(wq_[i], wc_[j])
        got += s * (wq_[i] + wc_[j])
    for j, o in enumerate(c.optional):
        if o and j not in used_c:
            wc_[j] *= OPTIONAL_WEIGHT
    for i, o in enumerate(q.optional):
        if o and i not in used_q:
            wq_[i] *= OPTIONAL_WEIGHT
    score = got / (sum(wq_) + sum(wc_))
    if pairs and all(wq[i] < len(q.tokens[i]) for _, i, _ in pairs) and any(
            j not in used_c and not c.optional[j] and wc[j] == len(t)
            for j, t in enumerate(c.tokens)):   # only common words met; the rare ones did not
        score *= GENERIC_FACTOR
    if len(q.tokens) != len(c.tokens):   # abdul rahman / abdulrahman
        joined = fuzz.ratio(q.key.replace(" ", ""), c.key.replace(" ", "")) / 100
        if joined >= 0.9:
            score = max(score, JOINED_FACTOR * joined)
    return score, pairs


def explain(q: NameForm, c: NameForm, score: float, pairs: Sequence[Pair]) -> tuple[str, ...]:
    """The notes that say why two forms met."""
    notes: list[str] = []
    if q.reading:
        notes.append(f"transliterated from {q.reading}")
    if c.reading:
        notes.append(f"list name transliterated from {c.reading}")
    if q.diacritics or c.diacritics:
        notes.append("diacritics removed")
    legal = tuple(dict.fromkeys(q.legal + c.legal))
    if legal:
        notes.append("legal form ignored: " + ", ".join(legal))
    if q.sorted_key == c.sorted_key and sorted(q.folded.split()) != sorted(c.folded.split()):
        notes.append("spelling variants folded (e.g. sh/s, kh/h, j/y, double letters)")
    if q.short or c.short:
        notes.append("short name: near-exact equality required")
    order = [j for _, _, j in sorted(pairs, key=lambda p: p[1])]
    if order != sorted(order) or (q.short and q.key != c.key and q.sorted_key == c.sorted_key):
        notes.append("word order ignored")
    qt, ct = q.tokens, c.tokens
    if any(len(qt[i]) == 1 or len(ct[j]) == 1 for _, i, j in pairs if qt[i] != ct[j]):
        notes.append("initials taken for full names")
    extra_c = [t for j, t in enumerate(ct) if j not in {p[2] for p in pairs}]
    extra_q = [t for i, t in enumerate(qt) if i not in {p[1] for p in pairs}]
    if pairs and extra_c:
        notes.append("list name has extra words: " + ", ".join(extra_c))
    if pairs and extra_q:
        notes.append("query has extra words: " + ", ".join(extra_q))
    closest = min((s for s, i, j in pairs if len(qt[i]) > 1 and len(ct[j]) > 1), default=1.0)
    if closest < 1 or (not pairs and score < 1):
        notes.append(f"spelling differs slightly (similarity {min(closest, score):.2f})")
    return tuple(notes)
