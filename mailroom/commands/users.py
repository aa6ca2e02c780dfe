"""Office staff accounts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mailroom.commands.common import runtime, sub_app
from mailroom.errors import BadInputError

app = sub_app("Office staff accounts.")


@app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="clerk, reviewer, senior_reviewer, operator or admin.")],
    group: Annotated[str | None, typer.Option(help="A reviewer's group (visa, residence, ...); "
                                                   "none: every group.")] = None,
    language: Annotated[str, typer.Option(help="zh or en.")] = "zh",
) -> None:
    """Add a user; the password is asked for (or read from standard input when piped)."""
    from storage.enums import Role
    from storage.users import add_user
    from web.passwords import hash_password

    try:
        chosen = Role(role)
    except ValueError as e:
        raise BadInputError(f"Unknown role {role!r}.") from e
    password_hash = hash_password(_read_password(), user_name=name)
    current = runtime()
    with current.session_factory.begin() as session:
        add_user(session=session, name=name, role=chosen, password_hash=password_hash,
                 reviewer_group=group, language="en" if language == "en" else "zh")
    typer.echo(f"user {name} ({chosen.value}) added")


@app.command("passwd")
def users_passwd(name: str) -> None:
    """Change a user's password (asked for, or read from standard input when piped)."""
    from storage.users import set_password
    from web.passwords import hash_password

    password_hash = hash_password(_read_password(), user_name=name)
    current = runtime()
    with current.session_factory.begin() as session:
        set_password(session=session, name=name, password_hash=password_hash)
    typer.echo(f"password of {name} changed")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")
