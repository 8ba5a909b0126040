"""An API client's subscriptions: made (with a secret shown once) and deleted through the API or by an
administrator in the admin, each audited; nothing changes when anything is wrong."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcenter.audit.services import record_audit

from .. import scopes
from ..models import ApiClient, EventType, WebhookDelivery, WebhookSubscription
from . import signing
from .targets import target_refusal

URL_MAX_LENGTH = 2000


def check_subscription_fields(*, client: ApiClient | None, target_url: str, events) -> list[str]:
    """The events, without repeats, in their documented order; a ValidationError naming each wrong field."""
    errors = {}
    if client is not None and not client.may(scopes.EVENTS_SUBSCRIBE):
        errors["client"] = _("This client may not subscribe to events (it needs the scope “%(scope)s”).") % {
            "scope": scopes.EVENTS_SUBSCRIBE
        }
    url = (target_url or "").strip()
    if not url:
        errors["target_url"] = _("Give the URL to send the events to.")
    elif len(url) > URL_MAX_LENGTH:
        errors["target_url"] = _("The URL is longer than %(limit)d characters.") % {"limit": URL_MAX_LENGTH}
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
            if urlsplit(url).username is not None or urlsplit(url).password is not None:
                raise ValidationError("credentials")
        except ValidationError:
            errors["target_url"] = _("Give an http:// or https:// URL, without a user name or password in it.")
        else:
            refused = target_refusal(url)
            if refused:
                errors["target_url"] = refused
    if not isinstance(events, (list, tuple)) or not events:
        errors["events"] = _("Choose at least one event.")
    else:
        unknown = sorted({str(event) for event in events} - set(EventType.values))
        if unknown:
            errors["events"] = _("Unknown events: %(events)s. Known: %(known)s.") % {
                "events": ", ".join(unknown),
                "known": ", ".join(EventType.values),
            }
    if errors:
        raise ValidationError(errors)
    return [event for event in EventType.values if event in events]


@transaction.atomic
def subscription_create(*, client: ApiClient, target_url: str, events, by) -> WebhookSubscription:
    """A new subscription of ``client``; its ``secret`` is on the returned object, to show once."""
    events = check_subscription_fields(client=client, target_url=target_url, events=events)
    subscription = WebhookSubscription.objects.create(
        client=client, target_url=target_url.strip(), events=events, secret=signing.new_secret()
    )
    record_audit(
        actor=by,
        action="webhook_subscription.created",
        target=subscription,
        changes={"target_url": [None, subscription.target_url], "events": [None, ", ".join(events)]},
    )
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, by) -> WebhookSubscription:
    """No more events for it: none is written from now on, and those still waiting are given up (they stay, with
    the reason, in the admin). Kept, deleted, for the deliveries it had."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.deleted_at is not None:
        return subscription
    now = timezone.now()
    subscription.deleted_at = now
    subscription.save(update_fields=["deleted_at"])
    WebhookDelivery.objects.filter(subscription=subscription).unsent().update(
        failed_at=now, claim="", claimed_until=None, last_error=_("Not sent: the subscription was deleted.")
    )
    record_audit(actor=by, action="webhook_subscription.deleted", target=subscription)
    return subscription
