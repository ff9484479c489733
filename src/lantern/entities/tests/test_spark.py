"""The people model on Spark: the same rules and model give the same people as on DuckDB.

These start a local Spark (pyspark from the test extra, Java 17 from the machine); they are
not skipped when Spark is missing, because `--backend spark` is a promised feature. Spark
never reads the web database, so `make test` runs them in the SQLite pass only (marker `once`).
"""

import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from lantern.entities import batch, dedupe, linkage, spark
from lantern.entities.tests.test_dedupe import pairs, read_output, rows_with_twins, write_rows

pytestmark = [pytest.mark.django_db, pytest.mark.once]


def prepared(tmp_path, rows):
    write_rows(tmp_path / "in.csv", rows)
    from django.utils import timezone

    return dedupe.read_people_csv(tmp_path / "in.csv", as_of=timezone.localdate())


def test_every_condition_of_the_model_translates_to_spark_sql():
    translated = spark.settings_for_spark(linkage.splink_settings())
    conditions = [
        level["sql_condition"]
        for comparison in translated["comparisons"]
        for level in comparison["comparison_levels"]
    ]
    rules = [r["blocking_rule"] for r in translated["blocking_rules_to_generate_predictions"]]
    # DuckDB's list functions become Spark's array functions; quoting becomes backticks.
    assert any("SIZE(ARRAY_INTERSECT(SPLIT(`address_l`" in c for c in conditions)
    assert not any("LIST_INTERSECT" in c.upper() or "STRING_SPLIT" in c.upper() for c in conditions)
    assert "l.`first_key` = r.`first_key` AND l.`surname_key` = r.`surname_key`" in rules


def test_a_model_trained_on_spark_is_stored_in_the_duckdb_form():
    settings = linkage.splink_settings()
    trained = spark.settings_for_spark(settings)
    trained["comparisons"][0]["comparison_levels"][1].update(m_probability=0.42, u_probability=1e-4)
    stored = spark.model_in_duckdb_form(trained, settings)
    assert stored["comparisons"][0]["comparison_levels"][1]["m_probability"] == 0.42
    for comparison, original in zip(stored["comparisons"], settings["comparisons"], strict=True):
        assert [lvl["sql_condition"] for lvl in comparison["comparison_levels"]] == [
            lvl["sql_condition"] for lvl in original["comparison_levels"]
        ]
    # ... so today's code reads it back with every trained level kept.
    current = linkage.in_current_form(stored)
    assert current["comparisons"][0]["comparison_levels"][1]["m_probability"] == 0.42


def test_spark_finds_exactly_the_people_duckdb_finds_with_the_same_model(tmp_path):
    rows, _ = rows_with_twins(600, seed=21)
    records = prepared(tmp_path, rows)
    scratch = Path(tempfile.gettempdir()) / "lantern-spark"
    before = set(scratch.glob("lantern-people-*"))
    model = batch.train(records)
    on_duckdb = dedupe.dedupe_records(records, model_json=model, threshold=0.99)
    on_spark = dedupe.dedupe_records(records, model_json=model, threshold=0.99, backend="spark")
    assert on_spark.person_ids == on_duckdb.person_ids
    assert on_spark.people < len(records)  # some records were found to be one person
    ids = on_spark.person_ids
    assert ids["T1"] == ids["T3"] != ids["T2"]  # the nickname links, the twin does not
    # The records handed to Spark (names, dates of birth) are not left on disk.
    assert set(scratch.glob("lantern-people-*")) <= before


def test_people_dedupe_on_spark_trains_on_the_file_and_writes_every_record(tmp_path, capsys):
    rows, truth = rows_with_twins(600, seed=23)
    write_rows(tmp_path / "in.csv", rows)
    found = {}
    for backend in batch.BACKENDS:
        out = tmp_path / f"{backend}.csv"
        call_command(
            "people", "dedupe", str(tmp_path / "in.csv"), "--out", str(out), "--backend", backend
        )
        assert f"a model trained on this file on {backend}" in capsys.readouterr().out
        output = read_output(out)
        assert list(output) == [r["record_id"] for r in rows]
        assert output["T1"] == output["T3"] != output["T2"]
        found[backend] = pairs(output)
    # u is estimated by random sampling, which each engine draws differently, so the two
    # models differ a little; the people found must not.
    true = pairs(truth)
    for backend, linked in found.items():
        assert len(linked & true) / len(linked) > 0.97, backend
    spark_recall = len(found["spark"] & true) / len(true)
    duckdb_recall = len(found["duckdb"] & true) / len(true)
    assert abs(spark_recall - duckdb_recall) < 0.02
    assert len(found["spark"] ^ found["duckdb"]) < 0.02 * len(true)


def test_without_a_java_runtime_spark_stops_with_a_plain_message_and_writes_nothing(tmp_path):
    import os
    import subprocess
    import sys

    rows, _ = rows_with_twins(20, seed=3)
    write_rows(tmp_path / "in.csv", rows)
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + ":" + str(tmp_path),  # no java on the path
        "JAVA_HOME": str(tmp_path / "no-java"),
        "LANTERN_DATA_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("SPARK_HOME", None)
    lantern = [sys.executable, "-m", "lantern.cli"]
    subprocess.run([*lantern, "migrate", "-v0"], env=env, check=True, timeout=300)
    run = subprocess.run(
        [*lantern, "people", "dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "o.csv")]
        + ["--backend", "spark"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    assert "Nothing was written: Spark could not start" in run.stderr
    assert not (tmp_path / "o.csv").exists()
