"""The history reads as sentences (``contactcenter.audit.sentences``), in English and in Russian: every kind of
entry the services write, times in the branch's zone and the reader's format, no event code or field name."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from contactcenter.audit.models import AuditEntry
from contactcenter.audit.sentences import entry_sentence, history_lines
from contactcenter.audit.services import record_audit
from tests.factories import (
    CallbackFactory,
    ComplaintFactory,
    CustomerFactory,
    EscalationFactory,
    EscalationKindFactory,
    UserFactory,
)

BEFORE = datetime(2026, 12, 15, 15, 0, tzinfo=UTC).isoformat()  # 18:00 in Moscow
AFTER = datetime(2026, 12, 14, 15, 0, tzinfo=UTC).isoformat()


@pytest.fixture
def olga(msk):
    return UserFactory(username="olga", first_name="Olga", last_name="Orlova", role="Supervisor", branches=[msk])


def read(entry, language):
    with translation.override(language):
        return entry_sentence(entry, entry.branch.tz)


def targets(msk):
    customer = CustomerFactory(branch=msk, full_name="Ivan Ivanov", phone="+79161234567")
    return {
        "complaint": ComplaintFactory(branch=msk, customer=customer),
        "callback": CallbackFactory(branch=msk, customer=customer),
        "escalation": EscalationFactory(branch=msk, customer=customer, kind=EscalationKindFactory(label="Rudeness")),
        "customer": customer,
    }


CASES = [
    # target, action, changes, by a person?, English, Russian
    (
        "complaint",
        "complaint.forwarded",
        {"recipients": [None, "boss@example.com, deputy@example.com"], "message_id": [None, "<1@x>"]},
        True,
        "Olga Orlova forwarded the complaint to boss@example.com, deputy@example.com; the mail server accepted it",
        "Olga Orlova: жалоба переслана — boss@example.com, deputy@example.com; почтовый сервер принял письмо",
    ),
    (
        "complaint",
        "complaint.forward_requested",
        {"to": [None, "boss@example.com"], "cc": [None, "deputy@example.com"]},
        True,
        "Olga Orlova sent the complaint to boss@example.com (copy: deputy@example.com); waiting for the mail server",
        "Olga Orlova: жалоба отправлена — boss@example.com (копия: deputy@example.com); ждём ответа почтового сервера",
    ),
    (
        "complaint",
        "clock.recomputed",
        {"complaint_answer.due_at": [BEFORE, AFTER]},
        False,
        "“Answer to the customer” moved from 15.12.2026 18:00 to 14.12.2026 18:00 because the branch calendar changed",
        "Срок «Ответ клиенту» перенесён с 15.12.2026 18:00 на 14.12.2026 18:00, потому что изменился календарь филиала",
    ),
    (
        "complaint",
        "complaint.registered",
        {"register_number": [None, "MSK-2026-00001"], "channel": [None, "complaint_book"], "pages": [None, 2]},
        True,
        "Olga Orlova registered the complaint (complaint book, 2 pages)",
        "Olga Orlova: жалоба зарегистрирована (книга жалоб, 2 страницы)",
    ),
    (
        "complaint",
        "complaint.pages_added",
        {"pages": [2, 7]},
        True,
        "Olga Orlova added 5 pages",
        "Olga Orlova: добавлено 5 страниц",
    ),
    (
        "complaint",
        "complaint.changed",
        {"status": ["registered", "forwarded"]},
        True,
        "Olga Orlova corrected the complaint: status: registered → forwarded",
        "Olga Orlova: жалоба исправлена: статус: зарегистрирована → передана",
    ),
    (
        "complaint",
        "complaint.legal_term_extended",
        {"legal_extension_days": [None, 1], "legal_due_at": [BEFORE, AFTER]},
        True,
        "Olga Orlova extended the legal term by 1 working day, from 15.12.2026 18:00 to 14.12.2026 18:00",
        "Olga Orlova: установленный законом срок продлён на 1 рабочий день, с 15.12.2026 18:00 до 14.12.2026 18:00",
    ),
    (
        "complaint",
        "customer.told",
        {"to": [None, "ivan@example.com"], "message_id": [None, "<2@x>"]},
        False,
        "The customer was sent “Complaint MSK-2026-00001” at ivan@example.com; the mail server accepted it",
        "Клиенту отправлено письмо «Complaint MSK-2026-00001» на адрес ivan@example.com; почтовый сервер принял его",
    ),
    (
        "callback",
        "callback.attempt_logged",
        {"outcome": [None, "no_answer"], "status": ["open", "open"]},
        True,
        "Olga Orlova called the customer: no answer",
        "Olga Orlova: звонок клиенту — нет ответа",
    ),
    (
        "callback",
        "callback.reassigned",
        {"assigned_to": ["Anna Smirnova", "Petr Petrov"]},
        True,
        "Olga Orlova gave the callback to Petr Petrov",
        "Olga Orlova: обратный звонок передан сотруднику Petr Petrov",
    ),
    (
        "callback",
        "clock.moved",
        {"callback.due_at": [BEFORE, AFTER]},
        True,
        None,  # the callback's clock name is read below
        None,
    ),
    (
        "complaint",
        "customer.told_new_date",
        {"complaint_answer.due_at": [BEFORE, AFTER]},
        True,
        "Olga Orlova told the customer the new date of “Answer to the customer”: 14.12.2026 18:00 instead of "
        "15.12.2026 18:00",
        "Olga Orlova: клиенту сообщён новый срок «Ответ клиенту» — 14.12.2026 18:00 вместо 15.12.2026 18:00",
    ),
    (
        "callback",
        "callback.retry_wait_overridden",
        {"retry_at": [BEFORE, AFTER]},
        True,
        "Olga Orlova called before the pause between tries ended (it ended at 15.12.2026 18:00)",
        "Olga Orlova: звонок до конца паузы между попытками (пауза заканчивалась 15.12.2026 18:00)",
    ),
    (
        "complaint",
        "questionnaire.answered",
        {"rating": [None, 2], "solved": [None, False], "complaint": [None, "MSK-2026-00002"]},
        False,
        "The customer rated the case 2 of 5; a complaint draft was opened (MSK-2026-00002)",
        "Клиент оценил обращение на 2 из 5; открыт черновик жалобы (MSK-2026-00002)",
    ),
    (
        "complaint",
        "complaint.letter_prepared",
        {"letter_template": [None, "Answer (ru)"], "output": [None, "docx"]},
        True,
        "Olga Orlova prepared the answer letter from the template “Answer (ru)”",
        "Olga Orlova: подготовлено письмо с ответом по шаблону «Answer (ru)»",
    ),
    (
        "escalation",
        "escalation.raised",
        {"level": ["supervisor", "head_of_department"]},
        False,
        "Nobody took the escalation in time: it rose from the supervisor to the head of department",
        None,
    ),
    (
        "customer",
        "customer.changed",
        {"full_name": ["Ivan Ivanov", "Ivan Petrov"]},
        True,
        "Olga Orlova changed the customer's details: name: Ivan Ivanov → Ivan Petrov",
        None,
    ),
]


@pytest.mark.parametrize(("target", "action", "changes", "by_person", "english", "russian"), CASES)
def test_each_kind_of_entry_reads_as_a_sentence_in_english_and_russian(
    msk, olga, target, action, changes, by_person, english, russian
):
    entry = record_audit(
        actor=olga if by_person else None,
        action=action,
        target=targets(msk)[target],
        changes=changes,
        note="Complaint MSK-2026-00001" if action == "customer.told" else "",
    )
    en, ru = read(entry, "en"), read(entry, "ru")
    for text in (en, ru):
        assert action not in text, "no event code"
        assert "due_at" not in text and "message_id" not in text and "<1@x>" not in text, "no field name or proof"
        assert "T15:00" not in text and "+00:00" not in text, "no stored moment"
    if english:
        assert en == english
    if russian:
        assert ru == russian
    assert en != ru, "Russian is not English"


def test_a_moved_clock_names_the_clock_and_both_moments(msk, olga):
    callback = targets(msk)["callback"]
    entry = record_audit(
        actor=olga, action="clock.moved", target=callback, changes={"callback.due_at": [BEFORE, AFTER]}, note="asked"
    )
    assert read(entry, "en").startswith("Olga Orlova moved “") and read(entry, "en").endswith(
        "” from 15.12.2026 18:00 to 14.12.2026 18:00"
    )
    assert read(entry, "ru").startswith("Olga Orlova: срок «") and "с 15.12.2026 18:00 на 14.12.2026 18:00" in read(
        entry, "ru"
    )


def test_the_stored_moment_reads_in_the_branch_zone_of_the_page(bud, olga):
    customer = CustomerFactory(branch=bud)
    entry = record_audit(actor=None, action="clock.recomputed", target=customer, changes={"x.due_at": [BEFORE, AFTER]})
    assert "15.12.2026 16:00" in read(entry, "en"), "Budapest is UTC+1 in December"


def test_a_merged_record_reads_as_who_merged_what_and_what_moved(msk, olga):
    keep = CustomerFactory(branch=msk, full_name="Maria Petrova", phone="+79161234567")
    removed = {"id": 9, "full_name": "M. Petrova", "phone": "+79161234568", "created_at": BEFORE, "notes": "x"}
    entry = record_audit(
        actor=olga,
        action="customer.merged",
        target=keep,
        changes={
            "email": [None, "maria@example.com"],
            "merged_record": [removed, None],
            "moved": [None, {"callbacks.callback.customer_id": [1, 2]}],
        },
    )
    assert read(entry, "en") == (
        "Olga Orlova merged the record of M. Petrova (+79161234568, registered 15.12.2026 18:00) into this one; "
        "moved here: callbacks: 2; taken from it: e-mail: maria@example.com"
    )
    russian = read(entry, "ru")
    assert russian.startswith("Olga Orlova: с этой записью объединена запись клиента M. Petrova (+79161234568, ")
    assert "перенесено сюда: обратные звонки: 2" in russian and "merged_record" not in russian


def test_an_unphrased_action_still_reads_with_labels(msk, olga):
    entry = record_audit(
        actor=olga,
        action="something.new",
        target=targets(msk)["complaint"],
        changes={"status": ["registered", "closed"]},
    )
    assert read(entry, "en") == "Olga Orlova changed the record: status: registered → closed"
    assert read(entry, "ru") == "Olga Orlova: запись изменена: статус: зарегистрирована → закрыта"


def test_the_raw_entry_is_linked_for_administrators_only(msk, olga, root):
    entry = record_audit(actor=olga, action="customer.created", target=CustomerFactory(branch=msk))
    entries = AuditEntry.objects.filter(pk=entry.pk).select_related("actor")
    url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert [line.admin_url for line in history_lines(entries, zone=msk.tz, user=root)] == [url]
    assert [line.admin_url for line in history_lines(entries, zone=msk.tz, user=olga)] == [""]


def test_each_case_page_shows_sentences_and_the_admin_link_only_to_administrators(client, msk, olga, root):
    cases = targets(msk)
    for case in cases.values():
        record_audit(actor=olga, action="admin.changed", target=case, changes={"notes": ["", "Call after six"]})
    for user, sees_raw in ((olga, False), (root, True)):
        client.force_login(user)
        for case in cases.values():
            page = client.get(case.get_absolute_url()).content.decode()
            assert "Olga Orlova changed the record in the administration" in page, case
            assert "admin.changed" not in page and "<code>" not in page
            assert ("/admin/audit/auditentry/" in page) is sees_raw, (case, user)
    client.force_login(olga)
    with translation.override("ru"):
        client.cookies["django_language"] = "ru"
        olga.language = "ru"
        olga.save(update_fields=["language"])
        page = client.get(cases["complaint"].get_absolute_url()).content.decode()
    assert "Olga Orlova: запись изменена в администрировании" in page


def test_a_forwarding_names_the_branch_manager_and_the_deputy_director(msk, olga):
    manager = UserFactory(username="boss", first_name="Ivan", last_name="Petrov", email="boss@example.com")
    deputy = UserFactory(username="dep", first_name="Anna", last_name="Smirnova", email="Deputy@example.com")
    msk.manager, msk.deputy_director = manager, deputy
    msk.save()
    entry = record_audit(
        actor=olga,
        action="complaint.forwarded",
        target=targets(msk)["complaint"],
        changes={
            "recipients": [None, "boss@example.com, deputy@example.com"],
            "to": [None, "boss@example.com"],
            "cc": [None, "deputy@example.com"],
            "message_id": [None, "<1@x>"],
        },
    )
    assert read(entry, "en") == (
        "Olga Orlova forwarded the complaint to the branch manager Ivan Petrov <boss@example.com> "
        "(copy: the deputy director Anna Smirnova <deputy@example.com>); the mail server accepted it"
    )
    assert read(entry, "ru") == (
        "Olga Orlova: жалоба переслана — руководитель филиала Ivan Petrov <boss@example.com> "
        "(копия: заместитель директора Anna Smirnova <deputy@example.com>); почтовый сервер принял письмо"
    )
