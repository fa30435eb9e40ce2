"""The submission room: a trader uploads a file (JSON, WCO XML, EDIFACT) or pastes JSON;
errors come back as a table and, for pasted JSON, on the lines of the offending fields."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from clearway.api.deps import Ctx, require
from clearway.clearance import lodging
from clearway.declarations.formats import MAX_DOCUMENT_BYTES
from clearway.declarations.formats.detect import EDIFACT_TYPES, JSON_TYPES, XML_TYPES, sniff
from clearway.errors import ClearwayError, DocumentInvalid, Issue, Malformed
from clearway.identity import Permission, User
from clearway.web.jsonlines import annotate
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

Submitter = Annotated[User, Depends(require(Permission.SUBMIT_DECLARATION))]

# Room for the multipart framing and the other fields around the document itself.
FORM_OVERHEAD = 64 * 1024
KNOWN_TYPES = JSON_TYPES | XML_TYPES | EDIFACT_TYPES
EXAMPLE = {"declaration_type": "IM", "lrn": "", "declarant": {"id": ""}, "items": []}


def _form(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"pasted": "", "filename": None, "errors": [], "lines": None,
                            "problem": None, "rejected_id": None,
                            "example": json.dumps(EXAMPLE, indent=2),
                            "max_mb": MAX_DOCUMENT_BYTES // (1024 * 1024), "active": "submit"}
    return {**base, **values}


def _too_large(size: int | None = None) -> str:
    shown = f"{size:,} bytes; " if size else ""
    return (f"The document is too large ({shown}the limit is {MAX_DOCUMENT_BYTES:,} bytes, "
            "the same as the API).")


@router.get("/submit")
def submit_form(request: Request, user: Submitter) -> Response:
    return page(request, "submit.html", _form())


def _media_type(upload: UploadFile, data: bytes) -> str:
    """The upload's declared type when it is one the readers know, else sniffed."""
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    return declared if declared in KNOWN_TYPES else sniff(data)


async def _document(request: Request) -> tuple[bytes, str, str, str | None]:
    """The bytes to submit, their media type, the pasted text (kept for the form) and the
    uploaded file's name. Raises ClearwayError for what cannot be read."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_DOCUMENT_BYTES + FORM_OVERHEAD:
        raise ClearwayError("CW-SYN-SIZE", _too_large(int(length)))
    try:
        async with request.form(max_files=1, max_fields=8,
                                max_part_size=MAX_DOCUMENT_BYTES + 1) as form:
            pasted = form.get("document")
            upload = form.get("file")
            text = pasted if isinstance(pasted, str) else ""
            if isinstance(upload, UploadFile) and upload.filename:
                data = await upload.read(MAX_DOCUMENT_BYTES + 1)
                if data:
                    if len(data) > MAX_DOCUMENT_BYTES:
                        raise ClearwayError("CW-SYN-SIZE", _too_large())
                    return data, _media_type(upload, data), text, upload.filename
    except MultiPartException as exc:
        raise Malformed("CW-REQUEST-INVALID",
                        f"The form could not be read: {exc.message}") from None
    if not text.strip():
        raise ClearwayError("CW-DOC-MISSING", "Choose a file or paste a JSON declaration.")
    data = text.encode("utf-8")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ClearwayError("CW-SYN-SIZE", _too_large(len(data)))
    return data, sniff(data), text, None


def _rejected(request: Request, issues: list[Issue], text: str, filename: str | None,
              rejected_id: int | None) -> Response:
    """The form again with the error table and, for JSON, the document as numbered lines
    with each error on the line of its field (the table links to those lines)."""
    lines = annotate(text, issues) if text else None
    errors: list[dict[str, Any]] = [dict(i.as_dict()) for i in issues]
    if lines:
        at = {id(issue): line.number for line in lines for issue in line.issues}
        for error, issue in zip(errors, issues, strict=True):
            error["line"] = at.get(id(issue))
    return page(request, "submit.html", _form(
        pasted="" if filename else text, filename=filename, errors=errors, lines=lines,
        rejected_id=rejected_id,
        problem={"code": "CW-DOC-INVALID", "message": "The declaration is rejected: correct "
                 "the errors below and submit it again."}), status_code=422)


def _shown(data: bytes, media: str, pasted: str, filename: str | None) -> str:
    """The JSON text to lay out with the errors: the pasted text, or an uploaded JSON file."""
    if filename is None:
        return pasted
    if media in JSON_TYPES:
        return data.decode("utf-8", errors="replace")
    return ""


@router.post("/submit")
async def submit(request: Request, ctx: Ctx, user: Submitter) -> Response:
    text, filename, shown = "", None, ""
    try:
        data, media, text, filename = await _document(request)
        shown = _shown(data, media, text, filename)
        outcome = await run_in_threadpool(lodging.submit, ctx, data, media, user)
    except DocumentInvalid as exc:
        return _rejected(request, exc.errors, shown, filename, None)
    except ClearwayError as exc:
        if exc.status == 401:
            raise
        return page(request, "submit.html", _form(
            pasted=text, filename=filename, errors=[i.as_dict() for i in exc.errors],
            problem={"code": exc.code, "message": exc.message}), status_code=exc.status)
    if outcome.errors:
        return _rejected(request, outcome.errors, shown, filename, outcome.row.id)
    key = outcome.row.mrn or str(outcome.row.id)
    return RedirectResponse(f"/console/declarations/{key}", status_code=303)
