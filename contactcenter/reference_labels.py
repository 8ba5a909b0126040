"""Reference data in every language of the product: one mechanism for callback reasons, escalation kinds,
clock policies, pause reasons and the complaint register's categories and channels.

A reference row keeps its English text in its own column (``label``: the fallback, what the admin searches
and orders by) and the other languages of ``settings.LANGUAGES`` in a JSON column beside it
(``label_translations = {"ru": "…"}``). ``in_language`` is the one accessor: it follows
``translation.get_language()``, so a page reads its reader's language and an e-mail rendered under
``translation.override(recipient's language)`` its recipient's; a missing translation falls back to English,
never to a code. The admin edits each language in its own input (``TranslatedLabelsForm``), and refuses a
row without a label in every language of the product.
"""

import threading
import uuid
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from contactcenter.request_id import current_request_id


def reader_language(language: str | None = None) -> str:
    """The base language code to read in: ``ru`` for ``ru-ru``; the active language when none is given."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def other_languages() -> list[tuple[str, str]]:
    """The product's languages that live in the translations column (all but the English of the base column)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def in_language(english: str, translations: dict | None, language: str | None = None) -> str:
    """The text in the reader's language: its translation when there is one, else the English text."""
    code = reader_language(language)
    if code != settings.LANGUAGE_CODE:
        text = str((translations or {}).get(code) or "").strip()
        if text:
            return text
    return english


_read_in_request: dict = {}
_scope = threading.local()


@contextmanager
def reading_scope():
    """Read once in this block, as in a request: for what runs after its request has returned (a CSV download
    written while it is sent)."""
    previous = getattr(_scope, "name", None)
    _scope.name = uuid.uuid4().hex
    try:
        yield
    finally:
        _scope.name = previous


def read_once_per_request(key: str, load):
    """``load()``, read once per request however many rows of a page ask (a list of complaints names each one's
    category): kept for the request that read it (``request_id.current_request_id``, or a ``reading_scope``),
    read again by the next, so an edit in the admin shows at the next page in every process. Outside a request,
    read every time."""
    scope = current_request_id.get() or getattr(_scope, "name", None)
    if scope is None:
        return load()
    kept = _read_in_request.get(key)
    if kept is not None and kept[0] == scope:
        return kept[1]
    value = load()
    _read_in_request[key] = (scope, value)
    return value


def translations_field(verbose_name) -> models.JSONField:
    """The column that keeps a text's other languages, ``{"ru": "…"}``; edited through the admin's inputs.
    Also empty by default in the database: the data migrations that made the rows before it existed still run."""
    return models.JSONField(
        verbose_name,
        default=dict,
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        editable=False,
    )


class TranslatedLabels(models.Model):
    """A reference row whose ``label`` (and any other field named in ``translated_fields``) is read in the
    reader's language; ``str()`` of the row is its label in that language, so templates, filters and select
    boxes need nothing more."""

    # Each field named here has a ``<field>_translations`` column; the first one is the row's name.
    translated_fields = ("label",)

    label_translations = translations_field(_("name in other languages"))

    class Meta:
        abstract = True

    def __str__(self):
        return self.translated("label")

    def translated(self, field: str, language: str | None = None) -> str:
        return in_language(getattr(self, field), getattr(self, f"{field}_translations"), language)

    def missing_languages(self) -> list[str]:
        """The languages of the product the row's label still lacks."""
        return [code for code, _name in other_languages() if not (self.label_translations or {}).get(code)]


class TranslatedLabelsForm(forms.ModelForm):
    """The admin form of a reference row: one input per language for each translated field (made for a model
    by ``translated_labels_form``). The label is required in every language (a row without its Russian name
    would show English on a Russian page); another translated field is required in a language only when its
    English text is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field_name in self._meta.model.translated_fields:
            stored = getattr(self.instance, f"{field_name}_translations") or {}
            for code, _language in other_languages():
                if f"{field_name}_{code}" in self.fields:
                    self.fields[f"{field_name}_{code}"].initial = stored.get(code, "")

    @cached_property
    def changed_data(self):
        """Also each ``<field>_translations`` whose inputs changed: what the audit trail records."""
        changed = super().changed_data
        codes = [code for code, _language in other_languages()]
        return changed + [
            f"{name}_translations"
            for name in self._meta.model.translated_fields
            if any(f"{name}_{code}" in changed for code in codes)
        ]

    def clean(self):
        cleaned = super().clean()
        for field_name in self._meta.model.translated_fields:
            translations = {}
            for code, language in other_languages():
                text = " ".join((cleaned.get(f"{field_name}_{code}") or "").split())
                if cleaned.get(field_name) and not text:
                    self.add_error(f"{field_name}_{code}", _("Give it in %(language)s too.") % {"language": language})
                if text:
                    translations[code] = text
            setattr(self.instance, f"{field_name}_translations", translations)
        return cleaned


def translated_labels_form(model, base=TranslatedLabelsForm):
    """``base`` with an input per other language for each of ``model.translated_fields``, declared on the
    class so that the admin shows them (``TranslatedLabelsAdminMixin`` puts each after its English field)."""
    declared = {}
    for field_name in model.translated_fields:
        english = model._meta.get_field(field_name)
        for code, language in other_languages():
            declared[f"{field_name}_{code}"] = forms.CharField(
                label=_("%(field)s (%(language)s)") % {"field": english.verbose_name, "language": language},
                max_length=english.max_length,
                required=False,
            )
    return type(base)(f"{model.__name__}LabelsForm", (base,), {**declared, "__module__": base.__module__})


class TranslatedLabelsAdminMixin:
    """Lays out each translated field's inputs in the other languages right after its English one (the
    admin's ``form`` comes from ``translated_labels_form``)."""

    def get_fields(self, request, obj=None):
        inputs = {f"{name}_{code}" for name in self.model.translated_fields for code, _language in other_languages()}
        shown = []
        for name in super().get_fields(request, obj):
            if name in inputs:
                continue
            shown.append(name)
            if name in self.model.translated_fields:
                shown.extend(f"{name}_{code}" for code, _language in other_languages())
        return shown


def fill_translations(model, key: str, shipped: dict) -> None:
    """Give the shipped defaults their translations: ``shipped`` is ``{key value: {field: (English, {"ru": …})}}``.
    Where a row's field still reads the shipped English, the languages it lacks are filled; a text an
    administrator wrote (or rewrote in English) is never changed. Run by the data migrations (on historical
    models, hence plain fields only) and after every ``migrate``, like the defaults themselves."""
    for row in model.objects.filter(**{f"{key}__in": list(shipped)}):
        changed = []
        for field, (english, texts) in shipped[getattr(row, key)].items():
            current = dict(getattr(row, f"{field}_translations") or {})
            missing = {code: text for code, text in texts.items() if not current.get(code)}
            if getattr(row, field) == english and missing:
                setattr(row, f"{field}_translations", {**current, **missing})
                changed.append(f"{field}_translations")
        if changed:
            row.save(update_fields=changed)
