"""The office's application form, read from a filled PDF's AcroForm values.

(Reading a printed-and-scanned form by OCR of its field zones is the extraction issue's work.)
"""

from __future__ import annotations

import io
import warnings

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from extractors.form_choices import code_of

FORM_FIELDS: tuple[str, ...] = (
    "application_type", "surname", "given_names", "nationality", "passport_number",
    "date_of_birth", "sex", "email", "phone", "address_in_china", "household_registration",
    "employer_or_school",
    "requested_until", "urgency", "urgency_reason", "talent_category", "work_location",
    "port_of_entry", "agent_name", "agent_relation",
    "inbound_waybill", "return_recipient", "return_phone", "return_address", "return_postcode",
    "return_carrier", "declaration_date", "signature",
)
# A PDF is taken for our form when it carries at least these fields.
IDENTIFYING_FIELDS = frozenset({"application_type", "surname", "passport_number"})


def read_form_fields(pdf: bytes) -> dict[str, str] | None:
    """The form's values (stripped strings, empty fields omitted), or None if not our form."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(pdf))
            if reader.is_encrypted:
                reader.decrypt("")
            fields = reader.get_fields() or {}
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        warnings.warn(f"AcroForm unreadable: {e}", stacklevel=2)
        return None
    if not fields.keys() >= IDENTIFYING_FIELDS:
        return None
    values: dict[str, str] = {}
    for name in FORM_FIELDS:
        field = fields.get(name)
        value = field.get("/V") if field is not None else None
        if value is not None and str(value).strip():
            values[name] = code_of(name, str(value).strip())
    return values
