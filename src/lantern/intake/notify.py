"""A Django email backend that sends through GOV.UK Notify's REST API, with the standard library.

Select it with LANTERN_EMAIL_BACKEND=lantern.intake.notify.NotifyEmailBackend and set
LANTERN_NOTIFY_API_KEY and LANTERN_NOTIFY_TEMPLATE_ID (an email template whose subject is
((subject)) and whose body is ((body))). LANTERN_NOTIFY_BASE_URL defaults to Notify's API.

Each recipient of each message is one POST to /v2/notifications/email, authorised with a JSON
Web Token signed with HS256: {"iss": service id, "iat": now}, as Notify documents.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request

from django.core.mail.backends.base import BaseEmailBackend

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"


class NotifyError(Exception):
    """Notify refused or could not be reached."""


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, *, api_key=None, template_id=None, base_url=None, timeout=10, **kwargs):
        super().__init__(**kwargs)
        self.api_key = api_key or os.environ.get("LANTERN_NOTIFY_API_KEY", "")
        self.template_id = template_id or os.environ.get("LANTERN_NOTIFY_TEMPLATE_ID", "")
        self.base_url = (
            base_url or os.environ.get("LANTERN_NOTIFY_BASE_URL", "") or DEFAULT_BASE_URL
        ).rstrip("/")
        self.timeout = timeout

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                self._post(
                    {
                        "email_address": address,
                        "template_id": self.template_id,
                        "personalisation": {"subject": message.subject, "body": message.body},
                    }
                )
            sent += 1
        return sent

    def _post(self, payload: dict) -> dict:
        service_id, secret = split_api_key(self.api_key)
        if not self.base_url.startswith(("https://", "http://")):
            raise NotifyError("LANTERN_NOTIFY_BASE_URL must be an http(s) address")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            f"{self.base_url}/v2/notifications/email",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {jwt_token(service_id, secret)}",
                "Content-Type": "application/json",
                "User-Agent": "lantern-notify/1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise NotifyError(f"Notify answered {error.code}: {error.read()[:300]!r}") from error
        except urllib.error.URLError as error:
            raise NotifyError(f"Notify could not be reached: {error.reason}") from error


def split_api_key(api_key: str) -> tuple[str, str]:
    """(service id, secret) from a Notify API key "name-<service uuid>-<secret uuid>"."""
    if len(api_key) < 74:
        raise NotifyError("LANTERN_NOTIFY_API_KEY is not a Notify API key")
    return api_key[-73:-37], api_key[-36:]


def jwt_token(service_id: str, secret: str, now: float | None = None) -> str:
    header = {"typ": "JWT", "alg": "HS256"}
    claims = {"iss": service_id, "iat": int(now if now is not None else time.time())}
    signing_input = f"{_b64(json.dumps(header))}.{_b64(json.dumps(claims))}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _b64(value: str | bytes) -> str:
    raw = value.encode() if isinstance(value, str) else value
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
