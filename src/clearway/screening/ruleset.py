"""Screen the parties of declarations against restricted-party lists, as engine hits.

Every named party (declarant, importer, exporter, consignor, consignee, seller; on an export the
consignee is the end user) is screened with `matcher.Screener`. A party's name is
screened once per list version: results are cached on this object, which the engine rebuilds
whenever the lists change. The new one `carry`s over the answers the change cannot touch, so
the first batch after a small list update does not screen every name again; an answer with a
hit on a removed or changed entry, or a name that could meet an added or changed entry, is
never carried.
"""

from __future__ import annotations

import polars as pl

from clearway.declarations.model import SUMMARY_TYPES
from clearway.risk.engine.decision import Area, Channel, EnsOutcome, Hit, Source
from clearway.screening.blocking import signature
from clearway.screening.matcher import Screener
from clearway.screening.model import ScreeningHit
from clearway.screening.normalize import analyze

# (role, name column, country column or None)
PARTIES: tuple[tuple[str, str, str | None], ...] = (
    ("declarant", "declarant_name", None),
    ("importer", "importer_name", None),
    ("exporter", "exporter_name", "exporter_country"),
    ("consignor", "consignor_name", "consignor_country"),
    ("consignee", "consignee_name", None),
    ("seller", "seller_name", None),
)
STRONG_MATCH = 0.92  # at or above: physical control; below: documentary identity check
KEY_SCHEMA = {"name": pl.String, "country": pl.String}
SMALL = 32  # up to this many declarations, a plain loop beats the frame operations
CARRY_LIMIT = 0.1  # a list change touching more entries than this share: start afresh


