"""Validate a case: from its documents and the office's records to a checklist, flags, waivers,
priority, due date and status — and the letters that follow from them.

Contract: ``validate_case(session=, case=, context=)`` runs in the caller's transaction and may be
run any number of times (each run recomputes from the documents; a letter is queued once per
new fact: the first request listing a material, the first time a case is complete). The
decisions are the validators' (pure functions); this module gathers facts and persists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from mailroom.config import OFFICE_TIME_ZONE
from notices.delivery import recipient_of
from notices.materials import acceptance_notice, material_name, request_for_materials
from notices.policy import NoticePolicy
from notices.receipt import Receipt, render_receipt
from storage.blobs import BlobStore
from storage.cases import change_status, record_event, requested_materials
from storage.enums import LIST_KINDS, CaseStatus, Channel, ChecklistState, DocumentKind
from storage.models import (
    Case,
    ChecklistItem,
    CustodyEvent,
    Document,
    Flag,
    RecordOnFile,
    Waiver,
    as_utc,
    utcnow,
)
from storage.outbox import add_to_outbox
from storage.records import keep_on_file, records_for
from validators.agents import check_agent
from validators.checklist import (
    ChecklistEntry,
    Finding,
    HeldDocument,
    Promise,
    Record,
    evaluate_checklist,
    promises_in,
)
from validators.consistency import CaseFacts, check_case
from validators.eligibility import check_eligibility
from validators.identity import passport_key, same_name, same_organization
from validators.policy import ApplicationType, OfficePolicy
from validators.priority import priority_for, time_limit
from validators.working_days import WorkCalendar, add_working_days

ACTOR = "system:validation"
# Statuses validation may move a case between; later ones (in review, decided) keep theirs,
# though their checklist and flags are still brought up to date.
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.VALIDATING, CaseStatus.NEEDS_MATERIALS,
                 CaseStatus.READY_FOR_REVIEW)
PERMITS = (DocumentKind.RESIDENCE_PERMIT, DocumentKind.WORK_PERMIT)


@dataclass(frozen=True)
class ValidationContext:
    policy: OfficePolicy
    calendar: WorkCalendar
    today: dt.date
    blobs: BlobStore
    notices: NoticePolicy | None = None  # None: queue no e-mail
    requests_by_batch: bool = False  # an organisation's batch is answered in one letter


@dataclass(frozen=True)
class ValidationOutcome:
    reference: str
    status: CaseStatus
    missing: list[str]
    flags: list[str]
    alert_operators: bool = False  # it has just been given a priority the operators hear of


def validate_case(*, session: Session, case: Case, context: ValidationContext) -> ValidationOutcome:
    policy, today = context.policy, context.today
    keep_records(session=session, case=case, context=context)
    application = policy.application_type(case.application_type)
    form = case.form_fields or {}
    findings: list[Finding] = []
    entries: list[ChecklistEntry] = []
    alert = False
    if case.applicant is None or application is None:
        findings.append(_unidentified(case))
    else:
        _record_agent(case, form)
        required = list(application.required)
        if case.agent_name:
            required += policy.when_agent_applies
        records, name_findings = _records(session, case, today)
        entries, checklist_findings = evaluate_checklist(
            required, _held(case), _promises(case), records, policy, today,
            in_person=application.in_person)
        findings += name_findings
        findings += checklist_findings
        findings += _unkept_promises(entries, today)
        findings += _unread_expiries(case)
        findings += _unread_list_rows(case)
        arrived = _originals_arrived(session, case, application.in_person)
        findings += _originals_awaited(application.in_person, arrived)
        findings += check_case(_facts(case, required), policy)
        findings += _agent_findings(case, application, policy)
        findings += check_eligibility(form, application)
        priority, priority_findings = priority_for(
            form.get("urgency"), {d.kind for d in case.documents}, policy,
            recognised=case.urgency_recognised_by is not None)
        findings += priority_findings
        alert = priority.alert_operators and case.priority != priority.label
        case.priority, case.priority_rank = priority.label, priority.rank
        case.reviewer_group, case.four_eyes = application.reviewer_group, application.four_eyes
        _save_checklist(session, case, entries)
        for item in case.checklist:
            item.arrived = (item.material in arrived
                            if item.material in application.in_person else None)
    _save_flags(session, case, findings)
    missing = [e.material.value for e in entries if e.state is ChecklistState.MISSING]
    if case.status in OPEN_STATUSES:
        _advance(session, case, missing, complete=bool(entries) and not missing, context=context)
    elif case.status is CaseStatus.IN_REVIEW and case.completed_on is not None:
        set_deadline(case, context)  # a priority granted while in review counts as well
    record_event(session=session, case=case, actor=ACTOR, action="validated",
                 detail={"missing": missing, "flags": sorted({f.code for f in findings})})
    return ValidationOutcome(case.reference, case.status, missing,
                             sorted({f.code for f in findings}), alert_operators=alert)


def keep_records(*, session: Session, case: Case, context: ValidationContext) -> list[RecordOnFile]:
    """Keep on file what later cases may look up: the applicant's passport (with a verified
    MRZ), photo and permits, and every person an employer's or school's list letter names."""
    kept = []
    valid_days = context.policy.on_file.valid_days
    for document in case.documents:
        days = valid_days.get(document.kind)
        if days is None:
            continue
        until = context.today + dt.timedelta(days=days)
        fields = document.fields or {}
        if fields.get("people"):
            kept += keep_people_on_file(session=session, document=document, context=context,
                                        source_case_id=case.id)
            continue
        if case.applicant is None:
            continue
        expires = None  # only ever a date read from the document
        if document.kind is DocumentKind.PASSPORT:
            mrz = _mrz_fields(fields)
            if not mrz.get("expiry_date"):
                continue  # only a passport whose MRZ was verified is worth keeping
            expires = dt.date.fromisoformat(mrz["expiry_date"])
            until = min(until, expires)
        if document.kind in PERMITS and fields.get("valid_until"):
            expires = until = dt.date.fromisoformat(fields["valid_until"])
        kept.append(keep_on_file(
            session=session, kind=document.kind, document_id=document.id,
            passport_key=passport_key(case.applicant.passport_number), valid_until=until,
            person_name=f"{case.applicant.surname} {case.applicant.given_names}".strip(),
            organization=fields.get("organization"), source_case_id=case.id,
            expires_on=expires))
    return kept


def keep_people_on_file(
    *, session: Session, document: Document, context: ValidationContext,
    source_case_id: int | None = None,
) -> list[RecordOnFile]:
    """Every person a list letter names, kept on file under its organisation."""
    days = context.policy.on_file.valid_days.get(document.kind)
    fields = document.fields or {}
    if days is None or fields.get("states_employed") is False:
        return []  # a list of people it says are not its employees stands in for no one
    until = context.today + dt.timedelta(days=days)
    return [keep_on_file(
        session=session, kind=document.kind, document_id=document.id,
        passport_key=passport_key(person["passport_number"]), valid_until=until,
        person_name=person.get("name"),
        organization=fields.get("organization") or fields.get("school"),
        source_case_id=source_case_id)
        for person in fields.get("people") or [] if person.get("passport_number")]


def cases_covered_by(*, session: Session, documents: list[Document]) -> list[Case]:
    """Open cases whose applicant a list among ``documents`` names (by passport number,
    forgiving the usual confusions): a list arriving after the form must reach them at once."""
    keys = {passport_key(person["passport_number"])
            for document in documents if document.kind in LIST_KINDS
            for person in (document.fields or {}).get("people") or []
            if person.get("passport_number")}
    if not keys:
        return []
    open_cases = session.scalars(select(Case).join(Case.applicant)
                                 .where(Case.status.in_(OPEN_STATUSES)).order_by(Case.id))
    # where a scanned form misread the number, the case's own passport names it: only cases
    # holding a passport of a listed number are looked at closer (one query, not one per case)
    passports = session.execute(select(Document.case_id, Document.fields).join(Document.case)
                                .where(Document.kind == DocumentKind.PASSPORT,
                                       Case.status.in_(OPEN_STATUSES)))
    listed_passport = {case_id for case_id, fields in passports
                       if passport_key(_mrz_fields(fields).get("document_number") or "") in keys}
    return [case for case in open_cases if case.applicant and (
        passport_key(case.applicant.passport_number) in keys
        or (case.id in listed_passport and passport_key(_verified_passport_number(case) or "") in keys))]


def _unidentified(case: Case) -> Finding:
    if case.applicant is None:
        return Finding("no_application_form",
                       "No application form identifies the applicant: a clerk must attach the "
                       "form or the case to an applicant.")
    return Finding("unknown_application_type",
                   f"The form's application type {case.application_type!r} is not one the "
                   "office handles: correct it on the case.")


def _record_agent(case: Case, form: dict[str, Any]) -> None:
    letter = next((d.fields or {} for d in case.documents
                   if d.kind is DocumentKind.AUTHORIZATION_LETTER), {})
    case.agent_name = form.get("agent_name") or letter.get("agent_name") or case.agent_name
    case.agent_relation = (form.get("agent_relation") or letter.get("agent_relation")
                           or case.agent_relation)


def _agent_findings(case: Case, application: ApplicationType,
                    policy: OfficePolicy) -> list[Finding]:
    assert case.applicant is not None and case.application_type is not None
    return check_agent(
        application_type=case.application_type, application=application,
        agent_name=case.agent_name, agent_relation=case.agent_relation,
        applicant_name=f"{case.applicant.surname} {case.applicant.given_names}".strip(),
        applicant_passport=_verified_passport_number(case) or case.applicant.passport_number,
        authorizations=[d.fields or {} for d in case.documents
                        if d.kind is DocumentKind.AUTHORIZATION_LETTER],
        policy=policy)


def _held(case: Case) -> list[HeldDocument]:
    held = []
    for document in case.documents:
        if document.kind is DocumentKind.PASSPORT and _is_other_persons_passport(case, document):
            continue
        if (document.fields or {}).get("states_employed") is False:
            continue  # a list of people it says are not its employees proves no employment
        held.append(HeldDocument(document.id, document.kind))
    return held


def _is_other_persons_passport(case: Case, document: Document) -> bool:
    mrz = _mrz_fields(document.fields)
    number = mrz.get("document_number")
    return bool(number and case.applicant
                and passport_key(number) != passport_key(case.applicant.passport_number))


def _promises(case: Case) -> list[Promise]:
    promises = []
    for document in case.documents:
        if document.kind is DocumentKind.PERSONAL_STATEMENT:
            received = document.created_at.date() if document.created_at else dt.date.today()
            promises += promises_in(document.fields or {}, document.id, received)
    return promises


def _records(session: Session, case: Case, today: dt.date) -> tuple[list[Record], list[Finding]]:
    """Valid records of the applicant's passport that name the applicant. The number is the one
    this case's own passport MRZ verified, else the form's; either way the record's name must be
    the applicant's too (the form's, or the verified MRZ's where a scanned form's name was
    misread), so a typed-in number alone never borrows another person's records. A record that
    gives the number under another name does not count, and the reviewer is told."""
    assert case.applicant is not None
    number = _verified_passport_number(case) or case.applicant.passport_number
    found = records_for(session=session, passport_key=passport_key(number), valid_on=today,
                        exclude_case_id=case.id)
    name = f"{case.applicant.surname} {case.applicant.given_names}".strip()
    names = [name, *_verified_passport_name(case)]
    records, findings = [], []
    for record in found:
        source = f" from {record.source_case.reference}" if record.source_case else ""
        who = f" ({record.organization})" if record.organization else ""
        if not any(same_name(record.person_name, known) for known in names):
            what = (f"{record.organization}'s list" if record.organization
                    else f"The {material_name(record.kind.value)[1]} on file{source}")
            findings.append(Finding(
                "listed_name_differs",
                f"{what} gives this passport number under the name {record.person_name or '?'}, "
                f"not {name}: it does not count for this case."))
            continue
        findings += _other_organisation(session, record, case)
        records.append(Record(record.id, record.kind, record.valid_until,
                              f"{material_name(record.kind.value)[1]}{who} on file{source}, "
                              f"valid until {record.valid_until.isoformat()}"))
    return records, findings


def _other_organisation(session: Session, record: RecordOnFile, case: Case) -> list[Finding]:
    """A list from another organisation than the form's employer or school counts, flagged."""
    employer = (case.form_fields or {}).get("employer_or_school")
    if record.kind not in LIST_KINDS or not (employer and record.organization):
        return []
    document = session.get(Document, record.document_id)
    fields = (document.fields if document else None) or {}
    names = [record.organization, *(fields.get("organization_aliases") or []),
             *(fields.get("school_aliases") or [])]
    if any(same_organization(name, employer) for name in names):
        return []
    return [Finding("list_from_other_organization",
                    f"{record.organization}'s list names the applicant, but the form gives the "
                    f"employer or school as {employer}: it counts, but check which is right.")]


