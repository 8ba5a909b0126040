from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.case_pages import case_action

from . import services
from .models import DueMoveNotice


@require_POST
def customer_told(request, pk):
    """A member of staff records that the customer was told a moved date (the service checks who may)."""
    notice = get_object_or_404(
        DueMoveNotice.objects.for_user(request.user).select_related("deadline__content_type"), pk=pk
    )
    return case_action(
        request,
        case=notice.deadline.case,
        perform=lambda case, data: services.customer_told_of_move(notice=notice, by=request.user),
        done=_("Recorded: the customer has been told the new date."),
    )
