"""Who an application type is open to, and what it needs from the form (text 004).

Contract: ``check_eligibility(form, application)`` is pure and returns ``Finding``s for the
reviewer: the single window's talent categories and pilot zones, and a port visa's inviting
organisation and port of entry. The policy says who is eligible; the machine never refuses.
"""

from __future__ import annotations

from validators.checklist import Finding
from validators.policy import ApplicationType


def check_eligibility(form: dict[str, str], application: ApplicationType) -> list[Finding]:
    findings = []
    categories = application.eligible_talent_categories
    category = form.get("talent_category", "").strip().upper()
    if categories and category not in categories:
        findings.append(Finding(
            "single_window_ineligible",
            f"The form gives talent category {category or '(none)'}; this application is open to "
            f"categories {', '.join(categories)} only (text 004): check it, or the applicant "
            "applies for the work permit and the residence permit separately."))
    places = application.eligible_work_locations
    location = form.get("work_location", "").strip()
    if places and not any(place.lower() in location.lower() for place in places):
        findings.append(Finding(
            "single_window_ineligible",
            f"The work location {location or '(none)'} is in none of the pilot zones "
            f"({', '.join(places)}) where the single window is open (text 004)."))
    if application.port_visa_notification_days:
        if not form.get("employer_or_school", "").strip():
            findings.append(Finding(
                "inviting_organisation_missing",
                "A port visa is applied for by the inviting organisation (text 004): the form "
                "names none (Employer or school)."))
        if not form.get("port_of_entry", "").strip():
            findings.append(Finding(
                "port_of_entry_missing",
                "The form does not say at which port the invited person will arrive: the port "
                "visa notification needs it."))
    return findings
