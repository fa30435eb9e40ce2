"""Use cases of the agencies and their regulatory matrix: add and list agencies (audited),
propose a matrix version and have another analyst or a supervisor approve it (four eyes,
audited), read the version valid on a day. A fresh installation gets the packaged agencies
and matrix (`load_packaged_if_empty`); afterwards the analysts own the matrix.

The agencies' tasks move declarations, so their use cases live in `clearance.agency_work`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, datetime
from importlib import resources

from sqlalchemy.orm import Session

from clearway.agencies import repository as repo
from clearway.agencies.kpis import AgencyKpis, figures, tasks_since
from clearway.agencies.matrix import Version, read_matrix, unknown_agencies
from clearway.agencies.model import Agency, AgencyKind
from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, Conflict, DocumentInvalid, NotFound
from clearway.identity import Role, User
from clearway.storage.orm_agencies import MatrixVersionRow

CODE = re.compile(r"[A-Z]{2,8}")


def packaged(name: str) -> str:
    return (resources.files("clearway.agencies") / "data" / name).read_text(encoding="utf-8")


def check_agency(agency: Agency) -> None:
    if (not CODE.fullmatch(agency.code) or not agency.name.strip() or len(agency.name) > 120
            or not 1 <= agency.target_minutes <= 10080
            or not 0.0 <= agency.inspection_rate <= 1.0):
        raise ClearwayError("CW-AGENCY-INVALID", f"agency {agency.code!r} is refused: code of "
                            "2 to 8 capitals, a name of up to 120 characters, a target of 1 to "
                            "10080 minutes, an inspection rate from 0 to 1")


def add_agency_in(session: Session, agency: Agency, *, now: datetime, actor: str) -> None:
    check_agency(agency)
    if repo.agency(session, agency.code) is not None:
        raise Conflict("CW-AGENCY-EXISTS", f"agency {agency.code} exists already")
    repo.add_agency(session, agency, now=now, actor=actor)
    audit.append(session, at=now, actor=actor, action="agency.created", object_type="agency",
                 object_id=agency.code,
                 detail={"name": agency.name, "kind": agency.kind.value,
                         "target_minutes": agency.target_minutes,
                         "inspection_rate": agency.inspection_rate})


def add_agency(ctx: Context, agency: Agency, actor: str) -> Agency:
    with ctx.uow() as uow:
        add_agency_in(uow.session, agency, now=ctx.clock.now(), actor=actor)
        uow.commit()
    return agency


def list_agencies(ctx: Context) -> list[Agency]:
    with ctx.uow(read_only=True) as uow:
        return repo.agencies(uow.session)


def require_agency(ctx: Context, code: str | None) -> Agency:
    """The agency an agency user is to carry; CW-AGENCY-UNKNOWN if there is none."""
    with ctx.uow(read_only=True) as uow:
        found = repo.agency(uow.session, code or "")
    if found is None:
        raise ClearwayError("CW-AGENCY-UNKNOWN", f"no agency {code!r}: create it first "
                            "(clearway agencies add)")
    return found


def read_agencies_csv(text: str) -> list[Agency]:
    return [Agency(r["code"], r["name"], AgencyKind(r["kind"]), int(r["target_minutes"]),
                   float(r["inspection_rate"])) for r in csv.DictReader(io.StringIO(text))]


def _checked_rules(session: Session, text: str) -> int:
    rules = read_matrix(text)
    issues = unknown_agencies(rules, {a.code for a in repo.agencies(session)})
    if issues:
        raise DocumentInvalid(issues)
    return len(rules)


def _add_version(session: Session, text: str, *, valid_from: date, note: str | None,
                 now: datetime, actor: str) -> MatrixVersionRow:
    count = _checked_rules(session, text)
    row = MatrixVersionRow(status=repo.PROPOSED, valid_from=valid_from, content=text,
                           sha256=hashlib.sha256(text.encode()).hexdigest(),
                           rule_count=count, note=note, proposed_by=actor, proposed_at=now)
    session.add(row)
    session.flush()
    audit.append(session, at=now, actor=actor, action="agency_matrix.proposed",
                 object_type="agency_matrix", object_id=str(row.id),
                 detail={"valid_from": valid_from.isoformat(), "rules": count,
                         "sha256": row.sha256, "note": note})
    return row


def load_packaged_if_empty(session: Session, *, now: datetime, actor: str) -> bool:
    """The packaged agencies and matrix (approved as shipped), if none was ever stored."""
    if repo.agencies(session) or repo.versions(session):
        return False
    for agency in read_agencies_csv(packaged("agencies.csv")):
        add_agency_in(session, agency, now=now, actor=actor)
    row = _add_version(session, packaged("matrix.csv"), valid_from=date(2000, 1, 1),
                       note="packaged matrix", now=now, actor=actor)
    row.status, row.decided_by, row.decided_at = repo.APPROVED, actor, now
    return True


def propose(ctx: Context, text: str, *, valid_from: date | None, note: str | None,
            user: User) -> MatrixVersionRow:
    """A new matrix version, waiting for another analyst's or a supervisor's approval."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _add_version(uow.session, text, valid_from=valid_from or now.date(), note=note,
                           now=now, actor=user.actor)
        uow.commit()
        return row


