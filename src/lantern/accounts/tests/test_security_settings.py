"""Passwords, sessions, cookies and the Content-Security-Policy."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

import lantern.settings as project_settings


def test_passwords_are_hashed_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire_after_thirty_minutes_idle():
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_pages_send_a_csp_with_no_inline_script_and_no_other_origin(client):
    response = client.get(reverse("accounts:sign-in"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "http" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()


def _start_production(**env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='lantern.settings'; django.setup()"
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")}
    full_env.update(LANTERN_ENV="production", **env)
    return subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True, check=False
    )


def test_production_refuses_the_demo_secret_key():
    result = _start_production()
    assert result.returncode != 0
    assert "LANTERN_SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _start_production(LANTERN_SECRET_KEY="x" * 60, LANTERN_DEBUG="1")
    assert result.returncode != 0
    assert "LANTERN_DEBUG" in result.stderr


def test_production_starts_with_a_real_key_and_secure_cookies():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='lantern.settings';"
        "from django.conf import settings; print(settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE)"
    )
    env = {
        **os.environ,
        "LANTERN_ENV": "production",
        "LANTERN_SECRET_KEY": "k" * 60,
        "LANTERN_AUDIT_KEY": "a" * 40,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_production_refuses_to_start_without_an_audit_key():
    result = _start_production(LANTERN_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "LANTERN_AUDIT_KEY" in result.stderr
    started = _start_production(LANTERN_SECRET_KEY="x" * 60, LANTERN_AUDIT_KEY="k" * 40)
    assert started.returncode == 0, started.stderr
