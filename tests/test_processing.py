"""Processing submissions into documents, pages and cases (real rendering, real QR reading)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from extractors.cover_sheet import make_cover_sheet
from extractors.splitting import split_at_cover_sheets
from intake.scans import intake_scans
from mailroom import samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.cases import get_case, open_case
from storage.enums import SubmissionStatus
from storage.models import Document, Submission
from storage.views import case_view
from tests.helpers import counts, drop


def _intake_and_process(runtime: Runtime) -> list:
    intake_scans(
        folders=runtime.scan_folders(), blobs=runtime.blobs,
        session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits,
    )
    return process_pending(runtime)


def test_filled_form_opens_a_case_for_its_applicant(runtime: Runtime) -> None:
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[0]))
    [outcome] = _intake_and_process(runtime)
    assert not outcome.needs_triage and len(outcome.case_references) == 1
    with runtime.session_factory.begin() as session:
        view = case_view(get_case(session=session, reference=outcome.case_references[0]))
    # the form alone: the passport and photo a visa extension needs are missing
    assert view["status"] == "needs_materials"
    assert {i["material"]: i["state"] for i in view["checklist"]} == {
        "application_form": "provided", "passport": "missing", "photo": "missing"}
    assert view["application_type"] == "visa_extension"
    assert view["applicant"] == {
        "surname": "MUSTERMANN", "given_names": "ERIKA", "nationality": "D",
        "passport_number": "C01X00T47", "date_of_birth": "1984-08-12",
    }
    assert view["documents"][0]["kind"] == "application_form"
    assert view["documents"][0]["pages"] == 1


def test_cover_sheets_split_a_postal_batch_between_cases(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        first = open_case(session=session, actor="clerk").reference
        second = open_case(session=session, actor="clerk").reference
    page = samples.text_page
    batch = samples.multipage_tiff([
        page("stray page before any cover sheet", []),
        samples.pdf_page_image(make_cover_sheet(first)),
        page("letter for the first case", []), page("its second page", []),
        samples.pdf_page_image(make_cover_sheet(second)),
        page("passport copy for the second case", []),
    ])
    drop(runtime.scan_folders().root, "batch.tiff", batch)
    [outcome] = _intake_and_process(runtime)

    assert outcome.needs_triage  # the stray first page matched nothing
    with runtime.session_factory.begin() as session:
        documents = session.scalars(select(Document).order_by(Document.sequence)).all()
        layout = [
            (d.kind.value, d.case.reference if d.case else None, [p.number for p in d.pages])
            for d in documents
        ]
        assert documents[0].triage_reason and "nothing identifies" in documents[0].triage_reason
        assert all(runtime.blobs.exists(p.image_sha256) for d in documents for p in d.pages)
    assert layout == [
        ("other", None, [1]),
        ("cover_sheet", first, [2]),
        ("other", first, [3, 4]),
        ("cover_sheet", second, [5]),
        # the word "passport" makes no passport: a passport page is known by its MRZ
        ("other", second, [6]),
    ]


def test_cover_sheet_for_an_unknown_case_goes_to_triage(runtime: Runtime) -> None:
    cover = samples.pdf_page_image(make_cover_sheet("MR-2026-999999"))
    drop(runtime.scan_folders().root, "batch.tiff",
         samples.multipage_tiff([cover, samples.text_page("letter", [])]))
    [outcome] = _intake_and_process(runtime)
    assert outcome.needs_triage and outcome.case_references == []
    with runtime.session_factory.begin() as session:
        reasons = {d.triage_reason for d in session.scalars(select(Document))}
    assert reasons == {"The cover sheet or message names case MR-2026-999999, which does not exist."}


def test_text_layer_is_used_and_only_scans_are_ocrd(runtime: Runtime) -> None:
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[1]))
    drop(runtime.scan_folders().root, "scan.png", samples.png(samples.text_page("scan", [])))
    _intake_and_process(runtime)
    with runtime.session_factory.begin() as session:
        pages = {d.filename: d.pages[0] for d in session.scalars(select(Document))}
    assert pages["form.pdf"].text_source == "pdf" and "Passport" in (pages["form.pdf"].text or "")
    assert pages["scan.png"].text_source == "ocr"
    assert "SYNTHETIC SAMPLE" in (pages["scan.png"].text or "")


def test_processing_again_changes_nothing(runtime: Runtime) -> None:
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[0]))
    _intake_and_process(runtime)
    before = counts(runtime)
    assert process_pending(runtime) == []
    assert counts(runtime) == before == {"submissions": 1, "documents": 1, "pages": 1, "cases": 1}


def test_a_file_that_fails_processing_is_kept_with_a_reason(runtime: Runtime) -> None:
    # Stored at intake, then its blob turns out unreadable: the submission is marked, not lost.
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[0]))
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    with runtime.session_factory.begin() as session:
        sha = session.scalars(select(Submission.sha256)).one()
    runtime.blobs.path_for(sha).write_bytes(b"%PDF-1.4 overwritten by a disk fault")
    process_pending(runtime)
    with runtime.session_factory.begin() as session:
        submission = session.scalars(select(Submission)).one()
        assert submission.status is SubmissionStatus.QUARANTINED
        assert "damaged" in (submission.reason or "")
    assert counts(runtime)["documents"] == 0


@given(st.lists(st.one_of(st.none(), st.sampled_from(["MR-2026-000001", "MR-2026-000002"])),
                min_size=1, max_size=30))
def test_splitting_keeps_every_page_once_in_order(references: list[str | None]) -> None:
    groups = split_at_cover_sheets(references)
    assert [n for g in groups for n in g.page_numbers] == list(range(1, len(references) + 1))
    for group in groups:
        if group.is_cover_sheet:
            assert len(group.page_numbers) == 1
            assert references[group.page_numbers[0] - 1] == group.reference
        else:
            assert all(references[n - 1] is None for n in group.page_numbers)
    assert len(groups) == 1 or any(g.is_cover_sheet for g in groups)



def test_a_scanned_passport_is_recognised_and_its_mrz_stored(runtime: Runtime) -> None:
    from tests.test_mrz import td3

    lines = td3("E12345678", "CHN", "800101", "M", "300101", "", "ZHANG", "SAN")
    drop(runtime.scan_folders().root, "passport.jpg", samples.jpeg(samples.passport_page(lines)))
    _intake_and_process(runtime)
    with runtime.session_factory.begin() as session:
        document = session.scalars(select(Document)).one()
        assert document.kind.value == "passport"
        assert document.fields is not None and document.fields["mrz"]["lines"] == lines
        assert document.fields["mrz"]["fields"]["document_number"] == "E12345678"
        # the glyph reader's verified MRZ was all the page needed: no full-page OCR
        assert document.pages[0].text_source == "mrz"
