"""The web app: ``create_app(runtime)`` puts the routers of ``web/routes/`` together. Routes are
thin: they check the role, call the same package functions as the CLI and the flows, and
render a template.

Every route but ``/login``, ``/status``, the blank form and the courier's push requires a
session; every POST carries a CSRF token; every case route checks that the user may see that
case.
"""

from __future__ import annotations

from collections import defaultdict, deque
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from mailroom.errors import MailroomError, NotFoundError
from mailroom.runtime import Runtime
from web import security
from web.limits import BodyLimit, limits_for
from web.pages import render
from web.routes import auth, clerks, courier, operators, public, review

ROUTERS: tuple[APIRouter, ...] = (auth.router, review.router, clerks.router, operators.router,
                                  public.router, courier.router)


def every_route() -> list[APIRoute]:
    """Every route of the app, for checks that walk them all (each router has no prefix)."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
}


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="mailroom", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodyLimit, limit=limits_for(runtime.settings.upload_max_mb))
    app.state.runtime = runtime
    app.state.status_lookups = defaultdict(deque)
    for router in ROUTERS:
        app.include_router(router)
    # the desk's few hundred lines of JavaScript: same origin, so the CSP stays 'self'
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def authenticate(request: Request, call_next: Any) -> Response:
        with runtime.session_factory() as session:
            web = security.web_session(session, request.cookies.get(security.COOKIE))
            if web is not None:
                session.expunge(web.user)
                session.expunge(web)
                request.state.auth = (web.user, web)
        response: Response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        # personal data never waits in a browser's or a proxy's cache; the public form may
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(security.LoginRequired)
    async def login_required(request: Request, _: Exception) -> Response:
        if request.method == "GET":
            # back to exactly this page after signing in, its filters and search included
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        return JSONResponse({"detail": "Sign in first."}, status_code=401)

    @app.exception_handler(MailroomError)
    async def refused(request: Request, error: MailroomError) -> Response:
        status = 404 if isinstance(error, NotFoundError) else 409
        return render(request, "message.html", {"message": error.message}, status=status)

    return app
