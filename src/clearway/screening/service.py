"""Restricted-party list use cases: load a list (replacing its previous version), screen a name."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import User
from clearway.screening import repository as repo
from clearway.screening.lists import parse_generic, parse_ofac_sdn
from clearway.screening.matcher import Screener
from clearway.screening.model import ListEntry, ListFormatError, ScreeningHit

FORMATS = ("generic", "ofac")


@dataclass(frozen=True)
class Loaded:
    list_id: str
    entries: int


def parse(text: str, fmt: str, list_id: str, source: str) -> list[ListEntry]:
    if fmt not in FORMATS:
        raise ClearwayError(code="CW-LIST-FORMAT",
                            message=f"Unknown list format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        if fmt == "ofac":
            return list(parse_ofac_sdn(text.splitlines(), list_id=list_id, source=source))
        return list(parse_generic(text.splitlines(), source=source, default_list_id=list_id))
    except ListFormatError as exc:
        raise ClearwayError(code="CW-LIST-FORMAT", message=str(exc)) from None
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit()
        raise ClearwayError(code="CW-LIST-FORMAT",
                            message=f"{source}: not readable as CSV: {exc}") from None


def load_list(ctx: Context, text: str, *, fmt: str, list_id: str, source: str,
              user: User) -> Loaded:
    """Replace the entries of `list_id` with the parsed file, audited, in one transaction."""
    list_id = list_id.strip()
    if not list_id or len(list_id) > 60:
        raise ClearwayError(code="CW-LIST-FORMAT",
                            message="A list needs an identifier of 1 to 60 characters")
    entries = parse(text, fmt, list_id, source)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        count = repo.replace_list(uow.session, list_id, entries, now)
        audit.append(uow.session, at=now, actor=user.actor, action="screening.list_loaded",
                     object_type="screening_list", object_id=list_id,
                     detail={"entries": count, "format": fmt, "source": source})
        uow.commit()
    ctx.risk.invalidate()
    return Loaded(list_id, count)


def load_file(ctx: Context, path: Path, *, fmt: str, list_id: str, user: User) -> Loaded:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClearwayError(code="CW-LIST-FORMAT",
                            message=f"Cannot read {path}: {exc}") from None
    return load_list(ctx, text, fmt=fmt, list_id=list_id, source=path.name, user=user)


def screener(ctx: Context) -> Screener | None:
    """The screening index the engine uses now (None: no list loaded)."""
    for rules in ctx.risk.get().knowledge.rules:
        found = getattr(rules, "screener", None)
        if isinstance(found, Screener):
            return found
    return None


def check(ctx: Context, name: str, country: str | None, limit: int = 5) -> list[ScreeningHit]:
    index = screener(ctx)
    return [] if index is None else index.screen(name, country=country, limit=limit)
