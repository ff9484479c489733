"""The role guides: one per role, linked from each role's home page, rendered safely from docs/."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core import guides
from lantern.core.testing import make_user, sign_in

DOCS = guides.GUIDES_DIR


def headings_of(name: str) -> list[str]:
    text = (DOCS / f"guide-{name}.md").read_text(encoding="utf-8")
    return [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"^#{1,3} ", line)]


def test_every_role_has_a_guide_file():
    missing = [
        role
        for role in Role.values
        if not (DOCS / f"guide-{guides.ROLE_GUIDES[role]}.md").is_file()
    ]
    assert missing == []


def test_every_guide_file_is_listed_or_is_for_everyone():
    assert set(guides.guide_names()) == set(guides.ROLE_GUIDES.values()) | {"signing-in"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_home_page_links_to_the_roles_guide(role, client):
    sign_in(client, make_user(role))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    url = reverse("core:guide", args=[guides.ROLE_GUIDES[role]])
    assert f'href="{url}"' in response.content.decode()
    assert f'href="{reverse("core:guides")}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_guide_page_renders_the_guides_headings(role, client):
    sign_in(client, make_user(role))
    name = guides.ROLE_GUIDES[role]
    response = client.get(reverse("core:guide", args=[name]))
    assert response.status_code == 200
    html = response.content.decode()
    headings = headings_of(name)
    assert len(headings) >= 4, "a guide walks through a job in several steps"
    assert f'<h1 class="govuk-heading-l">{headings[0]}</h1>' in html
    for heading in headings[1:]:
        assert re.search(r'<h[23] class="govuk-heading-[ms]">' + re.escape(heading), html), heading


@pytest.mark.django_db
def test_guide_list_shows_every_guide_and_the_users_own_first(client):
    sign_in(client, make_user(Role.MACE_CHAIR))
    response = client.get(reverse("core:guides"))
    html = response.content.decode()
    for name in guides.guide_names():
        assert reverse("core:guide", args=[name]) in html
    own = html.index("Your guide")
    assert html.index(reverse("core:guide", args=["mace-chair"])) > own


@pytest.mark.django_db
def test_user_with_two_roles_gets_both_guides_on_home_and_shared_guides_once(client):
    sign_in(client, make_user(roles=[Role.CSE_SOCIAL_WORKER, Role.MACE_CHAIR]))
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("core:guide", args=["cse-social-worker"]) in html
    assert reverse("core:guide", args=["mace-chair"]) in html

    client.logout()
    sign_in(client, make_user(roles=[Role.BOARD_MEMBER, Role.SCRUTINY_MEMBER]))
    html = client.get(reverse("core:home")).content.decode()
    assert html.count(f'href="{reverse("core:guide", args=["board-and-scrutiny"])}"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["no-such-guide", "README", "intake", "operator-guide"])
def test_unknown_guide_is_a_404(name, client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    assert client.get(f"/help/{name}/").status_code == 404


def test_guide_name_that_is_not_a_slug_is_refused():
    for name in ["../README", "guide-administrator", "Administrator", ""]:
        with pytest.raises(guides.GuideNotFound):
            guides.load_guide(name)


@pytest.mark.django_db
def test_guide_needs_sign_in(client):
    response = client.get(reverse("core:guide", args=["administrator"]))
    assert response.status_code == 302
    assert "/sign-in" in response.url or "login" in response.url


def test_raw_html_in_a_guide_is_shown_as_text():
    html = guides.render_markdown('Hello <script>alert("x")</script>\n\n<div onclick="x">a</div>')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<div" not in html


def test_javascript_links_are_not_links():
    html = guides.render_markdown("[click](javascript:alert(1))")
    assert "href" not in html


def test_govuk_classes_on_headings_paragraphs_lists_links_and_code():
    html = guides.render_markdown(
        "# Title\n\n## Section\n\n### Step\n\nSome `code` and a [link](https://example.org).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n```\nlantern demo\n```\n\n"
        "| a | b |\n| --- | :-: |\n| 1 | 2 |\n"
    )
    assert '<h1 class="govuk-heading-l">Title</h1>' in html
    assert '<h2 class="govuk-heading-m">Section</h2>' in html
    assert '<h3 class="govuk-heading-s">Step</h3>' in html
    assert '<p class="govuk-body">Some <code>code</code>' in html
    assert '<a href="https://example.org" class="govuk-link">link</a>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert '<pre class="govuk-inset-text"><code>lantern demo\n</code></pre>' in html
    assert '<table class="govuk-table">' in html
    assert '<td class="govuk-table__cell">2</td>' in html
    assert "style=" not in html


def test_links_to_other_guides_go_to_their_help_page_and_other_docs_lose_their_link():
    html = guides.render_markdown(
        "See [signing in](guide-signing-in.md#two-factor) and [intake](intake.md)."
    )
    assert f'href="{reverse("core:guide", args=["signing-in"])}#two-factor"' in html
    assert "intake.md" not in html
    assert "and intake." in html
