"""A phone number is rewritten only when it is a valid number; anything else is kept exactly as
typed, with its warning, on the form, on the police view and in exports (issue 23)."""

import pytest

from lantern.accounts.roles import Role
from lantern.core.phones import e164
from lantern.core.testing import make_user, sign_in
from lantern.intake import exports, services
from lantern.intake.models import Submission
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

CASES = [
    # typed, E.164 or "" when kept as typed
    ("07911 123456", "+447911123456"),  # valid UK mobile
    ("020 7946 0123", "+442079460123"),  # valid London number
    ("+33 6 12 34 56 78", "+33612345678"),  # valid international
    ("07700 900123", "+447700900123"),  # Ofcom drama range, complete
    ("07700 900", ""),  # incomplete: was rewritten +447700900
    ("0770", ""),
    ("call me", ""),  # letters
    ("07700 9OO123", ""),  # letter O for zero
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_only_a_valid_number_becomes_e164(typed, expected):
    assert e164(typed) == expected
    number, valid, warning = services.normalise_phone(typed)
    assert (number, valid) == (expected, bool(expected))
    assert bool(warning) is not bool(expected)
    if warning:
        assert typed in warning and "kept as written" in warning


def test_an_incomplete_number_is_kept_as_typed_on_the_police_view_and_in_exports(client):
    submission = make_submission(phones=["07700 900", "07911 123456"])
    kept = submission.phones.get(raw="07700 900")
    assert (kept.e164, kept.is_valid) == ("", False)
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    page = client.get(f"/intake/{submission.reference}/").content.decode()
    assert "+447700900<" not in page and "+447700900 " not in page
    assert "07700 900 <strong" in page and "Kept as written" in page
    assert "07911 123456 (+447911123456)" in page
    subjects = exports.matrix_rows([_annotated(submission)])[0][3]
    assert "07700 900 (kept as written" in subjects
    assert "07911 123456 (+447911123456)" in subjects


def _annotated(submission):
    return exports.matrix_queryset(Submission.objects.filter(pk=submission.pk), {}).get()
