"""Running the people model on Apache Spark, for national batches.

The model's SQL is written once, in DuckDB's dialect (`linkage.COMPARISONS`,
`linkage.BLOCKING_RULES`), and that form is what model versions store. For Spark, each
condition is translated with sqlglot (the library Splink itself uses between dialects), and a
model trained on Spark is written back in the DuckDB form, so either backend reads a version
the other wrote.

Spark runs in-process on this machine (`local[N]`) with Splink's similarity functions
(`damerau_levenshtein` and others) loaded from the jar Splink ships; an operator with a cluster
points `LANTERN_SPARK_MASTER` at it.
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
from pathlib import Path

from lantern.core.errors import LanternError


class SparkUnavailable(LanternError):
    """Spark cannot be started here (pyspark not installed, or no Java runtime)."""


def to_spark_sql(duckdb_sql: str) -> str:
    """One condition or blocking rule, from DuckDB's dialect into Spark SQL."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(duckdb_sql, read="duckdb")

    def rename(node):
        if isinstance(node, exp.Anonymous) and node.name.lower() == "list_intersect":
            return exp.Anonymous(this="array_intersect", expressions=node.expressions)
        return node

    def size(node):
        inner = node.this if isinstance(node, exp.Length) else None
        if isinstance(inner, exp.Anonymous) and inner.name.lower() == "array_intersect":
            return exp.ArraySize(this=inner)
        return node

    # DuckDB's len() of a list is Spark's size() of an array; sqlglot reads len() as a
    # string length, and list_intersect as a function it does not know.
    return tree.transform(rename).transform(size).sql(dialect="spark")


def settings_for_spark(settings: dict) -> dict:
    """A copy of Splink settings (or a saved model) with every condition in Spark SQL."""
    translated = copy.deepcopy(settings)
    for rule in translated.get("blocking_rules_to_generate_predictions", []):
        rule["blocking_rule"] = to_spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
    for comparison in translated.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            if level["sql_condition"].strip().upper() != "ELSE":
                level["sql_condition"] = to_spark_sql(level["sql_condition"])
    return translated


def model_in_duckdb_form(trained: dict, duckdb_settings: dict) -> dict:
    """A model trained on Spark, with its conditions put back in the DuckDB form it was
    translated from (the comparisons and levels are in the same order), so it is stored the
    same way as a model trained on DuckDB."""
    model = copy.deepcopy(trained)
    model["blocking_rules_to_generate_predictions"] = copy.deepcopy(
        duckdb_settings["blocking_rules_to_generate_predictions"]
    )
    pairs = zip(model["comparisons"], duckdb_settings["comparisons"], strict=True)
    for comparison, original in pairs:
        levels = zip(comparison["comparison_levels"], original["comparison_levels"], strict=True)
        for level, original_level in levels:
            level["sql_condition"] = original_level["sql_condition"]
    model["sql_dialect"] = "duckdb"
    return model


_session = None


def session():
    """The Spark session, started on first use and kept for the life of the process."""
    global _session
    if _session is not None:
        return _session
    from django.conf import settings as django_settings

    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as error:
        raise SparkUnavailable(
            "Spark is not installed here: install Lantern with its spark extra "
            "(pip install 'lantern[spark]') and a Java 17 runtime."
        ) from error
    scratch = _scratch()
    # Python workers run this interpreter, not whichever python3 is first on the path.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(getattr(django_settings, "LANTERN_SPARK_MASTER", "local[*]"))
        .appName("lantern-people")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", getattr(django_settings, "LANTERN_SPARK_MEMORY", "4g"))
        .config("spark.local.dir", str(scratch))
        # A closed network: bind to loopback and keep the web UI off.
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        # The names comparison is too large for whole-stage code generation: Spark would try,
        # fail to compile and fall back on every query. Expressions are still compiled.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.default.parallelism", "8")
    )
    try:
        spark = builder.getOrCreate()
    except Exception as error:  # the JVM failed to start: no Java, or not enough memory
        raise SparkUnavailable(f"Spark could not start: {error}") from error
    # A real failure reaches the caller as an exception; Spark's own log is only noise here.
    spark.sparkContext.setLogLevel("FATAL")
    spark.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
    _session = spark
    return spark


def database_api():
    """Splink's Spark backend on the shared session."""
    spark_session = session()  # first: says plainly when Spark is not installed
    from splink import SparkAPI

    return SparkAPI(spark_session=spark_session, break_lineage_method="persist")


_written: list[tuple[Path, object]] = []


def table_from(frame):
    """The prepared records as a Spark table. They are written to Parquet and read back, so
    Spark reads them directly rather than through Python workers at every stage. The file
    holds personal data: `release()` deletes it when the run ends."""
    directory = Path(tempfile.mkdtemp(prefix="lantern-people-", dir=_scratch()))
    path = directory / "records.parquet"
    frame.to_parquet(path, index=False)
    table = session().read.parquet(str(path)).cache()
    _written.append((directory, table))
    return table


def release() -> None:
    """Drop the records handed to Spark by this process and delete their files, and the
    tables Splink kept in Spark's memory."""
    while _written:
        directory, table = _written.pop()
        table.unpersist()
        shutil.rmtree(directory, ignore_errors=True)
    if _session is not None:
        _session.catalog.clearCache()


def _scratch() -> Path:
    scratch = Path(tempfile.gettempdir()) / "lantern-spark"
    scratch.mkdir(exist_ok=True)
    return scratch
