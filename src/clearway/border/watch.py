"""The watch lists' keys and hits, inside the caller's transaction.

Every value compared is first reduced to a key per facet: a plate or container number to its
letters and digits in upper case, an EORI likewise, a company name to each of its readings as
the screening room normalises names (legal forms dropped, spelling systems folded, word order
ignored), a person to keyed pseudonyms. An entry stores its keys; what crosses or is declared
is reduced the same way and looked up in one read of the key index, so a check costs the
same with ten entries or a hundred thousand. Each entry that hits, valid on the day, raises
one alert per object (a booth record, a declaration, an ENS), stored once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from clearway.border import repository as repo
from clearway.border.model import Alert, Target, WatchKind, eori, plate_or_unit
from clearway.screening.normalize import analyze

_EORI = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,15}$")
# Which facets each kind of entry is found by; a booth's or document's target of a facet
# hits only entries of these kinds.
FACETS: dict[WatchKind, tuple[str, ...]] = {
    WatchKind.VEHICLE: ("plate",), WatchKind.CONTAINER: ("container",),
    WatchKind.COMPANY: ("eori", "name"), WatchKind.PERSON: ("person",),
}


def looks_like_eori(value: str) -> bool:
    key = eori(value)
    return bool(_EORI.match(key)) and any(c.isdigit() for c in key) and " " not in value.strip()


def name_keys(name: str) -> set[str]:
    """A company name's keys: each Latin reading, its words sorted."""
    return {f.sorted_key for f in analyze(name) if f.sorted_key}


def keys_of(kind: WatchKind, value: str) -> set[tuple[str, str]]:
    """The (facet, key) pairs an entry of `kind` and `value` is found by (persons: see
    `people.every_pseudonym`, which the caller passes as `value` one by one)."""
    if kind == WatchKind.VEHICLE:
        found = {("plate", plate_or_unit(value))}
    elif kind == WatchKind.CONTAINER:
        found = {("container", plate_or_unit(value))}
    elif kind == WatchKind.PERSON:
        found = {("person", value)}
    elif looks_like_eori(value):
        found = {("eori", eori(value))}
    else:
        found = {("name", k) for k in name_keys(value)}
    return {(f, k) for f, k in found if k}


def plate_targets(values: Iterable[tuple[str, str | None]]) -> list[Target]:
    return [Target("plate", plate_or_unit(v), field, v) for field, v in values
            if v and plate_or_unit(v)]


def container_targets(field: str, values: Iterable[str]) -> list[Target]:
    return [Target("container", plate_or_unit(v), field, v) for v in values
            if plate_or_unit(v)]


def party_targets(field: str, party_id: str | None, name: str | None) -> list[Target]:
    found = []
    if party_id and eori(party_id):
        found.append(Target("eori", eori(party_id), field, party_id))
    for key in name_keys(name) if name else ():
        found.append(Target("name", key, field, name or key))
    return found


def check(session: Session, targets: list[Target], *, object_type: str, object_ref: str,
          at: datetime) -> list[Alert]:
    """The alerts `targets` raise on one object: new ones stored, those already raised on it
    returned as they stand. No target: no query at all."""
    if not targets:
        return []
    hits = repo.entries_by_keys(session, {t.key for t in targets})
    if not hits:
        return []
    by_pair: dict[tuple[str, str], list[Target]] = {}
    for t in targets:
        by_pair.setdefault((t.facet, t.key), []).append(t)
    already = repo.alerted(session, object_type, object_ref)
    raised: list[Alert] = []
    for entry in sorted(repo.entries_by_ids(session, hits), key=lambda e: e.id):
        pairs = sorted(p for p in hits[entry.id]
                       if p in by_pair and p[0] in FACETS[entry.kind])
        if not pairs or not entry.valid_on(at.date()):
            continue
        if entry.id in already:
            raised.append(already[entry.id])
            continue
        found = [t for p in pairs for t in by_pair[p]]
        fields = ", ".join(dict.fromkeys(t.field for t in found))
        raised.append(repo.add_alert(session, Alert(
            id=0, entry_id=entry.id, kind=entry.kind, matched=found[0].shown, field=fields,
            object_type=object_type, object_ref=object_ref, reason=entry.reason,
            services=entry.services, raised_at=at)))
    return raised
