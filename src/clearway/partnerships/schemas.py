"""Request and response bodies of partnerships with trade."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field

from clearway.partnerships.model import Consultation, Mou

Line = Annotated[str, Field(max_length=500)]
Name = Annotated[str, Field(max_length=200)]


class Contact(BaseModel):
    name: str = Field(max_length=120)
    organisation: str = Field(max_length=200)
    email: Annotated[str | None, Field(max_length=200)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None


class MouIn(BaseModel):
    code: str = Field(max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = Field(max_length=200)
    kind: str = Field(max_length=20, description="trade_association, carrier, public_body")
    parties: list[Name] = Field(max_length=50)
    scope: str = Field(max_length=5000)
    obligations: list[Line] = Field(default_factory=list, max_length=50)
    facilitations: list[Line] = Field(default_factory=list, max_length=50,
                                      description="What members are given (profiles read "
                                      "membership as mou_member / mou_codes)")
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    valid_from: date
    valid_to: date | None = None
    next_review_on: date | None = None

    def mou(self) -> Mou:
        return Mou(code=self.code.strip().upper(), title=self.title.strip(), kind=self.kind,
                   parties=tuple(p.strip() for p in self.parties), scope=self.scope.strip(),
                   obligations=tuple(self.obligations), facilitations=tuple(self.facilitations),
                   contacts=tuple(c.model_dump(exclude_none=True) for c in self.contacts),
                   valid_from=self.valid_from, valid_to=self.valid_to,
                   next_review_on=self.next_review_on)


class MemberIn(BaseModel):
    trader_id: str = Field(max_length=40, description="The member's EORI")
    valid_from: date
    valid_to: date | None = None


class MemberEnd(BaseModel):
    on: date = Field(description="The last day the member's facilitations apply")


class ReviewIn(BaseModel):
    note: str = Field(max_length=5000)
    next_review_on: date | None = None


def mou_out(mou: Mou, today: date) -> dict[str, Any]:
    return {"code": mou.code, "title": mou.title, "kind": mou.kind,
            "parties": list(mou.parties), "scope": mou.scope,
            "obligations": list(mou.obligations), "facilitations": list(mou.facilitations),
            "contacts": list(mou.contacts), "valid_from": mou.valid_from,
            "valid_to": mou.valid_to, "valid_today": mou.valid_on(today),
            "next_review_on": mou.next_review_on, "review_due": mou.review_due(today),
            "reviews": [r.as_dict() for r in mou.reviews],
            "members": [{"trader_id": m.trader_id, "valid_from": m.valid_from,
                         "valid_to": m.valid_to, "current": m.valid_on(today)}
                        for m in mou.members],
            "members_today": len(mou.members_on(today))}


class ConsultationIn(BaseModel):
    held_on: date
    title: str = Field(max_length=200)
    participants: list[Name] = Field(max_length=100)
    topics: list[Line] = Field(max_length=50)
    outcomes: str = Field(max_length=10_000)
    mou_code: Annotated[str | None, Field(max_length=40)] = None


class ActionIn(BaseModel):
    description: str = Field(max_length=2000)
    owner: str = Field(max_length=120)
    due_on: date


class ActionDone(BaseModel):
    note: Annotated[str | None, Field(max_length=2000)] = None


def consultation_out(c: Consultation, today: date) -> dict[str, Any]:
    return {"reference": c.reference, "held_on": c.held_on, "title": c.title,
            "participants": list(c.participants), "topics": list(c.topics),
            "outcomes": c.outcomes, "mou_code": c.mou_code,
            "actions": [{"id": a.id, "description": a.description, "owner": a.owner,
                         "due_on": a.due_on, "done_on": a.done_on, "done_note": a.done_note,
                         "overdue": a.overdue(today)} for a in c.actions],
            "open_actions": len(c.open_actions()), "overdue_actions": len(c.overdue(today))}
