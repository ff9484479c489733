"""Shared benchmark tools: a throwaway database, request timing, and recording results."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def machine() -> dict:
    """What the figures were measured on."""
    from django.db import connection

    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except OSError:
        pass
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "database": connection.vendor,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def timed(fn: Callable[[], object], repeat: int) -> dict:
    """Median and 95th percentile, in milliseconds, of `repeat` calls (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(p95, 2),
        "repeat": repeat,
    }


def write(name: str, figures: dict, data_size: dict) -> Path:
    """Record one benchmark's figures with the machine and the data size they were taken at."""
    from django.db import connection

    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{connection.vendor}.json"
    payload = {"benchmark": name, "machine": machine(), "data_size": data_size, "figures": figures}
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"{name} [{connection.vendor}]: {json.dumps(figures)}")
    return path
