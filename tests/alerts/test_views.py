from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contactcenter.deadlines import services
from contactcenter.deadlines.scan import scan_deadlines
from tests.factories import CustomerFactory, UserFactory
from tests.moments import moscow as at

URL = reverse("alerts:attention")


def make_clock(branch, owner=None, due=(2026, 11, 23, 10, 0), name="Case"):
    return services.open_clock(
        case=CustomerFactory(branch=branch, full_name=name),
        kind="test_clock",
        branch=branch,
        due_at=at(*due),
        opened_at=at(2026, 11, 23, 9, 0),
        owner=owner,
    )


def test_operator_sees_own_supervisor_sees_branch_stranger_sees_nothing(client, msk, bud, people, stranger, policy):
    colleague = UserFactory(username="colleague", role="Operator", branches=[msk])
    make_clock(msk, people["owner"], name="Mine")
    make_clock(msk, colleague, name="Colleague's")
    make_clock(msk, None, name="Queue")
    make_clock(msk, people["owner"], due=(2026, 12, 30, 10, 0), name="Far away")
    make_clock(bud, stranger, name="Budapest")
    scan_deadlines(now=at(2026, 11, 23, 11, 0))

    def titles(user):
        client.force_login(user)
        return {clock.title.split(" (")[0] for clock in client.get(URL).context["page"]}

    assert titles(people["owner"]) == {"Mine"}
    assert titles(people["supervisor"]) == {"Mine", "Colleague's", "Queue"}
    assert titles(stranger) == {"Budapest"}


def test_counter_in_the_header_and_most_urgent_first(client, msk, people, policy):
    make_clock(msk, people["owner"], due=(2026, 11, 23, 10, 30), name="Later")
    make_clock(msk, people["owner"], due=(2026, 11, 23, 10, 0), name="Earlier")
    scan_deadlines(now=at(2026, 11, 23, 11, 0))
    client.force_login(people["owner"])
    response = client.get(URL)
    assert [c.title.split(" (")[0] for c in response.context["page"]] == ["Earlier", "Later"]
    assert 'data-testid="attention-count">2<' in response.content.decode()
    assert "overdue by" in response.content.decode()
    assert "Test clock" in response.content.decode(), "the kind's name, not its code"


def test_filters_and_bad_filter_values(client, msk, people, policy):
    make_clock(msk, people["owner"], name="Overdue one")
    make_clock(msk, people["owner"], due=(2026, 11, 23, 11, 10), name="Soon one")
    scan_deadlines(now=at(2026, 11, 23, 11, 0))
    client.force_login(people["supervisor"])
    soon = client.get(URL, {"state": "due_soon"})
    assert [c.title.split(" (")[0] for c in soon.context["page"]] == ["Soon one"]
    bad = client.get(URL, {"state": "nonsense", "page": "x"})
    assert bad.status_code == 200
    assert "state" in bad.context["filter"].form.errors


def test_attention_page_costs_a_fixed_number_of_queries(client, msk, people, policy, django_assert_max_num_queries):
    client.force_login(people["supervisor"])
    for _ in range(3):
        make_clock(msk, people["owner"])
    scan_deadlines(now=at(2026, 11, 23, 11, 0))
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(30):
        make_clock(msk, people["owner"])
    scan_deadlines(now=at(2026, 11, 23, 11, 5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_an_outage_shows_at_once_on_needs_attention_and_the_dashboard(client, msk, people, policy, smtp_server):
    from contactcenter.alerts.services import send_alerts

    make_clock(msk, people["owner"])
    scan_deadlines(now=at(2026, 11, 23, 10, 1))
    smtp_server.stop()
    send_alerts(now=at(2026, 11, 23, 10, 38))  # the first failure, 10:38 in Moscow
    client.force_login(people["supervisor"])
    banner = "The mail server has refused or not answered since 23.11.2026 10:38; 3 alerts waiting."
    assert banner in client.get(URL).content.decode()
    assert banner in client.get(reverse("dashboard:panel")).content.decode()
    smtp_server.start()
    send_alerts(now=at(2026, 11, 23, 10, 40))
    assert 'data-testid="mail-outage"' not in client.get(URL).content.decode()


def test_an_administrator_retries_failed_alerts_from_needs_attention(client, root, msk, people, policy, settings):
    from contactcenter.alerts.models import Alert
    from contactcenter.audit.models import AuditEntry

    make_clock(msk, people["owner"])
    scan_deadlines(now=at(2026, 11, 23, 10, 1))
    Alert.objects.update(failed_at=at(2026, 11, 23, 10, 2), last_error="ConnectionRefusedError")
    client.force_login(people["supervisor"])
    assert 'data-testid="retry-failed"' not in client.get(URL).content.decode()
    assert client.post(reverse("alerts:retry-failed")).status_code == 403
    assert Alert.objects.failed().count() == 3

    client.force_login(root)
    assert 'data-testid="retry-failed"' in client.get(URL).content.decode()
    page = client.post(reverse("alerts:retry-failed"), follow=True).content.decode()
    assert "3 alerts and 0 e-mails will be sent again." in page
    assert not Alert.objects.failed().exists()
    assert AuditEntry.objects.filter(action="alert.retried", actor=root).count() == 3


def test_failed_emails_alone_are_counted_and_sent_again_from_needs_attention(client, root, msk, people):
    """A forwarding or a customer's e-mail that failed shows on "Needs attention" for administrators, with the
    button, even when no alert failed; the others see neither."""
    from contactcenter.alerts.models import OutboundEmail
    from contactcenter.alerts.outbound import queue_email
    from contactcenter.audit.models import AuditEntry

    for n in range(2):
        queue_email(purpose="test.mail", to=[f"boss{n}@example.com"], subject="Hello", text="Body")
    OutboundEmail.objects.update(failed_at=at(2026, 11, 23, 10, 2), last_error="ConnectionRefusedError")
    client.force_login(people["supervisor"])
    page = client.get(URL).content.decode()
    assert 'data-testid="failed-emails"' not in page and 'data-testid="retry-failed"' not in page

    client.force_login(root)
    page = client.get(URL).content.decode()
    assert "E-mails that could not be delivered: 2" in page and 'data-testid="retry-failed"' in page
    assert 'data-testid="failed-alerts"' not in page
    page = client.post(reverse("alerts:retry-failed"), follow=True).content.decode()
    assert "0 alerts and 2 e-mails will be sent again." in page
    assert 'data-testid="failed-emails"' not in page
    assert not OutboundEmail.objects.failed().exists()
    assert AuditEntry.objects.filter(action="outbound_email.retried", actor=root).count() == 2
