"""The user guides, one per role, read from the Markdown files in `docs/` and shown as help pages.

Where the files live: the guides are written once, as `docs/guide-<name>.md` in the repository,
so they read well on a code host and in a checkout. `src/lantern/core/guides` is a symbolic link
to `docs/`, and pyproject.toml lists `guides/guide-*.md` as package data of `lantern.core`. So:

- in a checkout or an editable install (`make demo`, `pip install -e .`) the link leads straight
  to `docs/`, and an edited guide shows on the next page load;
- a built wheel or `pip install /path/to/lantern` copies the files the link points at into the
  installed package, so production finds them beside this module with no setting to get wrong.

Only `guide-*.md` files are served; nothing else in `docs/` is reachable through this module.

Rendering is safe: markdown-it-py with raw HTML switched off (a `<script>` in a file is shown as
text), its own link check (no `javascript:` links), and GOV.UK typography classes added to the
tokens, not to the HTML afterwards. Links to another guide become links to its help page; links
to other files in `docs/` (feature guides, which are not served) keep only their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from lantern.accounts.roles import Role

GUIDES_DIR = Path(__file__).resolve().parent / "guides"

# The guide for each role. Board and scrutiny members do the same job (read aggregate figures),
# so they share one guide.
ROLE_GUIDES: dict[str, str] = {
    Role.PARTNER_PRACTITIONER: "partner-practitioner",
    Role.COUNCILLOR: "councillor",
    Role.MEMBER_OF_PUBLIC: "member-of-the-public",
    Role.POLICE_INTELLIGENCE: "police-analyst",
    Role.POLICE_SUPERVISOR: "tasking-chair",
    Role.CSE_SOCIAL_WORKER: "cse-social-worker",
    Role.MACE_CHAIR: "mace-chair",
    Role.PERFORMANCE_OFFICER: "performance-officer",
    Role.PARTNERSHIP_MANAGER: "partnership-manager",
    Role.BOARD_MEMBER: "board-and-scrutiny",
    Role.SCRUTINY_MEMBER: "board-and-scrutiny",
    Role.ADMINISTRATOR: "administrator",
}

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_GUIDE_LINK = re.compile(r"^(?:\./)?guide-([a-z][a-z0-9-]*)\.md(#[A-Za-z0-9_-]*)?$")

# GOV.UK Design System classes for each kind of Markdown token.
_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
    "table_open": "govuk-table",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
}
_HEADING_CLASSES = {
    "h1": "govuk-heading-l",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
}


class GuideNotFound(LookupError):
    """No guide of that name (or the name is not one a guide could have)."""


@dataclass(frozen=True)
class Guide:
    name: str  # "police-analyst" for docs/guide-police-analyst.md
    title: str  # the file's first level-1 heading
    html: str


def guide_names() -> list[str]:
    """Every guide in the guides directory, by name, sorted."""
    return sorted(path.stem.removeprefix("guide-") for path in GUIDES_DIR.glob("guide-*.md"))


def guide_for_role(role: str) -> str:
    """The name of the guide for a role code."""
    return ROLE_GUIDES[role]


def load_guide(name: str) -> Guide:
    """Read and render one guide. Refuses (GuideNotFound) a name that is not a guide file."""
    if not _NAME.match(name):
        raise GuideNotFound(name)
    path = GUIDES_DIR / f"guide-{name}.md"
    if not path.is_file():
        raise GuideNotFound(name)
    text = path.read_text(encoding="utf-8")
    return Guide(name=name, title=_title_of(text, name), html=render_markdown(text))


def guide_titles() -> list[dict]:
    """Every guide's name and title, for the list of guides."""
    titles = []
    for name in guide_names():
        text = (GUIDES_DIR / f"guide-{name}.md").read_text(encoding="utf-8")
        titles.append({"name": name, "title": _title_of(text, name)})
    return titles


def render_markdown(text: str) -> str:
    """Markdown to HTML with GOV.UK classes; raw HTML in the text is escaped, never passed on."""
    md = _parser()
    tokens = md.parse(text)
    _style(tokens)
    return md.renderer.render(tokens, md.options, {})


# --- helpers --------------------------------------------------------------------------------


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.add_render_rule("fence", _render_code_block)
    md.add_render_rule("code_block", _render_code_block)
    return md


def _render_code_block(self, tokens, idx, options, env) -> str:
    # govuk-frontend has no code block style; the inset text's border sets the block apart.
    return f'<pre class="govuk-inset-text"><code>{escapeHtml(tokens[idx].content)}</code></pre>\n'


def _title_of(text: str, name: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return name.replace("-", " ").capitalize()


def _style(tokens: list[Token]) -> None:
    """Add GOV.UK classes and point links at help pages, in place."""
    for token in tokens:
        if token.type == "heading_open":
            token.attrSet("class", _HEADING_CLASSES[token.tag])
        elif token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
        if token.type in ("th_open", "td_open"):
            token.attrs.pop("style", None)  # column alignment: inline styles break the CSP
        if token.type == "inline" and token.children:
            _style_inline(token.children)


def _style_inline(children: list[Token]) -> None:
    for position, child in enumerate(children):
        if child.type != "link_open":
            continue
        href = str(child.attrGet("href") or "")
        match = _GUIDE_LINK.match(href)
        if match:
            child.attrSet("href", reverse("core:guide", args=[match.group(1)]) + (match[2] or ""))
            child.attrSet("class", "govuk-link")
        elif _is_other_doc(href):
            _unlink(children, position)
        else:
            child.attrSet("class", "govuk-link")


def _is_other_doc(href: str) -> bool:
    """A relative link to a file in docs/ that is not served (a feature guide, a decision)."""
    return not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href)


def _unlink(children: list[Token], position: int) -> None:
    """Turn a link into its text: drop its open token and the matching close token."""
    depth = 0
    for end in range(position, len(children)):
        if children[end].type == "link_open":
            depth += 1
        elif children[end].type == "link_close":
            depth -= 1
            if depth == 0:
                children[end] = Token("text", "", 0, content="")
                break
    children[position] = Token("text", "", 0, content="")
