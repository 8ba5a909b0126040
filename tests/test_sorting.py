"""Every list's "Sort by" reads as a person would say it, in English and in Russian, never "(descending)"."""

import pytest
from django.utils import translation

from callbacks.filters import CallbackFilter
from complaints.filters import ComplaintFilter
from contactcenter.deadlines.filters import AttentionFilter
from contactcenter.directory.filters import CustomerFilter
from escalations.filters import EscalationFilter

FILTERS = [CallbackFilter, ComplaintFilter, AttentionFilter, CustomerFilter, EscalationFilter]


def sort_options(filterset_class, user) -> dict[str, str]:
    form = filterset_class(data={}, user=user).form
    return {value: str(label) for value, label in form.fields["ordering"].choices if value}


@pytest.mark.parametrize("filterset_class", FILTERS)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_sort_option_says_descending(filterset_class, language, operator):
    with translation.override(language):
        labels = sort_options(filterset_class, operator).values()
    # django-filter's own words are "Name (descending)", "Имя (по убыванию)".
    assert labels and not [label for label in labels if "(" in label]
    assert len(set(labels)) == len(labels), "each way of sorting has words of its own"


def test_the_callbacks_sort_as_people_say_it(operator):
    with translation.override("en"):
        options = sort_options(CallbackFilter, operator)
    assert options["-priority"] == "most urgent first" and options["-registered"] == "newest first"
    with translation.override("ru"):
        assert sort_options(CallbackFilter, operator)["-priority"] == "сначала самые срочные"
