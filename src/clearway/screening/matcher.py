"""The screener: index a list once, then screen party names against it, explaining each hit.

Blocking: list names are filed under their key words, 4-letter prefixes and suffixes, the
words with one letter left out (`~` keys: one edit anywhere), whole key and (one word)
3-letter ends (`blocking`); a query reads its keys rarest first, up to CANDIDATE_CAP names.
Letter overlap (rapidfuzz, in C) bounds the score and drops hopeless candidates. The rest are
scored word by word (`similarity.align`), a word weighing its length (less when
common on the list). Country agreement adds 0.03, kind agreement 0.02, an individual against
a non-individual takes 0.05 off.
"""

from __future__ import annotations

import math
import multiprocessing
from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from clearway.screening.blocking import bag as _bag
from clearway.screening.blocking import block_keys as _block_keys
from clearway.screening.blocking import reach
from clearway.screening.lists import country_code
from clearway.screening.model import KINDS, InvalidQuery, ListEntry, MatchedField, ScreeningHit
from clearway.screening.normalize import NameForm, analyze
from clearway.screening.similarity import Pair, align, explain

DEFAULT_THRESHOLD = 0.80
COMMON_SHARE = 0.001     # a word on more than this share of list names weighs less ...
MIN_WEIGHT = 0.4         # ... down to this factor
COUNTRY_BOOST, KIND_BOOST, KIND_PENALTY = 0.03, 0.02, 0.05
CANDIDATE_CAP = 150
PREFILTER_MARGIN = 0.03  # the letter-overlap first pass may sit this far below the name score
INITIAL_SLACK = 0.25     # ... and this much further when the query has initials
PARALLEL_MIN = 2_000     # distinct names a batch needs before it is worth forking workers


