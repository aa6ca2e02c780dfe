"""Operators: the dashboard. Every figure links to the list it counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import case, func, select

from storage.enums import CaseStatus, Channel, SubmissionStatus
from storage.models import Case, Submission
from web.case_search import UNDECIDED
from web.deps import AppRuntime, Operator
from web.pages import local_time, render
from web.routes.review import case_row

router = APIRouter()
AGE_BUCKETS = ("day", "days", "week", "older")
FINISHED = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, runtime: AppRuntime, user: Operator) -> Response:
    now = dt.datetime.now(dt.UTC)
    with runtime.session_factory() as session:
        context = runtime.validation()
        today = context.today
        age = case((Case.created_at >= now - dt.timedelta(days=1), "day"),
                   (Case.created_at >= now - dt.timedelta(days=3), "days"),
                   (Case.created_at >= now - dt.timedelta(days=7), "week"), else_="older")
        backlog: dict[str, dict[str, int]] = defaultdict(dict)
        for status, bucket, count in session.execute(
                select(Case.status, age, func.count()).where(Case.status.not_in(FINISHED))
                .group_by(Case.status, age)):
            backlog[status.value][bucket] = count
        order = [s.value for s in CaseStatus]
        undecided = select(func.count()).select_from(Case).where(Case.status.in_(UNDECIDED))
        deadlines = [
            ("overdue", session.scalar(undecided.where(Case.due_date < today)) or 0),
            ("today", session.scalar(undecided.where(Case.due_date == today)) or 0),
            ("week", session.scalar(undecided.where(
                Case.due_date.between(today, today + dt.timedelta(days=7)))) or 0)]
        near = [case_row(c, context) for c in session.scalars(
            select(Case).where(Case.due_date.is_not(None),
                               Case.due_date <= today + dt.timedelta(days=3),
                               Case.status.in_(UNDECIDED)).order_by(Case.due_date).limit(50))]
        since = now - dt.timedelta(days=14)
        per_day: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for channel, received in session.execute(select(Submission.channel, Submission.received_at)
                                                 .where(Submission.received_at >= since)):
            per_day[local_time(received)[:10]][channel.value] += 1
        problems = dict(session.execute(select(Submission.status, func.count()).where(
            Submission.status.in_([SubmissionStatus.QUARANTINED, SubmissionStatus.FAILED]))
            .group_by(Submission.status)).all())
    days = sorted(per_day)
    peak = max((sum(v.values()) for v in per_day.values()), default=1)
    return render(request, "dashboard.html", {
        "backlog": sorted(backlog.items(), key=lambda item: order.index(item[0])),
        "age_buckets": AGE_BUCKETS, "deadlines": deadlines, "near": near,
        "days": [(d, dict(per_day[d]), sum(per_day[d].values())) for d in days],
        "channel_names": [c.value for c in Channel], "peak": peak,
        "quarantined": problems.get(SubmissionStatus.QUARANTINED, 0),
        "failed": problems.get(SubmissionStatus.FAILED, 0),
        "prefect_ui": "http://127.0.0.1:4200"})
