"""ZIP attachments: list and extract with limits on count, size and compression ratio.

Contract: ``extract_zip(data, limits)`` returns the members (safe names, bytes) or raises
``ArchiveBombError`` (over a limit: quarantined) or ``CorruptArchiveError``. Sizes declared in
the archive are not trusted: members are read in chunks and reading stops at the limit.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from extractors.mime import safe_filename
from mailroom.errors import ArchiveBombError, CorruptArchiveError

CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 200
    max_total_bytes: int = 200_000_000
    max_ratio: float = 100.0


def is_zip(data: bytes, filename: str, content_type: str) -> bool:
    return data.startswith(b"PK\x03\x04") and (
        filename.lower().endswith(".zip") or "zip" in content_type
    )


def extract_zip(data: bytes, limits: ArchiveLimits | None = None) -> list[tuple[str, bytes]]:
    limits = limits or ArchiveLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptArchiveError(f"The ZIP attachment is damaged ({e}).") from e
    if len(members) > limits.max_members:
        raise ArchiveBombError(f"The ZIP attachment holds {len(members)} files; at most "
                               f"{limits.max_members} are accepted.")
    extracted: list[tuple[str, bytes]] = []
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise CorruptArchiveError("The ZIP attachment is password-protected.")
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio:
            raise ArchiveBombError(_bomb_message(member.file_size, member.compress_size))
        buffer = io.BytesIO()
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
                    buffer.write(chunk)
                    if total > limits.max_total_bytes:
                        raise ArchiveBombError(
                            f"The ZIP attachment unpacks to more than "
                            f"{limits.max_total_bytes / 1e6:.0f} MB; it looks like a zip bomb."
                        )
                    if buffer.tell() > max(member.compress_size, 1) * limits.max_ratio:
                        raise ArchiveBombError(_bomb_message(buffer.tell(), member.compress_size))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
            raise CorruptArchiveError(f"A file in the ZIP attachment is damaged ({e}).") from e
        extracted.append((safe_filename(member.filename) or "unnamed", buffer.getvalue()))
    return extracted


def _bomb_message(unpacked: int, packed: int) -> str:
    return (f"A file in the ZIP attachment expands from {packed:,} to at least {unpacked:,} "
            "bytes; it looks like a zip bomb and was not unpacked.")


TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian


def is_tnef(data: bytes) -> bool:
    """Outlook's winmail.dat (application/ms-tnef), recognised by its bytes, not its name."""
    return data.startswith(TNEF_SIGNATURE)


def extract_tnef(data: bytes, limits: ArchiveLimits | None = None) -> list[tuple[str, bytes]]:
    from tnefparse import TNEF

    limits = limits or ArchiveLimits()
    try:
        tnef = TNEF(data)
    except (ValueError, IndexError, struct.error, KeyError, UnicodeDecodeError) as e:
        raise CorruptArchiveError(f"The winmail.dat attachment is damaged ({e}).") from e
    if len(tnef.attachments) > limits.max_members:
        raise ArchiveBombError(f"The winmail.dat attachment holds {len(tnef.attachments)} files; "
                               f"at most {limits.max_members} are accepted.")
    members = []
    for index, attachment in enumerate(tnef.attachments, start=1):
        name = attachment.long_filename() or attachment.name or f"winmail-{index}.bin"
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        members.append((safe_filename(str(name)) or f"winmail-{index}.bin", bytes(attachment.data)))
    return members
