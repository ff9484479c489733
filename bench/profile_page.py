"""Where a signed-in page's time goes: SQL (count and time, from an execute wrapper), template
rendering, and the rest, over N requests in-process; plus cProfile's top functions.

    DATABASE_URL=postgres://.../lantern_load python -m bench.profile_page /intake/queue/ 30
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time


def main(path: str, repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    os.environ.setdefault("LANTERN_ENV", "test")
    import django

    django.setup()
    from django.db import connection
    from django.template import base
    from django.test import Client

    from lantern.accounts.roles import Role
    from lantern.core.testing import make_user, sign_in

    client = Client()
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE, username=f"profile-{time.time_ns()}"))
    assert client.get(path).status_code == 200
    sql = {"count": 0, "seconds": 0.0}

    def timed_sql(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["count"] += 1
            sql["seconds"] += time.perf_counter() - started

    render_seconds = [0.0]
    original = base.Template.render

    def timed_render(self, context):
        if getattr(context, "_lantern_depth", 0):
            return original(self, context)
        context._lantern_depth = 1
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            render_seconds[0] += time.perf_counter() - started
            context._lantern_depth = 0

    base.Template.render = timed_render
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(timed_sql):
        profiler.enable()
        for _ in range(repeat):
            client.get(path)
        profiler.disable()
    total = time.perf_counter() - started
    base.Template.render = original
    per = 1000 / repeat
    print(
        f"{path}: {total * per:.1f} ms a page; SQL {sql['count'] / repeat:.0f} queries, "
        f"{sql['seconds'] * per:.1f} ms; templates {render_seconds[0] * per:.1f} ms "
        "(includes SQL run from templates); under cProfile"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "/intake/queue/",
        int(sys.argv[2]) if len(sys.argv) > 2 else 20,
    )
