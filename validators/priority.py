"""Priority and time limit of a case, from its urgency category and the office policy.

Contract: ``priority_for(urgency, held_kinds, policy)`` returns the ``Priority`` that applies
and findings; a category whose evidence (policy data) is not among the documents held is not
granted (texts 002 and 003) and says so. ``time_limit(application_type, priority, out_of_province=)`` is in
working days (0: the same day).
"""

from __future__ import annotations

from storage.enums import DocumentKind
from validators.checklist import Finding
from validators.policy import ApplicationType, OfficePolicy, Priority

UNPROVEN = {  # what a reviewer reads when a category's evidence is not on the case
    "emergency": ("emergency_without_support", "an emergency",
                  "a supporting document (hospital notice, invitation, admission letter)"),
    "green_channel": ("green_channel_without_support", "the green channel for resuming work",
                      "the employer's letter saying the applicant resumes work, or other proof"),
}


def priority_for(
    urgency: str | None, held: set[DocumentKind], policy: OfficePolicy, *,
    recognised: bool = False,
) -> tuple[Priority, list[Finding]]:
    """The priority the form's urgency earns with the documents ``held`` on the case and, for a
    matter only the office can recognise, whether a senior reviewer has ``recognised`` it."""
    priority = policy.priority(urgency)
    if priority.office_recognises and not recognised:
        return policy.priority("none"), [Finding(
            "urgency_awaits_recognition",
            f"The form claims an urgent matter the office must recognise ({urgency}): a senior "
            "reviewer decides whether it counts as an emergency; until then it is normal.")]
    if priority.evidence and not held & set(priority.evidence):
        code, claim, proof = UNPROVEN.get(priority.label, (
            f"{priority.label}_without_support", priority.label, "its supporting document"))
        return policy.priority("none"), [Finding(
            code, f"The form claims {claim} ({urgency}) but {proof} was not found: treated as "
            "normal until it arrives.")]
    return priority, []


def time_limit(application_type: ApplicationType, priority: Priority,
               *, out_of_province: bool = False) -> int:
    """Working days: the same day for the urgent; expedited when granted (text 002: 5 working
    days, whatever the province); else 20 for applicants registered in another province where
    the type says so, and the type's own limit."""
    if priority.same_day or priority.within_hours:
        return 0  # sooner than any count of working days (hours: see ``due_within_hours``)
    if priority.expedited and application_type.expedited_working_days:
        return application_type.expedited_working_days
    if out_of_province and application_type.out_of_province_working_days:
        return application_type.out_of_province_working_days
    return application_type.working_days
