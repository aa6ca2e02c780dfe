"""Parse an e-mail (RFC 5322 bytes) into what the office needs: who, what, body, attachments.

Contract: ``parse_message(raw)`` never raises on malformed MIME (real mail is full of it: missing
boundaries, unknown charsets, broken base64); it degrades to the best reading and records what
it could not read in ``problems``. ``check_message(raw)`` raises ``BadInputError`` for bytes
that are not an e-mail at all, which intake quarantines.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr

from mailroom.errors import ArchiveBombError, CorruptArchiveError, NotAnEmailError

# Chinese mail often labels GBK or GB18030 text as GB2312; GB18030 is their superset.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
                   "big5": "big5hkscs", "ks_c_5601-1987": "cp949", "unknown-8bit": "utf-8"}
HEADER_NAMES = ("from", "to", "subject", "date", "message-id", "content-type", "received",
                "mime-version", "return-path")
MAX_NESTING = 10


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMessage:
    subject: str
    sender: str  # address only
    message_id: str | None
    in_reply_to: list[str]
    automated: bool  # auto-reply, bounce, list: never answered, never a new case
    body_text: str
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # a delivery status report (RFC 3464) saying these messages could not be delivered: the
    # Message-IDs of the originals it returns
    undelivered: list[str] = field(default_factory=list)


def check_message(raw: bytes) -> None:
    if not raw.strip():
        raise NotAnEmailError("The message is empty.")
    head = raw[:65536].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0].lower()
    names = {line.split(b":", 1)[0].strip().decode("ascii", "replace")
             for line in head.splitlines() if b":" in line and not line[:1].isspace()}
    if not names & set(HEADER_NAMES):
        raise NotAnEmailError(
            "These bytes are not an e-mail: no From, To, Subject, Date or Content-Type header."
        )
    if not _may_hold_zip(raw):
        return  # parsing a large message costs memory; most have no archive at all
    from extractors.archives import extract_zip, is_zip  # archives imports safe_filename from here

    for attachment in parse_message(raw).attachments:
        if is_zip(attachment.data, attachment.filename, attachment.content_type):
            try:
                extract_zip(attachment.data)
            except ArchiveBombError as e:
                raise ArchiveBombError(f"{attachment.filename}: {e.message}") from e
            except CorruptArchiveError:
                continue  # a damaged zip is kept as a document with its reason, not quarantined


_ZIP_HINT = re.compile(rb"(?i)\.zip|/(x-)?zip")


def _may_hold_zip(raw: bytes) -> bool:
    # A ZIP is only unpacked when its name or type says so (extractors/archives.is_zip), and
    # '.' never occurs in base64, so this cheap look at the bytes rules most messages out.
    return _ZIP_HINT.search(raw) is not None


def parse_message(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    parsed = ParsedMessage(
        subject=header_text(message, "Subject"),
        sender=parseaddr(header_text(message, "From"))[1].lower(),
        message_id=(header_text(message, "Message-ID") or None),
        in_reply_to=re.findall(r"<[^>]+>", header_text(message, "In-Reply-To") + " "
                               + header_text(message, "References")),
        automated=is_automated(message),
        body_text="",
    )
    bodies: list[str] = []
    _walk(message, parsed, bodies, depth=0)
    parsed.body_text = "\n\n".join(b.strip() for b in bodies if b.strip())
    parsed.undelivered = undelivered_message_ids(message)
    return parsed


def undelivered_message_ids(message: Message) -> list[str]:
    """The originals a delivery status notification (multipart/report; report-type
    delivery-status) reports as failed: their Message-IDs, from the returned message or its
    headers. A delay notice ("Action: delayed") or an ordinary message gives none."""
    if message.get_content_type() != "multipart/report" \
            or str(message.get_param("report-type") or "").lower() != "delivery-status":
        return []
    payload = message.get_payload()
    parts = payload if isinstance(payload, list) else []
    status = " ".join(_part_text(p) for p in parts if p.get_content_type() == "message/delivery-status")
    if not re.search(r"(?im)^\s*action:\s*failed", status):
        return []
    ids: list[str] = []
    for part in parts:
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            ids += [header_text(m, "Message-ID") for m in (inner if isinstance(inner, list) else [])
                    if isinstance(m, Message)]
        elif part.get_content_type() == "text/rfc822-headers":
            ids += re.findall(r"(?im)^message-id:\s*(<[^>]+>)", _part_text(part))
    return [i.strip() for i in ids if i.strip()]


def _part_text(part: Message) -> str:
    """A part's text whether the parser kept it as a payload string or as header blocks
    (compat32 parses message/delivery-status into a list of header sets)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n".join(str(p) for p in payload)
    data = part.get_payload(decode=True)
    return _decode(data, "utf-8") if isinstance(data, bytes) else str(payload or "")


