"""Alerts to the operators: a flow run failed, intake quarantined something, a case passed its
deadline, a case for the 24-hour urgent service arrived. Posted as JSON to
``MAILROOM_ALERT_WEBHOOK`` (a chat or paging service's incoming webhook) and logged at WARNING.
Counts and ids only: never a name or a passport number.

Contract: ``alert(settings, event, **facts)`` never raises: an operator alert that cannot be
delivered is logged, and the work that raised it goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

import httpx

from mailroom.config import Settings

log = logging.getLogger("mailroom.alerts")


def alert(settings: Settings, event: str, **facts: Any) -> bool:
    payload = {"event": event, "at": dt.datetime.now(dt.UTC).isoformat(), **facts}
    log.warning("alert %s: %s", event, facts)
    if not settings.alert_webhook:
        return False
    try:
        response = httpx.post(settings.alert_webhook, json=payload, timeout=10)
        response.raise_for_status()
    except httpx.HTTPError as e:
        log.error("the alert %s could not be delivered: %s", event, e)
        return False
    return True


def flow_failed_hook(flow: Any, flow_run: Any, state: Any) -> None:
    """A Prefect ``on_failure`` / ``on_crashed`` hook: tell the operators which run failed."""
    from mailroom.config import load_settings

    alert(load_settings(), "flow_run_failed", flow=flow.name, flow_run=str(flow_run.name),
          flow_run_id=str(flow_run.id), state=str(state.type.value if state.type else state))


def alert_quarantined(settings: Settings, channel: str, outcomes: Sequence[Any]) -> bool:
    """After an intake run: the submissions it quarantined (ids and a count), if any."""
    ids = [o.submission_id for o in outcomes if o.status.value == "quarantined"]
    return bool(ids) and alert(settings, "quarantined", channel=channel, count=len(ids),
                               submissions=ids)
