"""The screening cache across list versions: what a list change can touch is never carried."""

from __future__ import annotations

import random

from clearway.screening.matcher import Screener
from clearway.screening.model import ListEntry
from clearway.screening.ruleset import PartyScreening

WORDS = ("Velcom", "Adriatic", "Balkan", "Morava", "Vardar", "Olympus", "Danube", "Triglav",
         "Pirin", "Rhodope", "Dinara", "Neretva", "Zlatibor", "Istria", "Korab", "Prespa")
TRADES = ("Trade", "Logistics", "Steel", "Textile", "Pharma", "Timber", "Foods", "Energy")


def _lists(rng: random.Random, n: int) -> list[ListEntry]:
    return [ListEntry("T", str(i), f"{rng.choice(WORDS)} {rng.choice(WORDS)} "
                                   f"{rng.choice(TRADES)} DOO") for i in range(n)]


def _answers(rules: PartyScreening, names: list[str]) -> list[list[tuple[str, float]]]:
    return [[(h.entry.entry_id, h.score) for h in rules._screen(n, None)] for n in names]


def _queries(rng: random.Random, entries: list[ListEntry], n: int) -> list[str]:
    out = [e.name for e in entries[:n]]
    out += [f"{rng.choice(WORDS)} {rng.choice(TRADES)} d.o.o." for _ in range(n)]
    out += [e.name.replace("a", "e", 1) for e in entries[n:2 * n]]   # typos
    return out


def test_an_unchanged_list_carries_every_answer() -> None:
    rng = random.Random(1)
    entries = _lists(rng, 40)
    old = PartyScreening(Screener(entries))
    names = _queries(rng, entries, 10)
    before = _answers(old, names)
    new = PartyScreening(Screener(entries))
    assert new.carry(old) == len(set(names))
    calls: list[str] = []
    new.screener.screen = lambda name, **kw: calls.append(name) or []  # type: ignore[method-assign]
    assert _answers(new, names) == before
    assert calls == []   # nothing screened again


def test_removed_changed_and_added_entries_are_never_answered_stale() -> None:
    entries = [ListEntry("T", "1", "Velcom Trade DOO"), ListEntry("T", "2", "Adriatic Steel"),
               ListEntry("T", "3", "Morava Timber"), ListEntry("T", "4", "Olympus Pharma"),
               *(ListEntry("T", str(i), f"Unrelated {w} {v}") for i, (w, v) in enumerate(
                   ((w, v) for w in ("Kestrel", "Heron", "Osprey", "Falcon", "Swallow")
                    for v in ("Company", "Agency", "Bureau", "Works", "Mills", "Yards", "Farms",
                              "Docks", "Halls", "Stores", "Lines", "Wharf")), 5))]
    names = ["Velcom Trade", "Adriatic Steel LLC", "Morava Timber", "Olympus Pharma",
             "Danube Energy", "Pirin Foods", "Unrelated Kestrel Company"]
    old = PartyScreening(Screener(entries))
    _answers(old, names)
    changed = [e for e in entries if e.entry_id not in ("1", "2", "3")]
    changed += [ListEntry("T", "2", "Adriatic Steel", remarks="new address"),   # changed
                ListEntry("T", "3", "Prespa Timber"),                         # renamed
                ListEntry("T", "20", "Danube Energy")]                        # added; 1 removed
    new = PartyScreening(Screener(changed))
    kept = new.carry(old)
    fresh = PartyScreening(Screener(changed))
    assert _answers(new, names) == _answers(fresh, names)
    assert [h.entry for h in new._screen("Adriatic Steel LLC", None)] == [changed[-3]]
    assert new._screen("Velcom Trade", None) == []
    assert 0 < kept < len(names)   # Olympus Pharma, Pirin Foods, Kestrel... kept


def test_a_large_change_starts_afresh() -> None:
    rng = random.Random(2)
    entries = _lists(rng, 20)
    old = PartyScreening(Screener(entries))
    _answers(old, _queries(rng, entries, 5))
    assert PartyScreening(Screener(entries[:15])).carry(old) == 0


def test_carried_answers_are_never_stale_on_random_changes() -> None:
    """No carried hit on a removed or changed entry, every hit on an added or changed one is
    there; hits on unchanged entries may differ from a fresh screen only where a common
    word's weight moved with the list (this list is tiny: 16 words, so the weights move)."""
    rng = random.Random(3)
    for _ in range(15):
        entries = _lists(rng, 60)
        old = PartyScreening(Screener(entries))
        names = _queries(rng, entries, 12)
        _answers(old, names)
        changed = list(entries)
        for _ in range(rng.randint(1, 5)):
            i = rng.randrange(len(changed))
            choice = rng.random()
            if choice < 0.3:
                changed.pop(i)
            elif choice < 0.6:
                changed[i] = ListEntry("T", changed[i].entry_id, rng.choice(names))
            else:
                changed.append(ListEntry("T", f"n{len(changed)}", rng.choice(names)))
        new = PartyScreening(Screener(changed))
        new.carry(old)
        gone, added = set(entries) - set(changed), set(changed) - set(entries)
        fresh = PartyScreening(Screener(changed))
        for name in names:
            carried = {h.entry: h.score for h in new._screen(name, None)}
            truth = {h.entry: h.score for h in fresh._screen(name, None)}
            assert not gone & carried.keys()
            assert {e for e in truth if e in added} == {e for e in carried if e in added}
            for e in carried.keys() ^ truth.keys():   # only near the threshold
                assert abs(carried.get(e, truth.get(e, 0)) - 0.80) < 0.02, (name, e)
