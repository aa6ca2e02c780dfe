"""Every command a new office runs, by the installed ``mailroom`` from an empty folder."""

from __future__ import annotations

import io
import re
import signal
import ssl
import subprocess
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from mailroom import samples
from servers.postgres import free_port
from tests.installed.conftest import ROOT, Installed, user_environment

pytestmark = pytest.mark.slow
PACKAGES = ("mailroom", "flows", "extractors", "validators", "storage", "intake", "processing",
            "notices", "shipping", "web")
PASSWORD = "correct horse battery staple"


def run(installed: Installed, folder: Path, *args: str, stdin: str | None = None,
        timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(installed.mailroom), *args], cwd=folder, input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env=user_environment(folder, **env))


def test_every_package_and_its_data_are_in_the_wheel(installed: Installed, elsewhere: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    with zipfile.ZipFile(installed.wheel) as wheel:
        inside = set(wheel.namelist())
    missing = [path for path in tracked if path not in inside]
    assert not missing, f"not in the wheel: {missing}"
    assert {"web/templates/case.html", "extractors/data/mrz_glyphs.npz",
            "validators/office_policy.yaml", "web/roles.yaml"} <= inside
    # and what runs is the installed copy, not the checkout
    where = subprocess.run([str(installed.python), "-c", "import web, extractors, mailroom; "
                            "print(web.__file__, extractors.__file__, mailroom.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout
    assert str(ROOT) not in where and where.count(str(installed.venv)) == 3


def test_help_init_doctor_form_and_extract(installed: Installed, elsewhere: Path) -> None:
    helped = run(installed, elsewhere, "--help")
    assert helped.returncode == 0
    for command in ("init", "demo", "users", "web", "serve", "doctor", "extract", "cover-sheet",
                    "form", "cases", "submissions", "shipping"):
        assert re.search(rf"│ {re.escape(command)}\s", helped.stdout), command
    assert run(installed, elsewhere, "cases", "--help").returncode == 0

    initialised = run(installed, elsewhere, "init")
    assert initialised.returncode == 0, initialised.stderr
    assert "database ready" in initialised.stdout
    assert (elsewhere / "data" / "mailroom.sqlite3").exists()

    doctor = run(installed, elsewhere, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert re.search(r"ok\s+tesseract", doctor.stdout)
    assert "FAIL" not in doctor.stdout

    form = run(installed, elsewhere, "form", "-o", "blank.pdf")
    assert form.returncode == 0, form.stderr
    drawn = (elsewhere / "blank.pdf").read_bytes()
    assert drawn == (ROOT / "forms" / "application_form.pdf").read_bytes()
    fields = PdfReader(io.BytesIO(drawn)).get_fields() or {}
    assert fields["application_type"]["/FT"] == "/Ch"

    passport = elsewhere / "passport scan.png"
    lines = samples.td3_lines(surname="ERIKSSON", given_names="ANNA MARIA", nationality="SWE",
                              number="L898902C3", birth="740812", sex="F", expiry="320415")
    passport.write_bytes(samples.png(samples.passport_page(lines, dpi=300)))
    extracted = run(installed, elsewhere, "extract", passport.name)
    assert extracted.returncode == 0, extracted.stderr
    assert "passport" in extracted.stdout and "MRZ valid" in extracted.stdout
    assert "L898902C3" in extracted.stdout


def test_demo_then_the_commands_it_prints_then_a_cover_sheet(
    installed: Installed, elsewhere: Path
) -> None:
    demo = run(installed, elsewhere, "demo")
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    references = sorted(set(re.findall(r"MR-\d{4}-\d{6}", demo.stdout)))
    assert len(references) >= 2
    # the closing lines are commands that work as printed, from where the demo ran
    printed = [line.strip() for line in demo.stdout.splitlines()
               if line.strip().startswith("MAILROOM_DATA_DIR=")]
    assert len(printed) >= 3
    for line in printed:
        done = subprocess.run(line, shell=True, cwd=elsewhere, capture_output=True, text=True,
                              timeout=120, env=user_environment(elsewhere))
        assert done.returncode == 0, (line, done.stderr)
        assert references[0] in done.stdout or "processed" in done.stdout
    sheet = run(installed, elsewhere, "cover-sheet", references[0], MAILROOM_DATA_DIR=str(
        elsewhere / "mailroom-demo"))
    assert sheet.returncode == 0, sheet.stderr
    assert (elsewhere / f"cover-{references[0]}.pdf").read_bytes().startswith(b"%PDF")


def test_web_signs_a_reviewer_in(installed: Installed, elsewhere: Path) -> None:
    assert run(installed, elsewhere, "init").returncode == 0
    added = run(installed, elsewhere, "users", "add", "rita", "--role", "reviewer",
                stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    port = free_port()
    with _running(installed, elsewhere, "web", MAILROOM_WEB_PORT=str(port)) as process:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/login", process)
        _sign_in_and_see_the_queue(base)


def test_web_serves_https_with_the_offices_certificate(installed: Installed, elsewhere: Path) -> None:
    cert, key = _self_signed_certificate(elsewhere, "mailroom.office.example")
    assert run(installed, elsewhere, "init").returncode == 0
    assert run(installed, elsewhere, "users", "add", "rita", "--role", "reviewer",
               stdin=PASSWORD + "\n").returncode == 0
    port = free_port()
    with _running(installed, elsewhere, "web", MAILROOM_WEB_PORT=str(port),
                  MAILROOM_WEB_TLS_CERT=str(cert), MAILROOM_WEB_TLS_KEY=str(key)) as process:
        base = f"https://127.0.0.1:{port}"
        trust = ssl.create_default_context(cafile=str(cert))
        _wait_for(f"{base}/login", process, verify=trust)
        # over HTTPS the sign-in works from any name the certificate is for, not only loopback
        with httpx.Client(base_url=base, verify=trust, timeout=20) as http:
            form = http.get("/login", headers={"Host": "mailroom.office.example"})
            assert 'name="password"' in form.text
        _sign_in_and_see_the_queue(base, verify=trust)
        with pytest.raises(httpx.TransportError):  # and no plain HTTP on that port
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)


def test_demo_web_shows_a_newcomer_the_queue_a_case_and_the_dashboard(
    installed: Installed, elsewhere: Path
) -> None:
    port = free_port()
    with _running(installed, elsewhere, "demo", "--web", MAILROOM_WEB_PORT=str(port)) as process:
        _wait_for(f"http://127.0.0.1:{port}/login", process, timeout=300)
        printed = (elsewhere / "server.log").read_text()
        passwords = dict(re.findall(r"(demo-\w+)\s+\w+\s+password: (\S+)", printed))
        assert set(passwords) == {"demo-reviewer", "demo-clerk", "demo-operator"}
        base = f"http://127.0.0.1:{port}"
        reviewer = _signed_in(base, "demo-reviewer", passwords["demo-reviewer"])
        queue = reviewer.get("/queue")
        references = sorted(set(re.findall(r"/cases/(MR-\d{4}-\d{6})", queue.text)))
        assert references, "the demo's cases are in the queue"
        case = reviewer.get(f"/cases/{references[0]}")
        images = re.findall(r'src="(/cases/MR-[^"]+/pages/\d+)"', case.text)
        assert case.status_code == 200 and images
        assert reviewer.get(images[0]).content.startswith(b"\x89PNG")
        operator = _signed_in(base, "demo-operator", passwords["demo-operator"])
        assert operator.get("/dashboard").status_code == 200
        clerk = _signed_in(base, "demo-clerk", passwords["demo-clerk"])
        assert "truncated-copy.pdf" in clerk.get("/problems").text


def test_serve_starts_answers_and_stops_cleanly(installed: Installed, elsewhere: Path) -> None:
    assert run(installed, elsewhere, "init").returncode == 0
    assert run(installed, elsewhere, "users", "add", "rita", "--role", "reviewer",
               stdin=PASSWORD + "\n").returncode == 0
    web_port, prefect_port = free_port(), free_port()
    # started as a shell script's background job is, with Ctrl-C ignored: it stops all the same
    with _running(installed, elsewhere, "serve", MAILROOM_WEB_PORT=str(web_port),
                  MAILROOM_PREFECT_PORT=str(prefect_port), MAILROOM_POLL_INTERVAL_SECONDS="5",
                  sigint_ignored=True) as process:
        _wait_for(f"http://127.0.0.1:{prefect_port}/api/health", process, timeout=180)
        _wait_for(f"http://127.0.0.1:{web_port}/login", process)
        _sign_in_and_see_the_queue(f"http://127.0.0.1:{web_port}")
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=90) == 0
        except subprocess.TimeoutExpired:
            raise AssertionError((elsewhere / "server.log").read_text()[-3000:]) from None
    with pytest.raises(httpx.TransportError):  # the Prefect server it started went with it
        httpx.get(f"http://127.0.0.1:{prefect_port}/api/health", timeout=3)


def _sign_in_and_see_the_queue(base: str, verify: ssl.SSLContext | bool = True) -> None:
    http = _signed_in(base, "rita", PASSWORD, verify=verify)
    queue = http.get("/queue")
    assert queue.status_code == 200 and "rita" in queue.text


def _signed_in(base: str, name: str, password: str, verify: ssl.SSLContext | bool = True) -> httpx.Client:
    """A client carrying the session cookie by hand (httpx keeps Secure cookies from http://)."""
    http = httpx.Client(base_url=base, follow_redirects=False, timeout=20, verify=verify)
    form = http.get("/login")
    assert form.status_code == 200
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert token is not None
    signed = http.post("/login", data={"name": name, "password": password,
                                       "login_csrf": token.group(1), "next": "/queue"},
                       headers={"Cookie": f"mailroom_login_csrf={token.group(1)}"})
    assert signed.status_code == 303, signed.text
    session = re.search(r"mailroom_session=([^;]+)", signed.headers["set-cookie"])
    assert session is not None
    http.headers["Cookie"] = f"mailroom_session={session.group(1)}"
    return http


def _self_signed_certificate(folder: Path, name: str) -> tuple[Path, Path]:
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    cert, key_file = folder / "office.crt", folder / "office.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert, key_file


@contextmanager
def _running(installed: Installed, folder: Path, *args: str, sigint_ignored: bool = False,
             **env: str) -> Iterator[subprocess.Popen[str]]:
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([str(installed.mailroom), *args], cwd=folder, text=True,
                               stdout=log, stderr=subprocess.STDOUT,
                               env=user_environment(folder, **env),
                               preexec_fn=_ignore_sigint if sigint_ignored else None)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _wait_for(url: str, process: subprocess.Popen[str], timeout: float = 60,
              verify: ssl.SSLContext | bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"stopped with {process.returncode}"
        try:
            if httpx.get(url, timeout=2, verify=verify).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")
