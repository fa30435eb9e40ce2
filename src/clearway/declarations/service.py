"""Declaration use cases. Each opens one unit of work and commits it whole: the
declaration, its events, its notification and its audit entry land together or not at all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.controls import actions as control_actions
from clearway.controls import repository as controls_repo
from clearway.declarations import access
from clearway.declarations import repository as repo
from clearway.declarations.amendments import check_identity, new_version
from clearway.declarations.formats import ParsedDocument
from clearway.declarations.formats.detect import read_document
from clearway.declarations.model import (
    CancellationRequest,
    Declaration,
    DeclarationDoc,
    DeclarationStatus,
    EntrySummaryDeclaration,
    LifecycleError,
    check_transition,
)
from clearway.declarations.mrn import make_mrn
from clearway.declarations.validation import validate
from clearway.errors import ClearwayError, Conflict, DocumentInvalid, Issue, NotFound
from clearway.notifications.service import notify
from clearway.risk import repository as risk_repo
from clearway.risk import trader_summary
from clearway.risk.amendment import decide_on_amendment
from clearway.risk.engine.decision import Channel
from clearway.risk.service import decide_on_acceptance
from clearway.storage.orm import DeclarationRow
from clearway.users.model import User

S = DeclarationStatus


@dataclass
class Outcome:
    """The answer to a submission: HTTP status, the declaration row, and any errors."""

    status_code: int
    row: DeclarationRow
    errors: list[Issue] = field(default_factory=list)


def canonical_dict(doc: DeclarationDoc) -> dict[str, Any]:
    return doc.model_dump(mode="json", exclude_none=True)


def content_hash(doc: DeclarationDoc) -> str:
    return hashlib.sha256(doc.model_dump_json(exclude_none=True).encode()).hexdigest()


def _point(parsed: ParsedDocument, issues: list[Issue]) -> list[Issue]:
    """Translate canonical pointers into the submitted format's own pointers."""
    if not parsed.pointers:
        return issues
    return [Issue(i.code, i.message, i.element, parsed.pointer_for(i.pointer or ""))
            for i in issues]


def submit(ctx: Context, data: bytes, content_type: str | None, user: User,
           parsed: ParsedDocument | None = None) -> Outcome:
    # `parsed`: read already, in a worker thread (declarations.views; never on the loop).
    parsed = parsed or read_document(data, content_type)
    doc = parsed.doc
    if isinstance(doc, Declaration) and doc.amends_mrn:
        return amend(ctx, doc.amends_mrn, parsed, data, user)
    if not doc.declarant.id:
        raise DocumentInvalid(_point(parsed, [Issue("CW-RULE-REQUIRED", "The declarant's "
                              "EORI is required", "DE 3/18", "/declarant/id")]))
    # Who lodges is settled first, from the document and the reference data alone: a
    # stranger's answer must not depend on the declarant's filings (LRN taken or not).
    submitter = access.submitter(doc, user, ctx.refdata.get(), ctx.clock.now().date())
    if isinstance(doc, CancellationRequest):
        return cancel(ctx, doc.mrn, doc.reason, user)
    # Concurrent lodgings of one LRN are settled by the INSERT ... ON CONFLICT in _lodge.
    return _lodge(ctx, parsed, data, submitter, user)


def _retry_or_conflict(existing: DeclarationRow, digest: str, lrn: str) -> Outcome:
    if existing.content_hash == digest:
        return Outcome(200, existing)
    raise _lrn_conflict(lrn)


def _lrn_conflict(lrn: str) -> Conflict:
    return Conflict("CW-LRN-CONFLICT", f"LRN {lrn!r} is already used by this declarant for a "
                    "different document; use a new LRN or amend the declaration")


