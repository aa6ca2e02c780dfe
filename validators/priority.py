"""Priority and time limit of a case, from its urgency category and the office policy.

Contract: ``priority_for(urgency, has_supporting_document, policy)`` returns the ``Priority``
that applies and findings; an emergency category without written supporting material is not
granted (text 002) and says so. ``time_limit(application_type, priority, out_of_province=)`` is in
working days (0: the same day).
"""

from __future__ import annotations

from validators.checklist import Finding
from validators.policy import ApplicationType, OfficePolicy, Priority


def priority_for(
    urgency: str | None, has_supporting_document: bool, policy: OfficePolicy
) -> tuple[Priority, list[Finding]]:
    priority = policy.priority(urgency)
    if priority.needs_supporting_document and not has_supporting_document:
        return policy.priority("none"), [Finding(
            "emergency_without_support",
            f"The form claims an emergency ({urgency}) but no supporting document (hospital "
            "notice, invitation, admission letter) was found: treated as normal until one arrives.")]
    return priority, []


def time_limit(application_type: ApplicationType, priority: Priority,
               *, out_of_province: bool = False) -> int:
    """Working days: the same day for the urgent; expedited when granted (text 002: 5 working
    days, whatever the province); else 20 for applicants registered in another province where
    the type says so, and the type's own limit."""
    if priority.same_day:
        return 0
    if priority.expedited and application_type.expedited_working_days:
        return application_type.expedited_working_days
    if out_of_province and application_type.out_of_province_working_days:
        return application_type.out_of_province_working_days
    return application_type.working_days
