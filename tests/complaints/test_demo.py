import io

from django.core.management import call_command

from complaints.models import Complaint, ComplaintForwarding, ComplaintPage


def test_the_demo_has_complaints_of_several_ages_once(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    complaints = list(Complaint.objects.order_by("received_at"))
    assert len(complaints) == 4
    assert [c.register_number.split("-")[0] for c in complaints] == ["MSK"] * 4
    assert len({c.received_on for c in complaints}) == 4
    # Each has its page, a real JPEG that went through the upload checks; three were forwarded.
    assert ComplaintPage.objects.count() == 4
    page = ComplaintPage.objects.first()
    assert page.image.read(3) == b"\xff\xd8\xff"
    assert ComplaintForwarding.objects.count() == 3
