"""`/api/docs`: Swagger UI from files kept in the package (static/api-docs/), so the API
documentation renders on a machine without internet access (FastAPI's default page loads
its script and stylesheet from a CDN)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse

DOCS_PATH = "/api/docs"
ASSETS = "/console/static/api-docs"  # served by the console's public static route


def mount_api_docs(app: FastAPI, openapi_url: str) -> None:
    """The Swagger UI page at DOCS_PATH, out of the OpenAPI schema like FastAPI's own."""

    async def swagger_ui(_: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title="Clearway API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")

    app.add_route(DOCS_PATH, swagger_ui, include_in_schema=False)
