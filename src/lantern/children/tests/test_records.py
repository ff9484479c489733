"""Child records: adding, changing, seeing, sharing, contacts, referrals, episodes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.children import services
from lantern.children.models import Child, ChildShare, Contact, Referral
from lantern.children.tests import factories as f
from lantern.core.testing import AgencyFactory, make_user, sign_in

pytestmark = pytest.mark.django_db

GOOD_CHILD = {
    "first_name": "Jordan",
    "last_name": "Example",
    "date_of_birth": "2012-04-02",
    "gender": "female",
    "ethnicity": "white_british",
    "send": "none",
    "school": "Northmere Academy",
}


def test_a_social_worker_adds_a_child(client):
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    response = client.post("/children/add/", GOOD_CHILD)
    child = Child.objects.get()
    assert response.status_code == 302
    assert child.reference == f"CH-{child.pk:06d}"
    assert AuditEntry.objects.filter(object_type="children.child", action="create").exists()


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ("2099-01-01", "Date of birth must be today or in the past"),
        ("1980-01-01", "Date of birth must make the child younger than 25"),
        ("2001-02-31", "Enter the date of birth as a real date"),
    ],
)
def test_a_bad_date_of_birth_is_refused_by_the_field_and_nothing_is_saved(client, dob, message):
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    response = client.post(
        "/children/add/", {**GOOD_CHILD, "date_of_birth": dob, "first_name": "<b>Jo</b>"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'href="#id_date_of_birth_day"' in page
    assert "&lt;b&gt;Jo&lt;/b&gt;" in page  # the user's text is kept, and shown as text
    assert Child.objects.count() == 0


def test_a_stale_edit_gets_a_conflict_not_an_overwrite(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker, first_name="Sam")
    services.update_child(
        worker,
        child,
        expected_version=1,
        now=f.NOW,
        **{k: getattr(child, k) for k in services.CHILD_FIELDS if k != "first_name"},
        first_name="Samuel",
    )
    response = client.post(f"/children/{child.pk}/edit/", {**GOOD_CHILD, "version": 1})
    assert "Someone else changed this record" in response.content.decode()
    child.refresh_from_db()
    assert child.first_name == "Samuel"


def test_every_view_of_a_child_is_audited_and_the_admin_can_list_who(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    client.get(f"/children/{child.pk}/")
    entry = AuditEntry.objects.get(object_type="children.child", action=AuditAction.READ)
    assert entry.actor == worker and entry.object_id == str(child.pk)
    admin = Client()
    sign_in(admin, make_user(Role.ADMINISTRATOR))
    page = admin.get(f"/audit/record/children.child/{child.pk}/").content.decode()
    assert worker.full_name in page or worker.username in page


def test_a_partner_sees_a_child_only_when_shared_and_then_only_the_summary(client):
    child = f.make_child()
    f.make_contact(child)
    agency = AgencyFactory(name="Test youth service")
    partner = sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=agency))
    assert client.get(f"/children/{child.pk}/").status_code == 404
    services.share_with_agency(
        child.created_by,
        child,
        agency=agency,
        lawful_basis="Children Act 1989 s47",
        shared_on=f.TODAY,
    )
    response = client.get(f"/children/{child.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Shared with your agency" in page
    assert "Chronology" not in page
    assert client.get(f"/children/contacts/{child.contacts.get().pk}/decide/").status_code in (
        403,
        404,
    )
    assert partner


def test_a_share_that_has_ended_hides_the_child_again(client):
    child = f.make_child()
    agency = AgencyFactory(name="Test housing")
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER, agency=agency))
    ChildShare.objects.create(
        child=child,
        agency=agency,
        lawful_basis="consent",
        shared_on=date(2014, 1, 1),
        ends_on=date(2014, 2, 1),
        shared_by=child.created_by,
    )
    assert client.get(f"/children/{child.pk}/").status_code == 404


def test_an_allocated_partner_worker_sees_the_full_record(client):
    child = f.make_child()
    worker = sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    services.allocate_worker(
        child.created_by, child, worker=worker, role="key_worker", started_on=f.TODAY
    )
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Chronology" in page


def test_the_caseload_lists_only_open_cases_by_default(client):
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    open_child = f.make_child(first_name="Opencase")
    f.make_child(first_name="Closedcase", open_episode=False)
    page = client.get("/children/").content.decode()
    assert "Opencase" in page and "Closedcase" not in page
    assert AuditEntry.objects.filter(action=AuditAction.LIST, object_type="children.child").exists()
    assert open_child


def test_a_contact_decided_as_a_referral_creates_the_referral_against_that_child(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    contact = f.make_contact(child)
    response = client.post(
        f"/children/contacts/{contact.pk}/decide/",
        {"decision": "referral", "threshold": "", "decided_on": "2015-02-02", "version": 1},
    )
    assert "Choose the level of need for the referral" in response.content.decode()
    assert Referral.objects.count() == 0
    client.post(
        f"/children/contacts/{contact.pk}/decide/",
        {
            "decision": "referral",
            "threshold": "4_specialist",
            "decided_on": "2015-02-02",
            "version": 1,
        },
    )
    referral = Referral.objects.get()
    assert referral.child == child
    assert Contact.objects.get().decision == "referral"


def test_an_assessment_completed_before_its_referral_is_refused():
    referral = f.make_referral(f.make_child(), referred_on=date(2015, 2, 2))
    with pytest.raises(services.ChildRecordRefused, match="on or after the referral"):
        services.complete_assessment(
            referral.child.created_by,
            referral,
            completed_on=date(2015, 2, 1),
            outcome="done",
            expected_version=1,
        )


def test_closing_an_episode_records_the_exit_interview_and_the_childs_views(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    episode = child.episodes.get()
    response = client.post(
        f"/children/episodes/{episode.pk}/close/",
        {
            "closed_on": "2015-03-01",
            "reason": "Risk reduced; stepped down to youth support",
            "exit_outcome": "done",
            "exit_held_on": "2015-02-27",
            "child_views": "I feel safer now",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.closed_on == date(2015, 3, 1)
    assert episode.exit_interview.child_views == "I feel safer now"


def test_an_exit_interview_held_without_a_date_is_refused(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    episode = child.episodes.get()
    response = client.post(
        f"/children/episodes/{episode.pk}/close/",
        {"closed_on": "2015-03-01", "reason": "r", "exit_outcome": "done"},
    )
    assert "Enter the date the exit interview was held" in response.content.decode()
    episode.refresh_from_db()
    assert episode.closed_on is None


def test_a_child_within_six_months_of_eighteen_with_an_open_episode_is_flagged(client):
    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    today = date.today()
    soon = f.make_child(dob=services._years_before(today + timedelta(days=90), 18))
    later = f.make_child(dob=services._years_before(today + timedelta(days=300), 18))
    closed = f.make_child(
        dob=services._years_before(today + timedelta(days=90), 18), open_episode=False
    )
    assert services.approaching_eighteen(soon, today)
    assert not services.approaching_eighteen(later, today)
    assert not services.approaching_eighteen(closed, today)
    flagged = set(Child.objects.filter(services.approaching_eighteen_q(today)))
    assert flagged == {soon}
    page = client.get("/children/").content.decode()
    assert page.count("Approaching 18</strong>") == 1


def test_the_people_who_work_a_record_can_see_who_has_viewed_it(client):
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    child = f.make_child(by=worker)
    nosy = Client()
    sign_in(nosy, make_user(Role.MACE_CHAIR, full_name="Nosy Colleague"))
    nosy.get(f"/children/{child.pk}/")
    sign_in(client, worker)
    assert "Nosy Colleague" in client.get(f"/children/{child.pk}/").content.decode()


def test_the_home_page_shows_the_cse_team_their_children_panel(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    child = f.make_child(by=worker)
    services.allocate_worker(worker, child, worker=worker, role="specialist", started_on=f.TODAY)
    page = client.get("/").content.decode()
    assert "1 child allocated to you" in page
    sign_in(client, make_user(Role.BOARD_MEMBER))
    assert "allocated to you" not in client.get("/").content.decode()


def test_an_allocated_partner_is_not_offered_links_to_pages_they_cannot_use(client):
    child = f.make_child()
    f.make_service_referral(child)
    worker = sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    services.allocate_worker(
        child.created_by, child, worker=worker, role="key_worker", started_on=f.TODAY
    )
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "/children/service-referrals/" not in page
    assert "Service referral" in page
