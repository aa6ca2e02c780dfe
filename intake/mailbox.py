"""E-mail intake: from an IMAP folder to stored, recorded submissions, losing nothing.

For each message, in this order (the same promise as scan intake):
    1. claim it in the ledger (account, folder, UIDVALIDITY, UID) before any slow work;
    2. check its size (RFC822.SIZE) before fetching; fetch bodies in batches of bounded bytes;
    3. store the raw bytes and record the submission (ledger: ``stored``) in one transaction;
    4. only then move it to the processed or quarantine folder (ledger: ``acknowledged``).
A crash anywhere leaves either a message still in the inbox whose bytes are stored (the next
run only moves it) or one not yet stored (the next run takes it). The unique sha256 of a
submission keeps dedupe when UIDVALIDITY changes. Message-IDs are never used to dedupe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from extractors.mime import check_message
from intake.oauth import current_access_token
from mailroom.config import Settings
from mailroom.errors import BadInputError, ConfigurationError, MailroomError
from mailroom.faults import crash_point
from mailroom.workers import current_worker, is_gone
from storage.blobs import BlobStore
from storage.enums import Channel, SubmissionStatus
from storage.mailbox_claims import ACKNOWLEDGED, CLAIMED, STORED, claim_message, release_claims
from storage.models import MailboxClaim, Submission
from storage.submissions import record_submission

log = logging.getLogger(__name__)


class MailboxError(MailroomError):
    """The mailbox could not be reached or refused a command (transient: the flow retries)."""

    exit_code = 8


@dataclass(frozen=True)
class MailOutcome:
    uid: int
    submission_id: int
    new: bool
    status: SubmissionStatus
    reason: str | None


def connect(settings: Settings, session_factory: sessionmaker[Session] | None = None) -> IMAPClient:
    """Log in with a password, or with XOAUTH2 (``MAILROOM_IMAP_AUTH=oauth2``; the token store
    in the database needs ``session_factory``)."""
    if not settings.imap_host or not settings.imap_user:
        raise ConfigurationError(
            "The mailbox is not configured: set MAILROOM_IMAP_HOST, MAILROOM_IMAP_USER and "
            "MAILROOM_IMAP_PASSWORD."
        )
    use_ssl = settings.imap_ssl == "ssl"
    port = settings.imap_port or (993 if use_ssl else 143)
    try:
        client = IMAPClient(settings.imap_host, port=port, ssl=use_ssl,
                            timeout=settings.imap_timeout_seconds)
        if settings.imap_ssl == "starttls":
            client.starttls(ssl.create_default_context())
        if settings.imap_auth == "oauth2":
            if session_factory is None:
                raise ConfigurationError("OAuth2 login needs the database (token store).")
            with session_factory.begin() as session:
                token = current_access_token(session=session, settings=settings,
                                             account=account_name(settings))
            client.oauth2_login(settings.imap_user, token)
        else:
            client.login(settings.imap_user, settings.imap_password or "")
    except (IMAPClientError, OSError) as e:
        raise MailboxError(f"Cannot log in to the mailbox {settings.imap_host}:{port}: {e}") from e
    return client


def account_name(settings: Settings) -> str:
    return f"{settings.imap_user}@{settings.imap_host}"


def intake_mailbox(
    *,
    client: IMAPClient,
    settings: Settings,
    blobs: BlobStore,
    session_factory: sessionmaker[Session],
) -> list[MailOutcome]:
    """Store every new message of the folder and move it out; see the module's docstring."""
    try:
        return _intake(client, settings, blobs, session_factory)
    except (IMAPClientError, OSError) as e:
        # Whatever was stored is committed and safe; the next poll finishes the rest.
        raise MailboxError(f"The mailbox connection failed during intake: {e}") from e


def _intake(
    client: IMAPClient,
    settings: Settings,
    blobs: BlobStore,
    session_factory: sessionmaker[Session],
) -> list[MailOutcome]:
    account, folder = account_name(settings), settings.imap_folder
    _ensure_folders(client, [settings.imap_processed_folder, settings.imap_quarantine_folder])
    uidvalidity = int(client.select_folder(folder)[b"UIDVALIDITY"])
    uids = sorted(client.search(["UNDELETED"]))
    sizes = {uid: int(data.get(b"RFC822.SIZE", 0))
             for uid, data in client.fetch(uids, ["RFC822.SIZE"]).items()} if uids else {}

    with session_factory.begin() as session:
        claims: dict[int, tuple[str, int | None]] = {}
        for uid in uids:
            claim = claim_message(
                session=session, account=account, folder=folder, uidvalidity=uidvalidity,
                uid=uid, size=sizes.get(uid),
                stale_after=dt.timedelta(seconds=settings.imap_claim_timeout_seconds),
                worker=current_worker(), holder_is_gone=is_gone,
            )
            if claim is not None:
                claims[uid] = (claim.state, claim.submission_id)
    crash_point("email.after_claim")
    try:
        return _store_and_move(client, settings, blobs, session_factory, account, folder,
                               uidvalidity, claims, sizes)
    except BaseException:
        # What this poll claimed but did not store is let go, so the next poll takes it at
        # once instead of waiting for the claim to go stale (a dead poller's claims still do).
        # (best effort: the database may be what failed)
        with contextlib.suppress(Exception), session_factory.begin() as session:
            release_claims(session=session, account=account, folder=folder,
                           uidvalidity=uidvalidity, uids=list(claims))
        raise


