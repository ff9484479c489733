"""Running the people model with Splink: training and batch deduplication.

DuckDB runs it by default; `backend="spark"` runs the same settings (from
`linkage.splink_settings`, translated by `lantern.entities.spark`) on Spark for national batches.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from lantern.entities import linkage
from lantern.entities.linkage import Record

# Below this many records EM has too few pairs to learn from: keep the prior m probabilities.
MIN_RECORDS_FOR_EM = 2000

# The match prior is solved for until it equals the mean match probability it gives over all
# pairs (`prior_from_predictions`); these bound the iteration.
PRIOR_ITERATIONS = 200
PRIOR_TOLERANCE = 1e-3  # relative change at which the prior is taken as settled


BACKENDS = ("duckdb", "spark")


def _linker(records: Sequence[Record], settings: dict, backend: str = "duckdb"):
    from splink import Linker

    frame = pd.DataFrame.from_records(list(records), columns=list(linkage.PERSON_COLUMNS))
    frame = frame.astype({"by_lo": "Int64", "by_hi": "Int64"})
    if backend == "spark":
        from lantern.entities import spark

        db_api = spark.database_api()
        table = db_api.register(spark.table_from(frame))
        return Linker(table, spark.settings_for_spark(settings), log_level=logging.WARNING)
    if backend != "duckdb":
        raise ValueError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    return Linker(_duckdb_api().register(frame), settings, log_level=logging.WARNING)


def _duckdb_api():
    import duckdb
    from django.conf import settings as django_settings
    from splink import DuckDBAPI

    # A bounded memory limit, spilling to disk beyond it, so a national batch fits the machine.
    spill = Path(tempfile.gettempdir()) / "lantern-duckdb"
    spill.mkdir(exist_ok=True)
    connection = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": getattr(django_settings, "LANTERN_DUCKDB_MEMORY_LIMIT", "3GB"),
            "temp_directory": str(spill),
        },
    )
    return DuckDBAPI(connection)


def train(records: Sequence[Record], *, seed: int = 42, backend: str = "duckdb") -> dict:
    """Train the model on these records (see `_train`), with Splink on `backend`."""
    with _run_on(backend):
        return _train(records, seed=seed, backend=backend)


@contextlib.contextmanager
def _run_on(backend: str):
    """Whatever a Spark run handed to Spark (records written to Parquet, cached tables) is
    dropped when it ends, failed or not; a DuckDB run's database is in memory and goes with
    its connection."""
    try:
        yield
    finally:
        if backend == "spark":
            from lantern.entities import spark

            spark.release()


def _train(records: Sequence[Record], *, seed: int, backend: str) -> dict:
    """Train the model on these records: u by random sampling, m by EM where there is enough
    data, then the match prior by EM over every compared pair (`prior_from_predictions`), not
    from deterministic rules with an assumed recall. Returns the Splink model JSON, in the
    DuckDB form whichever backend trained it.

    An EM session that fails to converge (a level too rare to estimate underflows) is dropped
    and the parameters from before it are kept.
    """
    linker = _linker(records, linkage.splink_settings(), backend)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    if len(records) < MIN_RECORDS_FOR_EM:
        return with_floors(_saved(linker, backend))
    for blocking_rule in _EM_BLOCKING_RULES:
        before = _saved(linker, backend)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                _rule(blocking_rule, backend), record_sample_proportion=1.0
            )
        except ValueError:
            linker = _linker(records, before, backend)
    model = with_floors(_saved(linker, backend))
    frame = _linker(records, model, backend).inference.predict(warning_mode="never")
    weights = frame.as_pandas_dataframe()["match_weight"].to_numpy()
    model["probability_two_random_records_match"] = prior_from_predictions(
        weights, model["probability_two_random_records_match"], len(records)
    )
    return model


def prior_from_predictions(match_weights, prior: float, record_count: int) -> float:
    """The probability that two records drawn at random are one person, estimated by EM with
    the trained m and u held fixed: the prior is set to the mean match probability over all
    record pairs, the probabilities recomputed with it, until it settles. Pairs the blocking
    rules never compare are counted as non-matches, so on data whose blocking misses some
    true pairs the prior is a little low (probabilities err towards caution), never many
    times low as with deterministic rules whose recall is assumed (0.7 was assumed, on
    sparse partner data those rules catch a few per cent of true pairs, which made the prior
    many times too low, so that true matches scored 0.9 and were not linked)."""
    import numpy as np

    pairs = record_count * (record_count - 1) / 2
    weights = np.asarray(match_weights, dtype=float)
    if pairs <= 0 or weights.size == 0:
        return prior
    # Each pair's Bayes factor, without the prior it was predicted with (log2 units).
    factors = weights - np.log2(prior / (1 - prior))
    estimate = prior
    for _ in range(PRIOR_ITERATIONS):
        log_odds = np.log2(estimate / (1 - estimate)) + factors
        with np.errstate(over="ignore"):
            updated = float(np.sum(1 / (1 + np.exp2(-log_odds))) / pairs)
        updated = min(max(updated, 1e-12), 0.5)
        settled = abs(updated - estimate) <= PRIOR_TOLERANCE * estimate
        estimate = updated
        if settled:
            break
    return estimate


def _rule(duckdb_sql: str, backend: str) -> str:
    if backend == "spark":
        from lantern.entities import spark

        return spark.to_spark_sql(duckdb_sql)
    return duckdb_sql


def _saved(linker, backend: str) -> dict:
    model = linker.misc.save_model_to_json()
    if backend == "spark":
        from lantern.entities import spark

        return spark.model_in_duckdb_form(model, linkage.splink_settings())
    return model


# No evidence is ever taken as certain: a level never seen among matches (m = 0) or among
# non-matches (u = 0) in one data set would otherwise veto or force a link for ever.
M_FLOOR = 1e-3
U_FLOOR = 1e-5


def with_floors(model_json: dict) -> dict:
    """The model with every m and u probability at or above its floor."""
    for comparison in model_json["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            level["m_probability"] = max(level.get("m_probability") or 0.0, M_FLOOR)
            level["u_probability"] = max(level.get("u_probability") or 0.0, U_FLOOR)
    return model_json


_EM_BLOCKING_RULES = (
    'l."dob" = r."dob"',
    'l."first_key" = r."first_key" AND l."surname_key" = r."surname_key"',
)


# A merge whose two clusters would need more record pairs checked than this is logged: people
# clusters are a handful of records, so a product this large means something chains too much.
LARGE_MERGE_CHECKS = 10_000

# The vetoes that hold for whole clusters, not only for the pair being linked: different given
# names (twins, one of whose records has given name and surname swapped, would otherwise be
# bridged by it) and dates of birth that differ outright (a parent and child of one name,
# bridged by a record with no date of birth). Relatives must never be merged, so this holds
# even though FEBRL's duplicates, whose given name is often replaced outright, then fall
# a little below plain Splink (FEBRL3 F1 0.888 against 0.898; pair by pair only: 0.908, with
# 17 of 360 twin pairs on the UK set merged).
CLUSTER_VETOES = (linkage.NAMES, linkage.BIRTH)

log = logging.getLogger(__name__)


def dedupe(
    records: Sequence[Record],
    model_json: dict,
    threshold: float,
    *,
    vetoes: bool = True,
    backend: str = "duckdb",
) -> dict:
    """Cluster the records: {unique_id: cluster_id}, linking pairs at or above `threshold`
    unless a vetoing level (different given names, different dates of birth) applies.

    Given names and dates of birth are guarded for whole clusters, not only for the pair being
    linked: pairs are taken from the most probable down, and two clusters are joined only when
    no record of one vetoes a record of the other (`CLUSTER_VETOES`). A record that fits two
    people kept apart joins neither. So twins cannot be bridged by a record of one written
    with the names swapped, nor a parent and child of one name by an undated record.

    `vetoes=False` drops that guard, for data whose duplicates may carry a wholly different
    given name (FEBRL's corruption model does this); it then merges twins and siblings too."""
    if not records:
        return {}
    # The compared columns are kept so the vetoes can be applied by the same Python
    # predicates live resolution uses.
    model_json = linkage.in_current_form(model_json)
    with _run_on(backend):
        linker = _linker(records, {**model_json, "retain_matching_columns": True}, backend)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        frame = predictions.as_pandas_dataframe()
    frame = frame[frame["match_probability"] >= threshold]
    vetoed = linkage.vetoed_pairs(frame) if vetoes else [False] * len(frame)
    pairs = sorted(
        zip(
            frame["match_probability"],
            frame["unique_id_l"],
            frame["unique_id_r"],
            vetoed,
            strict=True,
        ),
        key=lambda p: (-p[0], str(p[1]), str(p[2])),
    )
    by_id = {record["unique_id"]: record for record in records}
    if not vetoes:
        return _clusters(records, pairs, by_id, guard=False)
    clusters = _clusters(records, pairs, by_id, guard=True)
    # A record with no date of birth and no age that fits two people the guard keeps apart
    # (a parent and child of one name at one address) could be either: it stays on its own
    # rather than join whichever it happened to score higher with.
    undated = _undated_between_people(pairs, clusters, by_id)
    if undated:
        kept = [p for p in pairs if p[1] not in undated and p[2] not in undated]
        clusters = _clusters(records, kept, by_id, guard=True)
    return clusters


def _clusters(records, pairs, by_id: dict, *, guard: bool) -> dict:
    """Union-find over the pairs, most probable first; with the guard, two clusters are joined
    only when no record of one vetoes a record of the other on `CLUSTER_VETOES`."""
    parent: dict = {}
    members: dict = {}  # root -> the unique ids in its cluster

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for _, left, right, veto in pairs:
        if veto:
            continue
        a, b = root(left), root(right)
        if a == b:
            continue
        in_a, in_b = members.get(a, [a]), members.get(b, [b])
        if guard and _clusters_conflict(in_a, in_b, by_id):
            continue
        keep, absorb = (a, b) if str(a) <= str(b) else (b, a)
        parent[absorb] = keep
        members[keep] = in_a + in_b
        members.pop(absorb, None)
    return {record["unique_id"]: root(record["unique_id"]) for record in records}


def _undated_between_people(pairs, clusters: dict, by_id: dict) -> set:
    """Records without a date of birth or age linked, above the threshold and unvetoed, to a
    cluster other than their own whose every record they fit."""
    members: dict = {}
    for record, cluster in clusters.items():
        members.setdefault(cluster, []).append(record)
    found = set()
    for _, left, right, veto in pairs:
        if veto or clusters[left] == clusters[right]:
            continue
        for record, other in ((left, right), (right, left)):
            if by_id[record]["by_lo"] is None and not any(
                linkage.vetoes(by_id[record], by_id[x]) for x in members[clusters[other]]
            ):
                found.add(record)
    return found


def _clusters_conflict(left: list, right: list, by_id: dict) -> bool:
    """Does any record of one cluster veto any record of the other on `CLUSTER_VETOES`?"""
    if len(left) == len(right) == 1:
        return False  # the pair itself, already checked
    if len(left) * len(right) > LARGE_MERGE_CHECKS:
        log.warning(
            "Joining clusters of %d and %d records: an unusually large merge", len(left), len(right)
        )
    return any(linkage.vetoes(by_id[x], by_id[y], CLUSTER_VETOES) for x in left for y in right)


def blocked_pairs(records: Sequence[Record]) -> set[tuple]:
    """Every pair of records the blocking rules compare, as (left id, right id): what live
    resolution must also retrieve as candidates."""
    linker = _linker(records, linkage.in_current_form({}))
    frame = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    return set(zip(frame["unique_id_l"], frame["unique_id_r"], strict=True))


def score_pairs_with_splink(model_json: dict, pairs: Sequence[tuple[Record, Record]]) -> list:
    """Splink's own match probability for each pair (used to check the Python scorer)."""
    linker = _linker([p[0] for p in pairs[:1]], linkage.in_current_form(model_json))
    results = []
    for left, right in pairs:
        frame = linker.inference.score_pair(left, right).as_pandas_dataframe()
        results.append(float(frame["match_probability"].iloc[0]))
    return results
