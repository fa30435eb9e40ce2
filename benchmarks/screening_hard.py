# ruff: noqa: RUF001  (Cyrillic and Greek letters are the point here)
"""Screening on hard names: variant-heavy quality and speed against the OFAC SDN list.

    uv run python benchmarks/screening_hard.py [--n 1000] [--seed 5] [--workers 2] [--speed 10000]

N listed names (primary or alias) are each written with one or two changes drawn at random:
typos (insert, delete, substitute, transpose; one or two), word order, a legal form dropped,
added or replaced, and transliteration (the name in Cyrillic or Greek script, or rendered
back to Latin from Cyrillic in another system: BGN, ISO 9 with or without its marks, German,
French; or from Greek: ELOT, phonetic). N negatives are unlisted look-alikes: a listed name
with its given name or its most distinctive word replaced by an unrelated one, or a generated
regional name; some in Cyrillic or Greek; none exactly on the list. Every query is screened
once at a low threshold; the threshold is then chosen on half A (best F1) and the figures are
taken on half B. The baseline is brute force: `rapidfuzz.process.extractOne` with
`token_sort_ratio` over every listed name and alias, its cut-off chosen the same way.
names/s is timed with `Screener.screen_many` at the chosen threshold over `--speed` more names
of the same make, in one process and in `--workers` processes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src"), str(Path(__file__).parent)]

from rapidfuzz import fuzz, process, utils  # noqa: E402
from screening import FIRST, LAST, SDN, to_cyrillic, to_greek, unlisted_name  # noqa: E402

from clearway.screening.lists import load_ofac_sdn  # noqa: E402
from clearway.screening.matcher import Screener  # noqa: E402
from clearway.screening.model import ListEntry  # noqa: E402
from clearway.screening.normalize import (  # noqa: E402
    LEGAL_FORMS,
    LEGAL_PHRASES,
    analyze,
    tokenize,
)
from clearway.screening.transliterate import CYRILLIC_EN, CYRILLIC_ISO, strip_diacritics  # noqa: E402

LEGAL = ["LLC", "Ltd", "Ltd.", "Limited", "GmbH", "OOO", "S.A.", "SA", "d.o.o.", "JSC", "PJSC",
         "Inc.", "Corp.", "Co., Ltd.", "A.E.", "S.R.L.", "ZAO", "AG", "B.V.", "Sp. z o.o.",
         "ООО", "Α.Ε.", "AD", "SH.P.K.", "Kft", "s.r.o."]
# Latin renderings of Cyrillic letters other than BGN and ISO 9 (letters not listed: BGN).
GERMAN = {"ж": "sch", "ч": "tsch", "ш": "sch", "щ": "schtsch", "х": "ch", "ц": "z", "в": "w",
          "з": "s", "й": "j", "ю": "ju", "я": "ja", "ё": "jo", "е": "e", "с": "ss"}
FRENCH = {"ж": "j", "ч": "tch", "ш": "ch", "щ": "chtch", "х": "kh", "у": "ou", "й": "ï",
          "ю": "iou", "я": "ia", "ц": "ts", "ё": "io"}
GREEK_ELOT = {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
              "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
              "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
              "ω": "o"}
GREEK_ELOT.update({"ου": "ou", "γγ": "ng", "γκ": "gk", "μπ": "mp", "ντ": "nt"})
GREEK_PHON = {**GREEK_ELOT, "υ": "i", "χ": "h", "ου": "u", "ει": "i", "οι": "i", "αι": "e",
              "μπ": "b", "ντ": "d", "γκ": "g"}
TRANSLIT = ("cyrillic script", "greek script", "bgn", "iso9", "iso9 ascii", "german", "french",
            "elot", "greek phonetic")


def _render(text: str, table: dict[str, str]) -> str:
    out, i = [], 0
    while i < len(text):
        two = text[i:i + 2]
        if len(two) == 2 and two in table:
            out.append(table[two])
            i += 2
        else:
            out.append(table.get(text[i], text[i]))
            i += 1
    return "".join(out)


def transliterate(name: str, system: str) -> str:
    """The name through Cyrillic or Greek and back to Latin in `system` (or left in script)."""
    plain = name.replace(",", "")
    if system == "cyrillic script":
        return to_cyrillic(plain).upper()
    if system == "greek script":
        return to_greek(plain)
    if system in ("elot", "greek phonetic"):
        table = GREEK_ELOT if system == "elot" else GREEK_PHON
        return _render(to_greek(plain).lower(), table).title()
    cyr = to_cyrillic(plain)
    table = {"bgn": CYRILLIC_EN, "iso9": CYRILLIC_ISO, "iso9 ascii": CYRILLIC_ISO,
             "german": {**CYRILLIC_EN, **GERMAN}, "french": {**CYRILLIC_EN, **FRENCH}}[system]
    out = _render(cyr, table).title()
    return strip_diacritics(out).replace("ch", "c") if system == "iso9 ascii" else out


def typo(word: str, rng: random.Random) -> str:
    """One edit inside the word (its first letter kept), in the word's case."""
    p = rng.randrange(1, len(word) - 1)
    letter = rng.choice("aeioulnrst")
    letter = letter.upper() if word.isupper() else letter
    op = rng.choice(("insert", "delete", "substitute", "transpose"))
    if op == "insert":
        return word[:p] + letter + word[p:]
    if op == "delete":
        return word[:p] + word[p + 1:]
    if op == "substitute":
        return word[:p] + (letter if letter.lower() != word[p].lower() else "k") + word[p + 1:]
    return word[:p - 1] + word[p] + word[p - 1] + word[p + 1:]


