"""A case's checklist: every required material provided, waived, on file, or missing.

Contract: ``evaluate_checklist(required, held, promises, records, policy, today)`` is pure. For
each required material, in order of precedence:
- ``provided`` by a document of that kind (or of an equivalent kind, policy ``equivalents``);
- ``on_file`` by a record the office holds that is still valid on ``today``;
- ``waived`` by a personal statement's promise, if the material is waivable and the promised
  date is within the allowed period;
- otherwise ``missing``.
Promises that cannot waive (not waivable, or promising too late) come back as ``Finding``s with
a reason a reviewer understands; a provided material makes its promise kept, not a finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from storage.enums import ChecklistState, DocumentKind
from validators.dates import iso_date
from validators.policy import OfficePolicy


@dataclass(frozen=True)
class HeldDocument:
    id: int
    kind: DocumentKind


@dataclass(frozen=True)
class Promise:
    """A personal statement's promise to supply ``material`` by ``promised_by``."""

    material: DocumentKind
    statement_document_id: int
    promised_by: dt.date
    made_on: dt.date  # the statement's date (or the day it arrived)


@dataclass(frozen=True)
class Record:
    id: int
    kind: DocumentKind
    valid_until: dt.date
    note: str  # what the reviewer reads: "passport on file from MR-2026-000012"


@dataclass(frozen=True)
class ChecklistEntry:
    material: DocumentKind
    state: ChecklistState
    document_id: int | None = None
    record_id: int | None = None
    note: str | None = None
    promise: Promise | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    message: str


def evaluate_checklist(
    required: Sequence[DocumentKind], held: Sequence[HeldDocument], promises: Sequence[Promise],
    records: Sequence[Record], policy: OfficePolicy, today: dt.date,
    in_person: Sequence[DocumentKind] = (),
) -> tuple[list[ChecklistEntry], list[Finding]]:
    entries, findings = [], []
    for material in dict.fromkeys(required):  # each once, in the policy's order
        accepted = (material, *policy.equivalents.get(material, ()))
        document = next((d for d in held if d.kind in accepted), None)
        if document is not None:
            entries.append(ChecklistEntry(material, ChecklistState.PROVIDED, document_id=document.id))
            continue
        # the original itself must come: what the office holds from before cannot stand in
        usable = () if material in in_person else records
        record = next((r for r in usable if r.kind in accepted and r.valid_until >= today), None)
        if record is not None:
            entries.append(ChecklistEntry(material, ChecklistState.ON_FILE, record_id=record.id,
                                          note=record.note))
            continue
        waiver, problems = _waiver_for(material, promises, policy)
        findings += problems
        if waiver is not None:
            entries.append(ChecklistEntry(material, ChecklistState.WAIVED,
                                          document_id=waiver.statement_document_id, promise=waiver))
        else:
            entries.append(ChecklistEntry(material, ChecklistState.MISSING))
    return entries, findings


def _waiver_for(
    material: DocumentKind, promises: Sequence[Promise], policy: OfficePolicy
) -> tuple[Promise | None, list[Finding]]:
    findings = []
    for promise in (p for p in promises if p.material is material):
        if material not in policy.waivers.waivable:
            findings.append(Finding(
                "not_waivable",
                f"A personal statement promises the {_name(material)} later, but it cannot be "
                "waived by a statement: it must be supplied."))
            continue
        latest = promise.made_on + dt.timedelta(days=policy.waivers.promise_within_days)
        if promise.promised_by > latest:
            findings.append(Finding(
                "promise_too_late",
                f"The personal statement promises the {_name(material)} by "
                f"{promise.promised_by.isoformat()}, later than the "
                f"{policy.waivers.promise_within_days} days allowed (by {latest.isoformat()})."))
            continue
        return promise, findings
    return None, findings


def _name(material: DocumentKind) -> str:
    return material.value.replace("_", " ")


def promises_in(fields: dict, statement_document_id: int, received_on: dt.date) -> list[Promise]:
    """The promises a personal statement's extracted facts (extractors/letters.py) make: each
    promised material falls due on ``promised_by`` (a statement that names no date promises
    nothing the office can hold it to). Documents stored before the letters were read this way
    kept a list of ``promises`` with their own dates or ``within_days``: those still count."""
    made_on = iso_date(fields.get("statement_date") or fields.get("signed_on")) or received_on
    promised = [{"material": m, "promised_by": fields.get("promised_by")}
                for m in fields.get("promised_materials") or []] or fields.get("promises") or []
    promises = []
    for promise in promised:
        try:
            material = DocumentKind(promise.get("material"))
        except ValueError:
            continue  # a material that is not a document kind the checklist knows
        by = iso_date(promise.get("promised_by"))
        if by is None and promise.get("within_days"):
            by = made_on + dt.timedelta(days=int(promise["within_days"]))
        if by is not None:
            promises.append(Promise(material, statement_document_id, by, made_on))
    return promises

