"""How the reviewer queue grows with the number of cases, on SQLite and PostgreSQL.

    .venv/bin/python bench/review_queue.py [--sizes 1000 10000 100000] [--json FILE]

For each size it fills a fresh database (migrated by Alembic, as in production) with cases in
every status and group, then times what a reviewer's page asks: the queue of one group's
unassigned cases by priority then due date (the web app's query, first 50 rows) and "claim
the next case" (a locked row and its conditional update, rolled back). Median of 30 runs, in
milliseconds. PostgreSQL is a throwaway cluster started here, like the tests'.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from processing.review import claim_next
from servers.postgres import postgres_cluster
from storage.db import make_engine, make_session_factory
from storage.enums import CaseStatus, Role
from storage.migrate import upgrade_to_head
from storage.models import Case, User

GROUPS = ("visa", "residence", "citizens", "permanent")
STATUSES = [CaseStatus.READY_FOR_REVIEW] * 3 + [
    CaseStatus.IN_REVIEW, CaseStatus.NEEDS_MATERIALS, CaseStatus.APPROVED, CaseStatus.CLOSED,
    CaseStatus.CLOSED, CaseStatus.CLOSED, CaseStatus.REJECTED]


def fill(url: str, size: int) -> None:
    upgrade_to_head(url)
    engine = make_engine(url)
    rng = random.Random(size)
    today = dt.date(2026, 11, 23)
    with engine.begin() as connection:
        connection.execute(insert(User), [{"name": "bench", "role": Role.REVIEWER,
                                           "reviewer_group": "visa", "language": "zh"}])
        for start in range(0, size, 5000):
            connection.execute(insert(Case), [{
                "reference": f"MR-2025-{n:06d}", "status": rng.choice(STATUSES),
                "application_type": "visa_extension", "priority": "normal",
                "priority_rank": rng.choice((0, 1, 2, 3, 4, 4, 4, 4)),
                "due_date": today + dt.timedelta(days=rng.randint(-5, 30)),
                "reviewer_group": rng.choice(GROUPS), "four_eyes": False,
                "due_date_provisional": False,
            } for n in range(start + 1, min(size, start + 5000) + 1)])
    engine.dispose()


def timed(action: Callable[[], object], runs: int = 30) -> float:
    action()  # warm the caches once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 2)


def measure(url: str) -> dict[str, float]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    queue = (select(Case).where(Case.status == CaseStatus.READY_FOR_REVIEW,
                                Case.assigned_to_id.is_(None), Case.reviewer_group == "visa")
             .order_by(Case.priority_rank, Case.due_date.asc().nulls_last(), Case.id)
             .limit(50))

    def read_queue() -> object:
        with sessions() as session:
            return session.scalars(queue).all()

    def claim_and_roll_back() -> object:
        session = sessions()
        try:
            session.begin()
            user = session.scalar(select(User).where(User.name == "bench"))
            return claim_next(session=session, user=user)  # type: ignore[arg-type]
        finally:
            session.rollback()
            session.close()

    figures = {"queue_ms": timed(read_queue), "claim_next_ms": timed(claim_and_roll_back)}
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = stack.enter_context(postgres_cluster(folder / "pg"))
        for size in args.sizes:
            for name, url in (("sqlite", f"sqlite:///{folder}/queue-{size}.db"),
                              ("postgresql", _fresh_database(server, size))):
                fill(url, size)
                row = {"database": name, "cases": size, **measure(url)}
                results.append(row)
                print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def _fresh_database(server: str, size: int) -> str:
    import psycopg

    with psycopg.connect(server.replace("postgresql+psycopg", "postgresql") + "/postgres",
                         autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE queue_{size}")
    return f"{server}/queue_{size}"


if __name__ == "__main__":
    main()
