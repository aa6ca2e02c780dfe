"""Rendering a page: the templates, the interface language, local times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from mailroom.config import OFFICE_TIME_ZONE
from storage.models import as_utc
from web import security
from web.i18n import translate
from web.vocabulary import say

TEMPLATES = Path(__file__).with_name("templates")
templates = Jinja2Templates(directory=str(TEMPLATES))  # autoescapes HTML by default


def language_of(request: Request) -> str:
    auth = getattr(request.state, "auth", None)
    return str(auth[0].language) if auth else request.cookies.get("lang", "zh")


def render(request: Request, name: str, context: dict[str, Any], status: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    language = language_of(request)
    context = {**security.template_globals(request), **context, "lang": language,
               "t": lambda key: translate(key, language),
               "say": lambda category, code: say(category, code, language),
               # before sign-in no one has chosen a language: a notice is given in both
               "both": lambda key: (translate(key, "zh"), translate(key, "en")),
               "local": local_time}
    return templates.TemplateResponse(request, name, context, status_code=status, headers=headers)


def local_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(OFFICE_TIME_ZONE).strftime("%Y-%m-%d %H:%M")


def safe_next(target: str) -> str:
    # only a path on this site: never an open redirect
    return target if target.startswith("/") and not target.startswith("//") else "/"
