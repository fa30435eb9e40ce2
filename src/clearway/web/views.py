"""The web console: server-rendered pages (Jinja2) with htmx for partial reloads.

Rooms: sign-in (`auth`), the declarations list and detail (`declarations`), the
trader's submission form (`submit`), risk profiles (`profiles`), officers' control tasks
(`controls`), supervision (`oversight`: approvals, an office's tasks and roster, override
requests), `integrity` (auditors), `kpis` (all staff), `arrivals` (pre-arrival alarms)
`privacy` (the data protection officer and auditors) and `mirror` (analysts: a partner's
exports next to our imports).
Every route but sign-in, sign-out and the static files declares its permission with
`require(...)`; `render.ConsoleRoute` turns a missing or refused permission into a redirect
to the sign-in page or a 403 page, never JSON.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from clearway.api.deps import require
from clearway.identity import Permission, User
from clearway.web import (
    agencies,
    arrivals,
    assistance,
    auth,
    balance,
    border,
    controls,
    declarations,
    instructions,
    integrity,
    interests,
    kpis,
    licences,
    mirror,
    oversight,
    partnerships,
    prevention,
    privacy,
    profiles,
    progress,
    progress_region,
    submit,
    summaries,
    training,
    users,
    whistleblowing,
)
from clearway.web.render import ConsoleRoute, error_page

# Included last: any other console address is a page too (after signing in).
fallback = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


@fallback.get("/{rest:path}")
def not_found(request: Request, rest: str,
              user: Annotated[User, Depends(require(Permission.READ_DECLARATIONS))]) -> Response:
    return error_page(request, 404, "Not found", "There is no such page.", "CW-NOT-FOUND")


router = APIRouter()
router.include_router(balance.router)  # any room's router goes before the fallback
for part in (auth.site, auth.router, declarations.router, submit.router, profiles.router,
             controls.router, oversight.router, integrity.router, kpis.router, users.router,
             arrivals.router, privacy.router, mirror.router, assistance.router,
             licences.router, border.router, summaries.router, agencies.router,
             instructions.router, training.router, interests.router, prevention.router,
             partnerships.router, whistleblowing.public, whistleblowing.router,
             progress_region.router, progress.router, fallback):
    router.include_router(part)
