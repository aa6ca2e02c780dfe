"""The IMAP ledger: claim a message before slow work, record how far it got."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import MailboxClaim, utcnow

CLAIMED, STORED, ACKNOWLEDGED = "claimed", "stored", "acknowledged"


def claim_message(
    *, session: Session, account: str, folder: str, uidvalidity: int, uid: int, size: int | None,
    stale_after: dt.timedelta, worker: str | None = None,
    holder_is_gone: Callable[[str], bool] = lambda _: False,
) -> MailboxClaim | None:
    """Claim (account, folder, uidvalidity, uid) for this poller; None if a live poller has it.

    A ``stored`` row is returned as it is: that message only needs its move (re)done. An
    ``acknowledged`` one is not returned: it was moved already. A ``claimed`` row older than
    ``stale_after``, or one whose poller is known to be gone, was left by a dead poller and is
    taken over.
    """
    key = dict(account=account, folder=folder, uidvalidity=uidvalidity, uid=uid)
    existing = session.scalar(select(MailboxClaim).filter_by(**key).with_for_update())
    if existing is None:
        claim = MailboxClaim(**key, state=CLAIMED, size=size, claimed_by=worker)
        try:
            with session.begin_nested():
                session.add(claim)
        except IntegrityError:
            return None  # another poller inserted it a moment ago
        return claim
    if existing.state == ACKNOWLEDGED:
        return None  # already moved; an overlapping poll's search saw it before the move
    if existing.state == STORED:
        return existing  # its bytes are safe; it only needs moving (again)
    dead = existing.claimed_by is not None and holder_is_gone(existing.claimed_by)
    if dead or _aware(existing.updated_at) < utcnow() - stale_after:
        existing.updated_at, existing.claimed_by = utcnow(), worker
        return existing
    return None


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def release_claims(
    *, session: Session, account: str, folder: str, uidvalidity: int, uids: list[int]
) -> None:
    """Let go of claims whose messages were never stored (``claimed`` rows only)."""
    if uids:
        session.execute(delete(MailboxClaim).where(
            MailboxClaim.account == account, MailboxClaim.folder == folder,
            MailboxClaim.uidvalidity == uidvalidity, MailboxClaim.uid.in_(uids),
            MailboxClaim.state == CLAIMED))
