"""A select box nobody has chosen in yet says what to choose ("Choose a branch", "any"), never "---------"."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.forms import AnswerForm, AssignForm
from complaints.models import Status
from tests.factories import ComplaintFactory

PAGES = [
    "callbacks:list",
    "callbacks:create",
    "complaints:list",
    "complaints:register",
    "complaints:branch-register",
    "escalations:list",
    "escalations:create",
    "escalations:figures",
    "directory:customer-list",
    "dashboard:promises",
    "dashboard:ageing",
    "dashboard:callback_figures",
    "dashboard:escalation_figures",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_page_offers_a_bare_dash_as_a_choice(admin_client, root, msk, page, language):
    root.language = language
    root.save(update_fields=["language"])
    html = admin_client.get(reverse(page)).content.decode()

    assert re.search(rf'<html lang="{language}"[\s>]', html), "the page speaks the reader's language"
    assert "<select" in html, "the page has choices to make"
    assert "---------" not in html


def test_the_complaint_forms_name_what_to_choose(msk, people):
    complaint = ComplaintFactory(branch=msk, status=Status.IN_REVIEW)
    with translation.override("en"):
        assign = str(AssignForm(complaint=complaint, user=people["supervisor"])["assigned_to"])
        answer = str(AnswerForm(complaint=complaint)["answer_channel"])

    assert "Choose a reviewer" in assign and "---------" not in assign
    assert "Choose how the customer was answered" in answer and "---------" not in answer