def header_text(message: Message, name: str) -> str:
    """A header as text, decoding RFC 2047 words in any charset we can, never raising."""
    value = message.get(name)
    if value is None:
        return ""
    try:
        parts = email.header.decode_header(str(value))
    except (email.errors.HeaderParseError, ValueError):
        return _clean(str(value))
    text = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            text.append(_decode(chunk, charset or "utf-8"))
        else:
            text.append(chunk)
    return _clean("".join(text))


def is_automated(message: Message) -> bool:
    auto = header_text(message, "Auto-Submitted").lower()
    precedence = header_text(message, "Precedence").lower()
    sender = parseaddr(header_text(message, "From"))[1].lower()
    return_path = header_text(message, "Return-Path").strip()
    content_type = message.get_content_type()
    return bool(
        (auto and auto != "no")
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or message.get("List-Id") or message.get("List-Unsubscribe")
        or message.get("X-Autoreply") or message.get("X-Autorespond")
        or return_path == "<>"
        or sender.startswith(("mailer-daemon@", "postmaster@"))
        or content_type == "multipart/report"
    )


def _walk(part: Message, parsed: ParsedMessage, bodies: list[str], depth: int) -> None:
    if depth > MAX_NESTING:
        parsed.problems.append("message nested too deeply; inner parts skipped")
        return
    content_type = part.get_content_type()
    if part.is_multipart():
        payload = part.get_payload()
        if isinstance(payload, list):
            for child in payload:
                if isinstance(child, Message):
                    _walk(child, parsed, bodies, depth + 1)
        return
    if content_type == "message/rfc822":
        # compat32 keeps a forwarded message as a one-item list of Message
        inner = part.get_payload()
        for child in inner if isinstance(inner, list) else []:
            if isinstance(child, Message):
                bodies.append(f"--- forwarded message: {header_text(child, 'Subject')} ---")
                _walk(child, parsed, bodies, depth + 1)
        return
    data = _payload_bytes(part, parsed)
    filename = attachment_filename(part)
    disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    is_text = content_type in {"text/plain", "text/html"} or part.get_content_maintype() == "text"
    if is_text and not filename and disposition != "attachment":
        text = _decode(data, part.get_content_charset() or "utf-8")
        bodies.append(html_to_text(text) if content_type == "text/html" else text)
        return
    if not data:
        return
    parsed.attachments.append(
        Attachment(filename=filename or _default_name(content_type, len(parsed.attachments) + 1),
                   content_type=content_type, data=data)
    )


def _payload_bytes(part: Message, parsed: ParsedMessage) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, AssertionError) as e:
        parsed.problems.append(f"undecodable part ({type(e).__name__})")
        return b""
    if data is None:
        raw = part.get_payload()
        return raw.encode("utf-8", "replace") if isinstance(raw, str) else b""
    return data


def attachment_filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name") or ""
    except (AttributeError, TypeError, ValueError, LookupError):
        # 8-bit bytes in the header make compat32 hand back a Header object; read it as text
        match = re.search(r'name\*?="?([^";]+)', str(part.get("Content-Disposition") or "")
                          + str(part.get("Content-Type") or ""))
        name = match.group(1) if match else ""
    if isinstance(name, tuple):  # RFC 2231 triple that the parser could not collapse
        name = email.utils.collapse_rfc2231_value(name)
    decoded = header_text(_FakeHeader(str(name)), "X") if "=?" in str(name) else str(name)
    return safe_filename(decoded)


class _FakeHeader(Message):
    def __init__(self, value: str) -> None:
        super().__init__()
        self["X"] = value


def safe_filename(name: str) -> str:
    """No folders, no control characters, no leading dots; at most 200 characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    return name[:200]


def _default_name(content_type: str, index: int) -> str:
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
                 "image/tiff": ".tiff", "application/ms-tnef": ".dat"}.get(content_type, ".bin")
    return f"attachment-{index}{extension}"


def _decode(data: bytes, charset: str) -> str:
    charset = CHARSET_ALIASES.get(charset.lower().strip(), charset.lower().strip())
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # an unknown charset label: try UTF-8, then GB18030, then Latin-1
        for fallback in ("utf-8", "gb18030"):
            try:
                return data.decode(fallback)
            except UnicodeDecodeError:
                continue
        return data.decode("latin-1")


def _clean(text: str) -> str:
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def html_to_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def recipients(message: Message) -> list[str]:
    return [address for _, address in getaddresses(message.get_all("To", []))]
