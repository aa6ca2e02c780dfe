"""Which task runner fans out the processing flow's submissions: threads here, or Dask.

``MAILROOM_TASK_RUNNER=dask`` runs each submission's task on a Dask cluster: a local one with
``MAILROOM_DASK_WORKERS`` processes, or the scheduler at ``MAILROOM_DASK_ADDRESS`` that several
hosts have joined. Chosen when the flow module is imported, because a deployment's flow carries
its runner; the settings are read once for that.
"""

from __future__ import annotations

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from mailroom.config import Settings, load_settings
from mailroom.errors import ConfigurationError


def processing_task_runner() -> TaskRunner:  # type: ignore[type-arg]
    try:
        settings = load_settings()
    except ConfigurationError:
        settings = None  # the flow itself reports the settings' mistake when it runs
    if settings is not None and settings.task_runner == "dask":
        return _dask(settings)
    # A few submissions at once (their pages too are read in parallel; tesseract itself is
    # bounded to one process per core, and storing goes one at a time).
    return ThreadPoolTaskRunner(max_workers=settings.processing_workers if settings else 2)


def check_task_runner(settings: Settings) -> None:
    if settings.task_runner == "dask" and settings.resolved_database_url.startswith("sqlite"):
        raise ConfigurationError(
            "MAILROOM_TASK_RUNNER=dask processes several submissions at once, which needs "
            "PostgreSQL (MAILROOM_DATABASE_URL): SQLite lets one writer in at a time.")


def _dask(settings: Settings) -> TaskRunner:  # type: ignore[type-arg]
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.dask_workers,
                                          "threads_per_worker": 1, "processes": True})