def typos(name: str, rng: random.Random) -> str | None:
    words = name.split()
    fit = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if len(words) < 2 or not fit:
        return None
    for i in rng.sample(fit, min(len(fit), rng.choice((1, 1, 2)))):
        words[i] = typo(words[i], rng)
    return " ".join(words)


def reorder(name: str, rng: random.Random) -> str | None:
    if "," in name:
        last, _, first = name.partition(",")
        words = first.split() + last.split()
    else:
        words = name.split()
    if len(words) < 2:
        return None
    if "," in name and rng.random() < 0.3:
        rng.shuffle(words)
    elif "," not in name:   # a company: rotated, a legal phrase kept in one piece
        cuts = [k for k in range(1, len(words))
                if not (_legal_word(words[k - 1]) and _legal_word(words[k]))]
        if not cuts:
            return None
        k = rng.choice(cuts)
        words = words[k:] + words[:k]
    out = " ".join(words)
    return out if out != name else None


_PHRASE_WORDS = {w for p in LEGAL_PHRASES for w in p.split()} | set(LEGAL_FORMS)


def _legal_word(word: str) -> bool:
    return any(t in _PHRASE_WORDS for t in tokenize(word.casefold()))


def _is_legal(word: str) -> bool:
    return any(t in LEGAL_FORMS for t in tokenize(word.casefold()))


def legal(name: str, rng: random.Random) -> str | None:
    words = name.split()
    kept = [w for w in words if not _is_legal(w)]
    if len(kept) < len(words) and kept and rng.random() < 0.5:
        return " ".join(kept)                                   # dropped
    return f"{' '.join(kept)} {rng.choice(LEGAL)}"              # added or replaced


Maker = Callable[[str, random.Random], "str | None"]
CHANGES: dict[str, Maker] = {"typo": typos, "order": reorder, "legal": legal}


