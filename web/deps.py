"""What routes ask for: the runtime, the signed-in user in a role, a case they may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from mailroom.errors import NotFoundError
from mailroom.runtime import Runtime
from processing.review import may_review
from storage.cases import find_case
from storage.enums import Role
from storage.models import Case, User
from web.security import require


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


AppRuntime = Annotated[Runtime, Depends(runtime_of)]
Reviewer = Annotated[User, Depends(require("review"))]
Viewer = Annotated[User, Depends(require("view_cases"))]
Clerk = Annotated[User, Depends(require("clerk"))]
Operator = Annotated[User, Depends(require("operate"))]


# Database ids in paths: a number past any id answers 422, never a database overflow (500).
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def visible_case(session: Session, reference: str, user: User) -> Case:
    """The case, if this user may see it. Another group's case answers exactly as a case that
    does not exist, so references cannot be probed."""
    case = find_case(session=session, reference=reference)
    if case is None or not may_see(user, case):
        raise NotFoundError(f"There is no case with reference {reference}.")
    return case


def may_see(user: User, case: Case) -> bool:
    return user.role is not Role.REVIEWER or may_review(user, case)
