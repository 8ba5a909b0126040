"""Secret tokens: ``cc_<lookup>.<secret>``. Only the lookup part and the SHA-256 of the secret are stored.

The lookup part finds the row (it is not secret); the secret, 256 random bits, is compared by its hash in
constant time. A stolen database therefore gives no usable token.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "cc_"


@dataclass(frozen=True)
class NewToken:
    lookup: str
    secret_hash: str
    token: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> NewToken:
    lookup = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewToken(lookup=lookup, secret_hash=hash_secret(secret), token=f"{PREFIX}{lookup}.{secret}")


def split(token: str) -> tuple[str, str] | None:
    """(lookup, secret) of a well-formed token, else None."""
    if not token.startswith(PREFIX) or "." not in token:
        return None
    lookup, _dot, secret = token[len(PREFIX) :].partition(".")
    if len(lookup) != 12 or not secret or len(secret) > 200:
        return None
    return lookup, secret


def matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), secret_hash)
