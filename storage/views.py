"""The JSON shapes of the CLI contract (DESIGN.md), built from models inside a session."""

from __future__ import annotations

from typing import Any

from mailroom.config import OFFICE_TIME_ZONE
from storage.enums import LIST_KINDS, ChecklistState
from storage.models import Batch, Case, Submission, as_utc


def case_view(case: Case, *, with_documents: bool = True) -> dict[str, Any]:
    applicant = case.applicant
    view: dict[str, Any] = {
        "reference": case.reference,
        "status": case.status.value,
        "application_type": case.application_type,
        "priority": case.priority,
        "due_date": case.due_date.isoformat() if case.due_date else None,
        # a service counted in hours: the moment, in the office's time
        "due_at": (as_utc(case.due_at).astimezone(OFFICE_TIME_ZONE).isoformat(timespec="minutes")
                   if case.due_at else None),
        "batch_id": case.batch_id,  # the organisation's batch it came in, if any
        "applicant": {
            "surname": applicant.surname if applicant else None,
            "given_names": applicant.given_names if applicant else None,
            "nationality": applicant.nationality if applicant else None,
            "passport_number": applicant.passport_number if applicant else None,
            "date_of_birth": applicant.date_of_birth.isoformat()
            if applicant and applicant.date_of_birth else None,
        },
        "checklist": [
            {
                "material": item.material.value,
                "state": item.state.value,
                "document_id": item.document_id,
                "waiver": _waiver(case, item.material.value),
                "on_file": item.on_file_note,
                "arrived": item.arrived,
            }
            for item in case.checklist
        ],
        "flags": [
            {"code": flag.code, "message": flag.message}
            for flag in case.flags
            if flag.resolved_at is None
        ],
        "shipments": [
            {
                "direction": s.direction.value,
                "carrier": s.carrier,
                "waybill": s.waybill,
                "status": s.status,
            }
            for s in case.shipments
        ],
    }
    view["due_date_provisional"] = case.due_date_provisional
    view["calendar_version"] = case.calendar_version
    view["reviewer_group"] = case.reviewer_group
    view["four_eyes"] = case.four_eyes
    view["agent"] = ({"name": case.agent_name, "relation": case.agent_relation}
                     if case.agent_name else None)
    view["waivers"] = [
        {"material": w.material.value, "statement_document_id": w.statement_document_id,
         "promised_by": w.promised_by.isoformat(), "kept": w.fulfilled_at is not None}
        for w in case.waivers
    ]
    view["grants"] = [
        {"kind": g.kind, "number": g.number, "valid_from": g.valid_from.isoformat(),
         "valid_until": g.valid_until.isoformat(), "recorded_by": g.recorded_by,
         "reminded_days_before": g.reminded_days_before or []}
        for g in case.grants
    ]
    view["contact_email"] = case.contact_email
    view["messages_sent"] = [
        {"kind": m.kind, "to": m.to_address, "subject": m.subject, "status": m.status,
         "channel": m.channel, "printed_on": m.printed_on.isoformat() if m.printed_on else None,
         "message_id": m.message_id, "sent_at": m.sent_at.isoformat() if m.sent_at else None}
        for m in case.messages_sent
    ]
    if with_documents:
        view["documents"] = [
            {"id": d.id, "kind": d.kind.value, "filename": d.filename, "pages": len(d.pages)}
            for d in case.documents
        ]
    return view


def _waiver(case: Case, material: str) -> dict[str, Any] | None:
    for waiver in case.waivers:
        if waiver.material.value == material:
            return {
                "statement_document_id": waiver.statement_document_id,
                "promised_by": waiver.promised_by.isoformat(),
            }
    return None


def batch_view(batch: Batch) -> dict[str, Any]:
    """An organisation's batch: its cases and what each lacks, the lists it holds (with the rows
    that could not be read) and the documents that name no one of it."""
    held = [d for d in batch.documents if d.case_id is None]
    return {
        "id": batch.id, "organization": batch.organization, "contact_email": batch.contact_email,
        "submission_id": batch.submission_id, "received_at": batch.created_at.isoformat(),
        "cases": [{"reference": c.reference, "status": c.status.value,
                   "applicant": f"{c.applicant.surname} {c.applicant.given_names}".strip()
                   if c.applicant else None,
                   "missing": [i.material.value for i in c.checklist
                               if i.state is ChecklistState.MISSING]} for c in batch.cases],
        "lists": [{"document_id": d.id, "kind": d.kind.value, "filename": d.filename,
                   "organization": (d.fields or {}).get("organization")
                   or (d.fields or {}).get("school"),
                   "people": len((d.fields or {}).get("people") or []),
                   "unread_rows": (d.fields or {}).get("unread_rows") or []}
                  for d in held if d.kind in LIST_KINDS],
        "names_no_one": [{"document_id": d.id, "kind": d.kind.value, "filename": d.filename,
                          "reason": d.triage_reason}
                         for d in held if d.triage_reason
                         and not d.triage_reason.startswith("rejected by ")],
    }


def submission_view(submission: Submission) -> dict[str, Any]:
    references = sorted({d.case.reference for d in submission.documents if d.case is not None})
    return {
        "id": submission.id,
        "channel": submission.channel.value,
        "source": submission.source,
        "sha256": submission.sha256,
        "status": submission.status.value,
        "reason": submission.reason,
        "case_reference": references[0] if references else None,
        "case_references": references,
        "needs_triage": submission.needs_triage,
        "received_at": submission.received_at.isoformat(),
    }
