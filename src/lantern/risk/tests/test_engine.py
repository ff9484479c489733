"""The risk-tool engine: scoring, banding, and the seeded tools' bands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.risk.engine import Band, BandingError, banding_problems, level_for, total_score
from lantern.risk.levels import LEVEL_ORDER, LEVEL_RANK
from lantern.risk.models import RiskToolVersion

weights = st.lists(st.integers(min_value=0, max_value=10), max_size=30)


@st.composite
def valid_bands(draw):
    """Cut points 0 < c1 < c2 < ... split the scores into consecutive open-ended bands."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=60), max_size=3)))
    starts = [0, *cuts]
    levels = [level.value for level in LEVEL_ORDER][-len(starts) :]
    bands = []
    for index, low in enumerate(starts):
        high = starts[index + 1] - 1 if index + 1 < len(starts) else None
        bands.append(Band(low, high, levels[index]))
    return bands


@given(weights, st.integers(min_value=0, max_value=10), valid_bands())
def test_ticking_another_indicator_never_lowers_the_score_or_level(ticked, extra, bands):
    before = total_score(ticked)
    after = total_score([*ticked, extra])
    assert after >= before
    assert LEVEL_RANK[level_for(after, bands)] >= LEVEL_RANK[level_for(before, bands)]


@given(weights, st.integers(min_value=0, max_value=30), valid_bands())
def test_heavier_weights_never_lower_the_level(ticked, bump, bands):
    heavier = [w + bump for w in ticked]
    assert (
        LEVEL_RANK[level_for(total_score(heavier), bands)]
        >= LEVEL_RANK[level_for(total_score(ticked), bands)]
    )


@given(valid_bands(), st.integers(min_value=0, max_value=500))
def test_valid_bands_give_every_score_exactly_one_level(bands, score):
    assert banding_problems(bands) == []
    holding = [b for b in bands if score >= b.low and (b.high is None or score <= b.high)]
    assert len(holding) == 1
    assert level_for(score, bands) == holding[0].level


@given(valid_bands().filter(lambda b: len(b) > 1), st.integers(min_value=1, max_value=5))
def test_a_gap_between_bands_is_found(bands, gap):
    moved = [bands[0], Band(bands[1].low + gap, bands[1].high, bands[1].level), *bands[2:]]
    if moved[1].high is not None and moved[1].high < moved[1].low:
        return
    assert any("no band" in p for p in banding_problems(moved))


@given(valid_bands().filter(lambda b: len(b) > 1))
def test_overlapping_bands_are_found(bands):
    first = bands[0]
    moved = [Band(first.low, first.high + 1, first.level), *bands[1:]]
    assert any("overlap" in p for p in banding_problems(moved))


def test_bands_not_starting_at_nought_or_closed_at_the_top_are_refused():
    assert "The first band must start at 0" in banding_problems([Band(1, None, "low")])
    assert "The last band must have no upper limit" in banding_problems([Band(0, 5, "low")])
    assert banding_problems([]) != []


def test_a_score_no_band_holds_is_refused():
    with pytest.raises(BandingError):
        level_for(9, [Band(0, 5, "low")])


@pytest.mark.django_db
def test_every_seeded_tool_version_has_sound_bands():
    versions = list(RiskToolVersion.objects.all())
    assert {v.tool.code for v in versions} == {
        "cse-screening",
        "cse-risk-assessment",
        "suspect-risk",
    }
    for version in versions:
        assert banding_problems(version.bands()) == [], version


@pytest.mark.django_db
def test_the_screening_checklist_has_the_fourteen_signs():
    version = RiskToolVersion.objects.get(tool__code="cse-screening")
    assert sum(g.indicators.count() for g in version.groups.all()) == 14
