"""Every report with its address's name, title and filter form: the pages, the CSV and the index read it."""

from django.utils.translation import gettext_lazy as _

from .. import forms
from . import ageing, callbacks, escalations, phrases, promises, ratings
from .base import Report

REPORTS = {
    report.slug: report
    for report in (
        Report(
            slug="promises",
            title=_("Promises kept"),
            summary=_("Clocks met on time, met late, still open and overdue, by kind, branch, owner or week."),
            form_class=forms.PromisesFilterForm,
            build=promises.build,
        ),
        Report(
            slug="ageing",
            title=_("Complaint ageing"),
            summary=_("Open complaints by age in business days: 0–5, 6–10, over 10, and over the legal 15."),
            form_class=forms.AgeingFilterForm,
            build=ageing.build,
        ),
        Report(
            slug="callback_figures",
            title=_("Callbacks by reason"),
            summary=_("Attempts per solved callback, solved on the first contact, unreachable customers."),
            form_class=forms.CallbackFiguresForm,
            build=callbacks.build,
        ),
        Report(
            slug="escalation_figures",
            title=_("Escalations by kind and level"),
            summary=_("How far escalations went, and how long customers waited for the first contact."),
            form_class=forms.EscalationFiguresForm,
            build=escalations.build,
        ),
        Report(
            slug="phrase_figures",
            title=_("Standard phrases used"),
            summary=_("How many times each standard phrase was inserted, beside which form."),
            form_class=forms.PhraseFiguresForm,
            build=phrases.build,
        ),
        Report(
            slug="customer_ratings",
            title=_("Customers' ratings"),
            summary=_(
                "Questionnaires answered, problems solved and the average rating, by kind, branch, operator or week."
            ),
            form_class=forms.RatingsFilterForm,
            build=ratings.build,
        ),
    )
}
