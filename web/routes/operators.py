"""Operators: the dashboard."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select

from storage.enums import CaseStatus, SubmissionStatus
from storage.models import Case, Submission
from web.deps import AppRuntime, Operator
from web.pages import local_time, render
from web.routes.review import case_row

router = APIRouter()


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, runtime: AppRuntime, user: Operator) -> Response:
    with runtime.session_factory() as session:
        backlog = dict(session.execute(select(Case.status, func.count()).group_by(Case.status))
                       .all())
        context = runtime.validation()
        near = [case_row(c, context) for c in session.scalars(
            select(Case).where(Case.due_date.is_not(None),
                               Case.due_date <= context.today + dt.timedelta(days=3),
                               Case.status.in_([CaseStatus.READY_FOR_REVIEW,
                                                CaseStatus.IN_REVIEW])).order_by(Case.due_date))]
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=14)
        per_day: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for channel, received in session.execute(select(Submission.channel, Submission.received_at)
                                                 .where(Submission.received_at >= since)):
            per_day[local_time(received)[:10]][channel.value] += 1
        quarantined = session.scalar(select(func.count()).select_from(Submission).where(
            Submission.status == SubmissionStatus.QUARANTINED)) or 0
    days = sorted(per_day)
    peak = max((sum(v.values()) for v in per_day.values()), default=1)
    return render(request, "dashboard.html", {
        "backlog": {s.value: n for s, n in backlog.items()}, "near": near,
        "days": [(d, dict(per_day[d]), sum(per_day[d].values())) for d in days],
        "peak": peak, "quarantined": quarantined, "prefect_ui": "http://127.0.0.1:4200"})
