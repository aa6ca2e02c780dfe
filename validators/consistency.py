"""Consistency checks between what the applicant wrote and what the documents say.

Contract: ``check_case(facts, policy)`` is pure and returns ``Finding``s (code + a message a
reviewer understands). It never decides: a finding is a flag for the reviewer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from validators.checklist import Finding
from validators.dates import iso_date
from validators.identity import same_name, same_passport_number
from validators.policy import OfficePolicy, VisaExtensionRule


@dataclass(frozen=True)
class CaseFacts:
    form: dict[str, str] = field(default_factory=dict)
    mrz: dict[str, Any] | None = None  # the passport's verified MRZ fields
    passport_provided: bool = False  # a passport document is among the case's documents
    mrz_doubts: list[str] = field(default_factory=list)  # why an MRZ found was not vouched for
    photo_provided: bool = False
    photo_required: bool = False
    supporting_document: bool = False
    visa_expiry: dt.date | None = None  # of the visa or permit the applicant holds, if known
    received_on: dt.date | None = None


def check_case(facts: CaseFacts, policy: OfficePolicy) -> list[Finding]:
    findings: list[Finding] = []
    if facts.passport_provided and facts.mrz is None:
        why = f" ({'; '.join(facts.mrz_doubts)})" if facts.mrz_doubts else ""
        findings.append(Finding(
            "mrz_unverified",
            "The passport's machine-readable zone could not be read with every check digit "
            f"passing and two readers agreeing{why}: compare the passport page with the form "
            "by eye."))
    if facts.mrz is not None:
        findings += _form_against_mrz(facts.form, facts.mrz)
        findings += _passport_outlives_stay(facts.form, facts.mrz, policy)
    if facts.photo_required and not facts.photo_provided:
        findings.append(Finding("photo_missing", "No passport photo was found among the documents."))
    if facts.form and not facts.form.get("signature"):
        findings.append(Finding("form_unsigned", "The application form is not signed."))
    if facts.visa_expiry is not None:
        findings += _visa_extension(facts.visa_expiry, facts.received_on, policy.visa_extension_rule)
    return findings


def _form_against_mrz(form: dict[str, str], mrz: dict[str, Any]) -> list[Finding]:
    findings = []
    if form.get("passport_number") and not same_passport_number(
            form["passport_number"], mrz.get("document_number")):
        findings.append(Finding(
            "passport_number_differs",
            f"The form gives passport number {form['passport_number']}, the passport's MRZ "
            f"{mrz.get('document_number')}."))
    if form.get("date_of_birth") and mrz.get("date_of_birth") \
            and form["date_of_birth"] != mrz["date_of_birth"]:
        findings.append(Finding(
            "date_of_birth_differs",
            f"The form gives date of birth {form['date_of_birth']}, the passport's MRZ "
            f"{mrz['date_of_birth']}."))
    written = f"{form.get('surname', '')} {form.get('given_names', '')}".strip()
    read = f"{mrz.get('surname') or ''} {mrz.get('given_names') or ''}".strip()
    if written and read and not same_name(written, read):
        findings.append(Finding(
            "name_differs", f"The form gives the name {written}, the passport's MRZ {read}."))
    return findings


def _passport_outlives_stay(
    form: dict[str, str], mrz: dict[str, Any], policy: OfficePolicy
) -> list[Finding]:
    expiry, until = iso_date(mrz.get("expiry_date")), iso_date(form.get("requested_until"))
    if expiry is None or until is None:
        return []
    margin = dt.timedelta(days=policy.checks.passport_valid_beyond_stay_days)
    if expiry >= until + margin:
        return []
    return [Finding(
        "passport_expires_early",
        f"The passport expires on {expiry.isoformat()}, before the requested stay "
        f"(until {until.isoformat()}) plus {margin.days} days.")]


def effective_visa_expiry(expiry: dt.date, rule: VisaExtensionRule) -> dt.date:
    """Text 000 item 9: a visa expiring during the epidemic period is extended 60 days — from
    the reference date when it expired before it, else from the day after it expired."""
    period = rule.epidemic_period
    if not period.start <= expiry <= period.end:
        return expiry
    extension = dt.timedelta(days=rule.extension_days)
    if expiry < rule.reference_date:
        return rule.reference_date + extension
    return expiry + dt.timedelta(days=1) + extension


def _visa_extension(
    expiry: dt.date, received_on: dt.date | None, rule: VisaExtensionRule
) -> list[Finding]:
    effective = effective_visa_expiry(expiry, rule)
    findings = []
    if effective != expiry:
        findings.append(Finding(
            "visa_extended_by_rule",
            f"The visa expired on {expiry.isoformat()} during the epidemic period; under the "
            f"{rule.extension_days}-day rule it is valid until {effective.isoformat()}."))
    if received_on is not None and effective < received_on:
        findings.append(Finding(
            "visa_expired",
            f"The visa was valid until {effective.isoformat()}, before the application arrived "
            f"({received_on.isoformat()})."))
    return findings

