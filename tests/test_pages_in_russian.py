"""Every page of the product, read in Russian on the demo data, shows no phrase of the English catalogue that
has a Russian translation and no reference row's name in English (``tests/russian_pages.py``).

The pages are found, not listed: starting from the home page of each Russian-reading demo user (an operator,
a supervisor, the deputy director, the administrator for the calendar preview), every link of the site is
followed, at most ``PER_ROUTE`` times per page kind, so that a new page is checked without anyone adding it.
"""

from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from callbacks.models import CallbackReason
from tests.russian_pages import EnglishFinder, catalogue_phrases, reference_phrases, visible_text

pytestmark = pytest.mark.django_db

PER_ROUTE = 2
# Not pages: leaving, switching the language, downloads, photos, the API; the admin is read only where named.
NOT_PAGES = ("/accounts/logout/", "/language/", "/api/", "/static/", "/media/", "/admin/", "/favicon.ico")
DOWNLOAD_PARAMETERS = {"format", "download"}
# What each demo user (all read Russian) is the first to reach.
READERS = {
    "operator": ["/"],
    "supervisor": ["/", "/search/?q=%2B7", "/search/?q=MSK"],
    "deputy": ["/"],
    "admin": [reverse("admin:calendars_calendaroverride_preview")],
}


def _route(url: str) -> tuple | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NOT_PAGES):
        return None
    parameters = dict(parse_qsl(parts.query))
    if DOWNLOAD_PARAMETERS & set(parameters) or parts.path.endswith((".csv", ".jpg", ".png", ".pdf")):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return (match.view_name, frozenset(parameters))


def _links(html: str) -> list[str]:
    from html.parser import HTMLParser

    class Links(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            if tag == "a" and values.get("href") and "download" not in values:
                self.found.append(values["href"])

    parser = Links()
    parser.found = []
    parser.feed(html)
    return parser.found


def russian_pages(client, starts: list[str]) -> dict[str, str]:
    """Every page reachable from ``starts`` by links, at most ``PER_ROUTE`` per route: ``{url: html}``."""
    per_route, pages, queue = Counter(), {}, list(starts)
    while queue:
        url = queue.pop(0).split("#", 1)[0]
        if url in pages:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        for link in _links(html):
            route = _route(link)
            if route is not None and link.split("#", 1)[0] not in pages and per_route[route] < PER_ROUTE:
                per_route[route] += 1
                queue.append(link)
    return pages


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_no_page_in_russian_shows_english(client, demo, django_user_model):
    finder = EnglishFinder({**catalogue_phrases(), **reference_phrases()})
    english, visited = {}, set()
    for username, starts in READERS.items():
        user = django_user_model.objects.get(username=username)
        assert user.language == "ru"
        client.force_login(user)
        for url, html in russian_pages(client, starts).items():
            visited.add(url)
            if found := finder.english_in(html):
                english[f"{username} {url}"] = found
    kinds = {resolve(urlsplit(url).path).view_name for url in visited}
    # The crawl reached every main page: the homes, each case list and a case of each kind, a customer, the
    # reports and the figures, the calendar preview, the search and the forms.
    for page in [
        "home", "alerts:attention", "callbacks:list", "callbacks:detail", "callbacks:mine", "callbacks:done-today",
        "callbacks:create", "complaints:list", "complaints:detail", "complaints:register", "escalations:list",
        "escalations:detail", "escalations:create", "escalations:figures", "directory:customer-list",
        "directory:customer-detail", "directory:customer-create", "dashboard:reports", "dashboard:promises",
        "dashboard:ageing", "dashboard:callback_figures", "dashboard:escalation_figures", "search",
        "directory:branch-list", "directory:branch-detail", "admin:calendars_calendaroverride_preview",
    ]:  # fmt: skip
        assert page in kinds, f"the crawl never reached {page}: {sorted(kinds)}"
    assert english == {}, "\n".join(f"{page}: {found}" for page, found in english.items())


def test_the_checker_finds_a_translated_english_phrase_and_no_russian_one():
    finder = EnglishFinder(catalogue_phrases())
    page = "<main><h1>Обратные звонки</h1><p>Callbacks</p><script>var x = 'Callbacks';</script></main>"
    assert finder.english_in(page) == ["Callbacks"]
    assert finder.english_in("<main><h1>Обратные звонки</h1><input placeholder='Номер'></main>") == []
    assert finder.english_in('<input placeholder="Search">') == ["Search"], "an attribute people read"
    assert finder.english_in("<p>Callbacksmith</p><p>ID</p>") == [], "a whole phrase, never a piece of a word"


def test_the_checker_finds_a_reference_name_without_its_russian_one():
    CallbackReason.objects.create(code="card_delivery", label="Card delivery", due_after=2)
    finder = EnglishFinder(reference_phrases())
    assert finder.english_in("<td>Card delivery</td>") == ["Card delivery"]
    assert finder.english_in("<td>Cooperation talks</td>") == ["Cooperation talks"], "it has a Russian name"
    assert finder.english_in("<td>Переговоры о сотрудничестве</td>") == []


def test_visible_text_leaves_out_what_a_browser_does_not_show():
    assert visible_text("<head><title>x</title></head><p>Один <b>два</b></p><style>.a{}</style>") == ["Один", "два"]


def test_text_said_to_be_in_another_language_is_that_languages_data():
    finder = EnglishFinder(catalogue_phrases())
    page = '<html lang="ru"><table><tr><th lang="en">Thank you for calling. <b>Callbacks</b></th></tr></table>'
    assert finder.english_in(page) == []
    assert finder.english_in(page + "<p>Thank you for calling.</p>") == ["Thank you"]
