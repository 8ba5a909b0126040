from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RATINGS
from .services import COMMENT_MAX_CHARS


class AnswerForm(forms.Form):
    """The customer's two questions and a comment."""

    solved = forms.TypedChoiceField(
        label=_("Was your problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether your problem was solved.")},
    )
    rating = forms.TypedChoiceField(
        label=_("How would you rate how we dealt with it?"),
        help_text=_("1: very badly, 5: very well."),
        choices=[(str(value), str(value)) for value in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us (optional)"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
