"""An organisation's batch: one submission that applies for several people at once.

Contract: ``batch_matches(planned, matches, sender=)`` is pure: for a submission whose forms name
two or more applicants — or that holds only an organisation's lists — it returns, per document,
the ``Match`` that files it (one new case per applicant, shared by every document naming them;
a cover sheet's case as before; ``BATCH`` for what the batch holds), else ``None`` (not a
batch: the ordinary rules apply); ``reply_matches(planned, batch, sender=)`` does the same for
a reply to a batch's letter, against the batch's cases. ``add_batch(...)`` and
``queue_batch_letter(...)`` persist in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from extractors.mime import ParsedMessage
from notices.batch import batch_letter
from notices.policy import NoticePolicy, may_answer
from processing.planning import PlannedDocument
from storage.cases import record_event
from storage.enums import LIST_KINDS, CaseStatus, ChecklistState
from storage.models import Batch, Case, Submission
from storage.outbox import BATCH_LETTER, add_to_outbox, sent_recently
from validators.batch_assignment import Member, Piece, assign, members_of
from validators.case_matching import Match, MatchKind, match_group
from validators.identity import passport_key


def batch_matches(
    planned: Sequence[PlannedDocument], matches: Sequence[Match], *, sender: str | None
) -> list[Match] | None:
    if names_a_case(planned, matches):
        return None  # the message names a case: everything in it is that case's
    loose = [p for p in planned if p.reference is None]
    members = members_of([p.form for p in loose if p.form])
    holds_lists = any(p.kind in LIST_KINDS and len((p.fields or {}).get("people") or []) > 1
                      for p in loose)
    if len(members) < 2 and not (not members and holds_lists):
        return None
    return _assigned(planned, matches, members,
                     [_new_case(_form_of(loose, member), sender) for member in members])


def names_a_case(planned: Sequence[PlannedDocument], matches: Sequence[Match]) -> bool:
    """Whether the message itself (not a cover sheet in it) names an existing case."""
    return any(m.kind is MatchKind.EXISTING_CASE and p.reference is None
               for p, m in zip(planned, matches, strict=True))


def reply_matches(
    planned: Sequence[PlannedDocument], batch: Batch, *, sender: str | None
) -> list[Match]:
    """A reply to a batch's letter: each document to the batch's case of the applicant it
    names (a new applicant's form opens a case of the batch), the rest held by the batch."""
    cases = [c for c in batch.cases if c.applicant is not None]
    existing = [Member(c.applicant.surname, c.applicant.given_names,
                       c.applicant.passport_number) for c in cases if c.applicant]
    known = {passport_key(m.passport_number) for m in existing}
    newcomers = [m for m in members_of([p.form for p in planned if p.form and p.reference is None])
                 if passport_key(m.passport_number) not in known]
    members = existing + newcomers
    targets: list[Match] = [Match(MatchKind.EXISTING_CASE, reference=c.reference) for c in cases]
    targets += [_new_case(_form_of(planned, member), sender) for member in newcomers]
    return _assigned(planned, [], members, targets)


def _form_of(planned: Sequence[PlannedDocument], member: Member) -> dict[str, str]:
    """The (first) application form that made ``member`` one of the batch's applicants."""
    return next(p.form for p in planned if p.form
                and (p.form.get("passport_number") or "").strip() == member.passport_number)


def _assigned(planned: Sequence[PlannedDocument], matches: Sequence[Match],
              members: Sequence[Member], targets: Sequence[Match]) -> list[Match]:
    """Each document's match: a cover sheet's own (from ``matches``), the archive held, else
    the target of the member it names, or held by the batch with the reason."""
    named = [p for p in planned if p.reference is None and not p.archive]
    assignments = iter(assign([Piece(p.kind, p.filename, p.fields or p.form or {}, _text(p))
                               for p in named], members))
    decided = []
    for index, plan in enumerate(planned):
        if plan.reference is not None:
            decided.append(matches[index] if matches else match_group(plan.reference, plan.form))
        elif plan.archive:  # the ZIP itself, kept whole: its members were filed one by one
            decided.append(Match(MatchKind.BATCH))
        else:
            assignment = next(assignments)
            decided.append(targets[assignment.member] if assignment.member is not None
                           else Match(MatchKind.BATCH,
                                      triage_reason=assignment.reason or _list_problem(plan)))
    return decided


def _new_case(form: dict[str, str], sender: str | None) -> Match:
    match = match_group(None, form)
    # by e-mail, the organisation that wrote in hears about every case it applied for
    return Match(MatchKind.NEW_CASE, applicant=match.applicant,
                 application_type=match.application_type, form=form,
                 contact_email=sender or match.contact_email)


def _list_problem(plan: PlannedDocument) -> str | None:
    """What a clerk must see about a list the batch holds: rows that could not be read (never
    dropped), or people it says are not the organisation's employees."""
    fields = plan.fields or {}
    rows = fields.get("unread_rows") or []
    if rows:
        return (f"{len(rows)} row(s) of this list could not be read; enter them for the people "
                "they name: " + " | ".join(str(row) for row in rows))
    if fields.get("states_employed") is False:
        return ("This list says the people it names are not the organisation's employees: it "
                "stands for no one's employment letter.")
    return None


def _text(plan: PlannedDocument) -> str:
    return "\n".join(page.text or "" for page in plan.pages)


def add_batch(
    *, session: Session, submission: Submission, planned: Sequence[PlannedDocument],
    sender: str | None,
) -> Batch:
    """The batch row, named after the organisation its lists or forms give."""
    names = [(p.fields or {}).get("organization") or (p.fields or {}).get("school")
             for p in planned if p.kind in LIST_KINDS]
    names += [(p.form or {}).get("employer_or_school") for p in planned if p.form]
    batch = Batch(submission_id=submission.id, organization=next((n for n in names if n), None),
                  contact_email=sender)
    session.add(batch)
    session.flush()
    return batch


def queue_batch_letter(
    *, session: Session, batch: Batch, message: ParsedMessage, policy: NoticePolicy,
) -> bool:
    """One letter to the organisation for the whole batch: every case it opened, and what each
    still lacks. Each case records what it asked for, so a later request names only what is
    new."""
    cases = [c for c in batch.cases if c.applicant is not None]
    if not cases or batch.contact_email is None:
        return False
    recent = sent_recently(session=session, to_address=batch.contact_email,
                           within=dt.timedelta(hours=1), kind=BATCH_LETTER)
    if not may_answer(message, recent, policy):
        return False
    lacking = {case.reference: _missing(case) for case in cases}
    subject, body = batch_letter(batch.organization, [(c.reference, _name(c), lacking[c.reference],
                                                       c.status is CaseStatus.READY_FOR_REVIEW)
                                                      for c in cases])
    add_to_outbox(session=session, case=cases[0], kind=BATCH_LETTER,
                  to_address=batch.contact_email, subject=subject, body=body,
                  domain=policy.domain, in_reply_to=message.message_id)
    for case in cases:
        if lacking[case.reference]:
            record_event(session=session, case=case, actor="system:process",
                         action="materials_requested",
                         detail={"missing": lacking[case.reference], "batch_id": batch.id})
    return True


def _missing(case: Case) -> list[str]:
    return [item.material.value for item in case.checklist
            if item.state is ChecklistState.MISSING]


def _name(case: Case) -> str:
    assert case.applicant is not None
    return f"{case.applicant.surname} {case.applicant.given_names}".strip()
