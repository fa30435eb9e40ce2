"""Which declarations the profiles hit: one Polars `select` over the item frame.

`ProfileSet(profiles).hits(frame)` compiles every profile once, evaluates all of them in one
lazy `select` (Polars runs the columns in parallel and shares common sub-expressions, e.g. the
same HS prefix in several profiles), then finds the true rows of each column with `arg_true`.
Python touches only the rows that hit: one `Hit` per declaration and profile, about the first
matching item. A batch frame and the frames of its declarations one by one give the same hits.

Small frames (a declaration being lodged: a few items) take another way to the same hits: the
`prefilter` finds in plain Python the few profiles that can possibly hold on one of the rows,
Polars evaluates only those, and Python groups their true rows. Evaluating all 500 compiled
expressions costs tens of milliseconds whatever the frame's size; this costs about one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from clearway.profiles.conditions import compile_profile, derived_columns
from clearway.profiles.model import Profile, fields_of
from clearway.profiles.prefilter import Prefilter
from clearway.risk.engine.decision import Hit, Source
from clearway.risk.engine.fields import BY_NAME, ROW_KEYS, SCHEMA

# Fields whose value differs from item to item: a hit on them is about an item.
ITEM_LEVELS = frozenset({"item", "reference"})
# Up to this many rows, prefilter in Python and evaluate only the candidate profiles.
SMALL_FRAME_ROWS = 64


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class ProfileSet:
    """Compiled profiles, ready to run on item frames (see `clearway.risk.engine.frame`)."""

    def __init__(self, profiles: Sequence[Profile], *,
                 small_frame_rows: int = SMALL_FRAME_ROWS) -> None:
        self.profiles = tuple(profiles)
        self.small_frame_rows = small_frame_rows
        self._masks = [compile_profile(p).alias(f"_p{i}") for i, p in enumerate(self.profiles)]
        self._helper_sets = [derived_columns(p.when) for p in self.profiles]
        self._helpers = {k: v for helpers in self._helper_sets for k, v in helpers.items()}
        self._prefilter = Prefilter(self.profiles)
        self._fields = [fields_of(p.when) for p in self.profiles]
        self._about_items = [any(BY_NAME[f].level in ITEM_LEVELS for f in fields)
                             for fields in self._fields]
        self._reasons = [p.reason() for p in self.profiles]

    def __len__(self) -> int:
        return len(self.profiles)

    def masks(self, frame: pl.DataFrame) -> pl.DataFrame:
        """One boolean column per profile (`_p0`, `_p1`...), one row per frame row."""
        return (_complete(frame).lazy().with_columns(**self._helpers).select(self._masks)
                .collect())

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        """(`_decl` of the declaration, Hit) for each declaration and profile that hits it,
        ordered by declaration, then by the order the profiles were given in."""
        if not self.profiles or frame.height == 0:
            return []
        frame = _complete(frame)
        if frame.height <= self.small_frame_rows and self._prefilter.applies(frame):
            return self._few_hits(frame)
        masks = self.masks(frame)
        parts = []
        for i, hit_any in enumerate(masks.select(pl.all().any()).row(0)):
            if hit_any:  # most profiles hit nothing: skip them after one cheap `any`
                rows = masks.to_series(i).arg_true()
                parts.append(pl.DataFrame({
                    "_profile": pl.repeat(i, rows.len(), dtype=pl.Int32, eager=True),
                    "_row": rows}))
        if not parts:
            return []
        found = pl.concat(parts)
        found = found.with_columns(frame.get_column("_decl").gather(found["_row"]),
                                   frame.get_column("item").gather(found["_row"]))
        # Rows arrive in frame order within each profile, so `first` is the first item.
        grouped = found.group_by("_decl", "_profile", maintain_order=True).agg(
            pl.col("item").drop_nulls().alias("items"), pl.col("_row").first().alias("first"))
        out: list[tuple[int, int, Hit]] = []
        for (index,), group in grouped.group_by("_profile", maintain_order=True):
            i = int(str(index))
            values = frame.select(self._fields[i])[group["first"]].to_dicts()
            for decl, items, seen in zip(group["_decl"], group["items"], values, strict=True):
                out.append((int(decl), i, self._hit(i, items.to_list(), seen)))
        out.sort(key=lambda hit: (hit[0], hit[1]))
        return [(decl, hit) for decl, _i, hit in out]

    def _few_hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        """`hits` on a small frame: the candidate profiles only, grouped in Python."""
        chosen = self._prefilter.candidates(frame)
        if not chosen:
            return []
        helpers = {k: v for i in chosen for k, v in self._helper_sets[i].items()}
        masks = (frame.lazy().with_columns(**helpers).select([self._masks[i] for i in chosen])
                 .collect())
        decls = frame.get_column("_decl").to_list()
        items = frame.get_column("item").to_list()
        out: list[tuple[int, int, Hit]] = []
        for i, mask in zip(chosen, masks.iter_columns(), strict=True):
            by_decl: dict[int, list[int]] = {}
            for row, holds in enumerate(mask.to_list()):
                if holds:
                    by_decl.setdefault(decls[row], []).append(row)
            for decl, rows in by_decl.items():
                seen = frame.select(self._fields[i]).row(rows[0], named=True)
                found = [items[r] for r in rows if items[r] is not None]
                out.append((int(decl), i, self._hit(i, found, seen)))
        out.sort(key=lambda hit: (hit[0], hit[1]))
        return [(decl, hit) for decl, _i, hit in out]

    def _hit(self, i: int, items: list[int], seen: dict[str, Any]) -> Hit:
        p = self.profiles[i]
        evidence: dict[str, Any] = {"items": items}
        evidence.update((name, _plain(value)) for name, value in seen.items())
        return Hit(source=Source.PROFILE, ref=p.ref, area=p.area, reason=self._reasons[i],
                   weight=p.weight, min_channel=p.min_channel, hard=p.hard,
                   item=items[0] if items and self._about_items[i] else None,
                   instructions=p.instructions, qualification=p.qualification,
                   evidence=evidence)


_COLUMNS = {**ROW_KEYS, **SCHEMA}


def _complete(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with any missing risk field added as nulls (tests and partial frames)."""
    present = set(frame.columns)
    missing = {name: dtype for name, dtype in _COLUMNS.items() if name not in present}
    if not missing:
        return frame
    return frame.with_columns(pl.lit(None, dtype=dtype).alias(name)
                              for name, dtype in missing.items())