def variant(entry: ListEntry, name: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """One hard variant of a listed name: one or two changes, transliteration last."""
    kinds = ["typo", "order", "translit"] + (["legal"] if entry.kind != "individual" else [])
    chosen = rng.sample(kinds, rng.choice((1, 2, 2)))
    out, done = name, []
    for kind in sorted(chosen, key=lambda k: k == "translit"):
        if kind == "translit":
            system = rng.choice(TRANSLIT)
            new: str | None = transliterate(out, system)
            kind = f"translit {system}"
        else:
            new = CHANGES[kind](out, rng)
        if new and new != out:
            out, done = new, [*done, kind]
    return out, tuple(done) or ("case",)


def positives(entries: Sequence[ListEntry], n: int, rng: random.Random
              ) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for entry in rng.sample(list(entries), n):
        name = entry.name if not entry.aliases or rng.random() < 0.8 else rng.choice(entry.aliases)
        query, kinds = variant(entry, name, rng)
        out.append((query, entry.entry_id, kinds))
    return out


def look_alike(entry: ListEntry, rng: random.Random) -> str | None:
    """A listed name of up to three words (legal form aside) with its given name, or its
    most distinctive word, replaced by an unrelated one. (Longer names with one word changed
    are still mostly the listed name: an officer should see them.)"""
    if entry.kind == "individual" and "," in entry.name:
        last, _, first = entry.name.partition(",")
        if not first.split() or len(last.split()) > 1:
            return None
        given = [w for w in FIRST if all(fuzz.ratio(w.lower(), g) < 60
                                         for g in first.lower().split())]
        return f"{rng.choice(given)} {last.strip().title()}"
    words = entry.name.split()
    core = [i for i, w in enumerate(words) if len(w) >= 4 and not _is_legal(w)]
    if len(words) < 2 or not core or len(core) > 3:
        return None
    i = max(core, key=lambda i: len(words[i]))
    new = [w for w in LAST if fuzz.ratio(w.lower(), words[i].lower()) < 50]
    words[i] = rng.choice(new).upper()
    return " ".join(words)


def negatives(screener: Screener, n: int, rng: random.Random) -> list[str]:
    """N unlisted names, two thirds look-alikes of listed ones, none exactly on the list."""
    out: list[str] = []
    while len(out) < n:
        if rng.random() < 2 / 3:
            name = look_alike(rng.choice(screener.entries), rng)
            if name and rng.random() < 0.25:
                name = transliterate(name, rng.choice(("cyrillic script", "greek script")))
        else:
            name = unlisted_name(rng)
        if name and name not in out and not any(screener.is_listed_form(f.sorted_key)
                                                for f in analyze(name)):
            out.append(name)
    return out


Row = tuple[tuple[str, ...] | None, float, float]   # kinds (None: negative), expected, other


def metrics(rows: Sequence[Row], t: float) -> dict[str, float]:
    tp = fp = 0
    found: list[bool] = []
    translit: list[bool] = []
    for kinds, expected, other in rows:
        ok = expected >= t
        tp += ok
        fp += not ok and other >= t
        if kinds is not None:
            found.append(ok)
            if any(k.startswith("translit") for k in kinds):
                translit.append(ok)
    return {"precision": tp / max(1, tp + fp), "recall": sum(found) / max(1, len(found)),
            "translit recall": sum(translit) / max(1, len(translit))}


def tune(rows: Sequence[Row], n: int, grid: Sequence[float]) -> tuple[float, dict[str, float]]:
    """Threshold with the best F1 on half A (the lower on a tie); figures on half B."""
    half_a = [*rows[:n // 2], *rows[n:n + n // 2]]
    half_b = [*rows[n // 2:n], *rows[n + n // 2:]]

    def f1(t: float) -> tuple[float, float]:
        m = metrics(half_a, t)
        return 2 * m["precision"] * m["recall"] / (m["precision"] + m["recall"] or 1), -t

    chosen = -max(map(f1, grid))[1]
    return chosen, metrics(half_b, chosen)


def screener_rows(screener: Screener, queries: Sequence[tuple[str, str, object]]) -> list[Row]:
    rows: list[Row] = []
    for query, expected, kinds in queries:   # one by one: `screen_many` is newer than this
        hits = screener.screen(query, threshold=0.6, limit=5)
        rows.append((kinds,  # type: ignore[arg-type]
                     max((h.score for h in hits if h.entry.entry_id == expected), default=0.0),
                     max((h.score for h in hits if h.entry.entry_id != expected), default=0.0)))
    return rows


def baseline_rows(entries: Sequence[ListEntry], queries: Sequence[tuple[str, str, object]]
                  ) -> tuple[list[Row], float]:
    choices = [utils.default_process(n) for e in entries for _, n in e.names]
    owner = [e.entry_id for e in entries for _ in e.names]
    rows: list[Row] = []
    t0 = time.perf_counter()
    for query, expected, kinds in queries:
        best = process.extractOne(utils.default_process(query), choices,
                                  scorer=fuzz.token_sort_ratio, processor=None)
        score = best[1] / 100 if best else 0.0
        hit = best is not None and owner[best[2]] == expected
        rows.append((kinds, score if hit else 0.0, 0.0 if hit else score))  # type: ignore[arg-type]
    return rows, len(queries) / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--speed", type=int, default=10_000, help="names timed")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    entries = load_ofac_sdn(SDN)
    t0 = time.perf_counter()
    screener = Screener(entries)
    print(f"index: {len(entries):,} SDN entries, {screener.form_count:,} names, "
          f"{time.perf_counter() - t0:.1f} s")
    pos = positives(entries, args.n, rng)
    neg = negatives(screener, args.n, rng)
    queries: list[tuple[str, str, object]] = [*pos, *((q, "", None) for q in neg)]
    translit = sum(any(k.startswith("translit") for k in kinds) for _, _, kinds in pos)
    print(f"{args.n} variants ({translit} transliterated) + {args.n} unlisted look-alikes, "
          f"seed {args.seed}")
    chosen, fig = tune(screener_rows(screener, queries), args.n,
                       [t / 100 for t in range(60, 100)])
    # the speed set: more names of the same make, so that forking workers pays off
    more = random.Random(args.seed + 1)
    names = [q for q, _, _ in positives(entries, args.speed // 2, more)]
    names += negatives(screener, args.speed - len(names), more)
    rates = {}
    for workers in sorted({1, args.workers}):
        t0 = time.perf_counter()
        if workers == 1:   # as a plain loop, so the benchmark also runs on older code
            [screener.screen(n, threshold=chosen) for n in names]
        else:
            screener.screen_many(names, threshold=chosen, workers=workers)
        rates[workers] = len(names) / (time.perf_counter() - t0)
    fmt = lambda d: ", ".join(f"{k} {v:.3f}" for k, v in d.items())  # noqa: E731
    speed = "; ".join(f"{r:,.0f} names/s in {w} process{'es' * (w > 1)}"
                      for w, r in rates.items()) + f" (over {len(names):,} other names)"
    print(f"screener   threshold {chosen:.2f} (half A), half B: {fmt(fig)}; {speed}")
    b_rows, b_rate = baseline_rows(entries, queries)
    b_cut, b_fig = tune(b_rows, args.n, [t / 100 for t in range(50, 100)])
    print(f"brute force extractOne(token_sort_ratio) cut-off {b_cut:.2f} (half A), half B: "
          f"{fmt(b_fig)}; {b_rate:,.0f} names/s in 1 process")


if __name__ == "__main__":
    main()
