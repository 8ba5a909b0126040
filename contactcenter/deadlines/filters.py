import django_filters
from django.utils.translation import gettext_lazy as _

from contactcenter.directory.models import Branch
from contactcenter.sorting import sort_filter

from .models import ClockPolicy, Deadline


class AttentionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(Deadline.State.DUE_SOON, _("due soon")), (Deadline.State.OVERDUE, _("overdue"))],
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=[])
    branch = django_filters.ModelChoiceFilter(label=_("Branch"), queryset=Branch.objects.none())
    q = django_filters.CharFilter(label=_("Case"), field_name="title", lookup_expr="icontains")
    ordering = sort_filter(
        ("due_at", "due", _("most urgent first"), _("least urgent first")),
        ("branch__code", "branch", _("branch, A to Z"), _("branch, Z to A")),
        ("owner__last_name", "owner", _("owner, A to Z"), _("owner, Z to A")),
    )

    class Meta:
        model = Deadline
        fields = ["state", "kind", "branch", "q"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].queryset = Branch.objects.for_user(user)
        self.filters["kind"].extra["choices"] = [(policy.kind, str(policy)) for policy in ClockPolicy.objects.all()]
