"""The data migrations' frozen copy of ``contactcenter.reference_labels.fill_translations``: a migration must not
change when the live code does."""


def fill_translations(model, key: str, shipped: dict) -> None:
    """``shipped`` is ``{key value: {field: (English, {"ru": …})}}``: where a row's field still reads the
    shipped English, the languages it lacks are filled; a text an administrator wrote is never changed."""
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
