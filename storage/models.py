"""Typed SQLAlchemy 2.0 models on one DeclarativeBase.

The schema is created only by Alembic migrations (``storage/migrations``), never ``create_all``.
Constraint names follow ``NAMING_CONVENTION`` so later migrations can drop and alter them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.enums import (
    CaseStatus,
    Channel,
    ChecklistState,
    DocumentKind,
    Role,
    ShipmentDirection,
    SubmissionStatus,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _str_enum(enum_cls: type[StrEnum]) -> Enum:
    # Stored as the enum's value in a plain VARCHAR: readable in SQL, portable, no native type.
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware UTC time: SQLite hands stored times back naive (they are UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: DateTime(timezone=True),
        Channel: _str_enum(Channel),
        SubmissionStatus: _str_enum(SubmissionStatus),
        CaseStatus: _str_enum(CaseStatus),
        DocumentKind: _str_enum(DocumentKind),
        ChecklistState: _str_enum(ChecklistState),
        ShipmentDirection: _str_enum(ShipmentDirection),
        Role: _str_enum(Role),
    }


class Submission(Base):
    """One thing that arrived: a scan file, an e-mail, an upload. Its raw bytes are a blob."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel]
    source: Mapped[str] = mapped_column(String(1024))
    filename: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[SubmissionStatus] = mapped_column(index=True)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    needs_triage: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]
    # While a worker reads it (OCR, outside any transaction): "host:pid" and until when.
    leased_by: Mapped[str | None] = mapped_column(String(128))
    leased_until: Mapped[dt.datetime | None]

    documents: Mapped[list[Document]] = relationship(
        back_populates="submission", order_by="Document.id"
    )


class Document(Base):
    """A run of pages of one submission that belong together (one kind, one case or none)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("submission_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    sequence: Mapped[int]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[DocumentKind]
    confidence: Mapped[float] = mapped_column(default=0.0)
    filename: Mapped[str] = mapped_column(String(512))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict | None] = mapped_column(JSON)
    triage_reason: Mapped[str | None] = mapped_column(Text)  # why no case could be found
    # an organisation's batch it came in: a list it holds for many, or a document naming no one
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="documents")
    case: Mapped[Case | None] = relationship(back_populates="documents")
    pages: Mapped[list[Page]] = relationship(back_populates="document", order_by="Page.number")


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int]  # 1-based, within the submission
    image_sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    text: Mapped[str | None] = mapped_column(Text)
    text_source: Mapped[str] = mapped_column(String(16), default="none")  # pdf, ocr, mrz, none

    document: Mapped[Document] = relationship(back_populates="pages")


class Batch(Base):
    """One submission that applies for several people at once (an employer's or a school's
    e-mail, ZIP or postal batch): its cases, the lists it holds for everyone they name, and what
    names no one, for a clerk."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    organization: Mapped[str | None] = mapped_column(String(256))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    cases: Mapped[list[Case]] = relationship(order_by="Case.id")
    documents: Mapped[list[Document]] = relationship(order_by="Document.id")


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # employer | school | agency


