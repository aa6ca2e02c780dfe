"""The application form printed, filled in, posted and scanned: read by its field zones."""

from __future__ import annotations

import pytest

from extractors.scanned_form import MIN_WORD_CONFIDENCE, _value, read_scanned_form
from extractors.tesseract import OcrWord, ocr_with_confidence
from intake.scans import intake_scans
from mailroom import sample_letters, samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.cases import get_case
from storage.views import case_view
from tests.helpers import drop

IDENTITY = ("application_type", "surname", "given_names", "nationality", "passport_number",
            "date_of_birth", "sex", "requested_until", "urgency", "return_carrier")


@pytest.mark.slow
@pytest.mark.parametrize(("dpi", "tilt"), [(200, 0.8), (300, -1.5), (200, 2.5)])
def test_a_scanned_form_reads_its_boxes(dpi: int, tilt: float) -> None:
    applicant = samples.APPLICANTS[1]
    scan = sample_letters.scan_of(samples.application_form(applicant), dpi=dpi, seed=dpi,
                                  angle=tilt)
    words = ocr_with_confidence(scan, languages="eng+chi_sim").words
    values = read_scanned_form(scan, words)
    assert values is not None
    # every box still read where it is (a thrown-off fit reads labels and blanks instead)
    boxes = ("application_type", "surname", "given_names", "nationality", "sex", "urgency",
             "return_carrier")
    assert {name: values.get(name) for name in boxes} == {name: applicant[name] for name in boxes}
    assert "agent_name" not in values  # empty boxes stay empty, whatever their speckle


@pytest.mark.slow
def test_a_page_that_is_not_the_form_is_not_read_as_one() -> None:
    letter = sample_letters.personal_statement(
        sample_letters.Person("TANAKA", "HANAKO", "JPN", "TZ0000001"), "health_certificate", "en",
        promised_by="2026-12-01")
    scan = sample_letters.scan_of(sample_letters.letter_pdf(letter))
    assert read_scanned_form(scan, ocr_with_confidence(scan, languages="eng").words) is None


@pytest.mark.slow
def test_a_posted_form_opens_a_case_for_its_applicant(runtime: Runtime) -> None:
    scan = sample_letters.scan_of(samples.application_form(samples.APPLICANTS[1]), dpi=200,
                                  seed=4, angle=1.0)
    drop(runtime.scan_folders().root, "posted-form.jpg", samples.jpeg(scan))
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    [outcome] = process_pending(runtime)
    assert not outcome.needs_triage and len(outcome.case_references) == 1
    with runtime.session_factory.begin() as session:
        view = case_view(get_case(session=session, reference=outcome.case_references[0]))
    assert view["application_type"] == "residence_permit_work"
    assert view["applicant"]["surname"] == "TANAKA"
    assert view["applicant"]["passport_number"] == "TZ0000001"
    assert view["documents"][0]["kind"] == "application_form"


def test_a_number_box_keeps_letters_and_digits_only() -> None:
    from extractors.scanned_form import _clean

    assert _clean("passport_number", "¥7018 249") == "Y7018249"  # as tesseract read a Y
    assert _clean("passport_number", "[C01X00T47|") == "C01X00T47"
    assert _clean("nationality", "[IND") == "IND"


@pytest.mark.slow
def test_a_misread_label_whose_word_stands_elsewhere_does_not_throw_the_boxes_off() -> None:
    """As seen on a scan: the "Application type" label read as "Application'", while the
    title's "Application" was read right, so the only "Application" found is in the title."""
    import dataclasses

    applicant = samples.APPLICANTS[1]
    scan = sample_letters.scan_of(samples.application_form(applicant), dpi=200, seed=4,
                                  angle=1.0)
    words = list(ocr_with_confidence(scan, languages="eng+chi_sim").words)
    label = min((w for w in words if w.text == "Application"), key=lambda w: w.left)
    words = [dataclasses.replace(w, text="Application'") if w.text == "Application" else w
             for w in words]
    words.append(dataclasses.replace(label, text="Application", left=label.left + 800,
                                     top=max(0, label.top - 170)))  # where the title stands
    values = read_scanned_form(scan, words)
    assert values is not None
    # every box still read where it is (a thrown-off fit reads labels and blanks instead)
    boxes = ("application_type", "surname", "given_names", "nationality", "sex", "urgency",
             "return_carrier")
    assert {name: values.get(name) for name in boxes} == {name: applicant[name] for name in boxes}


def test_a_choice_word_read_unsurely_counts_where_it_completes_a_choice() -> None:
    # tesseract's words in a scanned form's application-type box (training-side postal batch 10
    # of bench/batches.py, seed 2027): "residence." at confidence 18 over the underscore
    words = [OcrWord("residence.", 0, 0, 200, 30, 18.0), OcrWord("permit", 210, 0, 120, 30, 94.0),
             OcrWord("work", 340, 0, 80, 30, 94.0), OcrWord("(Residence", 430, 0, 200, 30, 95.0),
             OcrWord("permit.", 640, 0, 130, 30, 96.0), OcrWord("work)", 780, 0, 100, 30, 97.0)]
    sure = [w for w in words if w.confidence >= MIN_WORD_CONFIDENCE]

    assert _value("application_type", sure, words) == "residence_permit_work"
    # a free-text box keeps only what was read surely: no vocabulary confirms the rest
    assert _value("address_in_china", sure, words) == "permit work (Residence permit. work"