def _pending(session: Session, number: int, user: User) -> MatrixVersionRow:
    row = repo.version(session, number, for_update=True)
    if row is None:
        raise NotFound("Matrix version", str(number))
    if row.status != repo.PROPOSED:
        raise Conflict("CW-MATRIX-STATE", f"matrix version {number} is {row.status} already")
    if row.proposed_by == user.actor:
        raise ClearwayError("CW-FOUR-EYES", "the analyst who proposed a matrix version "
                            "cannot approve or reject it")
    return row


def approve(ctx: Context, number: int, user: User) -> MatrixVersionRow:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _pending(uow.session, number, user)
        latest = repo.latest_approved(uow.session)
        if latest is not None and row.valid_from < latest.valid_from:
            raise ClearwayError("CW-MATRIX-DATE", f"version {number} would apply from "
                                f"{row.valid_from}, before version {latest.id} "
                                f"({latest.valid_from})")
        _checked_rules(uow.session, row.content)   # an agency may have gone since
        row.status, row.decided_by, row.decided_at = repo.APPROVED, user.actor, now
        audit.append(uow.session, at=now, actor=user.actor, action="agency_matrix.approved",
                     object_type="agency_matrix", object_id=str(row.id),
                     detail={"valid_from": row.valid_from.isoformat(),
                             "proposed_by": row.proposed_by, "sha256": row.sha256})
        uow.commit()
    ctx.matrix.invalidate()
    return row


def reject(ctx: Context, number: int, reason: str, user: User) -> MatrixVersionRow:
    if not reason.strip():
        raise ClearwayError("CW-REASON-REQUIRED", "rejecting a matrix version needs a reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _pending(uow.session, number, user)
        row.status, row.decided_by, row.decided_at = repo.REJECTED, user.actor, now
        row.reason = reason
        audit.append(uow.session, at=now, actor=user.actor, action="agency_matrix.rejected",
                     object_type="agency_matrix", object_id=str(row.id),
                     detail={"reason": reason})
        uow.commit()
        return row


def versions(ctx: Context) -> list[MatrixVersionRow]:
    with ctx.uow(read_only=True) as uow:
        return repo.versions(uow.session)


def version_on(ctx: Context, day: date) -> Version | None:
    found: Version | None = ctx.matrix.get().on(day)
    return found


def visible_agency(user: User) -> str | None:
    """The one agency whose tasks and figures an agency user sees (None: customs staff)."""
    return user.agency_code if user.role in (Role.AGENCY_OFFICER,
                                             Role.AGENCY_SUPERVISOR) else None


def kpis(ctx: Context, user: User, since: datetime | None = None) -> list[AgencyKpis]:
    """Every agency's figures for customs staff; an agency supervisor sees its own only."""
    own = visible_agency(user)
    with ctx.uow(read_only=True) as uow:
        return [figures(a, tasks_since(uow.session, a.code, since))
                for a in repo.agencies(uow.session) if own is None or a.code == own]
