"""How a letter reaches an applicant: by e-mail when they gave an address (and it has not
bounced), otherwise by post to the address on their form (the return address, else their
address in China), printed in the day's batch. Only what the applicant wrote is used: no
address is guessed."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Case


@dataclass(frozen=True)
class Recipient:
    channel: str  # email | post
    address: str  # an e-mail address, or the lines of a postal address


def recipient_of(case: Case) -> Recipient | None:
    if case.contact_email and case.email_undeliverable_since is None:
        return Recipient("email", case.contact_email)
    form = case.form_fields or {}
    applicant = case.applicant
    name = form.get("return_recipient") or (
        f"{applicant.surname} {applicant.given_names}".strip() if applicant else "")
    street = form.get("return_address") or form.get("address_in_china")
    if not (name and street):
        return None
    lines = [name, street]
    if form.get("return_postcode") and form.get("return_address"):
        lines.append(form["return_postcode"])
    return Recipient("post", "\n".join(lines))
