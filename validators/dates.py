"""Dates as the form, the letters' facts and the MRZ fields carry them (ISO, YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt


def iso_date(value: object) -> dt.date | None:
    """The date ``value`` names, or None when it is empty or not an ISO date."""
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
