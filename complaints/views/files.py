"""Photos and answer letters are personal data: served only here, after the access check, never from a public URL."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import ComplaintPage
from .complaint import complaint_or_404


def _private_file(name: str, *, content_type: str, filename: str, as_attachment: bool = False) -> FileResponse:
    """A stored file for one user's eyes: inline (or downloaded), never kept by a cache or a proxy."""
    try:
        file = default_storage.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing from the storage.")) from error
    response = FileResponse(file, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if content_type.startswith("image/"):
        # A picture opened on its own runs nothing (a PDF keeps its viewer, which such a policy would block).
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def _page_or_404(request, pk) -> ComplaintPage:
    return get_object_or_404(ComplaintPage.objects.for_user(request.user).select_related("complaint"), pk=pk)


@require_GET
@permission_required("complaints.view_complaint", raise_exception=True)
def page_image(request, pk):
    page = _page_or_404(request, pk)
    return _private_file(page.image.name, content_type="image/jpeg", filename=page.download_name)


@require_GET
@permission_required("complaints.view_complaint", raise_exception=True)
def page_thumbnail(request, pk):
    page = _page_or_404(request, pk)
    return _private_file(page.thumbnail.name, content_type="image/jpeg", filename=page.download_name)


@require_GET
@permission_required("complaints.view_complaint", raise_exception=True)
def answer_letter(request, pk):
    complaint = complaint_or_404(request, pk)
    if not complaint.answer_letter:
        raise Http404
    return _private_file(
        complaint.answer_letter.name,
        content_type=complaint.answer_letter_type or "application/octet-stream",
        filename=complaint.answer_letter_name or complaint.answer_letter.name.rsplit("/", 1)[-1],
        # A Word document is downloaded; a PDF or an image opens in the browser.
        as_attachment=not complaint.answer_letter_type.startswith(("image/", "application/pdf")),
    )
