"""Operations routes: liveness, readiness and Prometheus metrics. The probes need no token
(orchestrators call them); the metrics need kpis:read unless CLEARWAY_METRICS_PUBLIC."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from clearway.api.deps import Ctx, current_user
from clearway.errors import ClearwayError, Forbidden, Issue
from clearway.identity import Permission, User, refusal
from clearway.ops.metrics import AppMetrics
from clearway.ops.readiness import failing_checks

router = APIRouter(tags=["operations"])
METRICS_PERMISSION = Permission.READ_KPIS


async def metrics_reader(request: Request, ctx: Ctx) -> User | None:
    """Admits anyone when metrics are public, else users holding kpis:read. Declares that
    permission (clearway.api.deps.require's convention) so the route tests see it."""
    if ctx.settings.metrics_public:
        return None
    user = await current_user(request, ctx)
    if not user.may(METRICS_PERMISSION):
        raise Forbidden(refusal(user.role, METRICS_PERMISSION))
    return user


metrics_reader.permission = METRICS_PERMISSION  # type: ignore[attr-defined]


@router.get("/livez", operation_id="liveness")
async def livez() -> dict[str, str]:
    """The process answers (no database touched): restart it when this fails."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="readiness",
            responses={503: {"description": "CW-NOT-READY: the failing checks are listed"}})
def readyz(ctx: Ctx) -> dict[str, object]:
    """The database answers and is migrated to this code's schema: send traffic."""
    failing = failing_checks(ctx.engine)
    if failing:
        raise ClearwayError(
            code="CW-NOT-READY", message="Not ready: " + ", ".join(failing),
            errors=[Issue(code="CW-NOT-READY", element=name, message=reason)
                    for name, reason in failing.items()])
    return {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}


@router.get("/metrics", operation_id="metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(request: Request, _: Annotated[User | None, Depends(metrics_reader)]) -> Response:
    """Request rates and latencies, decisions per channel and queue depths (Prometheus)."""
    app_metrics: AppMetrics = request.app.state.metrics
    return Response(generate_latest(app_metrics.registry), media_type=CONTENT_TYPE_LATEST)