def _lodge(ctx: Context, parsed: ParsedDocument, data: bytes, submitter: str,
           user: User) -> Outcome:
    doc = parsed.doc
    assert doc.declarant.id is not None
    digest = content_hash(doc)
    now = ctx.clock.now()
    # Validation needs no database: it runs before the transaction, which stays short.
    issues = _point(parsed, validate(doc, ctx.refdata.get(), now.date()))
    with ctx.uow() as uow:
        session = uow.session
        if issues:  # an identical rejection answers as stored, even under concurrency
            repo.lock_rejected_lrn(session, doc.declarant.id, doc.lrn)
            existing = repo.find_active_by_lrn(session, doc.declarant.id, doc.lrn)
            if existing is not None:
                return _retry_or_conflict(existing, digest, doc.lrn)
            prior = repo.find_rejected_by_hash(session, doc.declarant.id, doc.lrn, digest)
            if prior is not None:
                return Outcome(422, prior, [Issue(**e) for e in prior.errors])
        row = repo.add(session, dict(
            mrn=None, lrn=doc.lrn, declarant_id=doc.declarant.id, submitted_by=submitter,
            declaration_type=doc.declaration_type,
            additional_type=getattr(doc, "additional_type", None),
            status=S.REJECTED if issues else S.ACCEPTED, version=1, format=parsed.format,
            content_hash=digest, office=_office(doc), item_count=len(getattr(doc, "items", [])),
            document=canonical_dict(doc), envelope=parsed.envelope,
            errors=[i.as_dict() for i in issues], created_at=now, updated_at=now), doc)
        if row is None:  # the LRN is taken: an identical retry, or a conflict
            existing = repo.find_active_by_lrn(session, doc.declarant.id, doc.lrn)
            assert existing is not None
            return _retry_or_conflict(existing, digest, doc.lrn)
        lodged = repo.event(row, at=now, kind="lodged", from_status=None, to_status=S.LODGED,
                            actor=user.actor)
        if issues:
            repo.add_events(session, [lodged, repo.event(
                row, at=now, kind="rejected", from_status=S.LODGED, actor="system",
                detail={"errors": len(issues)})])
            notify(session, row, kind="rejected", at=now, errors=issues)
            audit.append(session, at=now, actor=user.actor, action="declaration.rejected",
                         object_type="declaration", object_id=str(row.id),
                         detail={"lrn": row.lrn, "errors": [i.code for i in issues],
                                 "hash": digest})
            uow.commit()
            return Outcome(422, row, issues)
        mrn = make_mrn(year=now.year, country=ctx.settings.country_code, serial=row.id,
                       kind=doc.declaration_type)
        repo.set_mrn(session, row, mrn)
        repo.add_version(session, row, data, now)
        repo.add_events(session, [lodged, repo.event(
            row, at=now, kind="accepted", from_status=S.LODGED, actor="system",
            detail={"mrn": row.mrn})])
        notify(session, row, kind="accepted", at=now)
        audit.append(session, at=now, actor=user.actor, action="declaration.accepted",
                     object_type="declaration", object_id=mrn,
                     detail={"lrn": row.lrn, "hash": digest, "format": row.format,
                             "raw_sha256": hashlib.sha256(data).hexdigest()})
        # The risk decision belongs to the acceptance: same transaction, or neither.
        if isinstance(doc, Declaration | EntrySummaryDeclaration):
            decide_on_acceptance(ctx, session, row, doc, now=now, actor=user.actor)
        trader_summary.add_declaration(session, row)  # after the decision read the record
        uow.commit()
        return Outcome(201, row)


def _office(doc: DeclarationDoc) -> str | None:
    offices = doc.offices if not isinstance(doc, CancellationRequest) else None
    if offices is None:
        return None
    return offices.lodgement or offices.presentation or offices.first_entry or offices.exit


def _visible(session: Any, row: DeclarationRow | None, user: User) -> bool:
    return row is not None and (user.trader_id is None
                                or repo.is_visible_to_trader(session, row, user.trader_id))


def _target(ctx: Context, session: Any, key: str, user: User, *,
            act: bool = False) -> DeclarationRow:
    """The declaration `key` locked for change: 404 when the user may not see it; with
    `act`, 403 when a trader may see it but not act on it (a party, not its declarant)."""
    row = repo.get(session, key, for_update=True)
    if row is None or not _visible(session, row, user):
        raise NotFound("Declaration", key)
    if act:
        access.check_actor(row, user, ctx.refdata.get(), ctx.clock.now().date())
    return row


