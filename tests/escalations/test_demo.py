import io

from django.core.management import call_command

from escalations.models import Escalation


def test_the_demo_has_escalations_once(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Escalation.objects.count() == 2
    aggressive = Escalation.objects.get(kind__code="aggressive")
    assert aggressive.status == "acknowledged" and aggressive.reached_security_at is not None
