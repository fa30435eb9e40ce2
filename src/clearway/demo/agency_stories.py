"""Two live stories of the single window for `make demo`, told through the real use cases:
medicines lodged without their health certificate, which customs controls and the medicines
agency inspects (one joint inspection, the agency's section recorded, customs' left to the
demo's officer), and cheese lodged without its health entry document, which the veterinary
service refuses with its reason."""

from __future__ import annotations

import random

from sqlalchemy import select

from clearway.agencies import repository as agency_repo
from clearway.agencies.model import AgencyDecision, DecisionIn
from clearway.clearance import agency_work, joint_inspection, lodging
from clearway.context import Context
from clearway.declarations.model import Declaration, Document
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.goods import goods_table
from clearway.identity import Role, User
from clearway.storage.orm_agencies import JointInspectionRow


def _lodged(ctx: Context, trader: str, lrn: str, hs6: str, origin: str) -> Declaration:
    """A one-item import of `hs6` with its invoice only (no certificate)."""
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(lrn), ctx.clock.now().date(),
                               ctx.settings.country_code)
    doc = gen.declaration(lrn, declarant=trader, items=1)
    item = gen.item(1, doc.invoice_currency or "EUR", goods_table().by_hs6()[hs6], origin)
    item = item.model_copy(update={"documents": [d for d in item.documents
                                                 if d.code == "N935"] or
                                   [Document(code="N935", reference=f"INV-{lrn}")]})
    return doc.model_copy(update={"importer": doc.declarant, "items": [item],
                                  "invoice_amount": item.item_price,
                                  "total_packages": sum(p.count or 0 for p in item.packages)})


def _task(ctx: Context, declaration_id: int, agency: str) -> int | None:
    with ctx.uow(read_only=True) as uow:
        found = [t.id for t in agency_repo.tasks(uow.session, declaration_id=declaration_id,
                                                 status="open") if t.agency == agency]
    return found[0] if found else None


def tell(ctx: Context, trader: str, officers: dict[str, User]) -> str:
    """Lodge and work both stories; a line saying what they left in the console."""
    told = []
    user = User(id=0, name=trader, role=Role.TRADER, trader_id=trader)
    for lrn, hs6, origin, agency in (("DEMO-SW-MEDICINES", "300490", "IN", "PHA"),
                                     ("DEMO-SW-CHEESE", "040690", "FR", "VET")):
        if agency not in officers:
            continue
        doc = _lodged(ctx, trader, lrn, hs6, origin)
        out = lodging.submit(ctx, doc.model_dump_json(exclude_none=True).encode(),
                             "application/json", user)
        task = _task(ctx, out.row.id, agency) if out.kind == "created" else None
        if task is None:
            continue
        if agency == "PHA":
            agency_work.decide(ctx, task, DecisionIn(AgencyDecision.INSPECT), officers[agency])
            with ctx.uow(read_only=True) as uow:
                booked = uow.session.execute(select(JointInspectionRow.id).where(
                    JointInspectionRow.declaration_id == out.row.id)).scalar_one()
            joint_inspection.record_section(ctx, booked, "non_compliant", "Packs labelled for "
                                            "another market; batch numbers to be checked",
                                            officers[agency])
            told.append(f"joint inspection {booked} of {out.row.mrn}")
        else:
            agency_work.decide(ctx, task, DecisionIn(
                AgencyDecision.REFUSE, "No health entry document (CHED-P) for products of "
                "animal origin: re-export or destruction under supervision", shared=True),
                officers[agency])
            told.append(f"refusal of {out.row.mrn} by {agency}")
    return "Single window: " + ("; ".join(told) if told else "no story told")
