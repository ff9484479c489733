"""A "specific child" report asks who the child is, and the social care team sees the answers.

Every question is optional ("I don't know" is a blank answer). Lantern never matches the child
to a record itself: a social care worker checks the child records and links one.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children.models import Contact
from lantern.children.tests.factories import make_child
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import ReferredChild, Route, Submission
from lantern.intake.tests.factories import make_submission
from lantern.intake.tests.test_views import partner_form_data, token_from

pytestmark = pytest.mark.django_db

CHILD = {
    "child_name": "Robin Testchild",
    "child_age": "about 14",
    "child_date_of_birth": "2011-05-01",
    "child_school": "Northmere Academy",
    "child_address": "Flat 2, 10 Example Road",
    "child_lives_with": "Their aunt",
}


def public_child_report(client, **fields):
    page = client.get(reverse("intake:report") + "?route=specific_child")
    return {
        "token": token_from(page),
        "route": "specific_child",
        "narrative": "A girl from the estate is picked up by older men.",
        **fields,
    }


def test_the_public_form_asks_who_the_child_is_each_question_optional(client):
    body = client.get(reverse("intake:report") + "?route=specific_child").content.decode()
    assert "About the child" in body
    for name in CHILD:
        assert f'name="{name}"' in body
    assert "Leave blank if you do not know." in body


def test_an_intelligence_report_does_not_ask_about_a_child(client):
    body = client.get(reverse("intake:report") + "?route=intelligence").content.decode()
    assert "About the child" not in body and 'name="child_name"' not in body


def test_what_the_public_knows_about_the_child_is_checked_and_kept(client):
    data = public_child_report(client, **CHILD)
    check = client.post(reverse("intake:report"), data)
    assert check.status_code == 302 and "/check/" in check.url
    body = client.get(check.url).content.decode()
    assert "About the child" in body
    assert "Robin Testchild" in body and "1 May 2011" in body and "Their aunt" in body
    assert "#id_child_school" in body  # Change goes to the field

    client.post(check.url)

    child = Submission.objects.get().referred_child
    assert child.name == "Robin Testchild" and child.age == "about 14"
    assert child.date_of_birth == date(2011, 5, 1)
    assert child.school == "Northmere Academy" and child.lives_with == "Their aunt"
    assert child.address == "Flat 2, 10 Example Road"


def test_a_reporter_who_knows_nothing_about_the_child_can_still_send(client):
    data = public_child_report(client)
    check = client.post(reverse("intake:report"), data)
    body = client.get(check.url).content.decode()
    assert body.count("You do not know") == len(CHILD)
    client.post(check.url)
    submission = Submission.objects.get()
    assert submission.route == Route.SPECIFIC_CHILD
    assert not ReferredChild.objects.exists()


def test_a_practitioner_is_asked_too_and_only_some_answers_are_kept(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client, route="specific_child", child_name="Sam", child_age="15")
    check = client.post(reverse("intake:report"), data)
    assert check.status_code == 302
    client.post(check.url)
    child = Submission.objects.get().referred_child
    assert (child.name, child.age, child.school, child.date_of_birth) == ("Sam", "15", "", None)


def test_a_date_of_birth_in_the_future_is_explained_by_the_field_and_kept(client):
    data = public_child_report(client, child_name="Robin", child_date_of_birth="2099-01-01")
    body = client.post(reverse("intake:report"), data).content.decode()
    assert "The child&#x27;s date of birth must be in the past" in body
    assert 'value="Robin"' in body and "2099-01-01" in body
    assert not Submission.objects.exists()


def referral_with_child(**child):
    return make_submission(
        route=Route.SPECIFIC_CHILD,
        source="public",
        narrative="Seen getting into cars after school.",
        child={
            "name": "",
            "age": "",
            "date_of_birth": None,
            "school": "",
            "address": "",
            "lives_with": "",
            **child,
        },
    )


def test_the_social_care_team_sees_who_the_reporter_said_the_child_is(client):
    referral_with_child(name="Robin Testchild", school="Northmere Academy", age="14")
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    body = client.get(reverse("intake:social-care-queue")).content.decode()
    assert "Robin Testchild" in body and "Northmere Academy" in body and "14" in body


def test_a_partner_practitioner_has_no_social_care_queue(client):
    referral_with_child(name="Robin Testchild")
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    assert client.get(reverse("intake:social-care-queue")).status_code == 403


def test_checking_child_records_is_done_by_a_person_and_links_nothing_by_itself(client):
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    match = make_child(by=worker, first_name="Robin", last_name="Testchild")
    other = make_child(by=worker, first_name="Quinn", last_name="Otherchild")
    submission = referral_with_child(name="Robin Testchild")
    sign_in(client, worker)

    url = reverse("intake:check-child-records", args=[submission.reference])
    body = client.get(url).content.decode()

    assert match.reference in body and other.reference not in body
    link = reverse("intake:record-contact", args=[submission.reference])
    assert f"{link}?child={match.reference}" in body
    assert not Contact.objects.exists()  # a person decides
    entry = AuditEntry.objects.filter(action="list", object_type="children.child").last()
    assert entry is not None and entry.actor == worker
    assert entry.details["children"] == [match.reference]

    # The worker chooses the record: the contact page starts with it filled in.
    page = client.get(f"{link}?child={match.reference}").content.decode()
    assert f'value="{match.reference}"' in page


def test_the_worker_can_search_again_with_words_of_their_own(client):
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    other = make_child(by=worker, first_name="Quinn", last_name="Otherchild")
    submission = referral_with_child(name="Robin Testchild")
    sign_in(client, worker)
    url = reverse("intake:check-child-records", args=[submission.reference])
    body = client.get(url, {"q": "Otherchild"}).content.decode()
    assert other.reference in body
    assert 'value="Otherchild"' in body


def test_a_restricted_child_is_not_offered_to_a_worker_outside_its_circle(client):
    owner = make_user(Role.CSE_SOCIAL_WORKER)
    hidden = make_child(by=owner, first_name="Robin", last_name="Testchild", restricted=True)
    submission = referral_with_child(name="Robin Testchild")
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    body = client.get(
        reverse("intake:check-child-records", args=[submission.reference])
    ).content.decode()
    assert f"?child={hidden.reference}" not in body
    assert "Robin Testchild" in body  # what the reporter said is still shown


def test_the_demo_says_who_the_child_is_on_most_specific_child_reports():
    from lantern.intake.demo import _referred_children

    rows = [referral_with_child() for _ in range(12)]
    ReferredChild.objects.all().delete()
    rows.append(make_submission(route=Route.INTELLIGENCE))

    _referred_children(rows)

    made = ReferredChild.objects.select_related("submission")
    assert 0 < made.count() <= 12
    assert all(c.submission.route == Route.SPECIFIC_CHILD for c in made)
