"""Storage on both databases: migrations, references, the audited state machine, dedupe."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import DBAPIError

from mailroom.errors import ConfigurationError, TransitionError
from mailroom.runtime import Runtime
from storage.cases import change_status, get_case, open_case
from storage.db import make_engine
from storage.enums import CaseStatus, Channel, SubmissionStatus
from storage.models import Base, CaseEvent
from storage.submissions import record_submission
from storage.workflow import load_transitions


def test_migrations_create_every_model_table(runtime: Runtime) -> None:
    tables = set(inspect(runtime.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_case_references_are_sequential_per_year(runtime: Runtime) -> None:
    import datetime as dt

    with runtime.session_factory.begin() as session:
        refs = [open_case(session=session, actor="t", today=dt.date(2026, 5, 1)).reference
                for _ in range(3)]
        refs.append(open_case(session=session, actor="t", today=dt.date(2027, 1, 2)).reference)
    assert refs == ["MR-2026-000001", "MR-2026-000002", "MR-2026-000003", "MR-2027-000001"]


def test_status_changes_follow_the_workflow_and_are_audited(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        case = open_case(session=session, actor="clerk1")
        change_status(session=session, case=case, to=CaseStatus.VALIDATING, actor="system")
        reference = case.reference
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        with pytest.raises(TransitionError, match="cannot become approved"):
            change_status(session=session, case=case, to=CaseStatus.APPROVED, actor="r1")
        assert case.status is CaseStatus.VALIDATING
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("opened", None, CaseStatus.RECEIVED),
        ("status_changed", CaseStatus.RECEIVED, CaseStatus.VALIDATING),
    ]


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_audit_trail_is_append_only_in_the_database(runtime: Runtime, statement: str) -> None:
    with runtime.session_factory.begin() as session:
        open_case(session=session, actor="clerk1")
    change = (update(CaseEvent).values(actor="someone else") if statement == "update"
              else delete(CaseEvent))
    with pytest.raises(DBAPIError, match="append-only"), runtime.session_factory.begin() as session:
        session.execute(change)
    with runtime.session_factory.begin() as session:
        assert session.scalars(select(CaseEvent.actor)).all() == ["clerk1"]


def test_same_bytes_are_one_submission(runtime: Runtime) -> None:
    args = dict(channel=Channel.SCAN, filename="a.pdf", sha256="ab" * 32, size=3,
                media_type="application/pdf")
    with runtime.session_factory.begin() as session:
        first = record_submission(session=session, source="scan:a.pdf", **args)
    with runtime.session_factory.begin() as session:
        again = record_submission(session=session, source="scan:copy-of-a.pdf", **args)
    assert first.created and not again.created
    assert again.submission.id == first.submission.id
    assert again.submission.status is SubmissionStatus.RECEIVED


def test_workflow_file_is_validated_on_load(tmp_path: Path) -> None:
    bad = tmp_path / "workflow.yaml"
    bad.write_text("received: [validating, teleported]\n")
    with pytest.raises(ConfigurationError, match="known statuses"):
        load_transitions(bad)
    missing = tmp_path / "partial.yaml"
    missing.write_text("received: [validating]\n")
    with pytest.raises(ConfigurationError, match="no entry for status"):
        load_transitions(missing)


def test_migrations_match_the_models(runtime: Runtime) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with runtime.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite: one writer
def test_two_workers_opening_a_years_first_cases_at_once_both_get_a_reference(
        runtime: Runtime) -> None:
    import datetime as dt
    import threading

    from sqlalchemy import text

    first, second = runtime.session_factory(), runtime.session_factory()
    references: list[str] = []
    # the first worker has inserted the year's counter row but not committed yet ...
    references.append(open_case(session=first, actor="a", today=dt.date(2031, 1, 2)).reference)
    worker = threading.Thread(target=lambda: (references.append(
        open_case(session=second, actor="b", today=dt.date(2031, 1, 2)).reference),
        second.commit()))
    worker.start()
    # ... when the second, finding no row, inserts its own and waits on the first's key
    with runtime.engine.connect() as watcher:
        while not watcher.execute(text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar() and worker.is_alive():
            threading.Event().wait(0.05)
    first.commit()
    worker.join(timeout=30)
    first.close()
    second.close()
    assert sorted(references) == ["MR-2031-000001", "MR-2031-000002"]
