"""What routes ask for: the runtime, the signed-in user in a role, a case they may see."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from mailroom.runtime import Runtime
from processing.review import may_review
from storage.cases import get_case
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


def visible_case(session: Session, reference: str, user: User) -> Case:
    case = get_case(session=session, reference=reference)
    if user.role is Role.REVIEWER and not may_review(user, case):
        raise HTTPException(status_code=403, detail="This case belongs to another group.")
    return case
