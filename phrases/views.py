"""The library page (searchable, works without a script) and the small endpoint that counts an insertion."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import LibrarySearchForm, UseForm
from .models import Phrase


@permission_required("phrases.view_phrase", raise_exception=True)
def library(request):
    form = LibrarySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    language = selectors.phrase_language(filters.get("language"))
    groups = selectors.phrases_by_situation(
        language=language, query=filters.get("q", ""), situation=filters.get("situation", "")
    )
    return render(request, "phrases/library.html", {"form": form, "groups": groups, "language": language})


@require_POST
@permission_required("phrases.add_phraseuse", raise_exception=True)
def use(request, pk):
    """204 once counted; 400 with the reason in plain text otherwise (the script only logs it)."""
    phrase = get_object_or_404(Phrase, pk=pk)
    form = UseForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    try:
        services.phrase_record_use(
            phrase=phrase, place=form.cleaned_data["place"], branch=form.cleaned_data["branch"], by=request.user
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(status=204)
