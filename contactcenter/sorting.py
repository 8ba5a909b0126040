"""A list's "Sort by", with each way of sorting named as a person would say it ("newest first"), never a
field's name with "(descending)" after it, as django-filter writes it by default."""

import django_filters
from django.utils.translation import gettext_lazy as _


def sort_filter(*options) -> django_filters.OrderingFilter:
    """``options``: (model field, URL value, the ascending order's words, the descending order's words)."""
    return django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=tuple((field, param) for field, param, _up, _down in options),
        field_labels={
            **{field: up for field, _param, up, _down in options},
            **{f"-{param}": down for _field, param, _up, down in options},
        },
    )
