"""Who is told, end to end: the scan writes the alerts, the sender delivers the digests to a real SMTP server.

A deactivated person never receives a digest (it names customers); whoever stands in for them does: the
supervisors for an owner, the heads of department (or the supervisors) for a branch manager, the branch
manager for a deputy director. The rules are checked through ``scan_deadlines`` and ``send_alerts`` only, so
that they hold whatever computes the recipients.
"""

import io

import pytest
import time_machine
from django.core.management import call_command

from contactcenter.alerts.models import Alert
from contactcenter.deadlines import services
from tests import admin_pages as pages
from tests.factories import UserFactory
from tests.moments import moscow as at

# The test policy: due soon at 12:00 (owner), overdue at 13:00 (owner and supervisors), reminded hourly,
# overdue for long at 17:00 (branch manager and deputy director).
DUE_SOON, OVERDUE, LONG_OVERDUE = (2026, 11, 23, 12, 0), (2026, 11, 23, 13, 0), (2026, 11, 23, 17, 0)
WHOLE_LIFE = [DUE_SOON, OVERDUE, (2026, 11, 23, 14, 0), (2026, 11, 23, 15, 0), (2026, 11, 23, 16, 0), LONG_OVERDUE]


@pytest.fixture
def clock(case, msk, people, policy):
    """Ivan Ivanov's clock, owned by the operator: opened Monday 09:00, due 13:00."""
    return services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 23, 13, 0),
        opened_at=at(2026, 11, 23, 9, 0),
        owner=people["owner"],
    )


@pytest.fixture
def head(msk):
    return UserFactory(username="head", role="Head of department", branches=[msk])


def deactivate(*users):
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])


def run(*moment, scan=True, send=True):
    """What beat does at that minute: the scan, then the sender."""
    with time_machine.travel(at(*moment), tick=False):
        if scan:
            call_command("scan_deadlines", stdout=io.StringIO())
        if send:
            call_command("send_alerts", stdout=io.StringIO())


def digests(smtp_server) -> dict[str, list[str]]:
    """The plain-text digests the SMTP server accepted, by recipient address."""
    found = {}
    for envelope, message in zip(smtp_server.keeper.envelopes, smtp_server.messages, strict=True):
        text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
        for address in envelope.rcpt_tos:
            found.setdefault(address, []).append(text.get_payload(decode=True).decode())
    return found


def told(smtp_server) -> set[str]:
    return {address.split("@")[0] for address in smtp_server.recipients}


def test_a_deactivated_owner_is_never_told_and_the_supervisors_stand_in(clock, people, smtp_server):
    deactivate(people["owner"])

    run(*DUE_SOON)
    assert told(smtp_server) == {"sup", "lead"}, "due soon is the owner's alone: the supervisors stand in"
    assert all("Ivan Ivanov" in text for text in digests(smtp_server)["sup@example.com"])

    for moment in WHOLE_LIFE[1:]:
        run(*moment)
    assert "op" not in told(smtp_server)
    assert told(smtp_server) == {"sup", "lead", "boss", "deputy"}


def test_an_alert_written_before_the_owner_left_goes_to_the_supervisors_and_shows_as_skipped(
    clock, people, smtp_server, admin_client
):
    run(*DUE_SOON, send=False)
    [written] = Alert.objects.all()
    assert written.recipient == people["owner"]

    deactivate(people["owner"])
    run(2026, 11, 23, 12, 1, scan=False)

    assert told(smtp_server) == {"sup", "lead"}
    assert all("Ivan Ivanov" in text for text in digests(smtp_server)["lead@example.com"])
    written.refresh_from_db()
    assert (written.status, written.sent_at, written.skipped_at) == ("skipped", None, at(2026, 11, 23, 12, 1))
    assert "deactivated" in written.last_error
    response = admin_client.get(pages.changelist(Alert) + "?skipped_at__isempty=0")
    assert pages.shown(response) == [written], "the skipped alert is visible in the admin"

    run(2026, 11, 23, 12, 2, scan=False)
    assert len(smtp_server.messages) == 2, "nothing is sent twice, nothing goes to the owner later"


def test_an_owner_deactivated_between_two_levels_misses_the_second(clock, people, smtp_server):
    run(*DUE_SOON)
    assert told(smtp_server) == {"op"}
    deactivate(people["owner"])
    run(*OVERDUE)
    overdue = [message["To"] for message in smtp_server.messages[1:]]
    assert sorted(overdue) == ["lead@example.com", "sup@example.com"]


def test_a_deactivated_branch_manager_is_stood_in_for_by_the_heads_of_department(clock, people, head, smtp_server):
    deactivate(people["manager"])
    for moment in WHOLE_LIFE:
        run(*moment)
    long_overdue = set(digests(smtp_server)) - {"op@example.com", "sup@example.com", "lead@example.com"}
    assert long_overdue == {"head@example.com", "deputy@example.com"}
    assert all("Ivan Ivanov" in text for text in digests(smtp_server)["head@example.com"])


def test_a_branch_without_an_active_manager_or_head_tells_its_supervisors(clock, people, smtp_server):
    deactivate(people["manager"], people["supervisor"])
    run(*LONG_OVERDUE)
    first_notice = Alert.objects.filter(level="long_overdue", reminder=0)
    assert set(first_notice.values_list("recipient__username", flat=True)) == {
        "lead",
        "deputy",
    }, "the team's supervisor is the one supervisor left"
    assert {"boss", "sup"}.isdisjoint(told(smtp_server))


def test_a_deactivated_deputy_director_is_stood_in_for_by_the_branch_manager(clock, people, head, smtp_server):
    deactivate(people["deputy"])
    run(*LONG_OVERDUE)
    assert set(Alert.objects.filter(level="long_overdue").values_list("recipient__username", flat=True)) == {"boss"}
    assert "deputy" not in told(smtp_server)

    deactivate(people["manager"])
    sent_before = len(smtp_server.messages)
    run(2026, 11, 23, 18, 0)
    reminded = Alert.objects.filter(level="long_overdue", created_at=at(2026, 11, 23, 18, 0))
    assert set(reminded.values_list("recipient__username", flat=True)) == {"head"}, "both posts stood in for"
    assert "head@example.com" in [message["To"] for message in smtp_server.messages[sent_before:]]
    assert "deputy" not in told(smtp_server)
    assert "boss@example.com" not in [message["To"] for message in smtp_server.messages[sent_before:]]


def test_deactivated_supervisors_are_not_told(clock, people, smtp_server):
    deactivate(people["supervisor"], people["team_lead"])
    run(*OVERDUE)
    assert told(smtp_server) == {"op"}


@pytest.mark.parametrize("who", ["owner", "supervisor", "team_lead", "manager", "deputy"])
def test_nobody_deactivated_receives_anything_and_every_level_still_reaches_someone(
    clock, people, head, smtp_server, who
):
    run(*DUE_SOON, send=False)
    deactivate(people[who])
    for moment in WHOLE_LIFE:
        run(*moment)
    assert people[who].email not in smtp_server.recipients
    assert not Alert.objects.filter(recipient=people[who], sent_at__isnull=False).exists()
    for level in ("due_soon", "overdue", "long_overdue"):
        assert Alert.objects.filter(level=level, sent_at__isnull=False).exists(), f"{level} reached nobody"
    assert not Alert.objects.unsent().exists(), "everything written was sent or skipped"