class PartyScreening:
    def __init__(self, screener: Screener, *, strong: float = STRONG_MATCH,
                 cache_size: int = 2_000_000) -> None:
        self.screener, self.strong, self.cache_size = screener, strong, cache_size
        # Names with hits (few) and names found clean (most), apart: a clean name costs a
        # set entry, not a list. Past `cache_size` names the cache starts afresh rather than
        # evicting one by one, which would miss every time on traffic wider than the cache.
        self._listed: dict[tuple[str, str | None], list[ScreeningHit]] = {}
        self._clean: set[tuple[str, str | None]] = set()
        # The same keys as a frame, so a batch finds its new names with one anti-join instead
        # of a Python lookup per name (an accelerator only: `_screen` stays the authority).
        self._seen = pl.DataFrame(schema=KEY_SCHEMA)
        # Per name screened: its readings' keys (`blocking.signature`), what `carry` needs to
        # tell whether a changed list can reach it.
        self._sigs: dict[tuple[str, str | None], str] = {}

    def carry(self, previous: PartyScreening) -> int:
        """Adopt the answers `previous` (the last list version's rule set) found, where this
        list version cannot change them; returns how many names were adopted.

        Not adopted: a name with a hit on a removed or changed entry, and a name that could
        meet an added or changed entry (`Screener.may_meet` over those entries: a blocking
        key in common and enough letters in common). Hits on unchanged entries keep the
        score they were given (a common word's weight moves by a hair as a list changes). A
        change to more than CARRY_LIMIT of the entries, or another threshold, adopts
        nothing."""
        before, after = set(previous.screener.entries), set(self.screener.entries)
        gone, fresh = before - after, after - before
        if previous.screener.threshold != self.screener.threshold \
                or len(gone) + len(fresh) > CARRY_LIMIT * max(1, len(after)):
            return 0
        near = Screener(fresh, threshold=self.screener.threshold) if fresh else None
        # snapshots: the previous rule set may still be screening in another thread
        listed, clean = dict(previous._listed), set(previous._clean)
        kept: list[tuple[str, str | None]] = []
        sigs = list(previous._sigs.items())
        reached = [False] * len(sigs) if near is None else near.may_meet([s for _, s in sigs])
        for (key, sig), touched in zip(sigs, reached, strict=True):
            hits = listed.get(key)
            if (hits is None and key not in clean) or touched \
                    or any(h.entry in gone for h in hits or ()):
                continue
            if hits:
                self._listed[key] = hits
            else:
                self._clean.add(key)
            self._sigs[key] = sig
            kept.append(key)
        self._seen = pl.DataFrame({"name": [k[0] for k in kept],
                                   "country": [k[1] for k in kept]}, schema=KEY_SCHEMA)
        return len(kept)

    def _screen(self, name: str, country: str | None) -> list[ScreeningHit]:
        key = (name, country)
        if key in self._clean:
            return []
        found = self._listed.get(key)
        if found is None:
            forms = analyze(name)
            found = self.screener.screen(name, country=country, limit=3, forms=forms)
            if len(self._clean) + len(self._listed) >= self.cache_size:
                self._reset()
            self._sigs[key] = signature(forms)
            if found:
                self._listed[key] = found
            else:
                self._clean.add(key)
        return found

    def _reset(self) -> None:
        self._clean.clear()
        self._listed.clear()
        self._sigs.clear()
        self._seen = pl.DataFrame(schema=KEY_SCHEMA)

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        if frame.height == 0:
            return []
        cols = ["_decl", "declaration_type"] + [c for _, n, k in PARTIES for c in (n, k) if c]
        heads = frame.select(cols).unique(subset="_decl", keep="first", maintain_order=True)
        if heads.height <= SMALL:
            return self._few(heads)
        # One row per (declaration, role) with a name; each distinct (name, country) is
        # screened once, and only the rows of names with hits come back to Python.
        parties = pl.concat([heads.select(
            "_decl", "declaration_type", pl.lit(role).alias("role"),
            pl.col(name_col).alias("name"),
            (pl.col(country_col) if country_col else pl.lit(None, pl.String)).alias("country"))
            for role, name_col, country_col in PARTIES]).drop_nulls("name")
        keys = parties.select("name", "country").unique()
        if keys.height > self.cache_size:  # wider than the cache: name by name
            found = {k: h for k in keys.iter_rows() if (h := self._screen(*k))}
        else:
            if len(self._clean) + len(self._listed) + keys.height > self.cache_size:
                self._reset()  # now the batch fits: no reset while it is screened
            new = keys.join(self._seen, on=["name", "country"], how="anti", nulls_equal=True)
            for name, country in new.iter_rows():
                self._screen(name, country)
            self._seen = pl.concat([self._seen, new]) if new.height else self._seen
            found = self._listed
        if not found:
            return []
        listed = pl.DataFrame({"name": [k[0] for k in found], "country": [k[1] for k in found]},
                              schema=KEY_SCHEMA)
        matched = parties.join(listed, on=["name", "country"], how="semi", nulls_equal=True)
        out: list[tuple[int, Hit]] = []
        for decl, kind, role, name, country in matched.sort("_decl", maintain_order=True) \
                .iter_rows():
            out += [(decl, self._hit(role, kind, hit)) for hit in found[(name, country)]]
        return out

    def _few(self, heads: pl.DataFrame) -> list[tuple[int, Hit]]:
        """The same hits for a handful of declarations, without frame operations."""
        out: list[tuple[int, Hit]] = []
        for head in heads.iter_rows(named=True):
            for role, name_col, country_col in PARTIES:
                name = head[name_col]
                if name is not None:
                    country = head[country_col] if country_col else None
                    out += [(head["_decl"], self._hit(role, head["declaration_type"], hit))
                            for hit in self._screen(name, country)]
        return out

    def _hit(self, role: str, kind: str, found: ScreeningHit) -> Hit:
        strong = found.score >= self.strong
        if role == "consignee" and kind == "EX":
            role = "end user (consignee)"
        return Hit(
            source=Source.SCREENING, ref=f"{found.entry.list_id}:{found.entry.entry_id}",
            area=Area.SECURITY if kind in SUMMARY_TYPES else Area.PROHIBITIONS,
            reason=f"{role} {found.explanation}", weight=found.score,
            min_channel=Channel.RED if strong else Channel.YELLOW, hard=True,
            instructions=("Stop the goods: verify the party's identity against the listed "
                          "entry and consult the sanctions desk before release"),
            qualification="sanctions",
            ens_outcome=EnsOutcome.HRS if kind in SUMMARY_TYPES else None,
            evidence={"role": role, **found.as_dict()})
