"""Letters read by what they are (issue: letters as they are really written): kinds from the
shipped model, fields of every letter kind, on wordings the training templates do not use."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from bench.letters_heldout import heldout_draft
from extractors.classify import classify
from extractors.kind_model import MODEL_FILE, kind_scores
from extractors.letters import read_letter
from storage.enums import DocumentKind
from tests.helpers import scanned_text
from training.drafts import Draft, Grid, as_text
from training.train_letter_kinds import PRUNE_BELOW, train, training_texts
from validators.checklist import promises_in
from validators.identity import passport_key
from validators.working_days import add_working_days, office_calendar


def test_the_shipped_model_is_what_its_recipe_trains(tmp_path: Path) -> None:
    """The same recipe retrained gives the shipped model: byte for byte on the machine that
    trained it; elsewhere OpenBLAS picks other kernels for the CPU, which moves a weight in
    its last bits (a few cross the pruning threshold), so weights must agree to a rounding and
    every kind read from the same letters must be the same."""
    out = tmp_path / "kinds.npz"
    train(500, 2026, out)
    with np.load(MODEL_FILE) as shipped, np.load(out) as retrained:
        assert list(shipped["kinds"]) == list(retrained["kinds"])
        assert np.allclose(shipped["intercept"], retrained["intercept"], atol=1e-3)
        assert np.abs(_weights(shipped) - _weights(retrained)).max() <= PRUNE_BELOW + 2e-3
    texts, _ = training_texts(20, 7)
    for text in texts:
        assert kind_scores(text, out) == pytest.approx(kind_scores(text), abs=0.01)


def _weights(stored: np.lib.npyio.NpzFile) -> np.ndarray:
    return sparse.csr_matrix((stored["data"].astype(np.float32), stored["indices"], stored["indptr"]),
                             shape=tuple(stored["shape"])).toarray()


def test_an_employment_certificate_printing_a_passport_number_is_no_passport() -> None:
    text = ("Ningbo Example Optics Co., Ltd.\nCERTIFICATE OF EMPLOYMENT\nWe certify that Mr. "
            "Pieter JANSEN, holder of passport number C4KL7TR29, has worked at our company as "
            "Optical Engineer since 2024. His passport and work permit are valid.\n2026-11-02")
    kind, _ = classify(text)
    assert kind is DocumentKind.EMPLOYMENT_LETTER
    facts = read_letter(kind, text)
    assert (facts["name"], facts["passport_number"]) == ("Pieter JANSEN", "C4KL7TR29")


def test_a_chinese_statement_about_a_missing_certificate_is_a_statement_that_waives_it() -> None:
    text = ("个人声明\n本人 Pieter JANSEN，护照号码 C4KL7TR29，因体检预约较晚，暂时无法提供健康证明。"
            "本人承诺在一个月内补交健康证明，健康证明取得后立即提交。\n日期：2026年11月2日")
    kind, _ = classify(text)
    assert kind is DocumentKind.PERSONAL_STATEMENT
    facts = read_letter(kind, text)
    assert facts["promised_materials"] == ["health_certificate"]
    assert (facts["statement_date"], facts["promised_by"]) == ("2026-11-02", "2026-12-02")
    [promise] = promises_in(facts, 7, dt.date(2026, 11, 5))
    assert promise.material is DocumentKind.HEALTH_CERTIFICATE
    assert promise.promised_by == dt.date(2026, 12, 2)


def test_a_promise_in_working_days_counts_the_office_calendar() -> None:
    text = ("承诺书\n本人 Lena SCHULZ，护照号 C7Y0T12K4。本人保证在十五个工作日内补交在职证明。\n"
            "日期：2026-09-25")
    facts = read_letter(DocumentKind.PERSONAL_STATEMENT, text)
    # 15 working days from 25 September 2026 cross the National Day holidays
    assert facts["promised_by"] == add_working_days(dt.date(2026, 9, 25), 15,
                                                    office_calendar()).due.isoformat()
    assert facts["promised_by"] > "2026-10-16"
    assert facts["promised_materials"] == ["employment_letter"]


def test_a_statement_that_only_explains_promises_nothing_and_a_labelled_number_is_no_promise(
) -> None:
    text = ("STATEMENT\nI, Lena SCHULZ, passport number C7Y0T12K4, cannot provide a health "
            "certificate because the clinic is closed. I will be grateful for your patience.\n"
            "Date: 3 October 2026")
    facts = read_letter(DocumentKind.PERSONAL_STATEMENT, text)
    assert facts["promised_materials"] == [] and facts["promises_nothing"] is True
    assert "promised_by" not in facts and facts["statement_date"] == "2026-10-03"


def test_numbered_lines_and_prose_give_every_person_with_their_icao_nationality() -> None:
    text = ("PERSONNEL LIST\nExample Shipping Co., Ltd. certifies that the people below are its "
            "employees:\n1. DAVIES, GEORGE GBR passport 273693804\n2. Marta Nowak, Polish, "
            "passport EC4411230\n3. 山田太郎 Taro YAMADA (日本籍，护照号码：TK5550001)")
    kind, _ = classify(text)
    assert kind is DocumentKind.PERSONNEL_LIST_LETTER
    facts = read_letter(kind, text)
    assert [(p["name"], p["nationality"], p["passport_number"]) for p in facts["people"]] == [
        ("DAVIES, GEORGE", "GBR", "273693804"), ("Marta Nowak", "POL", "EC4411230"),
        ("Taro YAMADA", "JPN", "TK5550001")]
    assert facts["states_employed"] is True


def test_a_table_whose_passport_column_comes_first_and_a_list_of_non_employees() -> None:
    # a text layer gives each cell its own line
    text = ("外籍人员名单 LIST OF VISITORS\n以下人员并非我公司员工。\n护照号码\nPassport No.\n姓名\nName\n"
            "国籍\n\nX12345678\nAnna Berg\nSweden\nP87654321\nJuan Carlos de la Cruz\n菲律宾\n")
    facts = read_letter(DocumentKind.PERSONNEL_LIST_LETTER, text)
    assert [(p["name"], p["nationality"]) for p in facts["people"]] == [
        ("Anna Berg", "SWE"), ("Juan Carlos de la Cruz", "PHL")]
    assert facts["states_employed"] is False


def test_a_bilingual_list_names_each_person_once_and_an_unreadable_row_goes_to_a_clerk() -> None:
    text = ("学生名单 STUDENT LIST\n杭州示例大学 Hangzhou Example University\n"
            "Sakura ITO（伊藤樱），日本籍，护照号码 TR1234567；\nSakura ITO, Japanese, passport "
            "TR1234567;\n2 ??? ## 88 ZZ9876543\nThe programme runs from 2026-09-01 to 2028-06-30.")
    facts = read_letter(DocumentKind.SCHOOL_LETTER, text)
    assert facts["people"] == [{"name": "Sakura ITO", "nationality": "JPN",
                                "passport_number": "TR1234567", "name_zh": "伊藤樱"}]
    assert facts["unread_rows"] == ["ZZ9876543"]
    assert (facts["study_start"], facts["study_end"]) == ("2026-09-01", "2028-06-30")


def test_a_health_certificate_with_a_statement_in_its_small_print_is_a_health_certificate() -> None:
    text = ("Example City Hospital 示例市医院\n健康证明 HEALTH CERTIFICATE\n姓名 Name: Anna BERG\n"
            "护照号码 Passport No.: X12345678\n体检日期 Date of examination: 2026年10月9日\n"
            "胸部X线 Chest X-ray 未见异常 normal\n结论：合格\n签发日期：2026年10月12日\n"
            "声明：本证明仅供本人使用。Statement: for the named person only.")
    kind, _ = classify(text)
    assert kind is DocumentKind.HEALTH_CERTIFICATE
    facts = read_letter(kind, text)
    assert (facts["name"], facts["passport_number"], facts["examination_date"]) == (
        "Anna BERG", "X12345678", "2026-10-09")


def test_an_authorization_names_principal_agent_relation_and_matters() -> None:
    text = ("委托书 LETTER OF AUTHORIZATION\n委托人 Principal: Anna BERG  护照号码：X12345678\n"
            "受托人 Agent: 李明 / LI Ming  关系 Relationship: 配偶 spouse\n"
            "I authorize LI Ming to submit my application, pay the fees and collect my passport.\n"
            "Date: 2026-10-09")
    kind, _ = classify(text)
    assert kind is DocumentKind.AUTHORIZATION_LETTER
    facts = read_letter(kind, text)
    assert facts["principal_name"] == "Anna BERG" and facts["principal_passport_number"] == "X12345678"
    assert facts["agent_name"] == "李明" and "LI Ming" in facts["agent_name_aliases"]
    assert facts["agent_relation"] == "relative"
    assert facts["matters"] == ["submit_application", "collect_documents", "pay_fees"]


def test_a_held_apart_statement_is_never_counted_as_the_document_it_replaces() -> None:
    # Held-apart kind accuracy is a benchmark figure (bench/extraction.py); what a test holds
    # is the rule that a statement never becomes the certificate it explains.
    rng = random.Random("test-statements")
    found = [classify(as_text(heldout_draft("personal_statement", rng), rng, ocr=n % 2 == 1))[0]
             for n in range(12)]
    assert set(found) <= {DocumentKind.PERSONAL_STATEMENT, DocumentKind.OTHER}, found
    assert found.count(DocumentKind.PERSONAL_STATEMENT) >= 1


def test_a_scanned_ruled_table_is_read_row_by_row_with_every_person() -> None:
    # two-line name cells (Latin over Chinese) beside one-line number cells: read as a whole
    # page, tesseract pairs numbers with the wrong line or drops them
    people = [("Anna BERG", "安娜·贝里", "Sweden", "SWE", "X1234567"),
              ("Tomas NOVAK", "托马斯·诺瓦克", "Czech Republic", "CZE", "PB7654321"),
              ("Kenji SATO", "佐藤健二", "Japan", "JPN", "TK2468135"),
              ("Maria LOPEZ", "玛丽亚·洛佩斯", "Mexico", "MEX", "G88001234")]
    letter = Draft("personnel_list_letter", "bi", "外籍员工名单 LIST OF FOREIGN EMPLOYEES", [
        "兹证明以下人员为我公司员工。We certify that the people below are our employees.",
        Grid(["序号 No.", "姓名 Name", "国籍 Nationality", "护照号码 Passport No."],
             [[str(n), f"{name}\n{zh}", country, number]
              for n, (name, zh, country, _, number) in enumerate(people, 1)])])
    facts = read_letter(DocumentKind.PERSONNEL_LIST_LETTER, scanned_text(letter, 3))
    read = {passport_key(p["passport_number"]): (p["name"], p["nationality"])
            for p in facts["people"]}
    assert read == {passport_key(number): (name, code) for name, _, _, code, number in people}


def test_a_scanned_chinese_examination_record_is_a_health_certificate() -> None:
    # a record of ruled fields and results by department, as a clinic keeps it: read row by
    # row, its cells come back parted by bars, its colons and brackets half-width and spaced
    letter = Draft("health_certificate", "zh", "外国人体格检查表", [
        Grid(["姓名", "Lena HOLM（莉娜·霍尔姆）", "性别", "女"],
             [["出生日期", "1994年3月8日", "国籍", "瑞典"],
              ["护照号码", "91847263", "检查日期", "2026年10月12日"]]),
        Grid(["检查项目", "结果", "医师"],
             [["内科：心、肺、肝、脾", "未见异常", ""], ["胸部X光", "未见异常", ""],
              ["HIV抗体", "阴性", ""], ["梅毒（TPPA）", "阴性", ""], ["心电图", "窦性心律", ""]]),
        "总检结论：合格。", "主检医师：________", "宁海县人民医院体检中心（盖章）"])
    text = scanned_text(letter, 5)
    assert "|" in text  # the bars this test is about
    kind, _ = classify(text)
    assert kind is DocumentKind.HEALTH_CERTIFICATE


def test_the_kind_model_reads_a_text_layers_and_ocrs_punctuation_alike() -> None:
    layer = ("授权委托书\n委托人：DE VRIES Anouk（护照号码：NX4K81M27）\n"
             "受托人：陈晨（配偶）\n委托事项：领取护照。")
    ocr = ("授权 委托书\n委托人 : DE VRIES Anouk ( 护照号码 : NX4K81M27 )\n"
           "受托人 | 陈晨 〈配偶 )\n委托事项 : 领取护照 。")
    assert kind_scores(ocr) == pytest.approx(kind_scores(layer), abs=1e-6)


def test_one_persons_number_read_two_ways_leaves_an_employment_letter_one_persons() -> None:
    # a bilingual letter prints the number twice; OCR read one of them a glyph short
    text = ("在职证明 Proof of Employment\n兹证明 MORAES, BRUNO（护照号码 FY481230）自2021年起在"
            "我公司工作，现任质量工程师。 We confirm that MORAES, BRUNO (passport no. FY4812330) "
            "has been on our payroll since 2021; present post: Quality Engineer.\n特此证明。\n2026-10-02")
    kind, _ = classify(text)
    assert kind is DocumentKind.EMPLOYMENT_LETTER
