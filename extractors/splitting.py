"""Split a file's pages into document groups at cover sheets.

Contract: given, for each page in order, the case reference its cover-sheet QR code carries (or
None), return the groups. A cover sheet is a group of its own, and the pages after it, up to the
next cover sheet, form one group bound to its reference. Pages before the first cover sheet form
a group with no reference. Without cover sheets the whole file is one group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.enums import DocumentKind


@dataclass
class PageGroup:
    is_cover_sheet: bool
    reference: str | None
    page_numbers: list[int] = field(default_factory=list)


def split_at_cover_sheets(cover_references: Sequence[str | None]) -> list[PageGroup]:
    groups: list[PageGroup] = []
    current: PageGroup | None = None
    for number, reference in enumerate(cover_references, start=1):
        if reference is not None:
            groups.append(PageGroup(is_cover_sheet=True, reference=reference, page_numbers=[number]))
            current = None
            continue
        if current is None:
            bound_to = groups[-1].reference if groups else None
            current = PageGroup(is_cover_sheet=False, reference=bound_to)
            groups.append(current)
        current.page_numbers.append(number)
    return groups


def split_where_kind_changes(
    kinds: Sequence[DocumentKind], people: Sequence[str | None] | None = None
) -> list[list[int]]:
    """Indexes of ``kinds`` (one per page, in order) cut into runs of one document each.

    A page confidently of another kind than the run in progress starts a new run; a page of no
    clear kind (``other``: a second page, an annex) stays with the run it follows, so a letter's
    unnamed second page is never cut off. ``people`` (one per page, or None) is whom a page
    identifies by itself (a form's or an MRZ's passport number): a page naming another person
    than its run starts a new one, so two passports or two forms in a row of a postal batch
    stay two documents.
    """
    people = people or [None] * len(kinds)
    runs: list[list[int]] = []
    run_kind: DocumentKind | None = None
    run_person: str | None = None
    for index, (kind, person) in enumerate(zip(kinds, people, strict=True)):
        known = kind is not DocumentKind.OTHER
        someone_else = person is not None and run_person is not None and person != run_person
        if not runs or (known and run_kind is not None and kind is not run_kind) or someone_else:
            runs.append([])
            run_kind, run_person = None, None
        runs[-1].append(index)
        if known and run_kind is None:
            run_kind = kind
        run_person = run_person or person
    return runs
