"""The office's policy (``office_policy.yaml``), loaded and checked.

Contract: ``load_policy(path)`` returns an ``OfficePolicy`` or raises ``ConfigurationError``
naming the file, the line and what is wrong ("line 58: application_types.visa_extension.
working_days: Input should be greater than 0"). ``office_policy()`` is the office's file, read
once; ``MAILROOM_POLICY_FILE`` points at another.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, model_validator

from extractors.form_choices import CHOICES
from mailroom.errors import ConfigurationError
from storage.enums import DocumentKind

POLICY_FILE = Path(__file__).with_name("office_policy.yaml")
# the codes the form offers (extractors/form_choices.py): the policy must cover each of them
APPLICATION_TYPES = tuple(choice.code for choice in CHOICES["application_type"])
URGENCIES = tuple(choice.code for choice in CHOICES["urgency"])


# what an approved case grants (text 001's reminders cover each)
GrantKind = Literal["visa", "residence_permit", "work_permit", "permanent_residence_card",
                    "passport", "hk_macao_permit", "taiwan_permit"]
AgentRelation = Literal["employer", "school", "relative", "travel_agency"]
# what an authorization letter may let an agent do (extractors/letter_wording.yaml: matters)
AuthorizedMatter = Literal["submit_application", "collect_documents", "pay_fees",
                           "supplement_materials", "receive_notices", "sign_forms"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Waivers(_Strict):
    waivable: frozenset[DocumentKind]
    promise_within_days: PositiveInt
    remind_days_before: PositiveInt


class OnFile(_Strict):
    valid_days: dict[DocumentKind, PositiveInt]


class Requests(_Strict):
    reply_within_working_days: PositiveInt


class Checks(_Strict):
    passport_valid_beyond_stay_days: int = Field(ge=0)
    expiry_reminder_days_before: PositiveInt
    # what the office granted: the holder is reminded this many days before it expires, once each
    grant_reminders_days_before: tuple[PositiveInt, ...] = (30, 7)


class Period(_Strict):
    start: dt.date
    end: dt.date


class VisaExtensionRule(_Strict):
    epidemic_period: Period
    reference_date: dt.date
    extension_days: PositiveInt


class Priority(_Strict):
    rank: int = Field(ge=0)
    label: str
    same_day: bool = False
    # a service counted in calendar hours from receipt, not working days (24-hour urgent service)
    within_hours: PositiveInt | None = None
    alert_operators: bool = False  # tell the operators the moment a case gets this priority
    expedited: bool = False
    # the documents, any one of which proves the category (text 002: "relevant written supporting
    # materials must be submitted"); without one the case is handled as normal and flagged
    evidence: tuple[DocumentKind, ...] = ()
    # counts only once a senior reviewer has recognised it on the case (text 002: "other urgent
    # matters recognised by the public security exit and entry administration department")
    office_recognises: bool = False


class ApplicationType(_Strict):
    required: tuple[DocumentKind, ...] = Field(min_length=1)
    working_days: PositiveInt
    expedited_working_days: PositiveInt | None = None
    # applicants whose household is registered in another province (text 002: 20, against 7)
    out_of_province_working_days: PositiveInt | None = None
    grants: tuple[GrantKind, ...] = ()  # what approving it grants (the single window: two)
    reviewer_group: str
    four_eyes: bool = False
    # materials whose original must arrive (a visa or permit is affixed into the passport): a
    # scan shows it is coming, a record on file from an earlier case never stands in for it
    in_person: tuple[DocumentKind, ...] = ()
    # who may apply on the applicant's behalf (the form's agent_relation); none: no agent
    agents: tuple[AgentRelation, ...] = ()
    # who the type is open to (text 004's single window: categories A and B, in pilot zones);
    # a form outside them is flagged for the reviewer, never refused by the machine
    eligible_talent_categories: tuple[str, ...] = ()
    eligible_work_locations: tuple[str, ...] = ()
    # a port visa (text 004): the inviting organisation is the applicant and receives the
    # "Port Visa Notification", valid for entry this many days from approval
    port_visa_notification_days: PositiveInt | None = None


class OfficePolicy(_Strict):
    waivers: Waivers
    on_file: OnFile
    requests: Requests
    checks: Checks
    visa_extension_rule: VisaExtensionRule
    priorities: dict[str, Priority]
    equivalents: dict[DocumentKind, tuple[DocumentKind, ...]] = {}
    application_types: dict[str, ApplicationType]
    when_agent_applies: tuple[DocumentKind, ...] = ()
    authorization_covers: tuple[AuthorizedMatter, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> OfficePolicy:
        unknown = set(self.application_types) - set(APPLICATION_TYPES)
        if unknown:
            raise ValueError(f"unknown application type(s): {', '.join(sorted(unknown))}")
        missing = set(APPLICATION_TYPES) - set(self.application_types)
        if missing:
            raise ValueError(f"no entry for application type(s): {', '.join(sorted(missing))}")
        if set(self.priorities) != set(URGENCIES):
            raise ValueError(f"priorities must list exactly the urgency codes {', '.join(URGENCIES)}")
        return self

    def application_type(self, code: str | None) -> ApplicationType | None:
        return self.application_types.get(code or "")

    def priority(self, urgency: str | None) -> Priority:
        return self.priorities.get(urgency or "none", self.priorities["none"])


def load_policy(path: Path = POLICY_FILE) -> OfficePolicy:
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
        lines = _line_numbers(yaml.compose(text))
    except OSError as e:
        raise ConfigurationError(f"Cannot read the office policy {path}: {e.strerror}.") from e
    except yaml.YAMLError as e:
        raise ConfigurationError(f"The office policy {path} is not valid YAML: {e}") from e
    try:
        return OfficePolicy.model_validate(raw)
    except ValidationError as e:
        error = e.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        line = _nearest_line(lines, error["loc"])
        raise ConfigurationError(
            f"{path}, line {line}: {where or 'the file'}: {error['msg']}"
        ) from e


@cache
def office_policy() -> OfficePolicy:
    return load_policy(Path(os.environ.get("MAILROOM_POLICY_FILE") or POLICY_FILE))


def _line_numbers(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """Line (1-based) of every key and list item in a composed YAML document."""
    found: dict[tuple[Any, ...], int] = {path: node.start_mark.line + 1} if node is not None else {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found.update(_line_numbers(value, (*path, key.value)))
            found[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.update(_line_numbers(item, (*path, index)))
    return found


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    parts = tuple(str(p) if not isinstance(p, int) else p for p in loc)
    while parts and parts not in lines:
        parts = parts[:-1]
    return lines.get(parts, 1)