class Screener:
    """An index over restricted-party list entries; `screen` a name, `screen_many` a batch."""

    def __init__(self, entries: Iterable[ListEntry], *, threshold: float = DEFAULT_THRESHOLD):
        if not 0 < threshold <= 1:
            raise InvalidQuery(f"threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self.entries: list[ListEntry] = list(entries)
        self._forms: list[NameForm] = []
        self._form_entry: list[int] = []
        self._form_field: list[str] = []
        self._bags: list[str] = []    # per filed name: its letters, sorted (see `_bag`) ...
        self._owner: list[int] = []   # ... and its form: a form with optional words is filed
        #                               twice, the second time without them
        postings: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            seen: set[str] = set()
            for field_name, value in entry.names:
                for form in analyze(value):
                    if form.sorted_key in seen:
                        continue
                    seen.add(form.sorted_key)
                    keys = _block_keys(form)
                    bags = (_bag(form), _bag(form, optional=False)) if any(form.optional) \
                        else (_bag(form),)
                    for bag in bags:
                        for key in keys:
                            postings[key].append(len(self._bags))
                        self._bags.append(bag)
                        self._owner.append(len(self._forms))
                    self._forms.append(form)
                    self._form_entry.append(index)
                    self._form_field.append(field_name)
        self._postings = dict(postings)
        common = max(10.0, COMMON_SHARE * len(self._forms))
        self._weights = {t: max(MIN_WEIGHT, 1 - 0.15 * math.log2(len(p) / common))
                         for t, p in self._postings.items() if len(p) > common}
        self._wc = [self._word_weights(f) for f in self._forms]

    @classmethod
    def from_entries(cls, entries: Iterable[ListEntry], *,
                     threshold: float = DEFAULT_THRESHOLD) -> Screener:
        return cls(entries, threshold=threshold)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def form_count(self) -> int:
        """Normalized names indexed (primary names, aliases and their readings)."""
        return len(self._forms)

    def is_listed_form(self, sorted_key: str) -> bool:
        """Whether a normalized name (its sorted key) is exactly on the list."""
        return bool(self._postings.get("=" + sorted_key))

    def may_meet(self, sigs: Sequence[str]) -> list[bool]:
        """For each name `signature`: whether it could meet a name on this list, with any
        country or kind: their letters overlap enough for the first pass of `screen`, and
        they share a blocking key. False: `screen` finds nothing here for that name."""
        floor = self.threshold - COUNTRY_BOOST - KIND_BOOST
        bags, owner, cuts = [], [], []
        for n, sig in enumerate(sigs):
            for part in sig.split("|"):
                initials = min(map(len, part.split("/")[0].split())) == 1
                cut = (floor - PREFILTER_MARGIN - (INITIAL_SLACK if initials else 0)) * 100
                for key in part.split("/"):
                    bags.append("".join(sorted(key.replace(" ", ""))))
                    owner.append(n)
                    cuts.append(cut)
        out = [False] * len(sigs)
        low = min(cuts, default=0)
        for i in range(0, len(bags), 20_000):   # letters first, all at once in C, by chunks
            best = process.cdist(bags[i:i + 20_000], self._bags, scorer=fuzz.ratio,
                                 processor=None, score_cutoff=low).max(axis=1, initial=0)
            for j in (best >= low).nonzero()[0].tolist():
                if best[j] >= cuts[i + j]:
                    out[owner[i + j]] = True
        keys = self._postings.keys()
        return [hit and not keys.isdisjoint(reach(sig)) for hit, sig in zip(out, sigs,
                                                                           strict=True)]

    def _word_weights(self, form: NameForm) -> list[float]:
        return [len(t) * self._weights.get(t, 1.0) for t in form.tokens]

    def _candidates(self, forms: Sequence[NameForm]) -> list[int]:
        """Filed names sharing a key with the query, rarest keys first, up to CANDIDATE_CAP."""
        keys = set().union(*(_block_keys(f, self._postings) for f in forms))
        found = sorted((p for k in keys if (p := self._postings.get(k))), key=len)
        cands: set[int] = set()
        for plist in found:
            if cands and len(cands) + len(plist) > CANDIDATE_CAP:
                break
            cands.update(plist)
        return list(cands)

    def screen(self, name: str, *, country: str | None = None, kind: str | None = None,
               limit: int = 5, threshold: float | None = None,
               forms: Sequence[NameForm] | None = None) -> list[ScreeningHit]:
        """Entries that `name` may designate, best first, at most `limit` (`forms`: the
        name's `analyze` result when the caller has it already)."""
        if kind is not None and kind not in KINDS:
            raise InvalidQuery(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if limit < 1:
            raise InvalidQuery(f"limit must be at least 1, not {limit}")
        cut = self.threshold if threshold is None else threshold
        code = country_code(country) if country else None
        floor = cut - (COUNTRY_BOOST if code else 0) - (KIND_BOOST if kind else 0)
        found: dict[int, list[tuple[float, int, NameForm, list[Pair]]]] = {}
        forms = analyze(name) if forms is None else forms
        fids = self._candidates(forms)
        choices = list(map(self._bags.__getitem__, fids))
        best: dict[int, tuple[float, int]] = {}   # form -> (prefilter score, reading)
        for r, q in enumerate(forms):   # the readings of a name differ in their letters
            bags = (_bag(q), _bag(q, optional=False)) if any(q.optional) else (_bag(q),)
            # an initial pairs with a whole word, which then weighs one letter: a looser bound
            slack = PREFILTER_MARGIN + (INITIAL_SLACK if min(map(len, q.tokens)) == 1 else 0)
            for bag in bags:
                for _, ratio, i in process.extract(bag, choices, scorer=fuzz.ratio,
                                                   processor=None, limit=None,
                                                   score_cutoff=(floor - slack) * 100):
                    fid = self._owner[fids[i]]
                    if fid not in best or ratio > best[fid][0]:
                        best[fid] = (ratio, r)
        weights: dict[int, list[float]] = {}
        for fid, (_, r) in best.items():
            q = forms[r]
            wq = weights.get(r) or weights.setdefault(r, self._word_weights(q))
            score, pairs = align(q, self._forms[fid], wq, self._wc[fid])
            if score >= floor:
                found.setdefault(self._form_entry[fid], []).append((score, fid, q, pairs))
        ranked = []
        for e, matches in found.items():
            features = self._features(max(m[0] for m in matches), self.entries[e], code, kind)
            total = round(min(1.0, max(0.0, sum(features.values()))), 4)
            if total >= cut:
                ranked.append((total, e, features, matches))
        ranked.sort(key=lambda r: (-r[0], self.entries[r[1]].list_id, self.entries[r[1]].entry_id))
        return [self._hit(name, code, *r) for r in ranked[:limit]]

    def screen_many(self, names: Iterable[str], *, country: str | None = None,
                    kind: str | None = None, limit: int = 5, threshold: float | None = None,
                    workers: int = 1) -> list[list[ScreeningHit]]:
        """`screen` for each name, in order; a repeated name is screened once. With
        `workers` > 1 and at least PARALLEL_MIN distinct names, forked processes share the
        work (they inherit the index; only the hits travel back)."""
        names = list(names)
        distinct = list(dict.fromkeys(names))
        args = (country, kind, limit, threshold)
        if workers > 1 and len(distinct) >= PARALLEL_MIN \
                and "fork" in multiprocessing.get_all_start_methods():
            size = -(-len(distinct) // (workers * 4))
            chunks = [(distinct[i:i + size], *args) for i in range(0, len(distinct), size)]
            # fork: the children get this index by inheritance, nothing is pickled but hits
            with multiprocessing.get_context("fork").Pool(
                    workers, initializer=_adopt, initargs=(self,)) as pool:
                results = [h for part in pool.map(_screen_chunk, chunks) for h in part]
        else:
            results = self._screen_all(distinct, *args)
        done = dict(zip(distinct, results, strict=True))
        return [done[n] for n in names]

    def _screen_all(self, names: Sequence[str], country: str | None, kind: str | None,
                    limit: int, threshold: float | None) -> list[list[ScreeningHit]]:
        return [self.screen(n, country=country, kind=kind, limit=limit, threshold=threshold)
                for n in names]

    @staticmethod
    def _features(name_score: float, entry: ListEntry, country: str | None,
                  kind: str | None) -> dict[str, float]:
        features = {"name": round(name_score, 4)}
        if country and country in entry.countries:
            features["country"] = COUNTRY_BOOST
        if kind and kind == entry.kind:
            features["kind"] = KIND_BOOST
        elif kind and "individual" in (kind, entry.kind):
            features["kind"] = -KIND_PENALTY
        return features

    def _hit(self, name: str, country: str | None, total: float, index: int,
             features: dict[str, float],
             matches: Sequence[tuple[float, int, NameForm, list[Pair]]]) -> ScreeningHit:
        entry = self.entries[index]
        fields: list[MatchedField] = []
        for score, fid, q, pairs in sorted(matches, key=lambda m: -m[0]):
            c = self._forms[fid]
            if any(f.list_value == c.text for f in fields):
                continue
            fields.append(MatchedField(
                query_field="name", query_value=name, list_field=self._form_field[fid],
                list_value=c.text, query_form=q.folded, list_form=c.folded, query_key=q.key,
                list_key=c.key, score=round(score, 4), notes=explain(q, c, score, pairs)))
        extra = []   # the country and kind adjustments
        if "country" in features:
            extra.append(f"country {country} agrees (+{COUNTRY_BOOST:.2f})")
        if features.get("kind", 0) > 0:
            extra.append(f"kind {entry.kind} agrees (+{KIND_BOOST:.2f})")
        elif features.get("kind", 0) < 0:
            extra.append(f"kind differs: list entry is {entry.kind} (-{KIND_PENALTY:.2f})")
        best = fields[0]
        reason = "; ".join((f"score {total:.2f}", *best.notes, *extra))
        explanation = (f"name '{name}' matches {best.list_field} '{best.list_value}' of "
                       f"{entry.list_id} entry {entry.entry_id} ({reason})")
        if len(fields) > 1:
            others = ", ".join(f"{f.list_field} '{f.list_value}' {f.score:.2f}"
                               for f in fields[1:4])
            explanation += f"; also close to {others}"
        return ScreeningHit(entry=entry, score=total, matched_fields=tuple(fields),
                            explanation=explanation, features=features)



_WORKER: list[Screener] = []   # in a forked worker: the screener it inherited


def _adopt(screener: Screener) -> None:
    _WORKER[:] = [screener]


def _screen_chunk(job: tuple[list[str], str | None, str | None, int, float | None]
                  ) -> list[list[ScreeningHit]]:
    return _WORKER[0]._screen_all(*job)
