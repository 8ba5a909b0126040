"""Demo complaints for ``seed_demo``: photographed pages of the Moscow complaint book, of several ages, so
that the register, the forwarding and the complaint-ageing report have something to show.

The photos are drawn here (a page with the customer's words) and go through the same checks as an upload.
"""

from datetime import datetime, time
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from contactcenter.calendars.business_time import BusinessCalendar
from contactcenter.directory.models import Customer

from . import photos, services
from .defaults import ensure_default_letter_templates
from .models import Category, Channel, Complaint

DEMO = [
    # customer phone, business days ago, category, summary, forwarded at once
    ("+79161234567", 0, Category.WAITING, "Waited 40 minutes at the cash desk; only one window was open.", False),
    ("+79031112233", 3, Category.STAFF, "The consultant refused to explain the card's fees.", True),
    ("+74957654321", 8, Category.ERRORS, "Wrong surname in the loan agreement; asks for a corrected copy.", True),
    ("+79265550101", 12, Category.PREMISES, "The ramp at the entrance is blocked by a parked car every day.", True),
]


def _page(number: int, text: str) -> SimpleUploadedFile:
    """A photographed book page: ruled lines and the customer's words."""
    image = Image.new("RGB", (900, 1200), "#fbf8ef")
    draw = ImageDraw.Draw(image)
    for y in range(160, 1150, 48):
        draw.line((60, y, 840, y), fill="#c9d6e8", width=2)
    draw.text((60, 60), f"Complaint book, page {number}", fill="#1b2a4a", font_size=40)
    for row, start in enumerate(range(0, len(text), 38)):
        draw.text((70, 172 + row * 48), text[start : start + 38], fill="#23395d", font_size=30)
    output = BytesIO()
    image.save(output, "JPEG", quality=80)
    return SimpleUploadedFile(f"book-page-{number}.jpg", output.getvalue(), content_type="image/jpeg")


def add_demo_complaints(*, branches, users) -> None:
    ensure_default_letter_templates()
    msk = branches["MSK"]
    if Complaint.objects.filter(branch=msk).exists():
        return
    calendar = BusinessCalendar.for_branch(msk)
    today = msk.local_now().date()
    for number, (phone, days_ago, category, summary, forward) in enumerate(DEMO, start=1):
        day = calendar.business_day_back(today, days_ago + 1)
        received_at = min(datetime.combine(day, time(10, 30), tzinfo=msk.tz), msk.local_now())
        services.complaint_register(
            branch=msk,
            channel=Channel.COMPLAINT_BOOK,
            category=category,
            received_at=received_at,
            summary=summary,
            registered_by=users["operator"],
            customer=Customer.objects.get(branch=msk, phone=phone),
            pages=[photos.prepare_photo(_page(number, summary))],
            forward=forward,
        )
