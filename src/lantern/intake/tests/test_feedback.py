"""Messages to reporters: acknowledgement, conclusion, councillors' digest; and Notify."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from lantern.accounts.roles import Role
from lantern.core.testing import make_user
from lantern.intake import measures, services
from lantern.intake.models import FeedbackMessage
from lantern.intake.notify import NotifyEmailBackend, NotifyError
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db
NOW = datetime.fromisoformat("2026-03-10T10:00:00+00:00")


def test_acknowledgements_go_once_to_reporters_who_left_an_address():
    make_submission(contact_email="someone@example.org", source="public", now=NOW)
    make_submission(source="public", now=NOW)  # anonymous, no address

    first = services.send_due_feedback(NOW)
    second = services.send_due_feedback(NOW)

    assert first.startswith("1 acknowledgements")
    assert second.startswith("0 acknowledgements")
    assert len(mail.outbox) == 1
    assert "LAN-2026-000001" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["someone@example.org"]


def test_conclusion_feedback_says_acted_on_without_operational_detail():
    officer = make_user(Role.POLICE_INTELLIGENCE)
    councillor = make_user(Role.COUNCILLOR, email="cllr@example.org")
    submission = move_to(make_submission(councillor, now=NOW), "concluded", officer, now=NOW)
    services.send_due_feedback(NOW)
    mail.outbox.clear()

    services.send_due_feedback(NOW)  # nothing new
    assert mail.outbox == []
    message = FeedbackMessage.objects.get(submission=submission, kind="conclusion")
    assert "assessed and acted on" in message.body
    assert "Patrols" not in message.body and "nominal" not in message.body
    assert submission.trace.filter(kind="feedback").count() == 1


def test_councillors_get_one_digest_a_month():
    councillor = make_user(Role.COUNCILLOR, email="cllr@example.org")
    make_submission(councillor, now=NOW)

    services.send_councillor_digests(NOW)
    services.send_councillor_digests(NOW)
    services.send_councillor_digests(NOW.replace(month=4))

    digests = FeedbackMessage.objects.filter(kind="digest", recipient=councillor)
    assert sorted(digests.values_list("period", flat=True)) == ["2026-03", "2026-04"]
    assert "Received: waiting to be looked at" in digests.first().body


def test_measures_count_from_the_records():
    officer = make_user(Role.POLICE_INTELLIGENCE)
    start, end = datetime.fromisoformat("2026-03-01T00:00:00+00:00"), NOW.replace(day=31)
    make_submission(source="public", now=NOW)
    done = make_submission(contact_email="a@example.org", now=NOW)
    move_to(done, "concluded", officer, now=NOW.replace(hour=14))
    record = move_to(
        make_submission(now=NOW),
        "decided",
        officer,
        decision="record_only",
        now=NOW.replace(hour=12),
    )
    services.send_due_feedback(NOW.replace(hour=15))

    assert measures.new_submissions_by_source(start, end) == {
        "partner": 2,
        "councillor": 0,
        "public": 1,
        "police": 0,
    }
    assert measures.median_hours_to_grade(start, end) == 3.0
    assert measures.median_days_to_conclusion(start, end) == round(4 / 24, 1)
    assert measures.share_to_tasking(start, end) == 0.5
    assert measures.feedback_sent(start, end) == {"acknowledgement": 1, "conclusion": 1}
    assert record.status == "decided"


# --- GOV.UK Notify ---------------------------------------------------------------------------

SERVICE = "11111111-2222-3333-4444-555555555555"
SECRET = "66666666-7777-8888-9999-000000000000"


class FakeNotify(BaseHTTPRequestHandler):
    """Notify's email endpoint as the official client calls it, on a local port."""

    received: list = []
    agents: list = []
    status = 201

    def do_POST(self):  # noqa: N802 - the standard library's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeNotify.received.append((self.path, self.headers["Authorization"], body))
        FakeNotify.agents.append(self.headers["User-Agent"])
        self.send_response(FakeNotify.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "abc"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_notify():
    FakeNotify.received = []
    FakeNotify.agents = []
    FakeNotify.status = 201
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_notify_backend_posts_a_signed_request(fake_notify, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    backend = NotifyEmailBackend(
        api_key=f"lantern-{SERVICE}-{SECRET}", template_id="tmpl-1", base_url=fake_notify
    )
    sent = backend.send_messages([EmailMessage("Subject", "Body text", None, ["a@example.org"])])

    assert sent == 1
    path, auth, body = FakeNotify.received[0]
    assert path == "/v2/notifications/email"
    assert body == {
        "email_address": "a@example.org",
        "template_id": "tmpl-1",
        "personalisation": {"subject": "Subject", "body": "Body text"},
    }
    header, claims, signature = auth.removeprefix("Bearer ").split(".")
    padded = claims + "=" * (-len(claims) % 4)
    assert json.loads(base64.urlsafe_b64decode(padded))["iss"] == SERVICE
    expected = hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert signature == base64.urlsafe_b64encode(expected).rstrip(b"=").decode()
    assert abs(json.loads(base64.urlsafe_b64decode(padded))["iat"] - time.time()) < 60
    assert FakeNotify.agents[0].startswith("NOTIFY-API-PYTHON-CLIENT/")  # the official client


def test_every_recipient_gets_its_own_notification(fake_notify, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    backend = NotifyEmailBackend(
        api_key=f"lantern-{SERVICE}-{SECRET}", template_id="tmpl-1", base_url=fake_notify
    )
    backend.send_messages([EmailMessage("S", "B", None, ["a@example.org", "b@example.org"])])
    assert [body["email_address"] for _, _, body in FakeNotify.received] == [
        "a@example.org",
        "b@example.org",
    ]


def test_a_notify_refusal_records_nothing_so_the_next_run_retries(fake_notify, settings):
    FakeNotify.status = 400
    settings.MAILERS = {
        "default": {
            "BACKEND": "lantern.intake.notify.NotifyEmailBackend",
            "OPTIONS": {
                "api_key": f"lantern-{SERVICE}-{SECRET}",
                "template_id": "t",
                "base_url": fake_notify,
            },
        }
    }
    make_submission(contact_email="a@example.org", now=NOW)
    summary = services.send_due_feedback(NOW)
    assert summary.startswith("0 acknowledgements")
    assert FeedbackMessage.objects.count() == 0
    FakeNotify.status = 201
    assert services.send_due_feedback(NOW).startswith("1 acknowledgements")


def test_an_api_key_that_is_not_one_is_refused():
    backend = NotifyEmailBackend(api_key="short", template_id="t", base_url="http://127.0.0.1:9")
    with pytest.raises(NotifyError, match="not a Notify API key"):
        backend.send_messages([EmailMessage("s", "b", None, ["a@example.org"])])


def test_old_submissions_do_not_set_off_stale_messages():
    from datetime import timedelta

    make_submission(contact_email="old@example.org", now=NOW - timedelta(days=60))
    assert services.send_due_feedback(NOW).startswith("0 acknowledgements")
    assert mail.outbox == []