def _verified_passport_number(case: Case) -> str | None:
    mrz = _verified_mrz(case)
    return str(mrz["document_number"]) if mrz else None


def _verified_passport_name(case: Case) -> list[str]:
    mrz = _verified_mrz(case)
    return [_mrz_name(mrz)] if mrz and _mrz_name(mrz) else []


def _mrz_name(mrz: dict[str, Any]) -> str:
    return f"{mrz.get('surname') or ''} {mrz.get('given_names') or ''}".strip()


def _mrz_fields(fields: dict[str, Any] | None) -> dict[str, Any]:
    """A passport document's verified MRZ fields, empty where none was verified."""
    return ((fields or {}).get("mrz") or {}).get("fields") or {}


def _verified_mrz(case: Case) -> dict[str, Any] | None:
    """The fields of the applicant's own passport MRZ (stored only where two readers vouched for
    it): one whose number or name is the form's, so that where a scanned form misread one of
    them the other still says whose it is, and another person's passport filed here (flagged)
    never stands for the applicant."""
    if case.applicant is None:
        return None
    form_name = f"{case.applicant.surname} {case.applicant.given_names}"
    for document in case.documents:
        if document.kind is DocumentKind.PASSPORT:
            mrz = _mrz_fields(document.fields)
            if mrz.get("document_number") and (
                    passport_key(str(mrz["document_number"])) == passport_key(case.applicant.passport_number)
                    or same_name(_mrz_name(mrz), form_name)):
                return mrz
    return None