class Applicant(Base):
    """The office's record of a person (one per passport), or a case's own copy of it
    (``own_case_id``) made when a reviewer corrects that case: a correction never changes what
    other cases, in other groups, show."""

    __tablename__ = "applicants"
    __table_args__ = (Index("uq_applicants_person", "nationality", "passport_number", unique=True,
                            sqlite_where=text("own_case_id IS NULL"),
                            postgresql_where=text("own_case_id IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(128))
    given_names: Mapped[str] = mapped_column(String(256))
    nationality: Mapped[str] = mapped_column(String(3))
    passport_number: Mapped[str] = mapped_column(String(32))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(64))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    own_case_id: Mapped[int | None]


class ReferenceCounter(Base):
    """Last case number issued per year: references are ``MR-<year>-<number:06d>``."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Case(Base):
    __tablename__ = "cases"
    # the reviewer queue: one group's cases of one status, by priority then due date
    __table_args__ = (Index("ix_cases_queue", "status", "reviewer_group", "priority_rank",
                            "due_date", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[CaseStatus] = mapped_column(index=True)
    application_type: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(32), default="normal")
    priority_rank: Mapped[int] = mapped_column(default=4)  # lower is served first
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date_provisional: Mapped[bool] = mapped_column(default=False)
    due_at: Mapped[dt.datetime | None]  # a service counted in hours (the 24-hour urgent one)
    calendar_version: Mapped[str | None] = mapped_column(String(128))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)  # every material in hand
    reviewer_group: Mapped[str | None] = mapped_column(String(64))
    four_eyes: Mapped[bool] = mapped_column(default=False)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[dt.datetime | None]
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"), index=True)
    contact_email: Mapped[str | None] = mapped_column(String(320))  # who wrote in, if by e-mail
    # a letter to contact_email bounced: every letter goes by post from then on
    email_undeliverable_since: Mapped[dt.datetime | None]
    agent_name: Mapped[str | None] = mapped_column(String(256))
    agent_relation: Mapped[str | None] = mapped_column(String(32))
    form_fields: Mapped[dict | None] = mapped_column(JSON)
    # "other urgent matters recognised by the office" (text 002): a senior reviewer's decision
    urgency_recognised_by: Mapped[str | None] = mapped_column(String(128))
    urgency_recognised_at: Mapped[dt.datetime | None]
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    applicant: Mapped[Applicant | None] = relationship()
    documents: Mapped[list[Document]] = relationship(back_populates="case", order_by="Document.id")
    checklist: Mapped[list[ChecklistItem]] = relationship(order_by="ChecklistItem.id")
    flags: Mapped[list[Flag]] = relationship(order_by="Flag.id")
    waivers: Mapped[list[Waiver]] = relationship(order_by="Waiver.id")
    shipments: Mapped[list[Shipment]] = relationship(order_by="Shipment.id")
    messages_sent: Mapped[list[SentMessage]] = relationship(order_by="SentMessage.id")
    grants: Mapped[list[Grant]] = relationship(back_populates="case", order_by="Grant.id")


class CaseEvent(Base):
    """Append-only audit trail (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[CaseStatus | None]
    to_status: Mapped[CaseStatus | None]
    detail: Mapped[dict | None] = mapped_column(JSON)


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("case_id", "material"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    material: Mapped[DocumentKind]
    state: Mapped[ChecklistState]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    on_file_note: Mapped[str | None] = mapped_column(String(256))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records_on_file.id"))
    # for a material whose original must arrive in person: has it? (None: not such a material)
    arrived: Mapped[bool | None]


class Flag(Base):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), default="validation")  # or a reviewer's name
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None]


class Waiver(Base):
    __tablename__ = "waivers"
    __table_args__ = (UniqueConstraint("case_id", "material"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    material: Mapped[DocumentKind]
    statement_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    promised_by: Mapped[dt.date] = mapped_column(Date)
    fulfilled_at: Mapped[dt.datetime | None]
    reminded_at: Mapped[dt.datetime | None]  # the week-before reminder went out


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[Role]
    password_hash: Mapped[str | None] = mapped_column(String(256))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    reviewer_group: Mapped[str | None] = mapped_column(String(64))  # None: every group
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    superseded_at: Mapped[dt.datetime | None]  # the decided case was re-opened after a correction


class Shipment(Base):
    """A parcel: the applicant's inbound one or the office's return of the passport."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("carrier", "waybill"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    direction: Mapped[ShipmentDirection]
    carrier: Mapped[str] = mapped_column(String(32))
    waybill: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="created")
    recipient: Mapped[str | None] = mapped_column(String(256))
    phone: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    dispatched_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    last_polled_at: Mapped[dt.datetime | None]
    last_event_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]  # delivered, or back with the office
    alerted: Mapped[str | None] = mapped_column(String(32))  # stalled | returned, once each

    events: Mapped[list[ShipmentEvent]] = relationship(order_by="ShipmentEvent.at")


class ShipmentEvent(Base):
    """One tracking event, recorded once however often it is polled or pushed."""

    __tablename__ = "shipment_events"
    __table_args__ = (UniqueConstraint("shipment_id", "at", "description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    at: Mapped[dt.datetime]
    description: Mapped[str] = mapped_column(String(512))
    location: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32))  # kuaidi100 | push | manual


class CustodyEvent(Base):
    """Where the applicant's passport is, step by step (received, stored, dispatched, ...)."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    event: Mapped[str] = mapped_column(String(32))
    location: Mapped[str | None] = mapped_column(String(256))
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


__all__ = [
    "Applicant",
    "Base",
    "Case",
    "CaseEvent",
    "ChecklistItem",
    "CustodyEvent",
    "Document",
    "Flag",
    "LoginAttempt",
    "MailboxClaim",
    "Organization",
    "Page",
    "RecordOnFile",
    "ReferenceCounter",
    "Review",
    "SentMessage",
    "Shipment",
    "ShipmentEvent",
    "Submission",
    "User",
    "Waiver",
    "WebSession",
]


class MailboxClaim(Base):
    """The IMAP ledger: one row per (account, folder, UIDVALIDITY, UID), written before any slow
    work. It is the claim that keeps overlapping polls from taking a message twice, and it records
    how far each message got (claimed -> stored -> acknowledged)."""

    __tablename__ = "mailbox_claims"
    __table_args__ = (UniqueConstraint("account", "folder", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320))
    folder: Mapped[str] = mapped_column(String(256))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))  # claimed | stored | acknowledged
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    size: Mapped[int | None] = mapped_column(BigInteger)
    claimed_by: Mapped[str | None] = mapped_column(String(128))  # "host:pid" of the poller
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SentMessage(Base):
    """Every e-mail the office sends, recorded on its case: an outbox row first, sent later, so a
    mail server that is down never blocks intake (the sender retries)."""

    __tablename__ = "sent_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # acknowledgement | request_for_materials | ...
    to_address: Mapped[str] = mapped_column(String(320), index=True)
    message_id: Mapped[str] = mapped_column(String(256), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    subject: Mapped[str] = mapped_column(String(998))
    body: Mapped[str] = mapped_column(Text)
    # pending | sent | failed | bounced (a delivery report returned it: sent again by post)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # email, or post: printed in the day's batch (status "to_print" until then), never mailed
    channel: Mapped[str] = mapped_column(String(8), default="email", server_default="email")
    printed_on: Mapped[dt.date | None] = mapped_column(Date)
    attachment_sha256: Mapped[str | None] = mapped_column(String(64))  # a blob, e.g. a receipt
    attachment_filename: Mapped[str | None] = mapped_column(String(256))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None]  # after a failure: later and later (backoff)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class OAuthToken(Base):
    """OAuth2 tokens of a mailbox account (XOAUTH2 for Gmail / Microsoft 365). Providers rotate
    refresh tokens: the newest one is persisted on every refresh, or the next refresh fails."""

    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320), unique=True)
    access_token: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[dt.datetime | None]
    refresh_token: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Grant(Base):
    """What the office granted on an approved case — a visa, a permit, a passport — as the
    reviewer entered it: its number and validity; text 001's expiry reminders follow it."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("case_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(32))  # validators.policy.GrantKind
    number: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date, index=True)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reminded_days_before: Mapped[list | None] = mapped_column(JSON)  # the reminders sent

    case: Mapped[Case] = relationship(back_populates="grants")


class RecordOnFile(Base):
    """A document the office already holds that can stand in for a material in later cases:
    an applicant's passport or photo, a permit, or one line of an employer's personnel list
    (one row per listed person, keyed by passport number)."""

    __tablename__ = "records_on_file"
    __table_args__ = (UniqueConstraint("document_id", "kind", "passport_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind]
    passport_key: Mapped[str] = mapped_column(String(32), index=True)  # validators.identity
    person_name: Mapped[str | None] = mapped_column(String(256))
    organization: Mapped[str | None] = mapped_column(String(256))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    source_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    valid_until: Mapped[dt.date] = mapped_column(Date)  # usable on file until (office policy)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)  # as read from the document, or None
    expiry_reminded_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    source_case: Mapped[Case | None] = relationship()


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the database only its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed sign-ins, for throttling (per name and per address)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
