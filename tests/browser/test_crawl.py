"""Sign in as every demo role and follow the links from the home page two levels deep.

Fails on any server error (5xx, for a page or anything it loads), any console error, any
Content-Security-Policy violation and any <title> holding markup. The demo borough is loaded
once for the module; the crawl is capped per role (MAX_PAGES_PER_ROLE) so the whole run stays
near a minute.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction

from conftest import restore_data_migration_rows
from lantern.accounts.models import User
from lantern.demo.borough import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.browser.conftest import sign_in_through_the_page, titles_with_markup, watch_titles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES_PER_ROLE = 10  # pages visited after the home page, per role
DEPTH = 2
# Links that end the session or leave the crawl's subject.
SKIP_PATHS = ("/sign-out/", "/sign-in/", "/static/")

# Record CSP violations in the page itself: Chromium reports them as console errors too, but
# the event names the directive, which makes a failure easier to read.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
});
"""


@pytest.fixture(scope="module")
def crawl_demo(browser, django_db_setup, django_db_blocker):
    """The demo borough, loaded once for this module's (single, transactional) test; after
    `browser`, so a machine without Chromium skips before paying for the load.

    The live server's transactional test flushes the database when it ends, so nothing is left
    behind for other modules.
    """
    with django_db_blocker.unblock():
        restore_data_migration_rows()  # an earlier transactional test may have emptied them
        # One transaction: committed once for the live server, and several times quicker on
        # PostgreSQL than a commit per statement.
        with transaction.atomic():
            call_command("demo", no_serve=True)
    return [account.username for account in DEMO_ACCOUNTS]


def test_every_demo_role_can_follow_every_link_two_levels_deep(crawl_demo, browser, live_server):
    problems: list[str] = []
    visited_total = 0
    for username in crawl_demo:
        visited, found = _crawl_as(browser, live_server.url, username)
        visited_total += visited
        problems += [f"{username}: {problem}" for problem in found]
    assert visited_total > len(crawl_demo), "the crawl followed no links"
    assert problems == [], "\n".join(problems)


def _crawl_as(browser, base_url: str, username: str) -> tuple[int, list[str]]:
    """Visit the home page and up to MAX_PAGES_PER_ROLE pages linked from it (breadth first,
    DEPTH levels); return how many pages were visited and what went wrong."""
    context = browser.new_context(base_url=base_url, accept_downloads=False)
    context.add_init_script(CSP_LISTENER)
    titles = watch_titles(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and problems.append(f"console error on {page.url}: {message.text}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 500 and problems.append(f"{response.status} for {response.url}")
        ),
    )
    try:
        sign_in_through_the_page(page, User.objects.get(username=username), DEMO_PASSWORD)
        page.goto("/")
        seen = {_key(page.url)}
        queue = [(link, 1) for link in _links(page, base_url)]
        visited = 0
        while queue and visited < MAX_PAGES_PER_ROLE:
            url, depth = queue.pop(0)
            if _key(url) in seen:
                continue
            seen.add(_key(url))
            visited += 1
            if not _open(page, context, url, problems):
                continue
            problems += [f"CSP on {url}: {v}" for v in page.evaluate("window.__cspViolations")]
            if depth < DEPTH:
                queue += [(link, depth + 1) for link in _links(page, base_url)]
        titles.append((page.url, page.title()))
    finally:
        context.close()
    problems += [f"markup in <title> on {problem}" for problem in titles_with_markup(titles)]
    return visited, problems


def _open(page, context, url: str, problems: list[str]) -> bool:
    """Go to the URL; a link that downloads a file is fetched instead. True if it is a page."""
    try:
        page.goto(url, wait_until="load")
    except Exception as error:  # Playwright raises for a navigation that became a download
        if "Download is starting" not in str(error):
            problems.append(f"could not open {url}: {error}")
            return False
        response = context.request.get(url)
        if response.status >= 500:
            problems.append(f"{response.status} for download {url}")
        return False
    return True


def _links(page, base_url: str) -> list[str]:
    """Same-site links on the page, in page order, without fragments or skipped paths."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    host = urlsplit(base_url).netloc
    links = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        absolute, _ = urldefrag(urljoin(page.url, href))
        parts = urlsplit(absolute)
        if parts.netloc != host or parts.path.startswith(SKIP_PATHS):
            continue
        links.append(absolute)
    return links


def _key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"