def _originals_arrived(session: Session, case: Case,
                       in_person: tuple[DocumentKind, ...]) -> set[DocumentKind]:
    """Which originals are here: the passport when its custody says received, any of them when
    it came by post and was scanned at the office (a scan e-mailed in only shows it exists)."""
    received = session.scalar(select(exists().where(
        CustodyEvent.case_id == case.id, CustodyEvent.event == "received")))
    return {material for material in in_person
            if (material is DocumentKind.PASSPORT and received)
            or any(d.kind is material and d.submission.channel is Channel.SCAN
                   for d in case.documents)}


def _originals_awaited(in_person: tuple[DocumentKind, ...],
                       arrived: set[DocumentKind]) -> list[Finding]:
    return [Finding("original_not_arrived",
                    f"The {material_name(m.value)[1]} itself must be here (what is granted is "
                    "affixed into it), and it has not arrived: a scan shows it exists. Record "
                    "its arrival (custody: received) when the parcel comes.")
            for m in in_person if m not in arrived]


def _unread_expiries(case: Case) -> list[Finding]:
    """A permit kept on file whose expiry could not be read: a clerk enters it; until then no
    reminder is sent (none could say a true date)."""
    return [Finding("permit_expiry_unread",
                    f"The {material_name(d.kind.value)[1]} (document {d.id}) is kept on file but "
                    "its expiry date could not be read: enter it, or no expiry reminder can be "
                    "sent.")
            for d in case.documents if d.kind in PERMITS and not (d.fields or {}).get("valid_until")]


