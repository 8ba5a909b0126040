"""Changes to API clients: created with a token shown once, given a new token, revoked; each audited."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contactcenter.audit.services import field_changes, record_audit

from . import scopes as scope_list
from . import tokens
from .models import ApiClient


def check_client_fields(*, name: str, scopes: list[str], expires_at: datetime | None, exclude_pk=None) -> None:
    """What a client's fields must be (the admin's form asks it too, to show the errors beside the fields)."""
    if ApiClient.objects.filter(name__iexact=name.strip()).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("A client named “%(name)s” exists already.") % {"name": name.strip()}})
    _check(name=name, scopes=scopes, expires_at=expires_at)


def _check(*, name: str, scopes: list[str], expires_at: datetime | None) -> None:
    if not name.strip():
        raise ValidationError({"name": _("Give the client a name.")})
    unknown = sorted(set(scopes) - set(scope_list.SCOPES))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})


def _account_username(name: str) -> str:
    base = f"api-{slugify(name)[:60] or 'client'}"
    username, number = base, 1
    users = get_user_model().objects
    while users.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def api_client_create(
    *,
    name: str,
    branches,
    scopes: list[str],
    by,
    expires_at: datetime | None = None,
    requests_per_minute: int = 600,
) -> tuple[ApiClient, str]:
    """A new client and its secret token, returned once and never stored (only its hash is)."""
    name = name.strip()
    scopes = sorted(set(scopes))
    check_client_fields(name=name, scopes=scopes, expires_at=expires_at)
    account = get_user_model().objects.create(
        username=_account_username(name), first_name="API", last_name=name[:150], is_active=False
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    account.branches.set(branches)
    token = tokens.new_token()
    client = ApiClient.objects.create(
        name=name,
        scopes=scopes,
        account=account,
        token_lookup=token.lookup,
        token_hash=token.secret_hash,
        expires_at=expires_at,
        requests_per_minute=requests_per_minute,
    )
    client.branches.set(branches)
    record_audit(
        actor=by,
        action="api_client.created",
        target=client,
        changes={"scopes": [None, ", ".join(scopes)], "branches": [None, ", ".join(b.code for b in branches)]},
    )
    return client, token.token


@transaction.atomic
def api_client_update(*, client: ApiClient, by, branches=None, **fields) -> ApiClient:
    """Change a client's name, scopes, expiry or rate; its branches (its account's with them)."""
    allowed = {"name", "scopes", "expires_at", "requests_per_minute"}
    if set(fields) - allowed:
        raise TypeError(f"api_client_update() cannot change {', '.join(sorted(set(fields) - allowed))}")
    if "scopes" in fields:
        fields["scopes"] = sorted(set(fields["scopes"]))
    new_expiry = fields.get("expires_at")
    check_client_fields(
        name=fields.get("name", client.name),
        scopes=fields.get("scopes", client.scopes),
        expires_at=new_expiry if new_expiry != client.expires_at else None,
        exclude_pk=client.pk,
    )
    changes = field_changes(client, fields)
    for name, value in fields.items():
        setattr(client, name, value)
    client.save()
    if branches is not None:
        before = sorted(client.branches.values_list("code", flat=True))
        client.branches.set(branches)
        client.account.branches.set(branches)
        after = sorted(branch.code for branch in branches)
        if before != after:
            changes["branches"] = [", ".join(before), ", ".join(after)]
    if changes:
        record_audit(actor=by, action="api_client.changed", target=client, changes=changes)
    return client


@transaction.atomic
def api_client_new_token(*, client: ApiClient, by) -> str:
    """A new secret token for the client; the old one stops working at once."""
    token = tokens.new_token()
    client.token_lookup, client.token_hash = token.lookup, token.secret_hash
    client.save(update_fields=["token_lookup", "token_hash"])
    record_audit(actor=by, action="api_client.new_token", target=client)
    return token.token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, by) -> ApiClient:
    """The client's token stops working at once, for good."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        record_audit(actor=by, action="api_client.revoked", target=client)
    return client
