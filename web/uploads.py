"""Receiving clerks' uploads as they stream in: each file is written straight to a hidden
``.part`` file in the scan folder and refused the moment it passes the size limit, so an
oversized upload never sits in memory or on disk whole.

Contract: ``receive_upload(request, folder, max_bytes)`` returns ``ReceivedUpload``: the form's
small fields, the files written (still hidden), and the files refused with a reason. The caller
checks the CSRF field, then ``publish``es the files into the scan folder or ``discard``s them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from extractors.mime import safe_filename
from intake.folders import move_without_overwrite

MAX_FIELD_BYTES = 4096  # the CSRF token and other small fields


@dataclass
class Refusal:
    filename: str
    reason: str


@dataclass
class ReceivedUpload:
    fields: dict[str, str] = field(default_factory=dict)
    written: list[tuple[str, Path]] = field(default_factory=list)  # (name as sent, .part file)
    refused: list[Refusal] = field(default_factory=list)

    def publish(self, folder: Path) -> list[str]:
        """Move every written file into the scan folder under a free name (``name (2).pdf``):
        the same path and the same rules as a scanner's file."""
        return [move_without_overwrite(partial, folder, safe_filename(name) or "upload").name
                for name, partial in self.written]

    def discard(self) -> None:
        for _, partial in self.written:
            partial.unlink(missing_ok=True)


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    size: int = 0
    sink: BinaryIO | None = None
    partial: Path | None = None
    value: bytearray = field(default_factory=bytearray)
    too_large: bool = False


async def receive_upload(request: Request, folder: Path, max_bytes: int) -> ReceivedUpload:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise HTTPException(status_code=400, detail="Send the files with the upload form.")
    folder.mkdir(parents=True, exist_ok=True)
    received = ReceivedUpload()
    state: dict[str, _Part] = {}
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}

    def begin() -> None:
        state["part"] = _Part()

    def header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def header_end() -> None:
        state["part"].headers[header["field"].decode("latin-1").lower()] = \
            header["value"].decode("utf-8", "replace")
        header["field"], header["value"] = bytearray(), bytearray()

    def headers_finished() -> None:
        part = state["part"]
        _, disposition = parse_options_header(part.headers.get("content-disposition", ""))
        part.name = disposition.get(b"name", b"").decode("utf-8", "replace")
        raw_name = disposition.get(b"filename")
        if raw_name is not None:
            part.filename = raw_name.decode("utf-8", "replace")
            if part.filename:  # an empty file input sends a part with no name: nothing to keep
                part.partial = folder / f".upload-{time.time_ns()}.part"
                part.sink = part.partial.open("wb")

    def data(chunk: bytes, start: int, end: int) -> None:
        part = state["part"]
        part.size += end - start
        if part.filename is None:
            if part.size > MAX_FIELD_BYTES:
                raise HTTPException(status_code=400, detail="A form field is too long.")
            part.value += chunk[start:end]
        elif part.sink is not None:
            if part.size > max_bytes:
                _drop(part)
                part.too_large = True
            else:
                part.sink.write(chunk[start:end])

    def part_end() -> None:
        part = state.pop("part")
        if part.filename is None:
            received.fields[part.name] = part.value.decode("utf-8", "replace")
        elif part.too_large:
            received.refused.append(Refusal(part.filename, _too_large(part.filename, max_bytes)))
        elif part.sink is not None and part.partial is not None:
            part.sink.close()
            if part.size == 0:
                part.partial.unlink(missing_ok=True)
                received.refused.append(Refusal(part.filename, "The file is empty (0 bytes)."))
            else:
                received.written.append((part.filename, part.partial))

    parser = MultipartParser(boundary, callbacks={  # type: ignore[arg-type]
        "on_part_begin": begin, "on_header_field": header_field,
        "on_header_value": header_value, "on_header_end": header_end,
        "on_headers_finished": headers_finished, "on_part_data": data, "on_part_end": part_end})
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as e:
        _clean_up(received, state)
        raise HTTPException(status_code=400, detail="The upload was cut off or is malformed: "
                                                    "send it again.") from e
    except BaseException:  # a client gone mid-way, a full disk: no half file is left behind
        _clean_up(received, state)
        raise
    return received


def _clean_up(received: ReceivedUpload, state: dict[str, _Part]) -> None:
    received.discard()
    if "part" in state:
        _drop(state["part"])


def _drop(part: _Part) -> None:
    if part.sink is not None:
        part.sink.close()
        part.sink = None
    if part.partial is not None:
        part.partial.unlink(missing_ok=True)


def _too_large(filename: str, max_bytes: int) -> str:
    return (f"{filename} is larger than the upload limit of {max_bytes // 1_000_000} MB "
            "(MAILROOM_UPLOAD_MAX_MB); nothing of it was kept. Scan it in smaller parts, or "
            "drop it into the scan folder.")
