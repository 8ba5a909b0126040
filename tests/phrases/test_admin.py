"""The library in the admin: edits audited, filters that open and match, the uses only looked at."""

import pytest

from contactcenter.audit.models import AuditEntry
from phrases.models import Phrase, PhraseUse, Place, Situation
from tests import admin_pages as pages
from tests.factories import PhraseFactory


@pytest.fixture
def add_uses(msk, operator):
    def add():
        phrase = PhraseFactory()
        PhraseUse.objects.create(phrase=phrase, place=Place.ESCALATION, branch=msk, used_by=operator)

    return add


@pytest.mark.parametrize("model", [Phrase, PhraseUse])
def test_every_list_filter_opens_and_matches(admin_client, add_uses, model):
    add_uses()
    assert pages.follow_every_filter(admin_client, model) > 0


@pytest.mark.parametrize("model", [Phrase, PhraseUse])
def test_the_lists_cost_does_not_grow(admin_client, add_uses, model):
    pages.assert_cost_does_not_grow(admin_client, model, add_uses)


def test_an_administrator_adds_a_phrase_and_it_is_audited(admin_client, root):
    response = admin_client.post(
        pages.add_page(Phrase),
        {
            "situation": Situation.DELAY,
            "language": "ru",
            "title": "",
            "text": "Ответ задерживается.",
            "position": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    phrase = Phrase.objects.get(text="Ответ задерживается.")
    entry = AuditEntry.objects.for_target(phrase).get()
    assert (entry.action, entry.actor) == ("admin.added", root)


def test_the_uses_are_only_looked_at(admin_client, add_uses):
    add_uses()
    assert admin_client.get(pages.add_page(PhraseUse)).status_code == 403
    assert admin_client.get(pages.change_page(PhraseUse.objects.get())).status_code == 200
