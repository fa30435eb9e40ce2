"""Use cases of mutual assistance: draft, approve (four eyes; the request leaves in the same
transaction), assign, answer or refuse (the reply leaves in the same transaction), close, and
the reads. What a received request or reply becomes is `inbound.py`'s."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.assistance import repository as repo
from clearway.assistance.messages import reply_payload, request_payload
from clearway.assistance.model import (
    ACTION_REPLY,
    ACTION_REQUEST,
    OUT,
    PURPOSE,
    Attachment,
    Draft,
    Reply,
    Status,
    check_approver,
    check_attachments,
    check_draft,
    check_reply,
    next_status,
)
from clearway.audit import repository as audit
from clearway.errors import ClearwayError
from clearway.exchange import repository as exchange_repo
from clearway.exchange.outbox import send_in
from clearway.exchange.signing import exchange_key
from clearway.identity import Role, User
from clearway.storage.orm import UserRow
from clearway.storage.orm_assistance import AssistanceAttachmentRow, AssistanceRequestRow

if TYPE_CHECKING:
    from clearway.context import Context


def not_found(what: str) -> ClearwayError:
    return ClearwayError(code="CW-ASSIST-NOT-FOUND", message=f"No {what} (or not visible to "
                         "you)")


def _visible(row: AssistanceRequestRow | None, user: User) -> AssistanceRequestRow:
    """A partner's liaison sees only what was exchanged with its own administration."""
    if row is None or (user.role == Role.PARTNER and row.partner != user.partner_code):
        raise not_found("such request")
    return row


def _locked(session: Session, request_id: int) -> AssistanceRequestRow:
    row = repo.get(session, request_id, for_update=True)
    if row is None:
        raise not_found(f"request {request_id}")
    return row


def _audit(session: Session, row: AssistanceRequestRow, user: User, what: str,
           now: datetime, **detail: object) -> None:
    audit.append(session, at=now, actor=user.actor, action=f"assistance.{what}",
                 object_type="assistance", object_id=str(row.id),
                 detail={"direction": row.direction, "partner": row.partner,
                         "status": row.status, **detail})


def draft(ctx: Context, user: User, draft: Draft, files: list[Attachment],
          claimed: list[str | None]) -> AssistanceRequestRow:
    """An officer's or analyst's draft; nothing leaves until a second person approves."""
    now = ctx.clock.now()
    check_draft(draft, now)
    check_attachments(files, claimed)
    with ctx.uow() as uow:
        agreement = exchange_repo.agreement(uow.session, draft.agreement_id)
        if agreement is None or draft.partner not in agreement.parties:
            raise ClearwayError(code="CW-ASSIST-INVALID", message=f"No agreement "
                                f"{draft.agreement_id!r} with {draft.partner!r} is loaded")
        if draft.purpose not in agreement.fields:
            raise ClearwayError(code="CW-ASSIST-INVALID", message=f"The agreement allows no "
                                f"purpose {draft.purpose!r}")
        values = replace(draft, legal_basis=draft.legal_basis or agreement.legal_basis)
        row = repo.add_request(
            uow.session, direction=OUT, partner=values.partner,
            agreement_id=values.agreement_id, request_type=values.request_type,
            subject_kind=values.subject_kind, subject=values.subject,
            question=values.question, legal_basis=values.legal_basis,
            purpose=values.purpose, deadline=values.deadline, priority=values.priority,
            confidentiality=values.confidentiality, mrn=values.mrn,
            disclose_requested=values.disclose_requested, status=Status.DRAFTED,
            drafted_by_id=user.id, drafted_by=user.actor, created_at=now)
        repo.add_attachments(uow.session, row.id, None, files, now)
        _audit(uow.session, row, user, "drafted", now, request_type=row.request_type,
               deadline=row.deadline.isoformat(), attachments=len(files))
        uow.commit()
        return row


def _files(session: Session, request_id: int, reply_id: int | None) -> list[Attachment]:
    return [Attachment(a.filename, a.content_type, a.data)
            for a in repo.attachments(session, request_id) if a.reply_id == reply_id]


