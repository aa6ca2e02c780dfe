"""Letters scored against their truth, by the rules of ../shared/corpus/letters/README.md.

Names compare case-insensitively, ignoring commas and the order of the name's words;
organisation-like values count when they equal the primary value or an alias; passport numbers,
nationalities, dates and lists of codes are exact.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any


def same_name(found: str | None, truth: str | None) -> bool:
    if not found or not truth:
        return False
    words = lambda s: sorted(re.sub(r"[,]", " ", s).lower().split())  # noqa: E731
    return words(found) == words(truth)


def same_org(found: str | None, truth: str | None, aliases: list[str] | None) -> bool:
    if not found:
        return False
    squash = lambda s: re.sub(r"[\s()（）]", "", s).lower()  # noqa: E731
    return squash(found) in {squash(v) for v in [truth or "", *(aliases or [])] if v}


def score(items: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """``items``: (truth line, extract result) pairs. Returns the set's figures."""
    confusions: Counter[str] = Counter()
    kinds_right = 0
    rows = rows_exact = 0
    statements = materials_exact = by_exact = replaced = 0
    auth = auth_exact = employment = employment_exact = health = health_exact = 0
    for truth, result in items:
        kind, fields = truth["kind"], truth["fields"]
        found = result.get("fields") or {}
        if result.get("kind") == kind:
            kinds_right += 1
        else:
            confusions[f"{kind} -> {result.get('kind')}"] += 1
            if kind == "personal_statement" and result.get("kind") not in (None, "other"):
                replaced += 1  # a statement counted as the document it replaces
        if "people" in fields:
            by_number = {p.get("passport_number"): p for p in found.get("people") or []}
            for person in fields["people"]:
                rows += 1
                got = by_number.get(person["passport_number"])
                rows_exact += bool(got and same_name(got.get("name"), person["name"])
                                   and got.get("nationality") == person["nationality"])
        if kind == "personal_statement":
            statements += 1
            materials_exact += sorted(found.get("promised_materials") or []) == sorted(
                fields["promised_materials"])
            by_exact += found.get("promised_by") == fields["promised_by"]
        if kind == "authorization_letter":
            auth += 1
            auth_exact += (same_name(found.get("principal_name"), fields["principal_name"])
                           and found.get("principal_passport_number")
                           == fields["principal_passport_number"]
                           and same_org(found.get("agent_name"), fields["agent_name"],
                                        fields.get("agent_name_aliases"))
                           and found.get("agent_relation") == fields["agent_relation"]
                           and sorted(found.get("matters") or []) == sorted(fields["matters"]))
        if kind == "employment_letter":
            employment += 1
            employment_exact += (same_org(found.get("organization"), fields["organization"],
                                          fields.get("organization_aliases"))
                                 and same_name(found.get("name"), fields["name"])
                                 and found.get("passport_number") == fields["passport_number"]
                                 and same_org(found.get("position"), fields["position"],
                                              fields.get("position_aliases")))
        if kind == "health_certificate":
            health += 1
            health_exact += (same_name(found.get("name"), fields["name"])
                             and found.get("passport_number") == fields["passport_number"]
                             and found.get("examination_date") == fields["examination_date"])
    rate = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {
        "letters": len(items), "kind_accuracy": rate(kinds_right, len(items)),
        "confusions": dict(confusions), "statements_counted_as_other_documents": replaced,
        "list_rows": rows, "list_rows_exact": rate(rows_exact, rows),
        "statements": statements, "promised_materials_exact": rate(materials_exact, statements),
        "promised_by_exact": rate(by_exact, statements),
        "authorization_fields_exact": rate(auth_exact, auth),
        "employment_fields_exact": rate(employment_exact, employment),
        "health_certificate_fields_exact": rate(health_exact, health),
    }
