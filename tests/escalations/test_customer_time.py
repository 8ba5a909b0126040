"""The escalation's page gives the call-back moment and the opening in the customer's time too, when their clock
shows another (a Vladivostok customer of the Moscow branch: seven hours ahead)."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_the_call_back_moment_in_both_times(client, msk, staff, open_escalation, monday_morning):
    customer = CustomerFactory(branch=msk, full_name="Pavel Far", phone="+79241234567", time_zone="Asia/Vladivostok")
    escalation = open_escalation(customer=customer)
    supervisor = staff["supervisor"]
    supervisor.language = "en"
    supervisor.save()
    client.force_login(supervisor)
    page = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    # Opened Monday 10:00 in Moscow, 17:00 in Vladivostok; the supervisor calls back within two business hours.
    assert "23.11.2026 10:00 your time, 17:00 customer&#x27;s time" in page
    call_back = escalation.due_at.astimezone(customer.tz).strftime("%H:%M")
    banner = page.split('data-testid="call-back-by"')[1].split("</div>")[0]
    assert f"your time, {call_back} customer&#x27;s time" in banner


def test_a_customer_in_the_branchs_zone_reads_one_time(client, msk, staff, open_escalation, monday_morning):
    escalation = open_escalation()
    staff["supervisor"].language = "en"
    staff["supervisor"].save()
    client.force_login(staff["supervisor"])
    page = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    assert "23.11.2026 10:00" in page and "customer&#x27;s time" not in page
