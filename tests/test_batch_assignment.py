"""Which applicant of a batch a document belongs to, and whether an agent may act (pure rules)."""

from __future__ import annotations

from typing import Any

from storage.enums import DocumentKind
from validators.agents import check_agent
from validators.batch_assignment import Member, Piece, assign, members_of
from validators.identity import same_organization
from validators.policy import office_policy

DAVIES = Member("DAVIES", "GEORGE", "273693804")
TANAKA = Member("TANAKA", "HANAKO", "TZ0000001")
SILVA = Member("SILVA", "ANA", "FZ5550123")
BATCH = [DAVIES, TANAKA, SILVA]


def _passport(number: str, surname: str, given: str) -> dict[str, Any]:
    return {"mrz": {"fields": {"document_number": number, "surname": surname,
                               "given_names": given}}}


def _one(kind: DocumentKind, fields: dict[str, Any], filename: str = "scan.pdf",
         text: str = "") -> tuple[int | None, str, str | None]:
    [assignment] = assign([Piece(kind, filename, fields, text)], BATCH)
    return assignment.member, assignment.how, assignment.reason


def test_members_are_one_per_passport_number_in_the_order_of_their_forms() -> None:
    forms = [{"surname": "Tanaka", "given_names": "Hanako", "passport_number": "TZ0000001"},
             {"surname": "Davies", "given_names": "George", "passport_number": "273693804"},
             {"surname": "TANAKA", "given_names": "HANAKO", "passport_number": "TZ 000 0001"},
             {"surname": "", "passport_number": "X1"}]
    assert members_of(forms) == [TANAKA, Member("DAVIES", "GEORGE", "273693804")]


def test_a_passport_goes_to_the_member_its_mrz_names_even_when_read_with_confusions() -> None:
    assert _one(DocumentKind.PASSPORT, _passport("TZOOOOOO1", "TANAKA", "HANAKO"))[:2] == (1, "passport")
    # a number nobody in the batch has, but the name of one: still theirs
    assert _one(DocumentKind.PASSPORT, _passport("E99999999", "SILVA", "ANA"))[:2] == (2, "passport")


def test_a_letter_goes_to_the_person_it_names_and_a_contradiction_goes_to_a_clerk() -> None:
    statement = {"name": "George Davies", "passport_number": "273693804"}
    assert _one(DocumentKind.PERSONAL_STATEMENT, statement)[:2] == (0, "letter")
    assert _one(DocumentKind.HEALTH_CERTIFICATE, {"name": "Ana Silva"})[:2] == (2, "letter")
    # Davies's number under Tanaka's name: neither is assumed
    member, _, reason = _one(DocumentKind.PERSONAL_STATEMENT,
                             {"name": "TANAKA HANAKO", "passport_number": "273693804"})
    assert member is None and reason and "more than one" in reason
    authorization = {"principal_name": "SILVA ANA", "principal_passport_number": "FZ5550123"}
    assert _one(DocumentKind.AUTHORIZATION_LETTER, authorization)[:2] == (2, "letter")


def test_file_names_and_text_are_the_last_hints_and_only_when_they_point_at_one() -> None:
    assert _one(DocumentKind.PHOTO, {}, "photo_tanaka.jpg")[:2] == (1, "file name")
    assert _one(DocumentKind.PHOTO, {}, "FZ5550123-photo.jpg")[:2] == (2, "file name")
    assert _one(DocumentKind.OTHER, {}, "degree.pdf", "Certificate for GEORGE DAVIES")[:2] == (
        0, "text")
    member, how, reason = _one(DocumentKind.PHOTO, {}, "davies_and_silva.jpg")
    assert member is None and how == "none" and reason
    member, _, reason = _one(DocumentKind.OTHER, {}, "notes.pdf", "Office hours 9 to 5")
    assert member is None and reason and "names none" in reason


def test_a_list_of_many_is_held_by_the_batch_and_a_list_of_one_is_that_persons() -> None:
    people = [{"name": "DAVIES GEORGE", "passport_number": "273693804"},
              {"name": "SILVA ANA", "passport_number": "FZ5550123"}]
    assert _one(DocumentKind.PERSONNEL_LIST_LETTER, {"people": people}) == (None, "list", None)
    assert _one(DocumentKind.SCHOOL_LETTER, {"people": people[1:]})[:2] == (2, "letter")
    assert _one(DocumentKind.EMAIL_BODY, {}) == (None, "message", None)


def _agent(application_type: str, relation: str | None,
           letters: list[dict[str, Any]] | None = None) -> set[str]:
    policy = office_policy()
    return {f.code for f in check_agent(
        application_type=application_type, application=policy.application_types[application_type],
        agent_name="Hangzhou Example Technology Co., Ltd.", agent_relation=relation,
        applicant_name="DAVIES GEORGE", applicant_passport="273693804",
        authorizations=letters or [], policy=policy)}


def test_an_agent_is_checked_against_the_policy_and_the_letter() -> None:
    assert _agent("visa_extension", "employer") == set()
    assert _agent("residence_permit_study", "school") == set()
    assert _agent("permanent_residence", "relative") == {"agent_not_allowed"}
    assert _agent("residence_permit_study", "employer") == {"agent_not_allowed"}
    assert _agent("visa_extension", None) == {"agent_relation_unknown"}
    good = {"principal_name": "George DAVIES", "principal_passport_number": "273693804",
            "agent_name": "杭州示例科技有限公司",
            "agent_name_aliases": ["HANGZHOU EXAMPLE TECHNOLOGY CO LTD"],
            "matters": ["submit_application", "collect_documents"]}
    assert _agent("visa_extension", "employer", [good]) == set()
    assert _agent("visa_extension", "employer", [{**good, "principal_passport_number": None}]) \
        == {"authorization_not_applicants"}
    assert _agent("visa_extension", "employer",
                  [{**good, "agent_name": "Li Lei", "agent_name_aliases": []}]) \
        == {"authorization_other_agent"}
    assert _agent("visa_extension", "employer", [{**good, "matters": ["collect_documents"]}]) \
        == {"authorization_does_not_cover"}
    # a wrong letter beside a right one: the right one is enough
    assert _agent("visa_extension", "employer", [{**good, "matters": []}, good]) == set()


def test_organisations_are_compared_without_legal_forms_but_never_by_containment() -> None:
    assert same_organization("Hangzhou Example Technology Co., Ltd.", "HANGZHOU EXAMPLE TECHNOLOGY")
    assert same_organization("杭州示例科技有限公司", "杭州示例科技")
    assert not same_organization("Zhejiang University", "Zhejiang University of Technology")
    assert not same_organization("Co., Ltd.", "Ltd")
