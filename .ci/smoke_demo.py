"""After `make demo DEMO_ARGS=--no-serve`: serve the loaded demo as production would and use it.

Starts gunicorn with `LANTERN_ENV=production` (hashed static files through whitenoise, secure
cookies, HTTPS redirects behind a proxy that sets X-Forwarded-Proto), then, as a browser would:
fetches the sign-in page and the stylesheet it links to, signs in as the demo councillor and
opens the home page. Any failure exits non-zero with what went wrong, so a broken `make demo`
fails CI. Standard library only: it runs before the test dependencies are installed.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEMO_PASSWORD = "northmere-demo-2026"  # noqa: S105 - the published demo password


def main() -> int:
    port = _free_port()
    env = {
        **os.environ,
        "LANTERN_ENV": "production",
        "LANTERN_SECRET_KEY": secrets.token_urlsafe(64),
        "LANTERN_AUDIT_KEY": secrets.token_urlsafe(32),
        "LANTERN_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603 - our own virtual environment's gunicorn
        [str(GUNICORN), "lantern.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port, server)
        browser = Browser(port)
        _check_sign_in_and_stylesheet(browser)
        _check_signing_in(browser)
    except SmokeFailure as failure:
        print(f"make demo smoke test FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("make demo smoke test passed: styled sign-in page and stylesheet, councillor signed in")
    return 0


class SmokeFailure(Exception):
    pass


class Browser:
    """Just enough of a browser: keeps cookies, says it came through an HTTPS proxy."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "https://127.0.0.1"
            headers["Referer"] = f"https://127.0.0.1{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response, content


def _check_sign_in_and_stylesheet(browser: Browser) -> None:
    response, content = browser.request("GET", "/sign-in/")
    if response.status != 200:
        raise SmokeFailure(f"GET /sign-in/ answered {response.status}")
    page = content.decode()
    stylesheet = re.search(r'href="(/static/lantern/lantern\.[0-9a-f]{12}\.css)"', page)
    if not stylesheet:
        raise SmokeFailure("the sign-in page links no hashed lantern.css")
    response, css = browser.request("GET", stylesheet.group(1))
    content_type = response.getheader("Content-Type", "")
    if response.status != 200 or "text/css" not in content_type or b".govuk-" not in css:
        raise SmokeFailure(
            f"GET {stylesheet.group(1)} answered {response.status} {content_type}, "
            f"{len(css)} bytes: not the GOV.UK stylesheet"
        )


def _check_signing_in(browser: Browser) -> None:
    _, content = browser.request("GET", "/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode())
    if not token:
        raise SmokeFailure("the sign-in page has no CSRF token")
    response, _ = browser.request(
        "POST",
        "/sign-in/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": "councillor",
            "password": DEMO_PASSWORD,
        },
    )
    if response.status != 302:
        raise SmokeFailure(f"signing in as councillor answered {response.status}, not a redirect")
    response, content = browser.request("GET", "/")
    if response.status != 200 or "Elected member" not in content.decode():
        raise SmokeFailure(f"the councillor's home page answered {response.status}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SmokeFailure(f"gunicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SmokeFailure("gunicorn did not answer within 60 s")


if __name__ == "__main__":
    sys.exit(main())
