"""Standard phrases used: the insertions of each phrase per form, in the period, in the branches asked for."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from phrases.models import Phrase, PhraseUse, Place, Situation
from tests.downloads import csv_rows
from tests.factories import PhraseFactory, UserFactory


@pytest.fixture
def supervisor(msk):
    return UserFactory(username="sup", role="Supervisor", branches=[msk])


@pytest.fixture
def uses(msk, bud, operator):
    Phrase.objects.all().delete()  # only this test's phrases
    sorry = PhraseFactory(situation=Situation.APOLOGY, text="We are sorry.")
    wait = PhraseFactory(situation=Situation.WAIT, text="One moment, please.")
    PhraseFactory(situation=Situation.CLOSING, text="Goodbye.")  # never used

    def use(phrase, place, branch=msk, at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC)):
        PhraseUse.objects.create(phrase=phrase, place=place, branch=branch, used_by=operator, used_at=at)

    use(sorry, Place.COMPLAINT_ANSWER)
    use(sorry, Place.COMPLAINT_ANSWER)
    use(sorry, Place.CALLBACK_ATTEMPT)
    use(wait, Place.ESCALATION)
    use(wait, Place.ESCALATION, branch=bud)  # another branch
    use(wait, Place.ESCALATION, at=datetime(2026, 10, 1, 9, 0, tzinfo=UTC))  # before the period
    # 21:30 UTC on the 30th is already 1 December in Moscow: after the period.
    use(wait, Place.ESCALATION, at=datetime(2026, 11, 30, 21, 30, tzinfo=UTC))


PERIOD = {"date_from": "2026-11-01", "date_to": "2026-11-30"}


def test_each_phrase_with_its_insertions_per_form(client, supervisor, uses):
    client.force_login(supervisor)
    rows = client.get(reverse("dashboard:phrase_figures"), PERIOD).context["rows"]
    assert [(row.label, row.by_place, row.total) for row in rows] == [
        ("We are sorry.", {"callback_attempt": 1, "escalation": 0, "complaint_answer": 2}, 3),
        ("One moment, please.", {"callback_attempt": 0, "escalation": 1, "complaint_answer": 0}, 1),
        ("Goodbye.", {"callback_attempt": 0, "escalation": 0, "complaint_answer": 0}, 0),
    ]


def test_the_csv_holds_the_table_and_its_total(client, supervisor, uses):
    client.force_login(supervisor)
    rows = csv_rows(client.get(reverse("dashboard:phrase_figures"), {**PERIOD, "format": "csv"}))
    assert rows[0][0] == "Phrase"
    assert rows[1][0] == "We are sorry." and rows[1][-1] == "3"
    assert rows[-1][0] == "Total" and rows[-1][-1] == "4"


def test_an_operator_may_not_see_it(client, operator, uses):
    client.force_login(operator)
    assert client.get(reverse("dashboard:phrase_figures")).status_code == 403
