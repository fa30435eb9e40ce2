"""Trader notification queue (pull with cursor and acknowledgement) and webhook settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator

from clearway.api.deps import Ctx, require
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.notifications import service
from clearway.storage.orm import NotificationRow

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
MAX_ID = 2**62  # ids are 64-bit integers in storage
Reader = Annotated[User, Depends(require(Permission.READ_NOTIFICATIONS))]
HookAdmin = Annotated[User, Depends(require(Permission.MANAGE_WEBHOOK))]


class NotificationOut(BaseModel):
    id: int
    kind: str
    mrn: str | None
    lrn: str
    format: str
    created_at: str
    acknowledged: bool
    payload: dict[str, Any]
    body: str | None = Field(None, description="DMS XML or CUSRES, for filings in those formats")


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: int = Field(description="Pass as `after` to get the next page")


class AckIn(BaseModel):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list,
                                                              max_length=1000)
    up_to: int | None = Field(None, ge=0, le=MAX_ID,
                              description="Acknowledge everything up to this id")

    @model_validator(mode="after")
    def _one_of(self) -> AckIn:
        if not self.ids and self.up_to is None:
            raise ValueError("give ids or up_to")
        return self


class AckOut(BaseModel):
    acknowledged: int


class WebhookIn(BaseModel):
    url: str = Field(max_length=2000, description="http(s) URL of a public receiver; "
                     "internal addresses only where the administrator allows them")
    secret: str | None = Field(None, min_length=16, max_length=128,
                               description="HMAC key for X-Clearway-Signature; generated if absent")


class WebhookOut(BaseModel):
    url: str
    secret: str


class WebhookStatus(BaseModel):
    """The webhook and its circuit breaker: `open` means resting until `open_until` after
    `consecutive_failures` failed deliveries (notifications wait in the pull queue)."""

    url: str
    created_at: str
    circuit_state: str = Field(description="closed, open or half_open (one probe in flight)")
    consecutive_failures: int
    open_until: str | None
    last_error: str | None
    last_failure_at: str | None
    last_success_at: str | None


def _iso(at: Any) -> str | None:
    return at.isoformat() if at is not None else None


def _out(n: NotificationRow) -> NotificationOut:
    return NotificationOut(id=n.id, kind=n.kind, mrn=n.mrn, lrn=n.lrn, format=n.format,
                           created_at=n.created_at.isoformat(),
                           acknowledged=n.acknowledged_at is not None, payload=n.payload,
                           body=n.body)


def _trader(user: User) -> str:
    if not user.trader_id:
        raise ClearwayError(code="CW-FORBIDDEN", message="Not a trader account")
    return user.trader_id


@router.get("", operation_id="pull_notifications", response_model=NotificationPage)
def pull_notifications(
    ctx: Ctx, user: Reader,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    include_acknowledged: bool = False,
) -> NotificationPage:
    notes = service.pull_notes(ctx, _trader(user), after=after, limit=limit,
                               include_acknowledged=include_acknowledged)
    return NotificationPage(items=[_out(n) for n in notes],
                            next_cursor=notes[-1].id if notes else after)


# Before "/{note_id}", which would otherwise take "webhook" for an id.
@router.get("/webhook", operation_id="get_webhook", response_model=WebhookStatus)
def get_webhook(ctx: Ctx, user: HookAdmin) -> WebhookStatus:
    hook = service.webhook_of(ctx, _trader(user))
    return WebhookStatus(
        url=hook.url, created_at=hook.created_at.isoformat(),
        circuit_state=hook.circuit_state, consecutive_failures=hook.consecutive_failures,
        open_until=_iso(hook.circuit_open_until), last_error=hook.last_error,
        last_failure_at=_iso(hook.last_failure_at), last_success_at=_iso(hook.last_success_at))


@router.get("/{note_id}", operation_id="get_notification", response_model=NotificationOut)
def get_notification(note_id: Annotated[int, Path(ge=1, le=MAX_ID)], ctx: Ctx,
                     user: Reader, raw: bool = False) -> Any:
    """One notification; `raw=true` returns the DMS XML or CUSRES message itself."""
    note = service.note_of(ctx, _trader(user), note_id)
    if raw and note.body:
        media = "application/xml" if note.format == "wco-xml" else "application/edifact"
        return Response(note.body, media_type=media)
    return _out(note)


@router.post("/ack", operation_id="acknowledge_notifications", response_model=AckOut)
def acknowledge(body: AckIn, ctx: Ctx, user: Reader) -> AckOut:
    return AckOut(acknowledged=service.acknowledge_notes(ctx, _trader(user), ids=body.ids,
                                                         up_to=body.up_to))


@router.put("/webhook", operation_id="set_webhook", response_model=WebhookOut)
def set_webhook(body: WebhookIn, ctx: Ctx, user: HookAdmin) -> WebhookOut:
    secret = service.configure_webhook(ctx, _trader(user), body.url, body.secret)
    return WebhookOut(url=body.url, secret=secret)


@router.delete("/webhook", operation_id="delete_webhook", status_code=204)
def delete_webhook(ctx: Ctx, user: HookAdmin) -> Response:
    service.delete_webhook(ctx, _trader(user))
    return Response(status_code=204)
