"""``Idempotency-Key`` on every POST: the same key with the same request answers the first response and
creates nothing; the same key with another request is a 422.

The key's row, with the response, is inserted last, in the transaction that creates the case: one INSERT for a
request that goes through, nothing more. A second request with the same key that runs while the first one
does waits at that insert (the unique constraint); when the first commits, the insert fails, everything the
second request wrote is rolled back with it, and it answers with the stored response: two identical requests
at the same moment create one case. A request that fails (a refused field, for example) rolls back everything
and stores no key, so the client may send it again, corrected, with the same key. Keys are kept
``API_IDEMPOTENCY_KEEP_HOURS``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from .models import ApiClient, IdempotencyKey
from .problems import IdempotencyConflict

HEADER = "Idempotency-Key"
MAX_LENGTH = 255


def keep_for() -> timedelta:
    return timedelta(hours=settings.API_IDEMPOTENCY_KEEP_HOURS)


def _plain(value):
    if isinstance(value, UploadedFile):
        value.seek(0)
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def fingerprint(request) -> str:
    """The request as a hash: its path and its parsed body (a multipart body's random boundary aside)."""
    data = request.data
    if hasattr(data, "lists"):
        data = dict(data.lists())
    text = json.dumps([request.method, request.path, _plain(data)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def key_of(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_LENGTH or not key.isprintable():
        raise exceptions.ValidationError({HEADER: [_("Give 1 to 255 printable characters.")]})
    return key


def _replay(stored: IdempotencyKey, print_: str) -> Response:
    if stored.fingerprint != print_:
        raise IdempotencyConflict(_("This Idempotency-Key was used before with a different request."))
    return Response(stored.response, status=stored.status_code, headers={"Idempotent-Replayed": "true"})


def run_once(request, create: Callable[[], Response]) -> Response:
    """``create()`` (which calls a service and returns the 201) once per client and key."""
    key = key_of(request)
    if key is None:
        with transaction.atomic():
            return create()
    client: ApiClient = request.auth
    print_ = fingerprint(request)
    for attempt in range(2):
        try:
            with transaction.atomic():
                response = create()
                IdempotencyKey.objects.create(
                    client=client,
                    key=key,
                    fingerprint=print_,
                    path=request.path[:200],
                    status_code=response.status_code,
                    response=response.data,
                )
                return response
        except IntegrityError:
            # Everything ``create()`` wrote is rolled back with the key. If another request holds the key, answer
            # as it did; an IntegrityError of anything else is not ours to hide.
            stored = IdempotencyKey.objects.filter(client=client, key=key).first()
            if stored is None:
                raise
        if attempt or stored.created_at > timezone.now() - keep_for():
            return _replay(stored, print_)
        # Expired: the key is free again, and the request goes through once more (if another request takes the key
        # first, it answers as that one did).
        IdempotencyKey.objects.filter(pk=stored.pk).delete()
    raise AssertionError("unreachable: the second attempt returns")


def purge_expired_keys(now=None) -> int:
    """Delete the keys older than ``API_IDEMPOTENCY_KEEP_HOURS``; how many went."""
    now = now or timezone.now()
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lte=now - keep_for()).delete()
    return deleted
