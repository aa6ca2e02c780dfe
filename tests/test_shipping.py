"""Two-way express: dispatch rules, Kuaidi100 tracking against a local server speaking its
protocol, alerts, pushes, labels and custody."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from mailroom.runtime import Runtime
from mailroom.samples import APPLICANTS
from shipping.carriers import CarrierError, CarrierRateLimited, ShipmentStatus
from shipping.kuaidi100 import Kuaidi100, sign, verify_push
from shipping.service import (
    ShippingError,
    apply_tracking,
    dispatch,
    record_custody,
    track_open_shipments,
)
from storage.cases import change_status, find_or_add_applicant, get_case, open_case
from storage.enums import CaseStatus
from storage.models import Case, Review, SentMessage, Shipment, User
from storage.views import case_view
from tests.helpers import run_cli
from tests.kuaidi100_server import Kuaidi100Server, answer

RETURN = {"return_recipient": "Erika Mustermann", "return_phone": "13800000001",
          "return_address": "1 Sample Road, Xihu District, Hangzhou", "return_postcode": "310000"}
NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
HALF_HOUR = dt.timedelta(minutes=30)


@pytest.fixture
def kuaidi100() -> Iterator[Kuaidi100Server]:
    server = Kuaidi100Server()
    server.url = server.start()  # type: ignore[attr-defined]
    yield server
    server.stop()


def _decided_case(runtime: Runtime, *, form: dict[str, str] | None = None,
                  status: CaseStatus = CaseStatus.APPROVED, four_eyes: bool = False) -> str:
    with runtime.session_factory.begin() as session:
        applicant = find_or_add_applicant(session=session, surname="MUSTERMANN",
                                          given_names="ERIKA", nationality="D",
                                          passport_number="C01X00T47")
        case = open_case(session=session, actor="test", applicant=applicant,
                         application_type="visa_extension",
                         form_fields={**APPLICANTS[0], **RETURN} if form is None else form)
        case.contact_email, case.four_eyes = "erika@example.org", four_eyes
        steps = [CaseStatus.VALIDATING, CaseStatus.READY_FOR_REVIEW, CaseStatus.IN_REVIEW]
        for step in dict.fromkeys([*steps, status]):
            change_status(session=session, case=case, to=step, actor="reviewer")
        return case.reference


def _dispatch(runtime: Runtime, reference: str, waybill: str = "EA123456789CN") -> None:
    with runtime.session_factory.begin() as session:
        dispatch(session=session, case=get_case(session=session, reference=reference),
                 actor="clerk wang", today=dt.date(2026, 11, 23), waybill=waybill, carrier=None,
                 default_carrier="ems", notices=runtime.notices)


def test_a_passport_leaves_only_once_after_the_decision_with_an_address(runtime: Runtime) -> None:
    undecided = _decided_case(runtime, status=CaseStatus.IN_REVIEW)
    with pytest.raises(ShippingError, match="after the final decision"):
        _dispatch(runtime, undecided)
    no_address = _decided_case(runtime, form=dict(APPLICANTS[0]))
    with pytest.raises(ShippingError, match="no return address"):
        _dispatch(runtime, no_address)

    pending = _decided_case(runtime, four_eyes=True)
    with runtime.session_factory.begin() as session:
        reviewer = User(name="li", role="reviewer")
        session.add(reviewer)
        session.flush()
        session.add(Review(case_id=get_case(session=session, reference=pending).id,
                           reviewer_id=reviewer.id, decision="approve"))
    with pytest.raises(ShippingError, match="second reviewer"):
        _dispatch(runtime, pending)

    ready = _decided_case(runtime)
    _dispatch(runtime, ready)
    with pytest.raises(ShippingError, match="already dispatched"):
        _dispatch(runtime, ready, waybill="EA999999999CN")
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=ready)
        view = case_view(case)
        assert view["status"] == "returning"
        assert view["shipments"] == [{"direction": "return", "carrier": "ems",
                                      "waybill": "EA123456789CN", "status": "created"}]
        [notice] = session.scalars(select(SentMessage).where(
            SentMessage.case_id == case.id, SentMessage.kind == "dispatch_notice")).all()
        assert "EA123456789CN" in notice.body and "寄出" in notice.body


def test_tracking_speaks_kuaidi100_and_records_each_event_once(
    runtime: Runtime, kuaidi100: Kuaidi100Server
) -> None:
    reference = _decided_case(runtime)
    _dispatch(runtime, reference)
    transit = [("2026-11-23 09:00:00", "已揽收"), ("2026-11-23 15:00:00", "到达杭州处理中心")]
    kuaidi100.scripts["EA123456789CN"] = [
        answer("EA123456789CN", "0", transit),
        answer("EA123456789CN", "3", [*transit, ("2026-11-24 10:30:00", "已签收，本人签收")]),
    ]
    carrier = Kuaidi100(url=kuaidi100.url, customer=kuaidi100.customer,  # type: ignore[attr-defined]
                        key=kuaidi100.key, timeout=1)

    def track(now: dt.datetime):  # type: ignore[no-untyped-def]
        return track_open_shipments(session_factory=runtime.session_factory, carrier=carrier,
                                    now=now, min_poll_interval=HALF_HOUR,
                                    stall_after=dt.timedelta(days=3))

    first = track(NOW)
    assert (first.polled, first.new_events, first.delivered) == (1, 2, 0)
    assert track(NOW + dt.timedelta(minutes=10)).polled == 0  # never faster than every 30 min
    last = track(NOW + dt.timedelta(minutes=31))
    assert (last.polled, last.new_events, last.delivered) == (1, 1, 1)
    assert track(NOW + dt.timedelta(hours=2)).polled == 0  # delivered: closed, not polled

    [request, _] = kuaidi100.requests
    param = json.loads(request["param"])
    assert param == {"com": "ems", "num": "EA123456789CN", "phone": "13800000001"}
    assert request["sign"] == sign(request["param"] + kuaidi100.key + kuaidi100.customer)
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        assert case.status is CaseStatus.CLOSED
        [shipment] = case.shipments
        assert shipment.status == "delivered" and len(shipment.events) == 3
        assert case_custody(session, case) == ["dispatched", "delivered"]


def case_custody(session, case: Case) -> list:  # type: ignore[no-untyped-def]
    from storage.models import CustodyEvent

    return list(session.scalars(select(CustodyEvent.event).where(CustodyEvent.case_id == case.id)
                                .order_by(CustodyEvent.id)).all())


def test_courier_errors_defer_or_report_and_lose_nothing(
    runtime: Runtime, kuaidi100: Kuaidi100Server
) -> None:
    waybills = {"EA000000001CN": ["TIMEOUT"], "EA000000002CN": ["MALFORMED"],
                "EA000000003CN": ["HTTP500"], "EA000000004CN": None}
    for number, script in waybills.items():
        _dispatch(runtime, _decided_case(runtime), waybill=number)
        if script:
            kuaidi100.scripts[number] = script
    carrier = Kuaidi100(url=kuaidi100.url, customer=kuaidi100.customer,  # type: ignore[attr-defined]
                        key=kuaidi100.key, timeout=1)
    report = track_open_shipments(session_factory=runtime.session_factory, carrier=carrier,
                                  now=NOW, min_poll_interval=HALF_HOUR,
                                  stall_after=dt.timedelta(days=3))
    assert (report.polled, report.errors, report.new_events) == (4, 4, 0)
    # A wrong key: the service refuses the signature, and says so.
    wrong = Kuaidi100(url=kuaidi100.url, customer=kuaidi100.customer,  # type: ignore[attr-defined]
                      key="not-the-key", timeout=1)
    with pytest.raises(CarrierError, match="验证签名失败"):
        wrong.query("EA000000004CN", "ems", None)
    # Asked again within its lock (60 s here, as if our clock had gone wrong), the service
    # refuses every waybill: each is deferred to a later run, none counted as an error.
    kuaidi100.lock_seconds = 60
    kuaidi100.scripts["EA000000004CN"] = [answer("EA000000004CN", "0", [("2026-11-23 09:00:00", "x")])]
    later = NOW + HALF_HOUR
    report = track_open_shipments(session_factory=runtime.session_factory, carrier=carrier,
                                  now=later, min_poll_interval=HALF_HOUR,
                                  stall_after=dt.timedelta(days=3))
    assert (report.polled, report.errors, report.deferred) == (4, 0, 4)
    with pytest.raises(CarrierRateLimited, match="频繁"):
        carrier.query("EA000000004CN", "ems", None)
    with runtime.session_factory.begin() as session:
        assert all(s.closed_at is None for s in session.scalars(select(Shipment)))


def test_a_stalled_or_returned_parcel_raises_one_alert(
    runtime: Runtime, kuaidi100: Kuaidi100Server
) -> None:
    stalled, returned = _decided_case(runtime), _decided_case(runtime)
    _dispatch(runtime, stalled, waybill="EA000000010CN")
    _dispatch(runtime, returned, waybill="SF1234567890123")
    kuaidi100.scripts["EA000000010CN"] = [answer("EA000000010CN", "0",
                                                 [("2026-11-18 09:00:00", "已揽收")])]
    kuaidi100.scripts["SF1234567890123"] = [answer("SF1234567890123", "6", [
        ("2026-11-22 09:00:00", "已揽收"), ("2026-11-22 18:00:00", "收件人拒收，退回寄件人")],
        com="shunfeng")]
    carrier = Kuaidi100(url=kuaidi100.url, customer=kuaidi100.customer,  # type: ignore[attr-defined]
                        key=kuaidi100.key, timeout=1)
    for hours in (0, 1, 2):
        track_open_shipments(session_factory=runtime.session_factory, carrier=carrier,
                             now=NOW + dt.timedelta(hours=hours), min_poll_interval=HALF_HOUR,
                             stall_after=dt.timedelta(days=3))
    with runtime.session_factory.begin() as session:
        assert [f["code"] for f in case_view(get_case(session=session, reference=stalled))[
            "flags"]] == ["parcel_stalled"]
        assert [f["code"] for f in case_view(get_case(session=session, reference=returned))[
            "flags"]] == ["parcel_returned"]


def test_a_push_is_accepted_only_with_its_signature(runtime: Runtime) -> None:
    reference = _decided_case(runtime)
    _dispatch(runtime, reference, waybill="EA000000020CN")
    param = json.dumps({"status": "polling", "billstatus": "check", "message": "",
                        "lastResult": answer("EA000000020CN", "3", [
                            ("2026-11-24 10:30:00", "已签收")])}, ensure_ascii=False)
    with pytest.raises(CarrierError, match="signature"):
        verify_push(param, sign(param + "wrong-salt"), "salt")
    tracking = verify_push(param, sign(param + "salt"), "salt")
    assert tracking.status is ShipmentStatus.DELIVERED
    with runtime.session_factory.begin() as session:
        [shipment] = get_case(session=session, reference=reference).shipments
        assert apply_tracking(session=session, shipment=shipment, tracking=tracking,
                              source="push") == 1
        assert apply_tracking(session=session, shipment=shipment, tracking=tracking,
                              source="push") == 0  # the same push again records nothing


def test_labels_manifest_and_custody_export_from_the_command_line(
    runtime: Runtime, cli_env: dict[str, str], tmp_path: Path
) -> None:
    references = [_decided_case(runtime) for _ in range(2)]
    for reference, waybill in zip(references, ("EA000000031CN", "EA000000032CN"), strict=True):
        with runtime.session_factory.begin() as session:
            record_custody(session=session, case=get_case(session=session, reference=reference),
                           step="stored", actor="clerk wang", location="safe A-3")
        result = run_cli(["shipping", "dispatch", reference, "--waybill", waybill], cli_env)
        assert result.returncode == 0, result.stderr
    again = run_cli(["shipping", "dispatch", references[0], "--waybill", "EA1"], cli_env)
    assert again.returncode == 4 and "already dispatched" in again.stderr

    today = runtime.validation().today.isoformat()
    output = tmp_path / "labels.pdf"
    result = run_cli(["shipping", "labels", today, "-o", str(output)], cli_env)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(output)
    assert len(reader.pages) == 3  # two labels, one dispatch list
    assert references[0] in reader.pages[0].extract_text()
    manifest = reader.pages[2].extract_text()
    assert "EA000000031CN" in manifest and "EA000000032CN" in manifest
    label = pdfium.PdfDocument(str(output))[1].render(scale=300 / 72).to_pil()
    assert [b.text for b in zxingcpp.read_barcodes(label)] == ["EA000000032CN"]

    listed = json.loads(run_cli(["shipping", "list", "--json"], cli_env).stdout)
    assert {row["waybill"] for row in listed} == {"EA000000031CN", "EA000000032CN"}
    export = run_cli(["custody", "export", references[0]], cli_env)
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert [(r["step"], r["location"]) for r in rows] == [
        ("stored", "safe A-3"), ("dispatched", "ems EA000000031CN")]


@pytest.mark.slow
def test_a_posted_passport_enters_custody_and_its_parcel_is_tracked(runtime: Runtime) -> None:
    from extractors.cover_sheet import make_cover_sheet
    from intake.scans import intake_scans
    from mailroom import samples
    from processing.queue import process_pending
    from tests.helpers import drop

    def post(name: str, data: bytes) -> list[str]:
        drop(runtime.scan_folders().root, name, data)
        intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                     session_factory=runtime.session_factory, settle_seconds=0,
                     limits=runtime.limits)
        return [r for outcome in process_pending(runtime) for r in outcome.case_references]

    [reference] = post("form.pdf", samples.application_form(
        {**APPLICANTS[0], **RETURN, "inbound_waybill": "SF1234567890123"}))
    passport = samples.passport_page(samples.td3_lines(
        surname="MUSTERMANN", given_names="ERIKA", nationality="D", number="C01X00T47",
        birth="840812", sex="F", expiry="310228"), dpi=300)
    post("passport.tiff", samples.multipage_tiff(
        [samples.pdf_page_image(make_cover_sheet(reference)), passport]))
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        assert case_custody(session, case) == ["received"]  # once, however often validated
        assert case_view(case)["shipments"] == [{"direction": "inbound", "carrier": "sf",
                                                 "waybill": "SF1234567890123",
                                                 "status": "created"}]
