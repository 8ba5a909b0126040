"""A smoke journey through a running production profile (`make run-prod`), standard library only.

    python .ci/prod_smoke.py http://127.0.0.1:8123

Waits for /health/, logs in as the demo supervisor, opens the dashboard, registers a callback through the
form, finds it in the callback list, and waits for /health/ready/ to answer 200 (database, broker, media and a
scan that beat queued and the scan worker ran). The profile runs with DJANGO_ENV=production behind no TLS
proxy here, so each request says it came over HTTPS (X-Forwarded-Proto, as the proxy would) and the cookies,
marked Secure, are kept by hand. Exits 1 with what failed.
"""

import html
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/")
PASSWORD = "demo-pass-2026"
cookies: dict[str, str] = {}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def request(path: str, data: dict | None = None) -> tuple[int, dict, str]:
    headers = {"X-Forwarded-Proto": "https", "Origin": BASE.replace("http://", "https://", 1)}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    req = urllib.request.Request(BASE + path, data=body, headers=headers)
    try:
        response = opener.open(req, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def fail(message: str) -> None:
    print(f"smoke: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        fail("no CSRF token on the page")
    return found.group(1)


def first_option(page: str, field: str) -> str:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', page, re.S)
    values = re.findall(r'<option value="([^"]+)"', select.group(1)) if select else []
    if not values:
        fail(f"no choice offered for {field}")
    return values[0]


def wait_for(path: str, seconds: int) -> tuple[int, str]:
    deadline, status, body = time.monotonic() + seconds, None, ""
    while time.monotonic() < deadline:
        try:
            status, _headers, body = request(path)
            if status == 200:
                return status, body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    fail(f"{path} did not answer 200 within {seconds} s (last: {status} {body[:300]})")


started = time.monotonic()
wait_for("/health/", 60)
print(f"smoke: /health/ answers ({time.monotonic() - started:.1f} s)")

status, _h, page = request("/accounts/login/")
status, headers, page = request(
    "/accounts/login/", {"username": "supervisor", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)}
)
if status != 302:
    fail(f"login answered {status}, not a redirect")
status, _h, page = request("/")
if status != 200 or "dashboard" not in page.lower():
    fail(f"the supervisor's home (dashboard) answered {status}")
print("smoke: logged in as supervisor, dashboard shown")

status, _h, page = request("/callbacks/new/")
if status != 200:
    fail(f"the callback form answered {status}")
name = f"Smoke Journey {uuid.uuid4().hex[:6]}"
form = {
    "csrfmiddlewaretoken": csrf_token(page),
    "branch": first_option(page, "branch"),
    "customer_phone": f"+7916{int(time.time()) % 10_000_000:07d}",
    "customer_name": name,
    "reason": first_option(page, "reason"),
    "customer_said": "Registered by the production smoke journey.",
    "channel": "phone",
    "priority": "0",
    "confirm_outside_hours": "on",
}
status, headers, page = request("/callbacks/new/", form)
if status != 302:
    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)<', page, re.S)
    fail(f"registering a callback answered {status}: {[html.unescape(e.strip()) for e in errors]}")
status, _h, page = request("/callbacks/")
if status != 200 or name not in html.unescape(page):
    fail(f"the new callback is not in the list ({status})")
print(f"smoke: callback for {name!r} registered and listed")

status, body = wait_for("/health/ready/", 90)
print(f"smoke: /health/ready/ {json.loads(body)} ({time.monotonic() - started:.1f} s in all)")
