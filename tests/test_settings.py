"""The settings module: embedded default without variables, strict production with them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 64 + "-not-a-real-secret-but-long-and-random-enough",
    "ALLOWED_HOSTS": "backoffice.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/contactcenter",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://mail.example.com:25",
    "SITE_URL": "https://backoffice.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://backoffice.example.com",
}


def run_manage(*args, env):
    # The browser tests' async-safety switch must not leak into a production check.
    leaked = ("DEBUG", "VAR_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in leaked}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "EMAIL_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing, tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env={**env, "VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0] and "production" in lines[0]


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_needs_no_variable(tmp_path):
    result = run_manage("shell", "--no-imports", "-c", _PRINT_CONFIG, env={"VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    engine, broker, email, debug = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert email == "django.core.mail.backends.filebased.EmailBackend"
    assert debug == "True"
    assert (tmp_path / "secret_key").exists()
    assert (tmp_path / "celery" / "queue").is_dir()


def test_the_benchmarks_are_installed_outside_production_only(tmp_path):
    """``bench`` (the benchmarks and their data loaders) is a development app: production has neither the
    app nor its commands."""
    show = "from django.conf import settings as s; print('bench' in s.INSTALLED_APPS)"
    production = run_manage("shell", "--no-imports", "-c", show, env={**PRODUCTION_ENV, "VAR_DIR": str(tmp_path)})
    development = run_manage("shell", "--no-imports", "-c", show, env={"VAR_DIR": str(tmp_path)})
    assert (production.stdout.strip(), development.stdout.strip()) == ("False", "True"), production.stderr
    commands = run_manage("help", "--commands", env={**PRODUCTION_ENV, "VAR_DIR": str(tmp_path)})
    assert commands.returncode == 0, commands.stderr
    assert "scan_deadlines" in commands.stdout
    assert not {"bench_pages", "bench_scan", "bench_send"} & set(commands.stdout.split())


_PRINT_CONFIG = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, s.DEBUG)"
)


def test_webhooks_go_to_private_addresses_outside_production_only(tmp_path):
    show = "from django.conf import settings as s; print(s.WEBHOOK_ALLOW_PRIVATE_TARGETS)"
    production = run_manage("shell", "--no-imports", "-c", show, env={**PRODUCTION_ENV, "VAR_DIR": str(tmp_path)})
    allowed = run_manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        env={**PRODUCTION_ENV, "VAR_DIR": str(tmp_path), "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"},
    )
    development = run_manage("shell", "--no-imports", "-c", show, env={"VAR_DIR": str(tmp_path)})
    outputs = (production.stdout.strip(), allowed.stdout.strip(), development.stdout.strip())
    assert outputs == ("False", "True", "True"), production.stderr


def test_a_trusted_proxy_that_is_not_an_address_refuses_to_start(tmp_path):
    result = run_manage("check", env={"VAR_DIR": str(tmp_path), "TRUSTED_PROXIES": "10.0.0.5,balancer"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "contactcenter: TRUSTED_PROXIES: 'balancer' does not appear to be an IPv4 or IPv6 network"
    ]
