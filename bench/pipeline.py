"""End to end on mixed mail: packets per minute, each stage's cost, the ratio to raw tesseract,
and how the cost grows from 100 to 10,000 cases already in the database.

    .venv/bin/python bench/pipeline.py [--packets 40] [--sizes 100 1000 10000] [--json FILE]

Half the packets are e-mails (a born-digital filled form PDF, a scanned passport page and a
photo, as JPEG attachments) put into a real Dovecot; half are postal packets (one scanned TIFF:
the printed and filled form, the passport page, an employment letter) dropped into the scan
folder. The stages are the product's own functions, as the flows call them: e-mail intake,
scan intake, processing (render, text layer, OCR, kinds, MRZ, form, checklist, cases) and the
outbox (a real SMTP server). Raw tesseract is the `tesseract` CLI (eng+chi_sim) on the same
scanned pages, with one process per core, as a clerk would run it by hand; the ratio is the
whole pipeline's wall time over it.

Growth: for each size the database is filled with that many cases (bench/review_queue.py's
filler), then a batch of packets goes through the pipeline into it; printed are the seconds per
packet, the reviewer queue's query (median of 30) and the process's peak memory for that size,
on SQLite and on PostgreSQL (a throwaway cluster, as in the tests).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from imapclient import IMAPClient
from PIL import Image

from bench.devset import degrade, random_person, random_td3
from bench.review_queue import _fresh_database, fill, measure
from intake.mailbox import connect, intake_mailbox
from intake.scans import intake_scans
from mailroom import sample_letters as letters
from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from processing.queue import process_pending
from servers.dovecot import dovecot_server
from servers.postgres import free_port, postgres_cluster
from servers.smtp import RecordingHandler
from storage.migrate import upgrade_to_head


class Packet:
    """One applicant's mail: how it arrives, its bytes, and its scanned pages (for raw OCR)."""

    def __init__(self, channel: str, payload: bytes, scanned_pages: list[Image.Image]) -> None:
        self.channel, self.payload, self.scanned_pages = channel, payload, scanned_pages


def make_packets(count: int, seed: int) -> list[Packet]:
    rng = random.Random(seed)
    packets = []
    for n in range(count):
        lines = random_td3(rng)
        person = random_person(rng)
        form = samples.application_form({
            **samples.APPLICANTS[n % 2], "surname": lines[0][5:].split("<<")[0].replace("<", " "),
            "passport_number": lines[1][:9].replace("<", ""), "email": f"applicant{n}@example.org"})
        passport = degrade(samples.passport_page(lines, dpi=rng.choice([200, 300])), rng)
        if n % 2 == 0:
            photo = samples.passport_photo(seed=n).convert("L")
            packets.append(Packet("email", _email(n, form, passport, photo), [passport, photo]))
        else:
            letter = letters.letter_pdf(letters.organization_letter(
                "employment_letter", "Hangzhou Example Technology Co., Ltd.", person,
                rng.choice(["en", "zh"])))
            pages = [letters.scan_of(form, seed=n, angle=0.6).convert("L"), passport.convert("L"),
                     letters.scan_of(letter, seed=n + 1).convert("L")]
            packets.append(Packet("post", samples.multipage_tiff(pages), pages))
    return packets


def _email(n: int, form: bytes, passport: Image.Image, photo: Image.Image) -> bytes:
    message = EmailMessage()
    message["From"] = f"Applicant {n} <applicant{n}@example.org>"
    message["To"] = "intake@office.example"
    message["Subject"] = f"Visa application {n}"
    message.set_content("Please find my application attached.\n申请材料见附件。")
    message.add_attachment(form, maintype="application", subtype="pdf", filename="form.pdf")
    message.add_attachment(samples.jpeg(passport, quality=80), maintype="image", subtype="jpeg",
                           filename="passport.jpg")
    message.add_attachment(samples.jpeg(photo), maintype="image", subtype="jpeg",
                           filename="photo.jpg")
    return message.as_bytes()


def run_pipeline(settings: Settings, packets: list[Packet]) -> dict[str, float]:
    """Deliver the packets, then time each stage as the flows run it."""
    mailbox = IMAPClient(settings.imap_host or "", port=settings.imap_port, ssl=False)
    mailbox.login(settings.imap_user or "", settings.imap_password or "")
    for number, packet in enumerate(packets):
        if packet.channel == "email":
            mailbox.append(settings.imap_folder, packet.payload)
        else:
            folder = settings.resolved_scan_dir
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"packet-{number:05}.tif.part").write_bytes(packet.payload)
            (folder / f"packet-{number:05}.tif.part").rename(folder / f"packet-{number:05}.tif")
    mailbox.logout()
    runtime = Runtime(settings)

    def email_intake() -> object:
        client = connect(settings, runtime.session_factory)
        try:
            return intake_mailbox(client=client, settings=settings, blobs=runtime.blobs,
                                  session_factory=runtime.session_factory)
        finally:
            client.logout()

    stages: list[tuple[str, Callable[[], object]]] = [
        ("email_intake", email_intake),
        ("scan_intake", lambda: intake_scans(
            folders=runtime.scan_folders(), blobs=runtime.blobs,
            session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)),
        ("processing", lambda: process_pending(runtime)),
        ("outbox", lambda: send_outbox(settings=settings, session_factory=runtime.session_factory,
                                       blobs=runtime.blobs)),
    ]
    seconds = {}
    for name, stage in stages:
        started = time.perf_counter()
        stage()
        seconds[name] = round(time.perf_counter() - started, 2)
    runtime.engine.dispose()
    return seconds


