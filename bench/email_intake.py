"""E-mail intake throughput and peak memory against a real Dovecot (see bench/README.md)."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from imapclient import IMAPClient

from intake.mailbox import connect, intake_mailbox
from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from servers.dovecot import dovecot_server
from storage.migrate import upgrade_to_head


def application(n: int, form: bytes, scan: bytes, padding: int = 0) -> bytes:
    message = EmailMessage()
    message["From"] = f"applicant{n}@example.org"
    message["To"] = "intake@office.example"
    message["Subject"] = f"Application {n}"
    message.set_content(f"Application number {n}. 申请。")
    message.add_attachment(form, maintype="application", subtype="pdf", filename="form.pdf")
    message.add_attachment(scan, maintype="image", subtype="jpeg", filename="passport.jpg")
    if padding:
        message.add_attachment(os.urandom(padding), maintype="application", subtype="octet-stream",
                               filename="large.bin")
    return message.as_bytes()


def fill(host: str, port: int, user: str, password: str, count: int, large: int,
         form: bytes, scan: bytes) -> None:
    client = IMAPClient(host, port=port, ssl=False)
    client.login(user, password)
    for n in range(count):
        client.append("INBOX", application(n, form, scan, padding=20_000_000 if n < large else 0))
    client.logout()


def mailbox_bytes(host: str, port: int, user: str, password: str) -> int:
    client = IMAPClient(host, port=port, ssl=False)
    client.login(user, password)
    size = int(client.folder_status("INBOX", [b"SIZE"])[b"SIZE"])
    client.logout()
    return size


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--large", type=int, default=3, help="messages of about 20 MB")
    args = parser.parse_args()
    form = samples.application_form(samples.APPLICANTS[0])
    scan = samples.jpeg(samples.text_page("passport copy", []))
    with tempfile.TemporaryDirectory() as tmp, dovecot_server() as server:
        settings = Settings(data_dir=Path(tmp), imap_host=server.host, imap_port=server.port,
                            imap_batch_bytes=int(os.environ.get("BENCH_BATCH_BYTES", 20_000_000)),
                            imap_user=server.user, imap_password=server.password, imap_ssl="none")
        upgrade_to_head(settings.resolved_database_url)
        # Filled from a child process, so that building 20 MB test messages does not count
        # towards the intake's peak memory measured in this one.
        filler = multiprocessing.get_context("fork").Process(
            target=fill, args=(server.host, server.port, server.user, server.password,
                               args.messages, args.large, form, scan))
        filler.start()
        filler.join()
        total_bytes = mailbox_bytes(server.host, server.port, server.user, server.password)
        baseline = peak_rss_mb()
        runtime = Runtime(settings)
        client = connect(settings)
        started = time.perf_counter()
        outcomes = intake_mailbox(client=client, settings=settings, blobs=runtime.blobs,
                                  session_factory=runtime.session_factory)
        elapsed = time.perf_counter() - started
        client.logout()
        figures = {
            "messages": len(outcomes),
            "mailbox_mb": round(total_bytes / 1e6, 1),
            "seconds": round(elapsed, 2),
            "messages_per_second": round(len(outcomes) / elapsed, 1),
            "mb_per_second": round(total_bytes / 1e6 / elapsed, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "peak_rss_mb_before_intake": round(baseline, 1),
        }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
