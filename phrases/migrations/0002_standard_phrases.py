"""The first library of standard phrases, in English and Russian, and the roles' permissions.

The phrases follow the branch's rules for a complaint and a system failure (shared domain text 001) and the
habits of a transfer to a supervisor (002), in the product's own words. Frozen: administrators edit them in
the admin afterwards; the migration adds them once and never again (a phrase removed stays removed).
"""

from django.db import migrations

from contactcenter.directory.migrations._frozen_roles import grant

PHRASES = {
    "en": {
        "system_failure": [
            "I am sorry, we are having technical difficulties at the moment. I understand how inconvenient this "
            "is for you.",
            "Our information system has failed, and access to the database is limited for a while. We know about "
            "it and are doing everything to put it right.",
            "We have no exact time yet for when the problem will be solved. We expect it to be fixed quickly.",
            "While the system is down, we can fill in the documents by hand; it takes only a little longer.",
        ],
        "apology": [
            "Please accept our apologies for the inconvenience.",
            "Thank you for drawing our attention to this problem; you are right to be upset.",
        ],
        "delay": [
            "Your request is taking longer than usual. I will tell you what has been done so far and when we "
            "expect an answer.",
            "Your complaint is registered; it will be considered within 10 business days at the latest.",
        ],
        "wait": [
            "Could you wait a moment, please? I need to check this for you.",
            "If you cannot wait now, when may we call you back? Is your phone number still the same?",
        ],
        "supervisor": [
            "I will put you through to my supervisor now. Please stay on the line.",
            "My supervisor cannot take the call right now. I have recorded your request, and they will call you "
            "back by the time I have given you.",
        ],
        "closing": [
            "Is there anything else I can help you with?",
            "Thank you for calling. We will contact you at the agreed time and tell you what has been done.",
        ],
    },
    "ru": {
        "system_failure": [
            "К сожалению, сейчас у нас технические трудности. Понимаю, как Вам это неудобно.",
            "В нашей информационной системе произошёл сбой, доступ к базе данных временно ограничен. Мы знаем о "
            "проблеме и делаем всё, чтобы её устранить.",
            "Точного времени устранения проблемы пока нет. Мы рассчитываем, что она будет решена быстро.",
            "Пока система недоступна, мы можем заполнить документы от руки — это займёт совсем немного больше времени.",
        ],
        "apology": [
            "Приносим извинения за доставленные неудобства.",
            "Спасибо, что обратили наше внимание на эту проблему; Ваше недовольство понятно.",
        ],
        "delay": [
            "Ваше обращение рассматривается дольше обычного. Я расскажу, что уже сделано и когда мы ожидаем ответ.",
            "Ваша жалоба зарегистрирована; она будет рассмотрена не позднее чем за 10 рабочих дней.",
        ],
        "wait": [
            "Подождите, пожалуйста, минуту: мне нужно это уточнить.",
            "Если Вы не можете подождать сейчас, когда Вам перезвонить? Ваш номер телефона не изменился?",
        ],
        "supervisor": [
            "Сейчас я переведу Вас на руководителя. Пожалуйста, оставайтесь на линии.",
            "Руководитель сейчас не может ответить. Я записал(а) Ваше обращение, и он перезвонит Вам к "
            "названному времени.",
        ],
        "closing": [
            "Могу ли я ещё чем-нибудь Вам помочь?",
            "Спасибо за обращение. Мы свяжемся с Вами в условленное время и расскажем, что сделано.",
        ],
    },
}

ROLES = {
    role: ["view_phrase", "add_phraseuse"]
    for role in ("Operator", "Supervisor", "Head of department", "Branch manager", "Deputy director", "Security")
}


def forwards(apps, schema_editor):
    Phrase = apps.get_model("phrases", "Phrase")
    if not Phrase.objects.exists():
        Phrase.objects.bulk_create(
            Phrase(situation=situation, language=language, text=text, position=position)
            for language, situations in PHRASES.items()
            for situation, texts in situations.items()
            for position, text in enumerate(texts, start=1)
        )
    grant(apps, "phrases", ROLES)


class Migration(migrations.Migration):
    dependencies = [
        ("phrases", "0001_initial"),
        ("directory", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