def _unread_list_rows(case: Case) -> list[Finding]:
    """A list in this case with rows that could not be read: a clerk enters them (the people
    they name are not yet on file), never silently dropped."""
    return [Finding("list_rows_unread",
                    f"{len(rows)} row(s) of the list (document {d.id}) could not be read: enter "
                    "them, or the people they name are not on file.")
            for d in case.documents if d.kind in LIST_KINDS
            for rows in [(d.fields or {}).get("unread_rows") or []] if rows]


def _unkept_promises(entries: list[ChecklistEntry], today: dt.date) -> list[Finding]:
    return [Finding("promise_unkept",
                    f"The personal statement promised the {material_name(e.material.value)[1]} "
                    f"by {e.promise.promised_by.isoformat()}; it has not arrived.")
            for e in entries
            if e.state is ChecklistState.WAIVED and e.promise and e.promise.promised_by < today]


def _facts(case: Case, required: list[DocumentKind]) -> CaseFacts:
    passports = [d for d in case.documents if d.kind is DocumentKind.PASSPORT]
    mrz = next(((d.fields or {})["mrz"]["fields"] for d in passports
                if (d.fields or {}).get("mrz")), None)
    unverified = next(((d.fields or {})["mrz_unverified"] for d in passports
                       if (d.fields or {}).get("mrz_unverified")), None)
    permit = next((d.fields or {} for d in case.documents
                   if d.kind in PERMITS and (d.fields or {}).get("valid_until")), {})
    return CaseFacts(
        form=case.form_fields or {}, mrz=mrz, passport_provided=bool(passports),
        mrz_doubts=list((unverified or {}).get("reasons") or []),
        photo_provided=_holds(case, DocumentKind.PHOTO),
        photo_required=DocumentKind.PHOTO in required,
        supporting_document=_holds(case, DocumentKind.SUPPORTING_DOCUMENT),
        visa_expiry=dt.date.fromisoformat(permit["valid_until"]) if permit else None,
        received_on=case.created_at.date() if case.created_at else None,
    )