def approve(ctx: Context, request_id: int, user: User) -> AssistanceRequestRow:
    """Four eyes, then the request leaves: the message enters the outbox in this very
    transaction, so it is sent if and only if the approval commits."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _locked(uow.session, request_id)
        status = next_status(row.direction, row.status, "approve")
        check_approver(row.drafted_by_id, user.id)
        message_id = send_in(
            uow.session, ctx.settings, exchange_key(ctx.settings), to=row.partner,
            action=ACTION_REQUEST, purpose=row.purpose, agreement_id=row.agreement_id,
            payload=request_payload(row, _files(uow.session, row.id, None)), now=now,
            confidentiality=row.confidentiality)
        row.status, row.approved_by, row.sent_at = status, user.actor, now
        row.message_id = row.conversation_id = message_id
        _audit(uow.session, row, user, "approved", now, message_id=message_id,
               drafted_by=row.drafted_by)
        uow.commit()
        return row


def assign(ctx: Context, request_id: int, officer: str, user: User) -> AssistanceRequestRow:
    """A supervisor gives a received request to an officer."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _locked(uow.session, request_id)
        status = next_status(row.direction, row.status, "assign")
        found = uow.session.execute(select(UserRow).where(
            UserRow.name == officer, UserRow.role == Role.OFFICER.value,
            UserRow.revoked_at.is_(None))).scalar_one_or_none()
        if found is None:
            raise ClearwayError(code="CW-ASSIST-NOT-ASSIGNED",
                                message=f"{officer!r} is not an active officer")
        row.status, row.assigned_to_id = status, found.id
        _audit(uow.session, row, user, "assigned", now, officer=officer)
        uow.commit()
        return row


def answer(ctx: Context, request_id: int, reply: Reply, files: list[Attachment],
           claimed: list[str | None], user: User) -> AssistanceRequestRow:
    """The assigned officer answers, answers partly or refuses; the reply leaves in this
    transaction, in the request's conversation."""
    now = ctx.clock.now()
    check_attachments(files, claimed)
    with ctx.uow() as uow:
        row = _locked(uow.session, request_id)
        status = next_status(row.direction, row.status, reply.outcome)
        if row.assigned_to_id != user.id:
            raise ClearwayError(code="CW-ASSIST-NOT-ASSIGNED", message="The request is "
                                "answered by the officer it is assigned to")
        check_reply(reply, request_type=row.request_type,
                    disclose_requested=row.disclose_requested)
        message_id = send_in(
            uow.session, ctx.settings, exchange_key(ctx.settings), to=row.partner,
            action=ACTION_REPLY, purpose=PURPOSE, agreement_id=row.agreement_id,
            payload=reply_payload(reply, files), now=now,
            conversation_id=row.conversation_id, ref_to=row.message_id,
            confidentiality=row.confidentiality)
        stored = repo.add_reply(uow.session, request_id=row.id, message_id=message_id,
                                outcome=reply.outcome, answer=reply.answer,
                                reason=reply.reason, finding=reply.finding,
                                disclosed=reply.disclosed, replied_by=user.actor, at=now)
        repo.add_attachments(uow.session, row.id, stored.id, files, now)
        row.status, row.outcome, row.finding, row.replied_at = (
            status, reply.outcome, reply.finding, now)
        _audit(uow.session, row, user, "answered", now, message_id=message_id,
               outcome=reply.outcome, finding=reply.finding,
               disclosed=reply.disclosed is not None)
        uow.commit()
        return row


def close(ctx: Context, request_id: int, user: User) -> AssistanceRequestRow:
    with ctx.uow() as uow:
        row = _locked(uow.session, request_id)
        row.status = next_status(row.direction, row.status, "close")
        row.closed_at = ctx.clock.now()
        _audit(uow.session, row, user, "closed", row.closed_at)
        uow.commit()
        return row


def list_for(ctx: Context, user: User, flt: repo.RequestFilter
             ) -> list[AssistanceRequestRow]:
    """Requests, overdue first; a partner's liaison only its own administration's."""
    if user.role == Role.PARTNER:
        flt = replace(flt, partner=user.partner_code or "-")
    with ctx.uow(read_only=True) as uow:
        return repo.listed(uow.session, flt, ctx.clock.now())


def get_for(ctx: Context, user: User, request_id: int) -> repo.Conversation:
    """A request with its replies and attachments (the bytes stay out: see `attachment_for`)."""
    with ctx.uow(read_only=True) as uow:
        row = _visible(repo.get(uow.session, request_id), user)
        return repo.conversation(uow.session, row)


def attachment_for(ctx: Context, user: User, request_id: int,
                   attachment_id: int) -> AssistanceAttachmentRow:
    with ctx.uow(read_only=True) as uow:
        _visible(repo.get(uow.session, request_id), user)
        found = repo.attachment(uow.session, request_id, attachment_id)
        if found is None:
            raise not_found(f"attachment {attachment_id}")
        return found


def assigned_to(ctx: Context, request_id: int) -> int | None:
    """The officer a received request is assigned to (the console shows them the form)."""
    with ctx.uow(read_only=True) as uow:
        row = repo.get(uow.session, request_id)
        return None if row is None else row.assigned_to_id
