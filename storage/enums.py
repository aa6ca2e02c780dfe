"""Stored vocabularies (DESIGN.md, "Names that other parts rely on")."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    SCAN = "scan"
    EMAIL = "email"
    UPLOAD = "upload"


class SubmissionStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    QUARANTINED = "quarantined"
    FAILED = "failed"


class CaseStatus(StrEnum):
    RECEIVED = "received"
    VALIDATING = "validating"
    NEEDS_MATERIALS = "needs_materials"
    READY_FOR_REVIEW = "ready_for_review"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNING = "returning"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class DocumentKind(StrEnum):
    APPLICATION_FORM = "application_form"
    PASSPORT = "passport"
    PHOTO = "photo"
    EMPLOYMENT_LETTER = "employment_letter"
    WORK_PERMIT = "work_permit"
    HEALTH_CERTIFICATE = "health_certificate"
    KINSHIP_NOTARIZATION = "kinship_notarization"
    PERSONAL_STATEMENT = "personal_statement"
    PERSONNEL_LIST_LETTER = "personnel_list_letter"
    SCHOOL_LETTER = "school_letter"
    AUTHORIZATION_LETTER = "authorization_letter"
    RESIDENCE_PERMIT = "residence_permit"
    SUPPORTING_DOCUMENT = "supporting_document"
    WAYBILL = "waybill"
    COVER_SHEET = "cover_sheet"
    EMAIL_BODY = "email_body"
    OTHER = "other"


# an organisation's letters that name many people (kept on file for each of them)
LIST_KINDS = (DocumentKind.PERSONNEL_LIST_LETTER, DocumentKind.SCHOOL_LETTER)


class ChecklistState(StrEnum):
    PROVIDED = "provided"
    WAIVED = "waived"
    ON_FILE = "on_file"
    MISSING = "missing"


class ShipmentDirection(StrEnum):
    INBOUND = "inbound"
    RETURN = "return"


class Role(StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    OPERATOR = "operator"
    ADMIN = "admin"


# who reviews cases, and who may also do what only a senior may (re-open, recognise an urgency)
REVIEWERS = (Role.REVIEWER, Role.SENIOR_REVIEWER, Role.ADMIN)
SENIORS = (Role.SENIOR_REVIEWER, Role.ADMIN)
