"""The customer's public page: no login, no personal data beyond the case's number, in the customer's language."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from contactcenter.case_pages import show_service_error

from .forms import AnswerForm
from .services import Unavailable, case_label, questionnaire_answer, questionnaire_for_link

# A link nobody made: not found; one whose time is over: gone; one answered: thanks again, not an error.
UNAVAILABLE_STATUS = {"unknown": 404, "expired": 410, "answered": 200}


def _private(response):
    """The link is a secret: never cached, never passed on to another site in a Referer, never indexed.
    ("no-referrer" would make the browser send "Origin: null" with the form, which the CSRF check refuses.)"""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unavailable(request, error: Unavailable):
    questionnaire = error.questionnaire
    language = questionnaire.language if questionnaire is not None else translation.get_language()
    with translation.override(language):
        context = {"reason": error.reason, "case": _case(questionnaire) if questionnaire else ""}
        response = render(request, "feedback/unavailable.html", context, status=UNAVAILABLE_STATUS[error.reason])
    return _private(response)


def _case(questionnaire) -> str:
    return case_label(questionnaire.kind, questionnaire.case_number)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    try:
        questionnaire = questionnaire_for_link(token)
    except Unavailable as error:
        return _unavailable(request, error)
    with translation.override(questionnaire.language):
        form = AnswerForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                questionnaire_answer(token=token, **form.cleaned_data)
            except Unavailable as error:  # answered in another tab meanwhile, or expired while being filled in
                return _unavailable(request, error)
            except ValidationError as error:
                show_service_error(form, error)
            else:
                return _private(render(request, "feedback/thanks.html", {"case": _case(questionnaire)}))
        response = render(request, "feedback/answer.html", {"form": form, "case": _case(questionnaire)})
    return _private(response)
