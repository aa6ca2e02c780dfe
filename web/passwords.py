"""Staff passwords: strong enough to guard passports and personal data, hashed with argon2id.

``hash_password(password, user_name=...)`` refuses a password shorter than 12 characters or one
zxcvbn scores under 3 (of 4) with the user's own name as context, with zxcvbn's advice in the
message. Hashing is slow on purpose: callers do it outside any database transaction.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from mailroom.errors import BadInputError

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 3 "safely unguessable: moderate protection from offline slow-hash"
hasher = PasswordHasher()


class WeakPasswordError(BadInputError):
    """A password the office's rules refuse."""


def check_strength(password: str, user_name: str) -> None:
    if len(password) < MIN_LENGTH or not password.strip():
        raise WeakPasswordError(f"A password needs at least {MIN_LENGTH} characters.")
    verdict = zxcvbn(password, user_inputs=[user_name, *user_name.replace(".", " ").split()])
    if verdict["score"] < MIN_SCORE:
        advice = " ".join(filter(None, [verdict["feedback"].get("warning"),
                                        *verdict["feedback"].get("suggestions", [])]))
        raise WeakPasswordError(f"That password is too easy to guess. {advice}".strip())


def hash_password(password: str, *, user_name: str) -> str:
    check_strength(password, user_name)
    return hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        hasher.hash(password)  # the same work either way: no timing hint about names
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
