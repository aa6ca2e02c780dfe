"""Office staff accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.errors import BadInputError, NotFoundError
from storage.enums import Role
from storage.models import User


def add_user(
    *, session: Session, name: str, role: Role, password_hash: str, reviewer_group: str | None = None,
    language: str = "zh",
) -> User:
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise BadInputError(f"There is already a user called {name}.")
    user = User(name=name, role=role, password_hash=password_hash, reviewer_group=reviewer_group,
                language=language)
    session.add(user)
    session.flush()
    return user


def get_user(*, session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(f"There is no user called {name}.")
    return user


def set_password(*, session: Session, name: str, password_hash: str) -> User:
    user = get_user(session=session, name=name)
    user.password_hash = password_hash
    return user
