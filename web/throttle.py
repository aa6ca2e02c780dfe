"""Guessing passwords is slowed, and no one can lock a colleague out.

- Per address: 10 failed sign-ins in 15 minutes lock that address out for the rest of the
  window (the address is the client's, or what a trusted proxy says it is: never a header
  anyone may send).
- Per account: from the 5th failure in the window, each further try must wait a delay that
  doubles with every failure (1, 2, 4 … seconds, at most 60) after the last one. A guesser gets a
  try a minute at best; the real user, from another address, waits at most a minute.
- Failures older than the window are deleted as new ones are recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import LoginAttempt, as_utc, utcnow

WINDOW = dt.timedelta(minutes=15)
ADDRESS_LIMIT = 10
ACCOUNT_FREE_FAILURES = 4
MAX_DELAY_SECONDS = 60


@dataclass(frozen=True)
class SignInGate:
    address_locked: bool
    wait_seconds: int  # before this account may be tried again

    @property
    def open(self) -> bool:
        return not self.address_locked and self.wait_seconds == 0


def gate(session: Session, name: str, address: str, now: dt.datetime | None = None) -> SignInGate:
    now = now or utcnow()
    since = now - WINDOW
    from_address = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at >= since, LoginAttempt.address == address)) or 0
    failures, last = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.at >= since, LoginAttempt.name == name)).one()
    wait = 0
    if failures > ACCOUNT_FREE_FAILURES and last is not None:
        delay = min(2 ** (failures - ACCOUNT_FREE_FAILURES - 1), MAX_DELAY_SECONDS)
        ready = as_utc(last) + dt.timedelta(seconds=delay)
        wait = max(0, int((ready - now).total_seconds() + 0.999))
    return SignInGate(address_locked=from_address >= ADDRESS_LIMIT, wait_seconds=wait)


def record_failure(session: Session, name: str, address: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - WINDOW))
    session.add(LoginAttempt(name=name[:128], address=address[:64]))