def raw_tesseract_seconds(packets: list[Packet], folder: Path) -> tuple[float, int]:
    paths = []
    for n, packet in enumerate(packets):
        for m, page in enumerate(packet.scanned_pages):
            path = folder / f"raw-{n:05}-{m}.png"
            page.save(path)
            paths.append(path)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(lambda path: subprocess.run(
            ["tesseract", str(path), "stdout", "-l", "eng+chi_sim"], capture_output=True,
            env=env, check=False, timeout=600), paths))
    return time.perf_counter() - started, len(paths)


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from the current RSS


def settings_for(folder: Path, database_url: str, imap: object, smtp_port: int, name: str) -> Settings:
    client = IMAPClient(imap.host, port=imap.port, ssl=False)  # type: ignore[attr-defined]
    client.login(imap.user, imap.password)  # type: ignore[attr-defined]
    client.create_folder(name)
    client.logout()
    return Settings(
        data_dir=folder / name, database_url=database_url, scan_dir=folder / name / "scans",
        scan_settle_seconds=0, imap_host=imap.host, imap_port=imap.port,  # type: ignore[attr-defined]
        imap_user=imap.user, imap_password=imap.password, imap_ssl="none",  # type: ignore[attr-defined]
        imap_folder=name, imap_processed_folder=f"{name}-processed",
        imap_quarantine_folder=f"{name}-quarantine", smtp_host="127.0.0.1", smtp_port=smtp_port,
        smtp_ssl="none", smtp_from="Exit-Entry Office <intake@office.example>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packets", type=int, default=40)
    parser.add_argument("--growth-packets", type=int, default=6)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, object] = {"cores": os.cpu_count()}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        imap = stack.enter_context(dovecot_server())
        smtp = Controller(RecordingHandler(), hostname="127.0.0.1", port=free_port())
        smtp.start()
        stack.callback(smtp.stop)

        packets = make_packets(args.packets, args.seed)
        settings = settings_for(folder, f"sqlite:///{folder}/main.sqlite3", imap, smtp.port, "main")
        upgrade_to_head(settings.resolved_database_url)
        stages = run_pipeline(settings, packets)
        raw, pages = raw_tesseract_seconds(packets, folder)
        total = sum(stages.values())
        results["end_to_end"] = {
            "packets": len(packets), "scanned_pages": pages, "stage_seconds": stages,
            "total_seconds": round(total, 2),
            "packets_per_minute": round(len(packets) / total * 60, 1),
            "raw_tesseract_seconds": round(raw, 2),
            "ratio_to_raw_tesseract": round(total / raw, 2),
        }
        _print_end_to_end(results["end_to_end"])  # type: ignore[arg-type]

        server = stack.enter_context(postgres_cluster(folder / "pg")) if args.sizes else ""
        growth = []
        for size in args.sizes:
            for database in ("sqlite", "postgresql"):
                url = (f"sqlite:///{folder}/grow-{size}.sqlite3" if database == "sqlite"
                       else _fresh_database(server, size))
                fill(url, size)  # migrates, then adds `size` cases
                reset_peak_rss()
                batch = make_packets(args.growth_packets, args.seed + size)
                stage_seconds = run_pipeline(
                    settings_for(folder, url, imap, smtp.port, f"grow-{database}-{size}"), batch)
                row = {"database": database, "cases": size,
                       "seconds_per_packet": round(sum(stage_seconds.values()) / len(batch), 2),
                       "queue_ms": measure(url)["queue_ms"], "peak_rss_mb": peak_rss_mb()}
                growth.append(row)
                print(f"{database:10} {size:>7} cases: {row['seconds_per_packet']:.2f} s/packet, "
                      f"queue {row['queue_ms']:.2f} ms, peak RSS {row['peak_rss_mb']:.0f} MB",
                      flush=True)
        results["growth"] = growth
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(json.dumps(results))


def _print_end_to_end(figures: dict) -> None:  # type: ignore[type-arg]
    out = io.StringIO()
    out.write(f"{figures['packets']} packets ({figures['scanned_pages']} scanned pages)\n")
    for stage, seconds in figures["stage_seconds"].items():
        out.write(f"  {stage:14} {seconds:8.2f} s\n")
    out.write(f"  {'total':14} {figures['total_seconds']:8.2f} s   "
              f"{figures['packets_per_minute']} packets/min\n")
    out.write(f"  raw tesseract  {figures['raw_tesseract_seconds']:8.2f} s   ratio "
              f"{figures['ratio_to_raw_tesseract']}x\n")
    print(out.getvalue(), flush=True)


if __name__ == "__main__":
    main()
