"""Playwright in headless Chromium (Debian's /usr/bin/chromium) against a live test server.

Without Chromium the browser tests are skipped, unless LANTERN_REQUIRE_BROWSER is set (CI sets
it), when they fail instead. Every page a test visits can be checked with axe-core.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("LANTERN_CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REQUIRED = bool(os.environ.get("LANTERN_REQUIRE_BROWSER"))

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


def _missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (run npm ci)"
    return None


@pytest.fixture(scope="session")
def browser():
    problem = _missing()
    if problem:
        if REQUIRED:
            pytest.fail(f"browser tests are required here: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    titles = watch_titles(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = watch_console(page)
    yield page
    titles.append((page.url, page.title()))  # the last page, whose report may still be queued
    context.close()
    assert titles_with_markup(titles) == [], "a page's <title> holds markup"
    assert errors == [], "the browser console reported errors:\n" + "\n".join(errors)


def watch_console(page) -> list[str]:
    """Collect every console error, uncaught script error and failed resource (a 404 for a
    script, style or image) on pages this page loads: the caller asserts the list is empty.
    A 4xx or 5xx for the document itself is what some tests check for, so it is left out."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(f"{page.url}: console: {message.text}")

    def on_response(response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{page.url}: {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: script error: {error}"))
    page.on("response", on_response)
    return errors


# Every page a browser test visits reports its title once it has loaded; a title's text that
# holds a tag (the <title> element cannot contain elements, so a pasted block shows as text).
TITLE_REPORTER = """
document.addEventListener('DOMContentLoaded', () => {
  if (window.top === window) { window.__lanternTitle(document.title); }
});
"""
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|&lt;|&gt;")


def watch_titles(context) -> list[tuple[str, str]]:
    """Collect (url, title) for every page the context loads."""
    titles: list[tuple[str, str]] = []
    context.expose_binding(
        "__lanternTitle", lambda source, title: titles.append((source["page"].url, title))
    )
    context.add_init_script(TITLE_REPORTER)
    return titles


def titles_with_markup(titles: list[tuple[str, str]]) -> list[str]:
    return [f"{url}: {title!r}" for url, title in titles if MARKUP.search(title)]


def _govuk_conditional_reveal(violation) -> bool:
    """GOV.UK's conditional reveal puts aria-expanded on the radio or checkbox that reveals
    questions. ARIA does not yet allow it on those roles, so axe reports aria-allowed-attr; the
    Design System keeps it on purpose, because screen readers announce it (a known issue:
    alphagov/govuk-frontend#979, w3c/aria#1404). Only that exact case is let through: every
    node must be a GOV.UK radio or checkbox input that controls a conditional reveal."""
    if violation["id"] != "aria-allowed-attr":
        return False
    return all(
        'aria-controls="conditional-' in node["html"]  # govuk-frontend's JS set it
        and ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        and "aria-expanded" in node.get("failureSummary", "")
        and node.get("failureSummary", "").count("=") == 1  # aria-expanded and nothing else
        for node in violation["nodes"]
    )


def assert_accessible(page) -> None:
    """Run axe-core on the current page; fail listing any WCAG 2.2 A/AA violation."""
    page.evaluate(AXE.read_text())  # evaluated over CDP, so the page's CSP still holds
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if not _govuk_conditional_reveal(v)
    ]
    assert problems == [], f"axe-core found problems on {page.url}:\n" + "\n".join(problems)


def fill_date(page, legend: str, when) -> None:
    """Type a date into GOV.UK's date input (day, month and year) whose legend is `legend`."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))


def code_for(device) -> str:
    """The code an authenticator app would show now for this device."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"


def current_code(user) -> str:
    return code_for(user.totpdevice_set.filter(confirmed=True).first())


def sign_in_through_the_page(page, user, password: str) -> None:
    """Sign in as a person would: password, then the authenticator code if asked."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    if "/sign-in/code/" in page.url:
        page.get_by_label("Code from your authenticator app").fill(current_code(user))
        page.get_by_role("button", name="Sign in").click()


def go_to(page, section: str, name: str) -> None:
    """Open a page from the header as a person does: its section (Intelligence, Tasking, ...)
    in the header, then the page in the list under it. A section with one page for this user
    shows that page's own name in the header instead."""
    header = page.get_by_role("navigation", name="Menu")
    direct = header.get_by_role("link", name=name, exact=True)
    if direct.count():
        direct.click()
        return
    header.get_by_role("link", name=section, exact=True).click()
    below = page.get_by_role("navigation", name=section)
    current = below.locator('[aria-current="page"]')
    if current.count() and current.inner_text().strip() == name:
        return
    below.get_by_role("link", name=name, exact=True).click()
