from django import template

from ..selectors import phrase_language, phrases_by_situation

register = template.Library()


@register.inclusion_tag("phrases/_panel.html", takes_context=True)
def phrase_panel(context, *, target: str, place: str, branch=None, language=None, branch_field: str = ""):
    """The standard phrases beside a text field (``target``: its id), in the customer's ``language`` when it is
    known (the reader's otherwise); one click inserts one and counts it for ``place`` and ``branch``, or the
    branch chosen in the select ``branch_field`` of the same page."""
    user = context["request"].user
    if not user.has_perm("phrases.view_phrase"):
        return {"groups": []}
    language = phrase_language(language)
    return {
        "groups": phrases_by_situation(language=language),
        "language": language,
        "target": target,
        "place": place,
        "branch": branch,
        "branch_field": branch_field,
        "counts": user.has_perm("phrases.add_phraseuse"),
        "csrf_token": context.get("csrf_token"),
    }
