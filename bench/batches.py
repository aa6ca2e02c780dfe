"""Organisations' batches through the whole pipeline: cases opened, documents filed, lists read.

    .venv/bin/python bench/batches.py [--batches 8] [--seed 2027] [--corpus-lists 6] [--json F]

Three sets, each batch run on a fresh SQLite database through intake, processing and
validation:
- **generated**: companies and schools (their lists drawn by training/letter_templates.py,
  2-12 people, English, Chinese and bilingual), by e-mail (forms, passports, photos named by
  file name, a covering note that names no one) and as postal scans (scanned forms and
  passports in one TIFF); the list arrives with the forms, before them or after them;
- **held_apart**: the same batches with lists drawn by the held-apart letter generator
  (bench/letters_heldout.py: other names, organisations, wordings and layouts, its own seeds);
- **corpus**: each personnel or school list of ../shared/corpus/letters/ (written by someone
  else) e-mailed with one application form and passport for every person it names.

Prints, per set: batches whose cases are exactly one per applicant, documents filed with the
right applicant (or held for a clerk when they name no one), documents filed with the wrong
applicant (must be 0), list rows read exactly, and cases the list reached (their employment
letter or school letter counted as on file). Nothing is ever tuned on the corpus figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from sqlalchemy import select

from bench.letter_scoring import same_name
from bench.letters_heldout import NAMES as HELD_APART_NAMES
from bench.letters_heldout import heldout_draft
from intake.scans import intake_scans
from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.enums import Channel, ChecklistState, DocumentKind
from storage.migrate import upgrade_to_head
from storage.models import Case, Document
from storage.submissions import record_submission
from training.drafts import Draft, as_pdf, as_scan
from training.letter_templates import NAMES, draft
from validators.identity import passport_key
from validators.identity import same_name as same_person

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "letters"
LIST_MATERIAL = {"personnel_list_letter": "employment_letter", "school_letter": "school_letter"}
APPLICATION = {"personnel_list_letter": "residence_permit_work",
               "school_letter": "residence_permit_study"}


@dataclass
class Applicant:
    surname: str
    given_names: str
    nationality: str
    passport_number: str


@dataclass
class Batch:
    """One organisation's submission and, for each file or page, whose it is (a passport
    key, or None: held by the batch)."""

    kind: str
    organization: str
    applicants: list[Applicant]
    list_truth: dict[str, Any]
    owners: dict[str, str | None] = field(default_factory=dict)
    list_draft: Draft | None = None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--corpus-lists", type=int, default=6)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", type=int, help="run only this generated batch (0-based)")
    args = parser.parse_args()
    figures = {"generated": run_generated(args.batches, args.seed, args.only),
               "held_apart": run_generated(args.batches, args.seed + 1, args.only,
                                           held_apart=True),
               "corpus": run_corpus(args.corpus_lists)}
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


# -- the generated batches ------------------------------------------------------------------

def run_generated(count: int, seed: int, only: int | None = None,
                  held_apart: bool = False) -> dict[str, Any]:
    tally = Tally()
    for number in range(count):
        rng = random.Random(seed * 1000 + number)  # each batch its own: --only draws the same
        kind = ("personnel_list_letter", "school_letter")[number % 2]
        language = ("en", "zh", "bi")[number % 3]
        channel = ("email", "post")[(number // 2) % 2]
        order = ("with", "before", "after")[number % 3]
        batch = _draw_batch(rng, kind, language, held_apart)
        if only is not None and number != only:
            continue
        with _fresh_runtime() as runtime:
            started = time.perf_counter()
            assert batch.list_draft is not None
            list_pdf = as_pdf(batch.list_draft, rng)
            list_file = (("list.pdf", list_pdf) if channel == "email"
                         else ("list.png", samples.png(as_scan(list_pdf, rng))))
            if order == "before":
                _send_list(runtime, batch, list_file, channel)
            if channel == "email":
                _send_email(runtime, batch, rng, list_file if order == "with" else None)
            else:
                _send_post(runtime, batch, rng, list_file if order == "with" else None)
            if order == "after":
                _send_list(runtime, batch, list_file, channel)
            tally.add(runtime, batch, time.perf_counter() - started,
                      f"{kind} {language} {channel} list {order} forms")
    return tally.figures()


def _draw_batch(rng: random.Random, kind: str, language: str, held_apart: bool) -> Batch:
    while True:  # a list of at least two people that says they are the organisation's
        made = heldout_draft(kind, rng) if held_apart else draft(kind, rng, language)
        people = made.truth.get("people") or []
        if len(people) >= 2 and made.truth.get("states_employed", True):
            break
    applicants = [_applicant(p) for p in people]
    organization = _latin_name(made.truth, "organization" if kind == "personnel_list_letter"
                               else "school")
    return Batch(kind, organization, applicants, made.truth, list_draft=made)


def _latin_name(truth: dict[str, Any], field_name: str) -> str:
    """The organisation as a foreigner writes it on the (Latin-script) form."""
    names = [truth.get(field_name) or "", *(truth.get(f"{field_name}_aliases") or [])]
    return next((n for n in names if n and n.isascii()), names[0])


def _applicant(person: dict[str, Any]) -> Applicant:
    written = person["name"].replace(",", " ").upper().split()
    for given, surname, _, _ in [*NAMES, *HELD_APART_NAMES]:
        if surname.upper().split() == [w for w in written if w in surname.upper().split()] \
                and all(w in written for w in given.upper().split()):
            return Applicant(surname.upper(), given.upper(), person["nationality"],
                             person["passport_number"])
    return Applicant(written[0], " ".join(written[1:]), person["nationality"],
                     person["passport_number"])


def _form(batch: Batch, applicant: Applicant) -> bytes:
    return samples.application_form({
        **samples.APPLICANTS[1], "application_type": APPLICATION[batch.kind],
        "surname": applicant.surname, "given_names": applicant.given_names,
        "nationality": applicant.nationality, "passport_number": applicant.passport_number,
        "email": "", "employer_or_school": batch.organization})


def _passport(applicant: Applicant, rng: random.Random) -> Image.Image:
    lines = samples.td3_lines(surname=applicant.surname, given_names=applicant.given_names,
                              nationality=applicant.nationality,
                              number=applicant.passport_number, birth="900131",
                              sex=rng.choice("MF"), expiry="320101")
    return samples.passport_page(lines, dpi=300)


def _send_email(runtime: Runtime, batch: Batch, rng: random.Random,
                list_file: tuple[str, bytes] | None) -> None:
    files: dict[str, bytes] = {}
    order = list(range(len(batch.applicants)))
    rng.shuffle(order)  # passports attached in another order than the forms
    for i, applicant in enumerate(batch.applicants):
        key = passport_key(applicant.passport_number)
        files[f"form-{i + 1}.pdf"] = _form(batch, applicant)
        batch.owners[f"form-{i + 1}.pdf"] = key
    for n, i in enumerate(order):
        applicant = batch.applicants[i]
        files[f"scan{n + 1}.jpg"] = samples.jpeg(_passport(applicant, rng))
        batch.owners[f"scan{n + 1}.jpg"] = passport_key(applicant.passport_number)
        if n % 2 == 0:  # half the photos, named after their person
            name = f"photo_{applicant.surname.lower().replace(' ', '_')}.jpg"
            files[name] = samples.jpeg(samples.passport_photo(seed=n))
            batch.owners[name] = passport_key(applicant.passport_number)
    files["covering-note.pdf"] = _note()
    batch.owners["covering-note.pdf"] = None
    if list_file:
        files[list_file[0]] = list_file[1]
        batch.owners[list_file[0]] = None
    _record_email(runtime, "hr@org.example", "Applications for our staff", files)


def _note() -> bytes:
    from mailroom import sample_letters
    return sample_letters.letter_pdf(sample_letters.Letter(
        "other", "en", "COVERING NOTE", ["Please find our applications enclosed.",
                                         "Office hours: Monday to Friday, 9:00 to 17:00."]))


def _send_post(runtime: Runtime, batch: Batch, rng: random.Random,
               list_file: tuple[str, bytes] | None) -> None:
    from mailroom import sample_letters
    pages: list[Image.Image] = []
    for i, applicant in enumerate(batch.applicants):
        pages.append(sample_letters.scan_of(_form(batch, applicant), dpi=200, seed=i,
                                            angle=rng.uniform(-1.5, 1.5)))
        batch.owners[f"page-{len(pages)}"] = passport_key(applicant.passport_number)
        pages.append(_passport(applicant, rng).convert("L"))
        batch.owners[f"page-{len(pages)}"] = passport_key(applicant.passport_number)
    folders = runtime.scan_folders()
    (folders.root / "postal-batch.tiff").write_bytes(samples.multipage_tiff(pages))
    if list_file:
        (folders.root / list_file[0]).write_bytes(list_file[1])
        batch.owners[list_file[0]] = None
    _intake_scans(runtime)


def _send_list(runtime: Runtime, batch: Batch, list_file: tuple[str, bytes],
               channel: str) -> None:
    batch.owners[list_file[0]] = None
    if channel == "email":
        _record_email(runtime, "hr@org.example", "Our list", {list_file[0]: list_file[1]})
    else:
        (runtime.scan_folders().root / list_file[0]).write_bytes(list_file[1])
        _intake_scans(runtime)


def _record_email(runtime: Runtime, sender: str, subject: str, files: dict[str, bytes]) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "intake@office.example", subject
    message.set_content("Please find the applications attached.")
    for name, data in files.items():
        maintype, subtype = {".pdf": ("application", "pdf"), ".jpg": ("image", "jpeg"),
                             ".png": ("image", "png")}[Path(name).suffix]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    raw = message.as_bytes()
    sha = runtime.blobs.put_bytes(raw)
    with runtime.session_factory.begin() as session:
        record_submission(session=session, channel=Channel.EMAIL, source=f"bench:{subject}",
                          filename="message.eml", sha256=sha, size=len(raw),
                          media_type="message/rfc822")
    process_pending(runtime)


def _intake_scans(runtime: Runtime) -> None:
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0,
                 limits=runtime.limits)
    process_pending(runtime)


class _fresh_runtime:  # a context manager, named like tempfile's
    def __enter__(self) -> Runtime:
        self.folder = Path(tempfile.mkdtemp(prefix="mailroom-bench-"))
        runtime = Runtime(Settings(data_dir=self.folder, scan_settle_seconds=0))
        upgrade_to_head(runtime.settings.resolved_database_url)
        runtime.scan_folders().ensure()
        return runtime

    def __exit__(self, *_: object) -> None:
        if os.environ.get("BENCH_KEEP"):  # to look at a failure with the CLI afterwards
            print(f"kept {self.folder}", file=sys.stderr)
            return
        shutil.rmtree(self.folder, ignore_errors=True)


# -- the corpus lists -----------------------------------------------------------------------

def run_corpus(limit: int) -> dict[str, Any]:
    truths = [json.loads(line) for line in (CORPUS / "truth.jsonl").read_text().splitlines()
              if line.strip()]
    lists = [t for t in truths if t["kind"] in LIST_MATERIAL
             and len(t["fields"].get("people") or []) >= 2
             and t["fields"].get("states_employed", True)][:limit]
    rng = random.Random(11)
    tally = Tally()
    for truth in lists:
        fields = truth["fields"]
        applicants = [_applicant(p) for p in fields["people"]]
        batch = Batch(truth["kind"], _latin_name(fields, "organization" if truth["kind"]
                                                 == "personnel_list_letter" else "school"),
                      applicants, fields)
        with _fresh_runtime() as runtime:
            started = time.perf_counter()
            data = (CORPUS / truth["file"]).read_bytes()
            name = f"list{Path(truth['file']).suffix}"
            _send_email(runtime, batch, rng, (name, data))
            tally.add(runtime, batch, time.perf_counter() - started,
                      f"{truth['file']} {truth['lang']} {truth.get('form', '')}")
    return tally.figures()


# -- scoring --------------------------------------------------------------------------------

def _whose(case: Case, batch: Batch) -> str | None:
    if case.applicant is None:
        return None
    key = passport_key(case.applicant.passport_number)
    for applicant in batch.applicants:
        if passport_key(applicant.passport_number) == key or same_person(
                f"{case.applicant.surname} {case.applicant.given_names}",
                f"{applicant.surname} {applicant.given_names}"):
            return passport_key(applicant.passport_number)
    return key


@dataclass
class Tally:
    batches: int = 0
    batches_right: int = 0
    applicants: int = 0
    documents: int = 0
    documents_right: int = 0
    wrong_person: int = 0
    rows: int = 0
    rows_exact: int = 0
    list_reached: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    owner_of: dict[int, str | None] = field(default_factory=dict)

    def add(self, runtime: Runtime, batch: Batch, seconds: float, label: str) -> None:
        self.batches += 1
        self.applicants += len(batch.applicants)
        self.seconds += seconds
        wanted = sorted(passport_key(a.passport_number) for a in batch.applicants)
        with runtime.session_factory() as session:
            cases = session.scalars(select(Case)).all()
            # whose each case is: the applicant its form names (a scanned form's number may be
            # misread: then the name says who it is, and validation flags the number)
            self.owner_of = {c.id: _whose(c, batch) for c in cases}
            opened = sorted(k for k in self.owner_of.values() if k)
            if opened == wanted and len(cases) == len(wanted):
                self.batches_right += 1
            else:
                self.failures.append(f"{label}: {len(cases)} case(s) for {len(wanted)} "
                                     "applicants")
            for case in cases:
                item = next((i for i in case.checklist
                             if i.material.value == LIST_MATERIAL[batch.kind]), None)
                self.list_reached += bool(item and item.state in (ChecklistState.ON_FILE,
                                                                   ChecklistState.PROVIDED))
            for document in session.scalars(select(Document)).all():
                self._score_document(document, batch, label)
            self._score_rows(session, batch)

    def _score_document(self, document: Document, batch: Batch, label: str) -> None:
        if document.kind is DocumentKind.EMAIL_BODY:
            return
        owner_name = document.filename
        if document.pages and document.submission.filename.endswith(".tiff"):
            owner_name = f"page-{document.pages[0].number}"
        if owner_name not in batch.owners:
            return  # a part nobody planned (a ZIP's container): not scored
        expected = batch.owners[owner_name]
        self.documents += 1
        filed_with = self.owner_of.get(document.case_id) if document.case_id else None
        if filed_with == expected:
            self.documents_right += 1
            return
        if filed_with is not None:
            self.wrong_person += 1
        self.failures.append(f"{label}: {owner_name} ({document.kind.value}) filed with "
                             f"{'a clerk' if filed_with is None else 'another applicant'}")

    def _score_rows(self, session: Any, batch: Batch) -> None:
        found = next((d.fields or {} for d in session.scalars(select(Document)).all()
                      if d.kind.value == batch.kind and (d.fields or {}).get("people")), {})
        by_number = {p.get("passport_number"): p for p in found.get("people") or []}
        for person in batch.list_truth["people"]:
            self.rows += 1
            got = by_number.get(person["passport_number"])
            self.rows_exact += bool(got and same_name(got.get("name"), person["name"])
                                    and got.get("nationality") == person["nationality"])

    def figures(self) -> dict[str, Any]:
        percent = lambda a, b: round(100 * a / b, 1) if b else None  # noqa: E731
        return {
            "batches": self.batches, "applicants": self.applicants,
            "batches_one_case_per_applicant_pct": percent(self.batches_right, self.batches),
            "documents_filed_right_pct": percent(self.documents_right, self.documents),
            "documents": self.documents,
            "documents_with_the_wrong_applicant": self.wrong_person,
            "list_rows_exact_pct": percent(self.rows_exact, self.rows),
            "cases_the_list_reached_pct": percent(self.list_reached, self.applicants),
            "seconds_per_batch": round(self.seconds / self.batches, 1) if self.batches else None,
            "failures": self.failures[:20],
        }


if __name__ == "__main__":
    main()