def _holds(case: Case, kind: DocumentKind) -> bool:
    return any(d.kind is kind for d in case.documents)


def _save_checklist(session: Session, case: Case, entries: list[ChecklistEntry]) -> None:
    existing = {item.material: item for item in case.checklist}
    wanted = {entry.material for entry in entries}
    for material, item in existing.items():
        if material not in wanted:
            session.delete(item)
            case.checklist.remove(item)
    waivers = {waiver.material: waiver for waiver in case.waivers}
    for entry in entries:
        item = existing.get(entry.material)
        if item is None:
            item = ChecklistItem(case_id=case.id, material=entry.material, state=entry.state)
            session.add(item)
            case.checklist.append(item)
        item.state, item.document_id = entry.state, entry.document_id
        item.record_id, item.on_file_note = entry.record_id, entry.note
        waiver = waivers.get(entry.material)
        if entry.promise is not None:
            if waiver is None:
                waiver = Waiver(case_id=case.id, material=entry.material,
                                statement_document_id=entry.promise.statement_document_id,
                                promised_by=entry.promise.promised_by)
                session.add(waiver)
                case.waivers.append(waiver)
            waiver.statement_document_id = entry.promise.statement_document_id
            waiver.promised_by = entry.promise.promised_by
        elif waiver is not None and entry.state is ChecklistState.PROVIDED \
                and waiver.fulfilled_at is None:
            waiver.fulfilled_at = utcnow()  # the promise is kept


def _save_flags(session: Session, case: Case, findings: list[Finding]) -> None:
    """Machine flags follow the findings: new ones are raised, gone ones resolved; a
    reviewer's own flags are left alone."""
    current = {(f.code, f.message) for f in findings}
    open_flags = {(f.code, f.message): f for f in case.flags
                  if f.source == "validation" and f.resolved_at is None}
    for key, flag in open_flags.items():
        if key not in current:
            flag.resolved_at = utcnow()
    for code, message in sorted(current - set(open_flags)):
        flag = Flag(case_id=case.id, code=code, message=message, source="validation")
        session.add(flag)
        case.flags.append(flag)


def _advance(
    session: Session, case: Case, missing: list[str], *, complete: bool,
    context: ValidationContext,
) -> None:
    if case.applicant is None or context.policy.application_type(case.application_type) is None:
        return  # stays received, flagged, for a clerk
    if case.status is CaseStatus.RECEIVED:
        change_status(session=session, case=case, to=CaseStatus.VALIDATING, actor=ACTOR)
    if complete:
        if case.status is not CaseStatus.READY_FOR_REVIEW:
            change_status(session=session, case=case, to=CaseStatus.READY_FOR_REVIEW, actor=ACTOR)
        newly_complete = case.completed_on is None
        case.completed_on = case.completed_on or context.today
        set_deadline(case, context)
        if newly_complete:
            _queue_receipt(session, case, context)
        return
    if case.status is not CaseStatus.NEEDS_MATERIALS:
        change_status(session=session, case=case, to=CaseStatus.NEEDS_MATERIALS, actor=ACTOR,
                      detail={"missing": missing})
    _queue_request(session, case, missing, context)


