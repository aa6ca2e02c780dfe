"""Validation rules on their own: working days, checklists, policy loading, the visa rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailroom.errors import ConfigurationError
from storage.enums import ChecklistState, DocumentKind
from validators.checklist import HeldDocument, Promise, Record, evaluate_checklist
from validators.consistency import CaseFacts, check_case, effective_visa_expiry
from validators.eligibility import check_eligibility
from validators.policy import POLICY_FILE, load_policy, office_policy
from validators.priority import priority_for, time_limit
from validators.working_days import (
    add_working_days,
    load_calendar,
    working_days_between,
)

CALENDAR = load_calendar()
POLICY = office_policy()
KNOWN_DAYS = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2026, 11, 30))


@settings(max_examples=300, deadline=None)
@given(start=KNOWN_DAYS, days=st.integers(min_value=1, max_value=20))
def test_a_deadline_is_the_nth_working_day_after_the_start(start: dt.date, days: int) -> None:
    deadline = add_working_days(start, days, CALENDAR)
    assert CALENDAR.is_workday(deadline.due)
    assert working_days_between(start, deadline.due, CALENDAR) == days
    assert not deadline.provisional
    # no working day is skipped: the day before the deadline leaves one still to go
    assert working_days_between(start, deadline.due - dt.timedelta(days=1), CALENDAR) == days - 1


@settings(max_examples=200, deadline=None)
@given(start=KNOWN_DAYS, a=st.integers(0, 15), b=st.integers(0, 15))
def test_more_working_days_never_end_earlier(start: dt.date, a: int, b: int) -> None:
    first, second = (add_working_days(start, n, CALENDAR).due for n in sorted((a, b)))
    assert first <= second


def test_adjusted_working_saturdays_count_and_holidays_do_not() -> None:
    # Spring Festival 2026: Saturday 14 February is worked, 15-23 February are days off.
    assert add_working_days(dt.date(2026, 2, 13), 1, CALENDAR).due == dt.date(2026, 2, 14)
    assert add_working_days(dt.date(2026, 2, 14), 1, CALENDAR).due == dt.date(2026, 2, 24)
    # National Day 2026: 1-7 October off.
    assert add_working_days(dt.date(2026, 9, 30), 1, CALENDAR).due > dt.date(2026, 10, 7)


def test_a_deadline_in_an_unpublished_year_is_provisional_until_the_office_adds_it(
    tmp_path: Path,
) -> None:
    deadline = add_working_days(dt.date(2026, 12, 29), 5, CALENDAR)
    # weekdays without the statutory New Year's Day: 30, 31 Dec, 4, 5, 6 Jan
    assert deadline.provisional and deadline.due == dt.date(2027, 1, 6)
    schedule = tmp_path / "holidays.yaml"
    schedule.write_text("years:\n  2027:\n    holidays: [2027-01-01, 2027-01-04]\n"
                        "    working_weekends: [2027-01-02]\n")
    published = load_calendar(schedule)
    recomputed = add_working_days(dt.date(2026, 12, 29), 5, published)
    # 30, 31 Dec, 2 Jan (worked Saturday), 5, 6 Jan: 1 and 4 January off
    assert not recomputed.provisional and recomputed.due == dt.date(2027, 1, 6)
    assert "office 2027" in recomputed.calendar_version
    assert recomputed.calendar_version != deadline.calendar_version


def test_a_schedule_with_a_day_of_another_year_is_refused(tmp_path: Path) -> None:
    schedule = tmp_path / "holidays.yaml"
    schedule.write_text("years:\n  2027:\n    holidays: [2028-01-01]\n")
    with pytest.raises(ConfigurationError, match="2028-01-01"):
        load_calendar(schedule)


MATERIALS = [k for k in DocumentKind if k not in (DocumentKind.COVER_SHEET,
                                                 DocumentKind.EMAIL_BODY, DocumentKind.OTHER)]


@settings(max_examples=300, deadline=None)
@given(
    required=st.lists(st.sampled_from(MATERIALS), min_size=1, max_size=8),
    held=st.lists(st.sampled_from(MATERIALS), max_size=6),
    promised=st.lists(st.tuples(st.sampled_from(MATERIALS), st.integers(0, 60)), max_size=3),
    on_file=st.lists(st.tuples(st.sampled_from(MATERIALS), st.integers(-30, 30)), max_size=3),
)
def test_every_required_material_gets_exactly_one_state_by_the_rules(
    required: list[DocumentKind], held: list[DocumentKind],
    promised: list[tuple[DocumentKind, int]], on_file: list[tuple[DocumentKind, int]],
) -> None:
    today = dt.date(2026, 11, 20)
    documents = [HeldDocument(i, kind) for i, kind in enumerate(held, 1)]
    promises = [Promise(kind, 100 + i, today + dt.timedelta(days=d), today)
                for i, (kind, d) in enumerate(promised)]
    records = [Record(200 + i, kind, today + dt.timedelta(days=d), "on file")
               for i, (kind, d) in enumerate(on_file)]
    entries, findings = evaluate_checklist(required, documents, promises, records, POLICY, today)
    assert [e.material for e in entries] == list(dict.fromkeys(required))
    for entry in entries:
        accepted = {entry.material, *POLICY.equivalents.get(entry.material, ())}
        provided = any(d.kind in accepted for d in documents)
        valid_record = any(r.kind in accepted and r.valid_until >= today for r in records)
        good_promise = entry.material in POLICY.waivers.waivable and any(
            p.material is entry.material and (p.promised_by - today).days <= 30 for p in promises)
        expected = (ChecklistState.PROVIDED if provided else ChecklistState.ON_FILE
                    if valid_record else ChecklistState.WAIVED if good_promise
                    else ChecklistState.MISSING)
        assert entry.state is expected
        if entry.state is ChecklistState.WAIVED:
            assert entry.promise is not None and entry.document_id == entry.promise.statement_document_id
    for finding in findings:
        assert finding.code in {"not_waivable", "promise_too_late"}


def test_a_statement_cannot_waive_a_passport_nor_promise_too_late() -> None:
    today = dt.date(2026, 11, 20)
    promises = [Promise(DocumentKind.PASSPORT, 7, today + dt.timedelta(days=5), today),
                Promise(DocumentKind.HEALTH_CERTIFICATE, 7, today + dt.timedelta(days=45), today)]
    entries, findings = evaluate_checklist(
        [DocumentKind.PASSPORT, DocumentKind.HEALTH_CERTIFICATE], [], promises, [], POLICY, today)
    assert [e.state for e in entries] == [ChecklistState.MISSING, ChecklistState.MISSING]
    assert [f.code for f in findings] == ["not_waivable", "promise_too_late"]
    assert "2026-12-20" in findings[1].message  # the latest date allowed, named for the reviewer


def test_a_bad_policy_names_its_line(tmp_path: Path) -> None:
    text = POLICY_FILE.read_text(encoding="utf-8")
    broken = tmp_path / "policy.yaml"
    broken.write_text(text.replace("  visa_renewal:\n    required: [application_form, passport",
                                   "  visa_renewal:\n    required: [application_form, pasport"))
    line = next(n for n, row in enumerate(broken.read_text().splitlines(), 1) if "pasport" in row)
    with pytest.raises(ConfigurationError, match=rf"line {line}: application_types\.visa_renewal"):
        load_policy(broken)
    broken.write_text(text.replace("  port_visa:", "  port_visas:"))
    with pytest.raises(ConfigurationError, match="port_visa"):
        load_policy(broken)


def test_the_60_day_rule_of_text_000_item_9() -> None:
    rule = POLICY.visa_extension_rule
    assert effective_visa_expiry(dt.date(2020, 2, 10), rule) == dt.date(2020, 4, 27)
    assert effective_visa_expiry(dt.date(2020, 3, 10), rule) == dt.date(2020, 5, 10)
    assert effective_visa_expiry(dt.date(2021, 3, 10), rule) == dt.date(2021, 3, 10)
    findings = check_case(CaseFacts(visa_expiry=dt.date(2020, 3, 10),
                                    received_on=dt.date(2020, 5, 20)), POLICY)
    assert [f.code for f in findings] == ["visa_extended_by_rule", "visa_expired"]


def test_form_and_passport_are_compared_as_a_reviewer_would() -> None:
    mrz = {"document_number": "C01X00T47", "surname": "MUELLER", "given_names": "JOERG",
           "date_of_birth": "1984-08-12", "expiry_date": "2027-03-01"}
    form = {"surname": "Müller", "given_names": "Jörg", "passport_number": "c01x00t47",
            "date_of_birth": "1984-08-12", "requested_until": "2027-01-31", "signature": "J.M."}
    findings = check_case(CaseFacts(form=form, mrz=mrz, passport_provided=True), POLICY)
    assert [f.code for f in findings] == ["passport_expires_early"]  # 2027-03-01 < +30 days
    form.update(passport_number="C01X00T48", date_of_birth="1984-08-21", signature="")
    codes = [f.code for f in check_case(CaseFacts(form=form, mrz=mrz, passport_provided=True),
                                        POLICY)]
    assert codes == ["passport_number_differs", "date_of_birth_differs",
                     "passport_expires_early", "form_unsigned"]


def test_an_emergency_needs_its_supporting_document() -> None:
    priority, findings = priority_for("emergency_critical_illness", set(), POLICY)
    assert priority.label == "normal" and [f.code for f in findings] == ["emergency_without_support"]
    priority, findings = priority_for("emergency_critical_illness",
                                      {DocumentKind.SUPPORTING_DOCUMENT}, POLICY)
    assert priority.label == "emergency" and not findings
    urgent, _ = priority_for("urgent_epidemic", set(), POLICY)
    assert time_limit(POLICY.application_types["visa_extension"], urgent) == 0
    expedited, _ = priority_for("expedited", set(), POLICY)
    assert time_limit(POLICY.application_types["cn_passport"], expedited) == 5
    assert time_limit(POLICY.application_types["cn_passport"], POLICY.priority("none")) == 7
    # text 002: an emergency with its written proof is expedited: 5 working days, not 7
    assert time_limit(POLICY.application_types["cn_passport"], priority) == 5
    unproven, _ = priority_for("emergency_study_start", set(), POLICY)
    assert time_limit(POLICY.application_types["cn_passport"], unproven) == 7


def test_applicants_registered_in_another_province_wait_twenty_working_days() -> None:
    normal, expedited = POLICY.priority("none"), POLICY.priority("expedited")
    for code in ("cn_passport", "cn_hk_macao_permit", "cn_taiwan_permit"):  # text 002
        application = POLICY.application_types[code]
        assert time_limit(application, normal, out_of_province=True) == 20
        assert time_limit(application, normal, out_of_province=False) == 7
        assert time_limit(application, expedited, out_of_province=True) == 5  # expedited is 5
    # a foreigner's visa knows no household registration
    assert time_limit(POLICY.application_types["visa_extension"], normal, out_of_province=True) == 3


def test_the_green_channel_needs_proof_of_resuming_work_and_then_goes_first() -> None:
    unproven, findings = priority_for("green_channel", {DocumentKind.PASSPORT}, POLICY)
    assert unproven.label == "normal"
    assert [f.code for f in findings] == ["green_channel_without_support"]
    granted, findings = priority_for("green_channel", {DocumentKind.EMPLOYMENT_LETTER}, POLICY)
    assert granted.label == "green_channel" and not findings
    emergency, _ = priority_for("emergency_critical_illness", {DocumentKind.SUPPORTING_DOCUMENT},
                                POLICY)
    # text 003's priority: ahead of everything but the same-day epidemic category
    assert POLICY.priority("urgent_epidemic").rank < granted.rank < emergency.rank < unproven.rank
    # an employer's letter proves resuming work, not a critically ill relative
    still_normal, _ = priority_for("emergency_critical_illness", {DocumentKind.EMPLOYMENT_LETTER},
                                   POLICY)
    assert still_normal.label == "normal"


def test_the_single_window_and_the_port_visa_check_the_form_against_the_policy() -> None:
    window = POLICY.application_types["work_and_residence_permit"]
    assert check_eligibility({"talent_category": "B", "work_location": "Lingang New Area"}, window) == []
    codes = [f.code for f in check_eligibility(
        {"talent_category": "C", "work_location": "Pudong"}, window)]
    assert codes == ["single_window_ineligible"]  # text 004: categories A and B only
    outside = check_eligibility({"talent_category": "A", "work_location": "Hangzhou"}, window)
    assert [f.code for f in outside] == ["single_window_ineligible"] and "pilot zones" in \
        outside[0].message
    port = POLICY.application_types["port_visa"]
    assert [f.code for f in check_eligibility({}, port)] == [
        "inviting_organisation_missing", "port_of_entry_missing"]
    assert check_eligibility({"employer_or_school": "Yiwu Trade Co.",
                              "port_of_entry": "Pudong Airport"}, port) == []
    # a visa extension asks neither
    assert check_eligibility({}, POLICY.application_types["visa_extension"]) == []
