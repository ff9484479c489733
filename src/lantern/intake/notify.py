"""A Django email backend that sends through GOV.UK Notify with its official Python client.

Select it with LANTERN_EMAIL_BACKEND=lantern.intake.notify.NotifyEmailBackend and set
LANTERN_NOTIFY_API_KEY and LANTERN_NOTIFY_TEMPLATE_ID (an email template whose subject is
((subject)) and whose body is ((body))). LANTERN_NOTIFY_BASE_URL defaults to Notify's API (the
client's own default); it is there for Notify's other environments and for tests.

Each recipient of each message is one call to the client's send_email_notification, which
POSTs to /v2/notifications/email with a JSON Web Token signed with the key's secret.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyError(Exception):
    """Notify refused or could not be reached, or the backend is not configured."""


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        *,
        api_key=None,
        template_id=None,
        base_url=None,
        timeout=10,
        fail_silently=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        # Django 6.1 deprecates the base class's attribute: a backend that honours it keeps its own.
        self.fail_silently = fail_silently
        self.api_key = api_key or settings.LANTERN_NOTIFY_API_KEY
        self.template_id = template_id or settings.LANTERN_NOTIFY_TEMPLATE_ID
        self.base_url = (base_url or settings.LANTERN_NOTIFY_BASE_URL).rstrip("/")
        self.timeout = timeout

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        client = self._client()
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                try:
                    client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                except APIError as error:
                    if not self.fail_silently:
                        raise NotifyError(
                            f"Notify answered {error.status_code}: {error.message}"
                        ) from error
                    continue
            sent += 1
        return sent

    def _client(self) -> NotificationsAPIClient:
        # A Notify key is "name-<service uuid>-<secret uuid>": 74 characters at the least.
        if len(self.api_key) < 74:
            raise NotifyError("LANTERN_NOTIFY_API_KEY is not a Notify API key")
        if not self.template_id:
            raise NotifyError("LANTERN_NOTIFY_TEMPLATE_ID is not set")
        if not self.base_url.startswith(("https://", "http://")):
            raise NotifyError("LANTERN_NOTIFY_BASE_URL must be an http(s) address")
        return NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)
