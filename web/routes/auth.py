"""Signing in and out, the interface language, and where each role lands."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from storage.models import User
from web import security, throttle
from web.deps import AppRuntime
from web.pages import render, safe_next
from web.passwords import password_matches
from web.security import CSRF

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    if not security.cookies_reach_us(request):
        # a browser drops a Secure cookie on plain HTTP from another machine: say so, in words
        return render(request, "login.html", {"insecure": True}, status=200)
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"login_csrf": token, "next": safe_next(next)})
    response.set_cookie(security.LOGIN_COOKIE, token, httponly=True, secure=True,
                        samesite="strict")
    return response


@router.post("/login")
def login(request: Request, runtime: AppRuntime, name: Annotated[str, Form()],
          password: Annotated[str, Form()], login_csrf: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/") -> Response:
    if not security.cookies_reach_us(request):
        return render(request, "login.html", {"insecure": True}, status=400)
    cookie = request.cookies.get(security.LOGIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, login_csrf):
        raise HTTPException(status_code=403, detail="The sign-in form has expired: reload it.")
    address = request.client.host if request.client else "?"
    again = {"login_csrf": login_csrf, "next": next}
    # Read, let go of the database, then hash: argon2 takes a tenth of a second on purpose, and
    # SQLite's writer lock must not be held meanwhile (failed sign-ins would stall every page).
    with runtime.session_factory() as session:
        gate = throttle.gate(session, name, address)
        user = session.scalar(select(User).where(User.name == name))
        user_id, stored_hash = (user.id, user.password_hash) if user else (None, None)
    if gate.address_locked:
        return render(request, "login.html", {"error": "throttled", **again}, status=429)
    if gate.wait_seconds:
        return render(request, "login.html", {"error": "slowed", "wait": gate.wait_seconds,
                                              **again}, status=429,
                      headers={"Retry-After": str(gate.wait_seconds)})
    if not password_matches(stored_hash, password) or user_id is None:
        with runtime.session_factory.begin() as session:
            throttle.record_failure(session, name, address)
        return render(request, "login.html", {"error": "bad_login", **again}, status=401)
    with runtime.session_factory.begin() as session:
        signed_in = session.get(User, user_id)
        assert signed_in is not None
        token = security.open_session(session, signed_in)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(security.COOKIE, token, httponly=True, secure=True, samesite="strict",
                        max_age=security.SESSION_HOURS * 3600)
    response.delete_cookie(security.LOGIN_COOKIE)
    return response


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request, runtime: AppRuntime) -> Response:
    with runtime.session_factory.begin() as session:
        security.close_session(session, request.cookies.get(security.COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(security.COOKIE)
    return response


@router.post("/language", dependencies=[CSRF])
def switch_language(request: Request, runtime: AppRuntime,
                    next: Annotated[str, Form()] = "/") -> Response:
    user, _ = security.current(request)
    with runtime.session_factory.begin() as session:
        stored = session.get(User, user.id)
        assert stored is not None
        stored.language = "en" if stored.language == "zh" else "zh"
    # back to the same page (no Referer to go by: the app sends none, by policy)
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/")
def home(request: Request) -> Response:
    user, _ = security.current(request)
    target = ("/queue" if security.allowed(user, "review") else "/problems"
              if security.allowed(user, "clerk") else "/dashboard")
    return RedirectResponse(target, status_code=303)