def set_deadline(case: Case, context: ValidationContext) -> None:
    """The due date, counted from the day the case became complete."""
    application = context.policy.application_type(case.application_type)
    if application is None or case.completed_on is None:
        return
    priority = context.policy.priority((case.form_fields or {}).get("urgency"))
    if priority.label != case.priority:  # an emergency not granted counts as normal
        priority = context.policy.priority("none")
    if priority.within_hours:  # calendar hours from receipt, weekends and holidays included
        received = as_utc(case.created_at)
        case.due_at = received + dt.timedelta(hours=priority.within_hours)
        case.due_date = case.due_at.astimezone(OFFICE_TIME_ZONE).date()
        case.due_date_provisional = False
        return
    case.due_at = None
    out_of_province = (case.form_fields or {}).get("household_registration") == "out_of_province"
    deadline = add_working_days(
        case.completed_on, time_limit(application, priority, out_of_province=out_of_province),
        context.calendar)
    case.due_date, case.due_date_provisional = deadline.due, deadline.provisional
    case.calendar_version = deadline.calendar_version
    provisional = {f.code for f in case.flags if f.resolved_at is None} & {"deadline_provisional"}
    if deadline.provisional and not provisional:
        case.flags.append(Flag(case_id=case.id, code="deadline_provisional", source="calendar",
                               message=f"The due date {deadline.due.isoformat()} reaches into a "
                               "year whose official holiday schedule is not published yet: "
                               "counted on weekdays only, recomputed when it is added."))
    for flag in case.flags:
        if flag.code == "deadline_provisional" and not deadline.provisional and not flag.resolved_at:
            flag.resolved_at = utcnow()


def _queue_request(session: Session, case: Case, missing: list[str],
                   context: ValidationContext) -> None:
    """The one-time notice: every missing material in one letter. A later letter is sent only
    when something is missing that no earlier letter asked for (never one item at a time). By
    e-mail, or by post for an applicant who gave no e-mail address."""
    to = recipient_of(case)
    if context.notices is None or to is None or context.requests_by_batch:
        return
    asked = requested_materials(session=session, case=case)
    if set(missing) <= asked:
        return
    reply = add_working_days(context.today, context.policy.requests.reply_within_working_days,
                             context.calendar)
    reply_by = reply.due
    subject, body = request_for_materials(case.reference, case.application_type, missing,
                                          reply_by, provisional=reply.provisional)
    message = add_to_outbox(session=session, case=case, kind="request_for_materials",
                            to_address=to.address, subject=subject, body=body,
                            domain=context.notices.domain, channel=to.channel)
    case.messages_sent.append(message)
    record_event(session=session, case=case, actor=ACTOR, action="materials_requested",
                 detail={"missing": missing, "reply_by": reply_by.isoformat(),
                         "provisional": reply.provisional})


def _queue_receipt(session: Session, case: Case, context: ValidationContext) -> None:
    to = recipient_of(case)
    if context.notices is None or to is None or case.due_date is None:
        return
    assert case.applicant is not None and case.completed_on is not None
    held = []
    for item in case.checklist:
        if item.state is ChecklistState.PROVIDED and item.material is DocumentKind.PASSPORT:
            document = session.get(Document, item.document_id)
            posted = document is not None and document.submission.channel is Channel.SCAN
            held.append("护照原件 Passport (original)" if posted else "护照复印件 Passport (copy)")
    receipt = render_receipt(Receipt(
        reference=case.reference, application_type=case.application_type,
        applicant_name=f"{case.applicant.surname} {case.applicant.given_names}".strip(),
        accepted_on=case.completed_on, due=case.due_date, due_provisional=case.due_date_provisional,
        documents_held=held or ["材料复印件 Copies of the materials"]))
    subject, body = acceptance_notice(case.reference, case.due_date, case.due_date_provisional)
    message = add_to_outbox(session=session, case=case, kind="acceptance_receipt",
                            to_address=to.address, subject=subject, body=body,
                            domain=context.notices.domain, channel=to.channel)
    message.attachment_sha256 = context.blobs.put_bytes(receipt)
    message.attachment_filename = f"receipt-{case.reference}.pdf"
    case.messages_sent.append(message)
    record_event(session=session, case=case, actor=ACTOR, action="accepted",
                 detail={"due_date": case.due_date.isoformat(),
                         "provisional": case.due_date_provisional})

