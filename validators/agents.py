"""An agent applying on the applicant's behalf: allowed by the policy, and authorised in writing.

Contract: ``check_agent(...)`` is pure and returns the findings a reviewer must see: an agent
whose relation the office's policy does not allow for the application type (text 000 item 6),
and an authorization letter that does not name the applicant (name and passport number) and the
agent, or does not let the agent do what the application needs. No letter yet is the
checklist's business (it is a required material when an agent applies), not a finding here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from notices.acknowledgement import TYPE_NAMES
from validators.checklist import Finding
from validators.identity import same_name, same_organization, same_passport_number
from validators.policy import ApplicationType, OfficePolicy

RELATION_NAMES = {"employer": "employer", "school": "school", "relative": "relative",
                  "travel_agency": "travel agency"}


def check_agent(
    *, application_type: str, application: ApplicationType, agent_name: str | None,
    agent_relation: str | None, applicant_name: str, applicant_passport: str,
    authorizations: Sequence[Mapping[str, Any]], policy: OfficePolicy,
) -> list[Finding]:
    if not agent_name:
        return []
    findings = _relation_allowed(application_type, application, agent_relation)
    # one letter that names both and covers the application is enough; else say what each lacks
    problems = [_letter_names(letter, agent_name, applicant_name, applicant_passport)
                + _letter_covers(letter, policy) for letter in authorizations]
    if all(problems):
        findings += [finding for found in problems for finding in found]
    return findings


def _relation_allowed(application_type: str, application: ApplicationType,
                      relation: str | None) -> list[Finding]:
    what = TYPE_NAMES.get(application_type, ("", application_type.replace("_", " ")))[1]
    allowed = " or ".join(RELATION_NAMES.get(r, r) for r in application.agents) or "no agent"
    if not relation:
        return [Finding("agent_relation_unknown",
                        f"An agent applies but the form does not say who they are to the "
                        f"applicant; for a {what} the office accepts: {allowed}.")]
    if relation not in application.agents:
        return [Finding("agent_not_allowed",
                        f"The applicant's {RELATION_NAMES.get(relation, relation)} may not apply "
                        f"on their behalf for a {what}; the office's policy accepts: {allowed}.")]
    return []


def _letter_names(letter: Mapping[str, Any], agent_name: str, applicant_name: str,
                  applicant_passport: str) -> list[Finding]:
    findings = []
    principal, number = letter.get("principal_name"), letter.get("principal_passport_number")
    if not (same_name(principal, applicant_name) and same_passport_number(number,
                                                                           applicant_passport)):
        findings.append(Finding(
            "authorization_not_applicants",
            "The authorization letter must name the applicant by name and passport number; it "
            f"gives {principal or 'no name'} and {number or 'no passport number'}."))
    agents = [letter.get("agent_name"), *(letter.get("agent_name_aliases") or [])]
    if not any(same_name(a, agent_name) or same_organization(a, agent_name) for a in agents):
        findings.append(Finding(
            "authorization_other_agent",
            f"The authorization letter authorises {letter.get('agent_name') or 'no one it names'}"
            f", not the form's agent {agent_name}."))
    return findings


def _letter_covers(letter: Mapping[str, Any], policy: OfficePolicy) -> list[Finding]:
    matters = set(letter.get("matters") or [])
    lacking = [m for m in policy.authorization_covers if m not in matters]
    if not lacking:
        return []
    return [Finding("authorization_does_not_cover",
                    "The authorization letter does not let the agent "
                    + ", ".join(m.replace("_", " ") for m in lacking)
                    + ": it does not cover this application.")]