def _store_and_move(
    client: IMAPClient, settings: Settings, blobs: BlobStore,
    session_factory: sessionmaker[Session], account: str, folder: str, uidvalidity: int,
    claims: dict[int, tuple[str, int | None]], sizes: dict[int, int],
) -> list[MailOutcome]:
    outcomes: list[MailOutcome] = []
    already_stored = [uid for uid, (state, _) in claims.items() if state in (STORED, ACKNOWLEDGED)]
    outcomes += _acknowledge(client, settings, session_factory, account, folder, uidvalidity,
                             [_known(session_factory, uid, claims[uid][1]) for uid in already_stored])
    to_fetch = [uid for uid, (state, _) in claims.items() if state == CLAIMED]
    too_big = [uid for uid in to_fetch if sizes.get(uid, 0) > settings.imap_max_message_bytes]
    large = [uid for uid in to_fetch if uid not in too_big
             and sizes.get(uid, 0) > settings.imap_stream_threshold_bytes]
    normal = [uid for uid in to_fetch if uid not in too_big and uid not in large]

    stored = [_store_oversize(client, settings, blobs, session_factory, account, folder,
                              uidvalidity, uid, sizes[uid]) for uid in too_big]
    for uid in large:  # streamed in pieces straight to the blob store: memory stays flat
        stored += _record_batch(session_factory, account, folder, uidvalidity,
                                [_stream_blob(client, blobs, uid)])
    for batch in _batches(normal, sizes, settings.imap_batch_bytes):
        bodies = client.fetch(batch, ["BODY.PEEK[]"])
        blobs_of_batch = []
        for uid in batch:
            raw = bodies.pop(uid, {}).get(b"BODY[]")
            if raw is None:
                continue  # expunged by someone else meanwhile; nothing to store
            blobs_of_batch.append(_store_blob(blobs, uid, raw))
            del raw  # hold at most one message's bytes beyond the fetched batch
        stored += _record_batch(session_factory, account, folder, uidvalidity, blobs_of_batch)
        crash_point("email.after_store")
        outcomes += _acknowledge(client, settings, session_factory, account, folder,
                                 uidvalidity, stored)
        stored = []
    outcomes += _acknowledge(client, settings, session_factory, account, folder, uidvalidity,
                             stored)
    return outcomes


@dataclass(frozen=True)
class _StoredBlob:
    uid: int
    sha256: str
    size: int
    quarantine: tuple[str, str] | None


def _store_blob(blobs: BlobStore, uid: int, raw: bytes) -> _StoredBlob:
    refusal: BadInputError | None = None
    try:
        check_message(raw)
    except BadInputError as e:
        refusal = e
    return _StoredBlob(uid, blobs.put_bytes(raw), len(raw),
                       (refusal.reason.value, refusal.message) if refusal else None)


def _stream_blob(client: IMAPClient, blobs: BlobStore, uid: int) -> _StoredBlob:
    reader = _PartialBodyReader(client, uid)
    head = reader.peek_head()
    refusal: BadInputError | None = None
    try:
        check_message(head)  # the header is enough to tell an e-mail from garbage
    except BadInputError as e:
        refusal = e
    sha256, size = blobs.put_stream(reader)  # type: ignore[arg-type]
    return _StoredBlob(uid, sha256, size,
                       (refusal.reason.value, refusal.message) if refusal else None)


class _PartialBodyReader(io.RawIOBase):
    """Reads one message as a stream of ``BODY.PEEK[]<offset.length>`` pieces."""

    PIECE = 1 << 20

    def __init__(self, client: IMAPClient, uid: int) -> None:
        self._client, self._uid, self._offset = client, uid, 0
        self._pending = b""
        self._done = False

    def _fetch_piece(self) -> bytes:
        item = f"BODY.PEEK[]<{self._offset}.{self.PIECE}>"
        response = self._client.fetch([self._uid], [item]).get(self._uid, {})
        piece = response.get(f"BODY[]<{self._offset}>".encode(), b"") or b""
        self._offset += len(piece)
        if len(piece) < self.PIECE:
            self._done = True
        return piece

    def peek_head(self) -> bytes:
        if not self._pending and not self._done:
            self._pending = self._fetch_piece()
        return self._pending[:65536]

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if not self._pending and not self._done:
            self._pending = self._fetch_piece()
        if size < 0 or size >= len(self._pending):
            piece, self._pending = self._pending, b""
        else:
            piece, self._pending = self._pending[:size], self._pending[size:]
        return piece


def _record_batch(
    session_factory: sessionmaker[Session], account: str, folder: str, uidvalidity: int,
    stored: list[_StoredBlob],
) -> list[MailOutcome]:
    with session_factory.begin() as session:
        return [_record_in(session, account, folder, uidvalidity, s.uid, s.sha256, s.size,
                           s.quarantine) for s in stored]


