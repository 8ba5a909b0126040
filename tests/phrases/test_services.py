"""Counting an insertion: who, where, for which branch; refused without the permission, for an unknown form or
a retired phrase, and then nothing is stored."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from phrases.models import Phrase, PhraseUse, Place, Situation
from phrases.services import phrase_record_use
from tests.factories import PhraseFactory, UserFactory


def test_an_insertion_is_counted_with_its_form_branch_and_person(msk, operator):
    phrase = PhraseFactory()
    use = phrase_record_use(phrase=phrase, place=Place.CALLBACK_ATTEMPT, branch=msk, by=operator)
    assert (use.phrase, use.place, use.branch, use.used_by) == (phrase, "callback_attempt", msk, operator)
    assert PhraseUse.objects.count() == 1


def test_another_branchs_case_is_counted_in_the_persons_own_branch(msk, bud, operator):
    use = phrase_record_use(phrase=PhraseFactory(), place=Place.ESCALATION, branch=bud, by=operator)
    assert use.branch == msk


def test_a_person_of_several_branches_without_a_branch_is_counted_for_none(msk, bud):
    both = UserFactory(role="Supervisor", branches=[msk, bud])
    use = phrase_record_use(phrase=PhraseFactory(), place=Place.ESCALATION, branch=None, by=both)
    assert use.branch is None


@pytest.mark.parametrize(
    ("place", "active", "code"), [("somewhere", True, "unknown_place"), (Place.ESCALATION, False, "inactive")]
)
def test_refused_and_nothing_stored(msk, operator, place, active, code):
    with pytest.raises(ValidationError) as refusal:
        phrase_record_use(phrase=PhraseFactory(is_active=active), place=place, branch=msk, by=operator)
    assert refusal.value.code == code
    assert not PhraseUse.objects.exists()


def test_without_the_permission_nothing_is_counted(msk):
    nobody = UserFactory(branches=[msk])
    with pytest.raises(PermissionDenied):
        phrase_record_use(phrase=PhraseFactory(), place=Place.ESCALATION, branch=msk, by=nobody)
    assert not PhraseUse.objects.exists()


def test_the_shipped_library_has_every_situation_in_english_and_russian(db):
    migration = importlib.import_module("phrases.migrations.0002_standard_phrases")
    Phrase.objects.all().delete()
    migration.forwards(apps, None)
    found = set(Phrase.objects.values_list("language", "situation"))
    assert found == {(language, situation) for language in ("en", "ru") for situation in Situation.values}
    assert Phrase.objects.filter(language="ru", text__contains="сбой").exists()
    migration.forwards(apps, None)  # a second run adds nothing
    assert Phrase.objects.count() == len(found) + sum(
        len(texts) - 1 for situations in migration.PHRASES.values() for texts in situations.values()
    )
