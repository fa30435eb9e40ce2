"""Blocking: the screener compares only list names sharing a key with the query. Checked
against the brute-force path (every list name a candidate) on random small lists: a list name
with a word one edit (insert, delete, replace, swap) or less from a query word of 4 letters
or more is never lost to blocking."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from clearway.screening.blocking import block_keys, deletions, reach, signature
from clearway.screening.matcher import PARALLEL_MIN, Screener
from clearway.screening.model import ListEntry
from clearway.screening.normalize import analyze

LETTERS = "abdegiklmnoprstuvz"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 8))).title()


def _edit(word: str, rng: random.Random) -> str:
    p = rng.randrange(len(word))
    return rng.choice((word[:p] + word[p + 1:], word[:p] + rng.choice(LETTERS) + word[p:],
                       word[:p] + rng.choice(LETTERS) + word[p + 1:],
                       word[:p] + word[p + 1:p + 2] + word[p:p + 1] + word[p + 2:]))


def _near(query: str, entry: ListEntry) -> bool:
    words = {t for f in analyze(query) if not (f.short and len(f.tokens) > 1) for t in f.tokens}
    listed = {t for _, v in entry.names for f in analyze(v) for t in f.tokens}
    return any(q == t or (len(q) >= 4 and OSA.distance(q, t) <= 1)
               for q in words for t in listed)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**9))
def test_blocking_keeps_every_brute_force_hit_one_edit_away(seed: int) -> None:
    rng = random.Random(seed)
    vocab = [_word(rng) for _ in range(25)]
    entries = [ListEntry("T", str(i), " ".join(rng.sample(vocab, rng.randint(1, 3))),
                         kind=rng.choice(("entity", "individual"))) for i in range(30)]
    fast = Screener(entries)
    brute = Screener(entries)
    brute._candidates = lambda forms: list(range(len(brute._bags)))  # type: ignore[method-assign]
    for _ in range(10):
        words = rng.choice(entries).name.split()
        rng.shuffle(words)
        query = " ".join(_edit(w, rng) if rng.random() < 0.6 else w for w in words)
        found = {h.entry.entry_id for h in fast.screen(query, limit=len(entries))}
        for hit in brute.screen(query, limit=len(entries)):
            if _near(query, hit.entry):
                assert hit.entry.entry_id in found, (query, hit.entry.name)


def test_deletion_keys_meet_for_every_single_edit() -> None:
    rng = random.Random(4)
    for _ in range(300):
        word = _word(rng).lower()
        assert deletions(word) & deletions(_edit(word, rng)), word


def test_reach_covers_every_key_a_query_looks_up() -> None:
    screener = Screener([ListEntry("T", "1", "Velcom Trade DOO"), ListEntry("T", "2", "Li")])
    for name in ("Velcom Trade", "Velkom Trajde d.o.o.", "Li", "Шевченко Тарас", "Li Wei",
                 "ΕΛΛΗΝΙΚΗ ΝΑΥΤΙΛΙΑ Α.Ε.", "S 7 Engineering"):
        forms = analyze(name)
        looked_up = set().union(*(block_keys(f, screener._postings) for f in forms))
        assert looked_up <= reach(signature(forms)), name


def test_screen_many_in_worker_processes_gives_the_same_hits() -> None:
    rng = random.Random(5)
    vocab = [_word(rng) for _ in range(40)]
    entries = [ListEntry("T", str(i), " ".join(rng.sample(vocab, 2))) for i in range(60)]
    screener = Screener(entries)
    names = [" ".join(_edit(w, rng) for w in rng.choice(entries).name.split())
             for _ in range(PARALLEL_MIN + 100)]
    one = screener.screen_many(names, limit=3)
    assert any(one) and one == screener.screen_many(names, limit=3, workers=2)
