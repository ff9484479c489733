"""Load with nothing lost (issue 22): gunicorn on PostgreSQL, public reports through the real
form flow and signed-in page reads at 5, 20 and 50 concurrent users; then a reconciliation
that every reference shown to a sender is stored exactly once, that double submits made one
report, and that the audit chain verifies after a worker was killed with `kill -9` mid-load.

    DATABASE_URL=postgres://.../lantern_load nice python -m bench.load --seconds 30 --levels 5,20,50

It migrates the database it is given (use a throwaway one: it adds users and reports), starts
gunicorn on it (3 workers), drives it with one thread per user (no think time: each user sends
its next request when the last one answers), and writes bench/results/load-postgresql.json.
The public rate limits are lifted for the run (every user comes from 127.0.0.1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

PORT = int(os.environ.get("BENCH_LOAD_PORT", "18765"))
BASE = f"http://127.0.0.1:{PORT}"
SERVER_ENV = {
    "LANTERN_ENV": "test",
    "LANTERN_INTAKE_PUBLIC_RATE": "1000000/3600",
    "LANTERN_INTAKE_DRAFT_RATE": "1000000/3600",
    "LANTERN_DB_CONN_MAX_AGE": "60",
}
READ_PAGES = ["/", "/intake/queue/", "/intake/shared/"]
TOKEN = re.compile(r'name="token" value="([0-9a-f-]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"Your reference<br><strong>([^<]+)</strong>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--levels", default="5,20,50")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    assert os.environ.get("DATABASE_URL", "").startswith("postgres"), "set DATABASE_URL"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    cookies = _signed_in_sessions(60)
    server = _start_gunicorn(args.workers)
    try:
        levels = [int(n) for n in args.levels.split(",")]
        results = {}
        for index, users in enumerate(levels):
            kill = index == len(levels) - 1 or users == 20  # a worker dies mid-load at 20
            results[f"{users}_users"] = _level(users, args.seconds, cookies, server, kill)
            print(json.dumps({f"{users}_users": results[f"{users}_users"]["figures"]}))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    reconciliation = _reconcile(results)
    _write(results, reconciliation, args)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {"public": [], "read": []}
        self.statuses: Counter = Counter()
        self.shown: list[tuple[str, str]] = []  # (token, reference shown on the done page)
        self.doubled: list[str] = []  # tokens sent twice
        self.sent_unacknowledged: list[str] = []

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.samples[kind].append(seconds)
            self.statuses[status] += 1


def _level(users: int, seconds: int, cookies: list[str], server, kill: bool) -> dict:
    recorder = Recorder()
    stop = time.monotonic() + seconds
    threads = []
    for n in range(users):
        if n % 2 == 0:
            target, arg = _public_user, None
        else:
            target, arg = _reader, cookies[n % len(cookies)]
        threads.append(threading.Thread(target=target, args=(recorder, stop, arg), daemon=True))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    killed = None
    if kill:
        time.sleep(seconds / 2)
        killed = _kill_a_worker(server)
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    everything = recorder.samples["public"] + recorder.samples["read"]
    figures = {
        "requests": len(everything),
        "requests_per_second": round(len(everything) / elapsed, 1),
        "pages": _stats(everything),
        "public_report_steps": _stats(recorder.samples["public"]),
        "signed_in_reads": _stats(recorder.samples["read"]),
        "statuses": dict(sorted(recorder.statuses.items(), key=lambda kv: str(kv[0]))),
        "errors": sum(
            v for k, v in recorder.statuses.items() if not (isinstance(k, int) and k < 400)
        ),
        "reports_acknowledged": len(recorder.shown),
        "double_submits": len(recorder.doubled),
        "worker_killed": killed,
    }
    return {"figures": figures, "recorder": recorder}


def _public_user(recorder: Recorder, stop: float, _arg) -> None:
    rng = random.Random()
    while time.monotonic() < stop:
        session = requests.Session()
        try:
            page = _timed(
                recorder, "public", session.get, f"{BASE}/intake/report/?route=intelligence"
            )
            token, csrf = TOKEN.search(page.text).group(1), CSRF.search(page.text).group(1)
            data = {
                "csrfmiddlewaretoken": csrf,
                "token": token,
                "route": "intelligence",
                "narrative": f"Load test report {uuid.uuid4().hex[:8]}: a car waits by the park.",
            }
            posted = _timed(
                recorder,
                "public",
                session.post,
                f"{BASE}/intake/report/",
                data=data,
                allow_redirects=False,
            )
            if posted.status_code != 302 or "/check/" not in posted.headers.get("Location", ""):
                continue
            check_url = BASE + posted.headers["Location"]
            check = _timed(recorder, "public", session.get, check_url)
            csrf = CSRF.search(check.text).group(1)
            double = rng.random() < 0.2
            sent = _timed(
                recorder,
                "public",
                session.post,
                check_url,
                data={"csrfmiddlewaretoken": csrf},
                allow_redirects=False,
            )
            if double:  # the sender clicks "Send" again, or refreshes
                with recorder.lock:
                    recorder.doubled.append(token)
                sent = _timed(
                    recorder,
                    "public",
                    session.post,
                    check_url,
                    data={"csrfmiddlewaretoken": csrf},
                    allow_redirects=False,
                )
            if sent.status_code != 302:
                with recorder.lock:
                    recorder.sent_unacknowledged.append(token)
                continue
            done = _timed(recorder, "public", session.get, BASE + sent.headers["Location"])
            found = REFERENCE.search(done.text)
            with recorder.lock:
                if done.status_code == 200 and found:
                    recorder.shown.append((token, found.group(1)))
                else:
                    recorder.sent_unacknowledged.append(token)
        except (requests.RequestException, AttributeError) as error:
            with recorder.lock:
                recorder.statuses[f"client: {type(error).__name__}"] += 1


def _reader(recorder: Recorder, stop: float, cookie: str) -> None:
    from django.conf import settings

    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
    rng = random.Random()
    while time.monotonic() < stop:
        try:
            _timed(
                recorder, "read", session.get, BASE + rng.choice(READ_PAGES), allow_redirects=False
            )
        except requests.RequestException as error:
            with recorder.lock:
                recorder.statuses[f"client: {type(error).__name__}"] += 1


def _timed(recorder: Recorder, kind: str, call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, timeout=60, **kwargs)
    recorder.add(kind, time.perf_counter() - started, response.status_code)
    return response


def _stats(samples: list[float]) -> dict:
    if not samples:
        return {}
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {
        "count": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
    }


def _signed_in_sessions(count: int) -> list[str]:
    """Sessions of police analysts past the second factor, made as the tests make them."""
    from django.conf import settings
    from django.test import Client

    from lantern.accounts.roles import Role
    from lantern.core.testing import make_user, sign_in

    cookies = []
    for _ in range(count):
        client = Client()
        sign_in(
            client, make_user(Role.POLICE_INTELLIGENCE, username=f"load-{uuid.uuid4().hex[:10]}")
        )
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def _start_gunicorn(workers: int):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            shutil.which("nice") or "/usr/bin/nice",
            str(gunicorn),
            "lantern.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
    )
    for _ in range(120):
        try:
            if requests.get(f"{BASE}/healthz", timeout=2).status_code in (200, 503):
                return server
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def _kill_a_worker(server) -> int | None:
    import psutil

    workers = psutil.Process(server.pid).children(recursive=True)
    workers = [w for w in workers if "gunicorn" in " ".join(w.cmdline())]
    if not workers:
        return None
    victim = workers[0].pid
    os.kill(victim, signal.SIGKILL)
    return victim


def _reconcile(results: dict) -> dict:
    from django.core.management import call_command

    from lantern.audit.services import verify_chain
    from lantern.intake.models import Submission

    shown, doubled, unacknowledged = [], [], []
    for level in results.values():
        recorder = level.pop("recorder")
        shown += recorder.shown
        doubled += recorder.doubled
        unacknowledged += recorder.sent_unacknowledged
    references = [reference for _, reference in shown]
    stored = Counter(
        Submission.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    by_token = Counter(
        str(t)
        for t in Submission.objects.filter(
            idempotency_token__in=[uuid.UUID(t) for t in doubled]
        ).values_list("idempotency_token", flat=True)
    )
    token_of = dict(shown)
    call_command("tick", verbosity=0)  # chains anything a killed worker left queued
    report = verify_chain()
    return {
        "references_shown": len(references),
        "distinct_references_shown": len(set(references)),
        "references_stored_exactly_once": sum(1 for r in set(references) if stored[r] == 1),
        "references_missing": sorted(r for r in set(references) if stored[r] == 0),
        "double_submits": len(doubled),
        "double_submits_that_made_more_than_one": sum(1 for t in doubled if by_token[t] > 1),
        "double_submits_acknowledged_with_one_reference": sum(1 for t in doubled if t in token_of),
        "sent_without_acknowledgement": len(unacknowledged),
        "submissions_in_database": Submission.objects.count(),
        "audit_verify": {
            "ok": report.ok,
            "entries_checked": report.entries_checked,
            "problem": report.problem,
            "first_broken_id": report.first_broken_id,
        },
    }


def _write(results: dict, reconciliation: dict, args) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import common

    figures = {name: level["figures"] for name, level in results.items()}
    figures["reconciliation"] = reconciliation
    common.write(
        "load",
        figures,
        {
            "seconds_per_level": args.seconds,
            "gunicorn_workers": args.workers,
            "levels": args.levels,
        },
    )


if __name__ == "__main__":
    main()
