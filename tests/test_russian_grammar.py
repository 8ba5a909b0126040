"""Russian status words agree with the noun they describe: a complaint (жалоба) is "передана", a callback
(обратный звонок) "решён", an escalation (эскалация) "закрыта"; one English word, three Russian ones."""

from django.utils import translation

from callbacks.models import Callback
from complaints.models import Status
from escalations.models import Escalation


def test_status_words_agree_with_their_case_in_russian():
    with translation.override("ru"):
        assert [str(label) for label in Status.labels] == [
            "зарегистрирована", "передана", "на рассмотрении", "ответ дан", "закрыта",
        ]  # fmt: skip
        assert [str(label) for label in Callback.Status.labels] == ["открыт", "решён", "клиент недоступен", "отменён"]
        assert str(Escalation.Status.OPEN.label) == "открыта, не принята"
        assert str(Escalation.Status.ACKNOWLEDGED.label) == "принята"
        assert str(Escalation.Status.CLOSED.label) == "закрыта"


def test_english_keeps_its_one_word():
    with translation.override("en"):
        assert str(Status.CLOSED.label) == str(Escalation.Status.CLOSED.label) == "closed"
        assert str(Callback.Status.CANCELLED.label) == "cancelled"
