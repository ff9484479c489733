"""Administrators author new versions of a risk tool: a draft copied from the current version,
edited (guidance, groups, indicators and weights, bands) and published, retiring the old one."""

from __future__ import annotations

import pytest

from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in
from lantern.risk import services
from lantern.risk.models import Indicator, RiskAssessment, RiskToolVersion, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = make_user(Role.ADMINISTRATOR)
    sign_in(client, user)
    return user


def test_a_new_draft_copies_the_current_version(client, admin):
    current = f.active_version("cse-screening")
    response = client.post(f"/risk/tools/{current.tool_id}/new-draft/")
    draft = RiskToolVersion.objects.get(tool=current.tool, status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response.url == f"/risk/versions/{draft.pk}/"
    assert draft.number == current.number + 1
    assert draft.guidance == current.guidance
    old = [(g.name, [(i.text, i.weight) for i in g.indicators.all()]) for g in current.groups.all()]
    new = [(g.name, [(i.text, i.weight) for i in g.indicators.all()]) for g in draft.groups.all()]
    assert new == old
    assert draft.bands() == current.bands()
    # A second draft of the same tool is refused.
    client.post(f"/risk/tools/{current.tool_id}/new-draft/")
    assert current.tool.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_the_draft_is_edited_and_published_and_old_assessments_keep_their_version(client, admin):
    child = f.make_child()
    old_assessment = f.make_assessment(child)
    current = old_assessment.version
    draft = f.make_draft("cse-screening")
    group = draft.groups.first()

    response = client.post(
        f"/risk/versions/{draft.pk}/guidance/", {"guidance": "Updated guidance for 2027"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/risk/groups/{group.pk}/indicators/add/",
        {"text": "Goes missing overnight", "guidance": "", "weight": "5", "order": "99"},
    )
    assert response.status_code == 302
    indicator = group.indicators.get(text="Goes missing overnight")
    client.post(
        f"/risk/indicators/{indicator.pk}/",
        {"text": "Goes missing overnight", "guidance": "Any night", "weight": "6", "order": "99"},
    )
    client.post(
        f"/risk/versions/{draft.pk}/groups/add/",
        {"name": "Online contact", "guidance": "", "order": "10"},
    )
    response = client.post(
        f"/risk/versions/{draft.pk}/bands/",
        {
            "none_min": "0",
            "none_max": "0",
            "low_min": "1",
            "low_max": "5",
            "medium_min": "6",
            "medium_max": "10",
            "high_min": "11",
            "high_max": "",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/risk/versions/{draft.pk}/publish/")
    assert "will be retired" in page.content.decode()
    response = client.post(f"/risk/versions/{draft.pk}/publish/")
    assert response.status_code == 302

    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == VersionStatus.ACTIVE
    assert current.status == VersionStatus.RETIRED
    assert draft.guidance == "Updated guidance for 2027"
    assert Indicator.objects.get(pk=indicator.pk).weight == 6
    assert draft.groups.filter(name="Online contact").exists()
    assert [(b.low, b.high, b.level) for b in draft.bands()] == [
        (0, 0, "none"),
        (1, 5, "low"),
        (6, 10, "medium"),
        (11, None, "high"),
    ]
    # The old assessment still renders with the version it was made with.
    sign_in(client, child.created_by)
    page = client.get(f"/risk/assessments/{old_assessment.pk}/").content.decode()
    assert f"Version {current.number} (retired)" in page
    assert "Goes missing overnight" not in page
    assert RiskAssessment.objects.get(pk=old_assessment.pk).version_id == current.pk


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ({"none_min": "1", "high_min": "5"}, "The first band must start at 0"),
        ({"none_min": "0", "none_max": "3", "high_min": "6"}, "Scores 4 to 5 have no band"),
        ({"none_min": "0", "none_max": "5", "high_min": "4"}, "overlap"),
        ({"none_min": "0", "none_max": "5", "high_min": "6", "high_max": "9"}, "no upper limit"),
    ],
)
def test_bands_with_gaps_or_overlaps_are_refused_and_nothing_changes(client, admin, bands, message):
    draft = f.make_draft("cse-screening")
    before = draft.bands()
    response = client.post(f"/risk/versions/{draft.pk}/bands/", bands)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.bands() == before


def test_an_indicator_without_a_weight_is_refused_by_the_field(client, admin):
    group = f.make_draft("cse-screening").groups.first()
    count = group.indicators.count()
    response = client.post(
        f"/risk/groups/{group.pk}/indicators/add/",
        {"text": "Typed text", "weight": "", "order": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the indicator&#x27;s weight" in page
    assert 'value="Typed text"' in page
    assert group.indicators.count() == count


def test_a_published_version_is_immutable(client, admin):
    active = f.active_version("cse-screening")
    group = active.groups.first()
    indicator = group.indicators.first()
    weight = indicator.weight
    response = client.post(
        f"/risk/indicators/{indicator.pk}/", {"text": "Changed", "weight": "9", "order": "1"}
    )
    assert response.status_code == 302
    assert response.url == f"/risk/versions/{active.pk}/"
    indicator.refresh_from_db()
    assert (indicator.text, indicator.weight) != ("Changed", 9)
    assert indicator.weight == weight
    assert client.post(f"/risk/versions/{active.pk}/bands/", {"none_min": "0"}).status_code == 302
    assert active.bands() == f.active_version("cse-screening").bands()
    with pytest.raises(services.AssessmentRefused, match="cannot be changed"):
        services.save_indicator(admin, group, text="x", guidance="", weight=1, order=1)


def test_only_administrators_author_tool_versions(client):
    draft = f.make_draft("cse-screening")
    sign_in(client, make_user(Role.MACE_CHAIR))
    assert client.post(f"/risk/versions/{draft.pk}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_administrators_find_the_risk_tools_in_the_header(client, admin):
    page = client.get("/").content.decode()
    assert 'href="/risk/tools/"' in page
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    assert 'href="/risk/tools/"' not in client.get("/").content.decode()
