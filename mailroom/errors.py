"""The one exception tree. Every error carries a reason a clerk can read.

Library errors are translated at the edge of each stage (``raise X(...) from e``); the CLI maps
them to one line and an exit code, the intake flows map them to a quarantine reason.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Short, stable codes stored with quarantined submissions."""

    EMPTY_FILE = "empty_file"
    CORRUPT_PDF = "corrupt_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    TYPE_MISMATCH = "type_mismatch"
    UNSUPPORTED_TYPE = "unsupported_type"
    IMAGE_TOO_LARGE = "image_too_large"
    CORRUPT_IMAGE = "corrupt_image"
    TOO_MANY_PAGES = "too_many_pages"
    RENDER_FAILED = "render_failed"
    ARCHIVE_BOMB = "archive_bomb"
    CORRUPT_ARCHIVE = "corrupt_archive"
    NOT_AN_EMAIL = "not_an_email"
    UNKNOWN_CASE = "unknown_case"
    CONFIG = "config"
    NOT_FOUND = "not_found"
    TRANSITION = "transition"
    TOOL_MISSING = "tool_missing"
    TOOL_TIMEOUT = "tool_timeout"
    TOOL_FAILED = "tool_failed"
    STORAGE_UNAVAILABLE = "storage_unavailable"


class MailroomError(Exception):
    """Base class: ``message`` is written for a clerk or operator, not a developer."""

    reason: Reason = Reason.CONFIG
    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigurationError(MailroomError):
    reason = Reason.CONFIG
    exit_code = 2


class NotFoundError(MailroomError):
    reason = Reason.NOT_FOUND
    exit_code = 3


class TransitionError(MailroomError):
    """A case was asked to move to a status its current status does not allow."""

    reason = Reason.TRANSITION
    exit_code = 4


class BadInputError(MailroomError):
    """A submitted file that cannot be used as it is; it is quarantined with this message."""

    exit_code = 5


class EmptyFileError(BadInputError):
    reason = Reason.EMPTY_FILE


class CorruptPdfError(BadInputError):
    reason = Reason.CORRUPT_PDF


class EncryptedPdfError(BadInputError):
    reason = Reason.ENCRYPTED_PDF


class TypeMismatchError(BadInputError):
    reason = Reason.TYPE_MISMATCH


class UnsupportedTypeError(BadInputError):
    reason = Reason.UNSUPPORTED_TYPE


class ImageTooLargeError(BadInputError):
    reason = Reason.IMAGE_TOO_LARGE


class CorruptImageError(BadInputError):
    reason = Reason.CORRUPT_IMAGE


class TooManyPagesError(BadInputError):
    reason = Reason.TOO_MANY_PAGES


class RenderError(BadInputError):
    reason = Reason.RENDER_FAILED


class ArchiveBombError(BadInputError):
    """A ZIP whose contents would expand past the limits (count, size, ratio)."""

    reason = Reason.ARCHIVE_BOMB


class CorruptArchiveError(BadInputError):
    reason = Reason.CORRUPT_ARCHIVE


class NotAnEmailError(BadInputError):
    reason = Reason.NOT_AN_EMAIL


class ExternalToolError(MailroomError):
    """An external program (tesseract) is missing, failed or ran out of time."""

    reason = Reason.TOOL_FAILED
    exit_code = 6


class ToolMissingError(ExternalToolError):
    reason = Reason.TOOL_MISSING


class ToolTimeoutError(ExternalToolError):
    reason = Reason.TOOL_TIMEOUT


class StorageUnavailableError(MailroomError):
    """The blob store or the database cannot take the work now (disk full, server away).

    Not the submission's fault, so it is never quarantined for it: the run stops, and since a
    source is acknowledged only after its bytes are stored, the next run takes it again.
    """

    reason = Reason.STORAGE_UNAVAILABLE
    exit_code = 7
