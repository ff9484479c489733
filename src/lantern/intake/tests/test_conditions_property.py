"""For random readers and random sharing, no agenda, minutes or export holds a handling code C
item's text outside its conditions (issue 26). Each example builds its own tasking group in a
transaction that is rolled back."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.intake.tests.conditions_world import MONDAY, at, decided
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType

pytestmark = pytest.mark.django_db(transaction=False)

PARTNERS = 3
items = st.lists(
    st.tuples(
        st.sampled_from(["P", "C"]),
        st.sets(st.integers(0, PARTNERS - 1), max_size=PARTNERS),  # agencies shared with
    ),
    min_size=1,
    max_size=4,
)
# A reader: a practitioner of partner agency n, or a MACE chair (sees tasking, is not police).
readers = st.one_of(st.integers(0, PARTNERS - 1), st.just("mace_chair"))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(items=items, reader=readers)
def test_no_c_item_is_read_outside_its_conditions(items, reader):
    with transaction.atomic():
        _check(items, reader)
        transaction.set_rollback(True)


def _check(items, reader) -> None:
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    partners = [AgencyFactory(name=f"Partner {n}", kind=AgencyKind.HEALTH) for n in range(PARTNERS)]
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police)
    analyst = make_user(Role.POLICE_INTELLIGENCE, agency=police)
    people = [make_user(Role.PARTNER_PRACTITIONER, agency=a) for a in partners]
    series = tasking.create_series(
        chair,
        name="Property tasking group",
        meeting_type=MeetingType.TASKING_GROUP,
        first_meeting_on=MONDAY,
        chair=chair,
        member_agencies=[police, *partners],
        members=people,
    )
    tasking.generate_meetings(chair, series, until=MONDAY)
    meeting = series.meetings.get()
    secrets = []  # (text, agencies allowed to read it)
    for n, (code, shared) in enumerate(items):
        summary = f"Secret summary number {n} marker"
        decided(analyst, code, summary, share_with=[partners[i] for i in sorted(shared)])
        if code == "C":
            secrets.append((summary, {partners[i].pk for i in shared}))
    tasking.build_agenda(chair, meeting, now=at(MONDAY, 8))
    for n, item in enumerate(meeting.items.order_by("position")):
        cleared = list(item.cleared_agencies.all())
        if item.handling_code == "C" and cleared:
            title = f"Secret action number {n} marker"
            tasking.create_action(
                chair,
                title=title,
                owning_agency=cleared[0],
                owner=people[partners.index(cleared[0])],
                due_on=MONDAY + timedelta(days=7),
                now=at(MONDAY),
                route=MeetingType.TASKING_GROUP,
                origin=item,
                meeting=meeting,
            )
            secrets.append((title, {a.pk for a in cleared}))

    user = (
        people[reader]
        if reader != "mace_chair"
        else make_user(Role.MACE_CHAIR, agency=AgencyFactory(name="Test social care"))
    )
    client = Client()
    sign_in(client, user)
    documents = {
        "agenda": client.get(f"/tasking/meetings/{meeting.pk}/").content.decode(),
        "minutes page": client.get(f"/tasking/meetings/{meeting.pk}/minutes/").content.decode(),
        "minutes docx": _docx(client.get(f"/tasking/meetings/{meeting.pk}/minutes.docx")),
        "schedule": client.get("/tasking/actions/").content.decode(),
        "schedule csv": client.get("/tasking/actions/export.csv").content.decode("utf-8-sig"),
    }
    for item in meeting.items.all():
        documents[f"item {item.pk}"] = client.get(f"/tasking/items/{item.pk}/").content.decode()
    for text, allowed in secrets:
        if user.agency_id in allowed:
            continue
        for name, body in documents.items():
            assert text not in body, f"{text!r} is in the {name} of a reader outside it"


def _docx(response) -> str:
    if response.status_code != 200:
        return ""
    return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
