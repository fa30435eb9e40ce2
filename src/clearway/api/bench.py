"""The storage ceiling for benchmarks/ingest.py: parse the same JSON and insert the same
declaration rows in one transaction, with no validation, life cycle, notification or audit.
Mounted only when CLEARWAY_BENCH_ENDPOINTS is set (refused in production)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from clearway.api.deps import Ctx, require, run_use_case
from clearway.declarations import repository as repo
from clearway.declarations.canonical import canonical_dict, content_hash
from clearway.declarations.formats.json_reader import read_json
from clearway.identity import Permission

router = APIRouter(prefix="/bench", include_in_schema=False)


# Authenticated like the real endpoint: the ceiling is "the same server, storing only".
@router.post("/bare-insert", dependencies=[Depends(require(Permission.SUBMIT_DECLARATION))])
async def bare_insert(request: Request, ctx: Ctx) -> JSONResponse:
    data = await request.body()
    return await run_use_case(ctx, _insert, ctx, data)


def _insert(ctx: Ctx, data: bytes) -> JSONResponse:
    doc = read_json(data).doc
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.add(uow.session, dict(
            mrn=None, lrn=doc.lrn, declarant_id=doc.declarant.id or "", submitted_by="bench",
            declaration_type=doc.declaration_type, additional_type=None, status="accepted",
            version=1, format="json", content_hash=content_hash(doc), office=None,
            item_count=len(getattr(doc, "items", [])), document=canonical_dict(doc),
            envelope={}, errors=[], created_at=now, updated_at=now), doc)
        if row is None:
            return JSONResponse({"code": "CW-LRN-CONFLICT"}, status_code=409)
        repo.add_version(uow.session, row, data, now)
        uow.commit()
        return JSONResponse({"id": row.id}, status_code=201)