def amend(ctx: Context, mrn: str, parsed: ParsedDocument, data: bytes, user: User) -> Outcome:
    assert isinstance(parsed.doc, Declaration)
    now = ctx.clock.now()
    ref = ctx.refdata.get()
    with ctx.uow() as uow:
        session = uow.session
        row = repo.get(session, mrn, for_update=True)
        if row is None or not _visible(session, row, user):
            raise ClearwayError(code="CW-AMEND-NOT-FOUND", status=404,
                                message=f"No declaration {mrn} of yours to amend")
        access.check_actor(row, user, ref, now.date())
        doc = new_version(row.document, parsed)
        check_identity(row, doc, parsed)
        access.check_amended_status(row, doc.representative_status, user, ref, now.date())
        digest = content_hash(doc)
        if row.content_hash == digest:
            return Outcome(200, row)
        if row.status not in (S.ACCEPTED, S.RISK_ASSESSED, S.UNDER_CONTROL):
            raise ClearwayError(code="CW-STATE", status=409,
                                message=f"A {row.status} declaration can no longer be amended")
        issues = _point(parsed, validate(doc, ref, now.date()))
        if issues:
            raise DocumentInvalid(issues, "The amendment has errors; the declaration is "
                                  "unchanged")
        trader = trader_summary.trader_of_row(row)
        row.version += 1
        row.document, row.content_hash, row.updated_at = canonical_dict(doc), digest, now
        row.item_count = len(doc.items) or row.item_count
        row.format, row.envelope = parsed.format, parsed.envelope
        row.additional_type, row.office = doc.additional_type, _office(doc)  # as the document
        repo.replace_items_and_parties(session, row, doc)
        if trader_summary.trader_of_row(row) != trader:  # e.g. the importer was corrected
            trader_summary.refresh(session, [trader, trader_summary.trader_of_row(row)])
        repo.add_version(session, row, data, now)
        repo.add_event(session, row, at=now, kind="amended", from_status=row.status,
                       actor=user.actor, detail={"version": row.version,
                                                 "reason": doc.amendment_reason})
        notify(session, row, kind="amended", at=now)
        audit.append(session, at=now, actor=user.actor, action="declaration.amended",
                     object_type="declaration", object_id=mrn,
                     detail={"version": row.version, "hash": digest,
                             "raw_sha256": hashlib.sha256(data).hexdigest()})
        decide_on_amendment(ctx, session, row, doc, now=now)  # never lowers the channel
        uow.commit()
        return Outcome(200, row)


def cancel(ctx: Context, key: str, reason: str | None, user: User) -> Outcome:
    if not reason or not reason.strip():
        raise ClearwayError(code="CW-REASON-REQUIRED", status=422,
                            message="A cancellation needs a reason",
                            errors=[Issue("CW-REASON-REQUIRED", "Give the reason",
                                          pointer="/reason")])
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _target(ctx, uow.session, key, user, act=True)
        if row.status == S.CANCELLED:
            return Outcome(200, row)
        if row.status not in (S.ACCEPTED, S.RISK_ASSESSED):
            raise ClearwayError(code="CW-STATE", status=409,
                                message=f"A {row.status} declaration cannot be cancelled by the "
                                "trader")
        if row.status == S.RISK_ASSESSED and _selected_for_control(uow.session, row.id):
            # Cancelling would let selected goods escape their control: customs decide
            # (a four-eyes cancellation override, docs/four-eyes.md).
            raise ClearwayError(code="CW-CANCEL-SELECTED", status=409,
                                message="Cancellation after selection needs customs' approval; "
                                "ask the office")
        _move(uow.session, row, S.CANCELLED, now=now, user=user, reason=reason)
        uow.commit()
        return Outcome(200, row)


