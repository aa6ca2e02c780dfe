"""Which applicant of an organisation's batch each document belongs to.

Contract: ``assign(pieces, members)`` is pure. ``members`` are the batch's applicants (one per
distinct passport number among its application forms); each piece gets an ``Assignment``: the
member it names, or held by the batch — a list that covers many (kept on file for everyone it
names), the covering e-mail — or held with a reason a clerk reads, because it names no one of
the batch or more than one. A document is never given to an applicant on a guess: the passport's
verified MRZ, then the name and passport number a letter gives, then the file name, then a
member's passport number or full name in the text, each only when it points at exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.enums import LIST_KINDS, DocumentKind
from validators.identity import name_parts, passport_key, same_name

# where each letter kind gives the person it is about
_NAME_FIELDS = ("name", "principal_name")
_NUMBER_FIELDS = ("passport_number", "principal_passport_number")


@dataclass(frozen=True)
class Member:
    """An applicant of the batch, as their application form names them."""

    surname: str
    given_names: str
    passport_number: str

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()


@dataclass(frozen=True)
class Piece:
    """A document of the batch as read: its kind, file name, fields and text."""

    kind: DocumentKind
    filename: str
    fields: Mapping[str, Any]
    text: str = ""


@dataclass(frozen=True)
class Assignment:
    member: int | None  # index into the members, or None: held by the batch
    how: str  # form, passport, letter, file name, text, list, message, none
    reason: str | None = None  # for a clerk, when held because it names no one (or several)


def members_of(forms: Sequence[Mapping[str, str]]) -> list[Member]:
    """The batch's applicants: one per passport number, in the order their forms came."""
    members: dict[str, Member] = {}
    for form in forms:
        number = (form.get("passport_number") or "").strip()
        if number and form.get("surname") and passport_key(number) not in members:
            members[passport_key(number)] = Member(form["surname"].upper(),
                                                   (form.get("given_names") or "").upper(), number)
    return list(members.values())


def assign(pieces: Sequence[Piece], members: Sequence[Member]) -> list[Assignment]:
    return [_assign(piece, members) for piece in pieces]


def _assign(piece: Piece, members: Sequence[Member]) -> Assignment:
    if piece.kind is DocumentKind.EMAIL_BODY:
        return Assignment(None, "message")
    if piece.kind is DocumentKind.APPLICATION_FORM:
        return _one_of(_by_number(members, [piece.fields.get("passport_number")]), "form") \
            or Assignment(None, "none", "An application form without a passport number.")
    if piece.kind in LIST_KINDS and len(piece.fields.get("people") or []) != 1:
        return Assignment(None, "list")
    named = (_from_passport(piece, members) or _from_letter(piece, members)
             or _from_filename(piece, members) or _from_text(piece, members))
    if named is not None:
        return named
    return Assignment(None, "none", "It names none of the batch's applicants (no passport "
                      "number, name or file name of theirs): attach it to the right case.")


def _from_passport(piece: Piece, members: Sequence[Member]) -> Assignment | None:
    mrz = (piece.fields.get("mrz") or {}).get("fields") or {}
    if not mrz:
        return None
    found = _by_number(members, [mrz.get("document_number")])
    if not found:
        found = _by_name(members, [f"{mrz.get('surname', '')} {mrz.get('given_names', '')}"])
    return _one_of(found, "passport") or _several(found)


def _from_letter(piece: Piece, members: Sequence[Member]) -> Assignment | None:
    numbers = [piece.fields.get(f) for f in _NUMBER_FIELDS]
    names = [piece.fields.get(f) for f in _NAME_FIELDS]
    people = piece.fields.get("people") or []
    numbers += [p.get("passport_number") for p in people]
    names += [p.get("name") for p in people]
    found = _by_number(members, numbers)
    if found and any(names):  # a number and a name that point at different people: a clerk
        by_name = _by_name(members, names)
        if by_name and by_name != found:
            return _several(found | by_name)
    return _one_of(found or _by_name(members, names), "letter") or _several(found)


def _from_filename(piece: Piece, members: Sequence[Member]) -> Assignment | None:
    words = {w.upper() for w in re.findall(r"[^\W_]+", piece.filename)}
    keys = {passport_key(w) for w in words}
    found = {i for i, m in enumerate(members)
             if passport_key(m.passport_number) in keys or set(m.surname.split()) <= words}
    return _one_of(found, "file name")


def _from_text(piece: Piece, members: Sequence[Member]) -> Assignment | None:
    keys = {passport_key(w) for w in re.findall(r"[A-Z0-9]{5,}", piece.text.upper())}
    found = {i for i, m in enumerate(members) if passport_key(m.passport_number) in keys}
    if not found:
        text_words = set(re.findall(r"[A-Z]+", piece.text.upper()))
        found = {i for i, m in enumerate(members)
                 if any(len(part) >= 2 and set(part) <= text_words
                        for part in name_parts(m.name))}
    return _one_of(found, "text")


def _by_number(members: Sequence[Member], numbers: Sequence[Any]) -> set[int]:
    keys = {passport_key(str(n)) for n in numbers if n}
    return {i for i, m in enumerate(members) if passport_key(m.passport_number) in keys}


def _by_name(members: Sequence[Member], names: Sequence[Any]) -> set[int]:
    return {i for i, m in enumerate(members) for n in names if n and same_name(str(n), m.name)}


def _one_of(found: set[int], how: str) -> Assignment | None:
    return Assignment(next(iter(found)), how) if len(found) == 1 else None


def _several(found: set[int]) -> Assignment | None:
    if len(found) < 2:
        return None
    return Assignment(None, "none", "It names more than one of the batch's applicants: attach "
                      "it to the right case.")