def _store_oversize(
    client: IMAPClient, settings: Settings, blobs: BlobStore,
    session_factory: sessionmaker[Session], account: str, folder: str, uidvalidity: int,
    uid: int, size: int,
) -> MailOutcome:
    # Only the header is fetched and kept; the whole message stays intact in the quarantine folder.
    header = client.fetch([uid], ["BODY.PEEK[HEADER]"]).get(uid, {}).get(b"BODY[HEADER]", b"")
    sha256 = blobs.put_bytes(header + f"\r\nX-Mailroom-Size: {size}\r\n".encode())
    reason = (f"The message is {_human(size)}; the limit is "
              f"{_human(settings.imap_max_message_bytes)}. It was moved whole to the "
              f"{settings.imap_quarantine_folder} folder; only its header is stored here.")
    [outcome] = _record_batch(session_factory, account, folder, uidvalidity,
                              [_StoredBlob(uid, sha256, size, ("message_too_large", reason))])
    return outcome


def _record_in(
    session: Session, account: str, folder: str, uidvalidity: int, uid: int, sha256: str,
    size: int, quarantine: tuple[str, str] | None,
) -> MailOutcome:
    recorded = record_submission(
        session=session, channel=Channel.EMAIL,
        source=f"imap:{account}/{folder};UIDVALIDITY={uidvalidity};UID={uid}",
        filename=f"message-{uidvalidity}-{uid}.eml", sha256=sha256, size=size,
        media_type="message/rfc822", quarantine=quarantine,
    )
    claim = session.scalars(select(MailboxClaim).filter_by(
        account=account, folder=folder, uidvalidity=uidvalidity, uid=uid)).one()
    claim.state, claim.submission_id = STORED, recorded.submission.id
    submission = recorded.submission
    return MailOutcome(uid, submission.id, recorded.created, submission.status, submission.reason)


def _known(session_factory: sessionmaker[Session], uid: int, submission_id: int | None) -> MailOutcome:
    with session_factory.begin() as session:
        submission = session.get(Submission, submission_id) if submission_id else None
        if submission is None:
            raise MailboxError(f"ledger names a missing submission for UID {uid}")
        return MailOutcome(uid, submission.id, False, submission.status, submission.reason)


def _acknowledge(
    client: IMAPClient, settings: Settings, session_factory: sessionmaker[Session],
    account: str, folder: str, uidvalidity: int, outcomes: list[MailOutcome],
) -> list[MailOutcome]:
    quarantined = [o.uid for o in outcomes if o.status == SubmissionStatus.QUARANTINED]
    accepted = [o.uid for o in outcomes if o.status != SubmissionStatus.QUARANTINED]
    _move(client, quarantined, settings.imap_quarantine_folder)
    _move(client, accepted, settings.imap_processed_folder)
    if outcomes:
        crash_point("email.after_move")
        with session_factory.begin() as session:
            for claim in session.query(MailboxClaim).filter(
                MailboxClaim.account == account, MailboxClaim.folder == folder,
                MailboxClaim.uidvalidity == uidvalidity,
                MailboxClaim.uid.in_([o.uid for o in outcomes]),
            ):
                claim.state = ACKNOWLEDGED
    return outcomes


def _move(client: IMAPClient, uids: list[int], target: str) -> None:
    """Move messages out of the inbox. Ones an overlapping poll moved first are simply gone:
    that is not an error (their bytes are stored and their ledger rows say so)."""
    if not uids:
        return
    try:
        _move_all(client, uids, target)
    except IMAPClientError:
        for uid in _still_here(client, uids):
            try:
                _move_all(client, [uid], target)
            except IMAPClientError:
                if _still_here(client, [uid]):
                    raise  # a real failure (the message is still in the inbox), not a race


def _still_here(client: IMAPClient, uids: list[int]) -> list[int]:
    return list(client.search(["UID", ",".join(map(str, uids)), "UNDELETED"]))


def _move_all(client: IMAPClient, uids: list[int], target: str) -> None:
    if b"MOVE" in client.capabilities():
        client.move(uids, target)
        return
    client.copy(uids, target)
    client.add_flags(uids, [b"\\Deleted"])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge(uids)
    else:
        client.expunge()


def _ensure_folders(client: IMAPClient, folders: Iterable[str]) -> None:
    for name in folders:
        if not client.folder_exists(name):
            try:
                client.create_folder(name)
            except IMAPClientError:
                if not client.folder_exists(name):  # else an overlapping poll created it
                    raise


def _human(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1_000_000 else f"{size / 1e3:.0f} kB"


def _batches(uids: list[int], sizes: dict[int, int], budget: int) -> Iterator[list[int]]:
    batch: list[int] = []
    used = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if batch and used + size > budget:
            yield batch
            batch, used = [], 0
        batch.append(uid)
        used += size
    if batch:
        yield batch


__all__ = ["MailOutcome", "MailboxError", "account_name", "connect", "intake_mailbox"]
