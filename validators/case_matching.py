"""Decide where a document group goes: an existing case, a new case, or the clerks' triage list.

Contract: ``match_group(reference, form)`` is pure; it returns a ``Match`` describing the
decision, and the caller applies it to the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from extractors.mime import ParsedMessage
from storage.cases import REFERENCE_PATTERN
from validators.dates import iso_date


class MatchKind(StrEnum):
    EXISTING_CASE = "existing_case"  # a cover sheet names the case
    NEW_CASE = "new_case"  # an application form identifies the applicant
    TRIAGE = "triage"  # nothing identifies the applicant: a clerk decides
    BATCH = "batch"  # held by an organisation's batch (a list for many, or naming no one)


@dataclass(frozen=True)
class ApplicantIdentity:
    surname: str
    given_names: str
    nationality: str
    passport_number: str
    date_of_birth: dt.date | None
    sex: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Match:
    kind: MatchKind
    reference: str | None = None
    applicant: ApplicantIdentity | None = None
    application_type: str | None = None
    triage_reason: str | None = None
    form: dict[str, str] | None = None
    contact_email: str | None = None


def match_group(reference: str | None, form: dict[str, str] | None) -> Match:
    if reference is not None:
        return Match(MatchKind.EXISTING_CASE, reference=reference)
    if form is not None:
        identity = applicant_from_form(form)
        if identity is not None:
            return Match(
                MatchKind.NEW_CASE,
                applicant=identity,
                application_type=form.get("application_type"),
                form=form,
                contact_email=identity.email,
            )
        return Match(
            MatchKind.TRIAGE,
            triage_reason="The application form has no surname, nationality or passport number.",
        )
    return Match(
        MatchKind.TRIAGE,
        triage_reason="No cover sheet and no application form: nothing identifies the applicant.",
    )


def applicant_from_form(form: dict[str, str]) -> ApplicantIdentity | None:
    surname = form.get("surname", "").upper()
    nationality = form.get("nationality", "").upper().replace("<", "")
    passport = form.get("passport_number", "").upper().replace(" ", "")
    if not (surname and nationality and passport):
        return None
    return ApplicantIdentity(
        surname=surname,
        given_names=form.get("given_names", "").upper(),
        nationality=nationality,
        passport_number=passport,
        date_of_birth=iso_date(form.get("date_of_birth")),
        sex=(form.get("sex") or "").upper()[:1] or None,
        email=form.get("email"),
        phone=form.get("phone"),
    )



def match_message(
    message: ParsedMessage, forms: Sequence[dict[str, str]], replied_reference: str | None = None
) -> Match:
    """Where an e-mail goes: the case its subject or body names, or whose e-mail it answers;
    else a new case (from its application form if it has one, else for its sender); automated
    mail goes to triage."""
    for text in (message.subject, message.body_text):
        found = REFERENCE_PATTERN.search(text or "")
        if found:
            return Match(MatchKind.EXISTING_CASE, reference=found.group(0))
    if replied_reference:
        return Match(MatchKind.EXISTING_CASE, reference=replied_reference)
    if message.automated:
        return Match(MatchKind.TRIAGE, triage_reason="An automatic message (auto-reply, bounce "
                     "or mailing list) that names no case.")
    for form in forms:
        match = match_group(None, form)
        if match.kind is MatchKind.NEW_CASE:
            return Match(MatchKind.NEW_CASE, applicant=match.applicant,
                         application_type=match.application_type, form=form,
                         contact_email=message.sender or match.contact_email)
    if not message.sender:
        return Match(MatchKind.TRIAGE, triage_reason="The message has no sender address.")
    return Match(MatchKind.NEW_CASE, contact_email=message.sender)