def _selected_for_control(session: Any, declaration_id: int) -> bool:
    """Selected yellow or red, or holding an open control of the goods (not an audit)."""
    decision = risk_repo.get_decision(session, declaration_id)
    if decision is not None and decision.channel in (Channel.YELLOW, Channel.RED):
        return True
    return any(t.kind != "audit" for t in controls_repo.open_tasks_of(session, declaration_id))


OFFICER_ACTIONS = {"start-control": S.UNDER_CONTROL, "release": S.RELEASED,
                   "invalidate": S.INVALIDATED, "seize": S.SEIZED}


def officer_action(ctx: Context, key: str, action: str, reason: str | None,
                   user: User, *, outcome: str | None = None,
                   revenue: Decimal | None = None) -> DeclarationRow:
    target = OFFICER_ACTIONS.get(action)
    if target is None:
        raise NotFound("Action", action)
    if target in (S.INVALIDATED, S.SEIZED) and not (reason and reason.strip()):
        raise ClearwayError(code="CW-REASON-REQUIRED", status=422,
                            message=f"Action {action} needs a reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _target(ctx, uow.session, key, user)
        result: dict[str, Any] = {}
        if target == S.SEIZED and row.status != S.DETAINED:
            raise ClearwayError(code="CW-STATE", status=409, message="Only detained goods are "
                                "seized by this action; a control seizes through its result")
        # A declaration with a control task is controlled through it (clearway.controls).
        control_actions.through_task(uow.session, row, user, target, now, reason)
        if target == S.UNDER_CONTROL and control_actions.start_control(uow.session, row,
                                                                       user, now):
            uow.commit()
            return row
        if target == S.RELEASED and row.status == S.UNDER_CONTROL:
            if outcome is None:
                raise ClearwayError(code="CW-OUTCOME-REQUIRED", status=422,
                                    message="Ending a control needs its outcome: regular or "
                                    "irregular")
            if control_actions.end_control(uow.session, row, user, now, outcome=outcome,
                                           revenue=revenue, reason=reason):
                uow.commit()
                return row
            result = {"outcome": outcome,
                      "revenue": None if revenue is None else str(revenue)}
        # The former behaviour's release event carries a label (`risk.labels`, legacy).
        label = trader_summary.label_of(uow.session, row.id) if result else None
        _move(uow.session, row, target, now=now, user=user, reason=reason, result=result)
        if label is not None:
            trader_summary.relabelled(uow.session, row, label)
        uow.commit()
        return row


def _move(session: Any, row: DeclarationRow, target: str, *, now: Any, user: User,
          reason: str | None, result: dict[str, Any] | None = None) -> None:
    try:
        check_transition(row.status, target)
    except LifecycleError as exc:
        raise ClearwayError(code="CW-STATE", status=409, message=str(exc)) from None
    previous, row.status, row.updated_at = row.status, target, now
    detail = {"reason": reason} if reason else {}
    detail.update(result or {})
    repo.add_event(session, row, at=now, kind=target, from_status=previous, actor=user.actor,
                   detail=detail)
    # A trader reads only its own words back; customs' typed reasons may name an officer.
    told = f"{target}: {reason}" if reason and user.is_trader else None
    notify(session, row, kind=target, at=now, message=told)
    audit.append(session, at=now, actor=user.actor, action=f"declaration.{target}",
                 object_type="declaration", object_id=row.mrn or str(row.id),
                 detail={"from": previous, **detail})


def amend_by_key(ctx: Context, key: str, data: bytes, content_type: str | None,
                 user: User, parsed: ParsedDocument | None = None) -> Outcome:
    """PUT form of an amendment: the URL names the declaration, the body is the new version."""
    parsed = parsed or read_document(data, content_type)
    if not isinstance(parsed.doc, Declaration):
        raise DocumentInvalid([Issue("CW-SYN-SCHEMA", "An amendment must be a full declaration",
                                     pointer="/declaration_type")])
    with ctx.uow() as uow:
        row = _target(ctx, uow.session, key, user, act=True)
        mrn = row.mrn
    if mrn is None:
        raise ClearwayError(code="CW-STATE", status=409,
                            message="A rejected filing cannot be amended; lodge it again")
    return amend(ctx, mrn, parsed, data, user)
