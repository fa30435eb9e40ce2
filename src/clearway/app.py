"""The FastAPI application: routers, one error body shape, and the OpenAPI document."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearway.api import agencies as agency_views
from clearway.api import agency_profiles as agency_profile_views
from clearway.api import arrival_alarms as arrival_alarm_views
from clearway.api import arrivals as arrival_views
from clearway.api import assistance as assistance_views
from clearway.api import audit as audit_views
from clearway.api import balance as balance_views
from clearway.api import border as border_views
from clearway.api import controls as control_views
from clearway.api import declarations as declaration_views
from clearway.api import dualuse as dualuse_views
from clearway.api import exchange as exchange_views
from clearway.api import exits as exit_views
from clearway.api import feedback as feedback_views
from clearway.api import instructions as instruction_views
from clearway.api import integrity as integrity_views
from clearway.api import interests as interest_views
from clearway.api import ipr as ipr_views
from clearway.api import joint_inspections as joint_inspection_views
from clearway.api import licences as licence_views
from clearway.api import mirror as mirror_views
from clearway.api import notifications as notification_views
from clearway.api import ops as ops_views
from clearway.api import overrides as override_views
from clearway.api import partnerships as partnership_views
from clearway.api import privacy as privacy_views
from clearway.api import profiles as profile_views
from clearway.api import progress as progress_views
from clearway.api import refdata as refdata_views
from clearway.api import reports as report_views
from clearway.api import risk as selectivity_views
from clearway.api import rotation as rotation_views
from clearway.api import screening as screening_views
from clearway.api import summaries as summary_views
from clearway.api import training as training_views
from clearway.api import training_plan as training_plan_views
from clearway.api import users as user_views
from clearway.api import valuation as valuation_views
from clearway.api import whistleblowing as whistleblowing_views
from clearway.api.bench import router as bench_router
from clearway.api.deps import FastJSONResponse
from clearway.api.limits import BoundaryGuard
from clearway.codes import status_of
from clearway.composition import bind_audit
from clearway.context import Context
from clearway.declarations.formats.json_reader import element_for, json_pointer
from clearway.declarations.model import AnyDeclaration
from clearway.errors import ClearwayError
from clearway.ops.metrics import AppMetrics
from clearway.ops.middleware import OperationsMiddleware
from clearway.ops.readiness import script_heads
from clearway.ops.request_id import HEADER as REQUEST_ID_HEADER
from clearway.ops.request_id import current_request_id
from clearway.web.api_docs import mount_api_docs
from clearway.web.render import refusal_page
from clearway.web.views import router as console_router

log = logging.getLogger("clearway")


def _error(status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "errors": errors or []},
                        status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ClearwayError)
    async def _clearway(_: Request, exc: ClearwayError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, [e.as_dict() for e in exc.errors],
                      exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"code": "CW-REQUEST-INVALID", "element": element_for(tuple(e["loc"][1:])),
                   "pointer": json_pointer(tuple(e["loc"])), "message": e["msg"]}
                  for e in exc.errors()]
        return _error(status_of("CW-REQUEST-INVALID"), "CW-REQUEST-INVALID",
                      "The request is invalid", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "CW-NOT-FOUND", 405: "CW-METHOD", 401: "CW-AUTH-REQUIRED"}.get(
            exc.status_code, f"CW-HTTP-{exc.status_code}")
        return _error(exc.status_code, code, str(exc.detail),
                      headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        request_id = current_request_id()  # still bound by OperationsMiddleware
        return _error(status_of("CW-INTERNAL"), "CW-INTERNAL",
                      "Internal error; nothing was changed"
                      + (f" (request {request_id})" if request_id else ""),
                      headers={REQUEST_ID_HEADER: request_id} if request_id else None)


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title="Clearway API", version="1", routes=app.routes,
                         description="Customs declarations, risk and controls. Errors carry a "
                         "stable `code`; see docs/api.md for the table.")
    # The submission endpoint reads its body itself (three formats), so the canonical
    # model's JSON schema is added to the components by hand.
    adapter: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)
    model_schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(model_schema.pop("$defs", {}))
    components["AnyDeclaration"] = model_schema
    app.openapi_schema = schema
    return schema


def create_app(ctx: Context) -> FastAPI:
    # docs_url=None: /api/docs is mounted below with Swagger UI served from the package.
    app = FastAPI(title="Clearway", version="1", docs_url=None,
                  openapi_url="/api/openapi.json", redoc_url=None,
                  default_response_class=FastJSONResponse)
    app.state.context = ctx
    bind_audit(ctx)  # checkpoints signed with this app's settings
    install_error_handlers(app)
    for router in (declaration_views.router, notification_views.router, refdata_views.router,
                   user_views.router, valuation_views.router, screening_views.router,
                   ipr_views.router, dualuse_views.router,
                   feedback_views.router,  # before profile_views: /profiles/effectiveness
                   profile_views.router,
                   selectivity_views.router, report_views.router,
                   training_views.router, audit_views.router, integrity_views.router,
                   override_views.router, control_views.router, exchange_views.router,
                   privacy_views.router,
                   arrival_alarm_views.router,
                   exit_views.router,
                   arrival_views.router,  # after the alarms' and exits' /arrivals/... routes
                   assistance_views.router,
                   mirror_views.router,
                   agency_views.router,
                   agency_profile_views.router,
                   joint_inspection_views.router,
                   licence_views.router,
                   border_views.router,
                   summary_views.router,
                   instruction_views.router,
                   training_plan_views.router,
                   balance_views.router,
                   interest_views.router,
                   rotation_views.router,
                   partnership_views.router,
                   whistleblowing_views.router,
                   progress_views.router,
                   ops_views.router):
        app.include_router(router)
    # Text hygiene, credentials before a body, body caps (docs/api.md, "Limits at the
    # boundary"); inside the operations middleware, so its refusals are logged and counted.
    app.add_middleware(BoundaryGuard, console_refusal=refusal_page)
    # Request ID, access log and request metrics (docs/operations.md).
    app.state.metrics = AppMetrics(ctx.engine)
    app.add_middleware(OperationsMiddleware, metrics=app.state.metrics)
    script_heads()  # the readiness probe's migration head: read once per process, now

    @app.get("/healthz", operation_id="health", tags=["operations"], include_in_schema=True)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    if ctx.settings.bench_endpoints:
        app.include_router(bench_router)
    app.include_router(console_router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    mount_api_docs(app, "/api/openapi.json")
    return app
