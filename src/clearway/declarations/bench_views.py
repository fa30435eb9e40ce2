"""The storage ceiling for benchmarks/ingest.py: parse the same JSON and insert the same
declaration rows in one transaction, with no validation, life cycle, notification or audit.
Mounted only when CLEARWAY_BENCH_ENDPOINTS is set (refused in production)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from clearway.api.deps import Ctx
from clearway.declarations import repository as repo
from clearway.declarations.formats.json_reader import read_json
from clearway.declarations.service import canonical_dict, content_hash
from clearway.storage.orm import DeclarationRow

router = APIRouter(prefix="/bench", include_in_schema=False)


@router.post("/bare-insert")
async def bare_insert(request: Request, ctx: Ctx) -> JSONResponse:
    data = await request.body()
    return await run_in_threadpool(_insert, ctx, data)


def _insert(ctx: Ctx, data: bytes) -> JSONResponse:
    doc = read_json(data).doc
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = DeclarationRow(
            mrn=None, lrn=doc.lrn, declarant_id=doc.declarant.id or "", submitted_by="bench",
            declaration_type=doc.declaration_type, additional_type=None, status="accepted",
            version=1, format="json", content_hash=content_hash(doc), office=None,
            item_count=len(getattr(doc, "items", [])), document=canonical_dict(doc),
            envelope={}, errors=[], created_at=now, updated_at=now)
        repo.add(uow.session, row, doc)
        repo.add_version(uow.session, row, data, now)
        uow.commit()
        return JSONResponse({"id": row.id}, status_code=201)
