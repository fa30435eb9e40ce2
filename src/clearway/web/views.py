"""The web console: server-rendered pages (Jinja2) with htmx for partial reloads.

Rooms: sign-in (`auth`), the declarations list and detail (`declarations`), and the
trader's submission form (`submit`). Every route but sign-in, sign-out and the static
files declares its permission with `require(...)`; `render.ConsoleRoute` turns a missing
or refused permission into a redirect to the sign-in page or a 403 page, never JSON.
"""

from fastapi import APIRouter

from clearway.web import auth, declarations, submit

router = APIRouter()
for part in (auth.router, declarations.router, submit.router):
    router.include_router(part)
