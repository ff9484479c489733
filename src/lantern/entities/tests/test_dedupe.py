"""`lantern people dedupe`: good files give one person id per record; bad files write nothing."""

import csv
import itertools
import json
from collections import defaultdict
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from lantern.entities import batch, dedupe, linkage, normalise, services, synthetic

pytestmark = pytest.mark.django_db

HEADER = ",".join(synthetic.CSV_COLUMNS)


def write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=synthetic.CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def read_output(path):
    with path.open(newline="", encoding="utf-8") as f:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(f)}


def pairs(assignment):
    groups = defaultdict(list)
    for record, group in assignment.items():
        groups[group].append(record)
    return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def test_dedupe_gives_one_row_per_record_and_finds_the_same_people(tmp_path):
    rows, truth = synthetic.uk_people(3000, seed=5)
    write_rows(tmp_path / "in.csv", rows)
    call_command("people", "dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv"))
    output = read_output(tmp_path / "out.csv")
    assert list(output) == [r["record_id"] for r in rows]
    found, true = pairs(output), pairs(truth)
    precision = len(found & true) / len(found)
    recall = len(found & true) / len(true)
    assert precision > 0.97 and recall > 0.9


def test_dedupe_trains_on_the_input_when_no_model_exists(tmp_path, capsys):
    rows, _ = synthetic.uk_people(300, seed=9)
    write_rows(tmp_path / "in.csv", rows)
    call_command("people", "dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv"))
    assert "a model trained on this file" in capsys.readouterr().out


TWIN = {
    "surname": "Hartley",
    "dob": "2008-04-11",
    "age_estimate": "",
    "gender": "M",
    "postcode": "NM1 4AB",
    "address": "12 Mill Road",
    "phone": "07700 900123",
}


def rows_with_twins(size, seed):
    """Synthetic people plus twins Jonathan and Matthew, Jonathan written once as Jonny."""
    rows, truth = synthetic.uk_people(size, seed=seed)
    rows += [
        {"record_id": "T1", "first_name": "Jonathan", **TWIN},
        {"record_id": "T2", "first_name": "Matthew", **TWIN},
        {"record_id": "T3", "first_name": "Jonny", **TWIN},
    ]
    truth.update({"T1": -1, "T2": -2, "T3": -1})
    return rows, truth


def test_dedupe_keeps_twins_apart(tmp_path):
    rows, _ = rows_with_twins(300, seed=9)
    write_rows(tmp_path / "in.csv", rows)
    call_command("people", "dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv"))
    output = read_output(tmp_path / "out.csv")
    assert output["T1"] == output["T3"] != output["T2"]


def first_records(rows, truth):
    first = {}
    for row in rows:
        first.setdefault(truth[row["record_id"]], row)
    return first


def test_the_synthetic_people_include_twins_and_parents_and_children_of_one_name():
    rows, truth, relatives = synthetic.uk_people_and_relatives(20000, seed=5)
    assert len(rows) == 20000
    assert (rows, truth) == synthetic.uk_people(20000, seed=5)
    assert synthetic.uk_people_and_relatives(20000, seed=5) == (rows, truth, relatives)
    # About 2% of some 7,500 households each.
    assert 100 <= len(relatives["twin"]) <= 200
    assert 100 <= len(relatives["parent_and_child"]) <= 200
    first = first_records(rows, truth)
    for a, b in relatives["twin"]:
        one, other = first[a], first[b]
        assert a != b
        for field in ("surname", "dob", "postcode", "address"):
            assert one[field] == other[field]
        given = {
            normalise.canonical_given_name(normalise.name(r["first_name"])) for r in (one, other)
        }
        assert len(given) == 2
    assert {first[b]["gender"] for _, b in relatives["twin"]} == {"F", "M"}
    for a, b in relatives["parent_and_child"]:
        one, other = first[a], first[b]
        assert a != b
        for field in ("first_name", "surname", "postcode", "address"):
            assert one[field] == other[field]
        years = abs(date.fromisoformat(one["dob"]) - date.fromisoformat(other["dob"])).days / 365.25
        assert 20 <= years <= 40


def relatives_merged(size, seed, tmp_path):
    """The twin and parent-and-child pairs of a synthetic set that dedupe puts in one cluster,
    leaving out twins whose given names are one typing error apart (Anna and Anne): nothing
    in the records tells those from one person with a mistyped name."""
    rows, truth, relatives = synthetic.uk_people_and_relatives(size, seed=seed)
    given = {}
    for row in rows:
        given.setdefault(truth[row["record_id"]], normalise.name(row["first_name"]))
    relatives["twin"] = [
        (a, b)
        for a, b in relatives["twin"]
        if not normalise.damerau_levenshtein_at_most_one(given[a], given[b])
    ]
    assert relatives["twin"] and relatives["parent_and_child"]
    write_rows(tmp_path / "in.csv", rows)
    records = dedupe.read_people_csv(tmp_path / "in.csv", as_of=synthetic.REFERENCE_DAY)
    result = dedupe.dedupe_records(records, model_json=None, threshold=0.99)
    clusters = defaultdict(set)
    for record, person in truth.items():
        clusters[person].add(result.person_ids[record])
    return {
        kind: [(a, b) for a, b in pairs if clusters[a] & clusters[b]]
        for kind, pairs in relatives.items()
    }


def test_dedupe_never_merges_a_parent_and_child_of_one_name(tmp_path):
    assert relatives_merged(3000, 5, tmp_path)["parent_and_child"] == []


def test_dedupe_never_merges_twins(tmp_path):
    assert relatives_merged(3000, 5, tmp_path)["twin"] == []


def household_records(*people):
    """Prepared records at one address: (id, first name, surname, dob, gender) each."""
    return [
        linkage.prepare_person(
            uid,
            first_name=first,
            surname=surname,
            dob=date.fromisoformat(dob) if dob else None,
            gender=gender,
            postcode="NM1 4AB",
            address="12 Mill Road",
        )
        for uid, first, surname, dob, gender in people
    ]


def clusters_of(records):
    model = json.loads(services.DEFAULT_MODEL_PATH.read_text())
    assignment = batch.dedupe(records, model, 0.99)
    groups = defaultdict(set)
    for uid, cluster in assignment.items():
        groups[cluster].add(uid)
    return sorted(sorted(g) for g in groups.values())


def probability(records, left, right):
    model = linkage.TrainedModel(json.loads(services.DEFAULT_MODEL_PATH.read_text()))
    by_id = {r["unique_id"]: r for r in records}
    return model.score(by_id[left], by_id[right]).probability


def test_a_record_without_a_date_of_birth_does_not_bridge_a_parent_and_child():
    records = household_records(
        ("f1", "Jonathan", "Hartley", "1979-08-30", "M"),
        ("f2", "Jonathan", "Hartley", "1979-08-30", "M"),
        ("s1", "Jonathan", "Hartley", "2008-04-11", "M"),
        ("s2", "Jonathan", "Hartley", "2008-04-11", "M"),
        ("u", "Jonathan", "Hartley", "", "M"),
    )
    # Without the guard the undated record would join both.
    assert probability(records, "u", "f1") >= 0.99 and probability(records, "u", "s1") >= 0.99
    assert clusters_of(records) == [["f1", "f2"], ["s1", "s2"], ["u"]]


def test_dates_of_birth_a_decade_apart_are_not_read_as_a_typing_error():
    records = household_records(
        ("p1", "Paula", "Anderson", "2002-06-02", "F"),
        ("p2", "Paula", "Anderson", "2002-06-02", "F"),
        ("c1", "Paula", "Anderson", "2023-06-02", "F"),
        ("c2", "Paula", "Anderson", "2023-06-02", "F"),
    )
    assert clusters_of(records) == [["c1", "c2"], ["p1", "p2"]]


def test_a_twin_written_with_names_swapped_does_not_bridge_a_brother_and_sister():
    records = household_records(
        ("h1", "Hazel", "Cooke", "1971-10-07", "F"),
        ("h2", "Cooke", "Hazel", "1971-10-07", "F"),
        ("s1", "Stephen", "Cooke", "1971-10-07", "M"),
        ("s2", "Stephen", "Cooke", "1971-10-07", "M"),
    )
    assert clusters_of(records) == [["h1", "h2"], ["s1", "s2"]]


def test_twins_with_close_given_names_are_kept_apart():
    records = household_records(
        ("a1", "Alice", "Stokes", "1989-11-30", "F"),
        ("a2", "Alice", "Stokes", "1989-11-30", "F"),
        ("o1", "Oliver", "Stokes", "1989-11-30", "M"),
        ("o2", "Oliver", "Stokes", "1989-11-30", ""),
        ("d1", "Dean", "Stokes", "1989-11-30", "M"),
        ("i1", "Ian", "Stokes", "1989-11-30", "M"),
    )
    assert clusters_of(records) == [["a1", "a2"], ["d1"], ["i1"], ["o1", "o2"]]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "The file is empty"),
        (
            b"record_id,first_name\n1,Ann\n",
            "Row 1 (the header): these columns are missing: surname",
        ),
        (
            f"{HEADER}\n1,Ann,Lee,2009-13-45,,F,,,\n".encode(),
            "Row 2: dob '2009-13-45' is not a date",
        ),
        (
            f"{HEADER}\n1,Ann,Lee,,,F,,,\n1,Bo,Lee,,,M,,,\n".encode(),
            "Row 3: record_id 1 is already used on row 2",
        ),
        (f"{HEADER}\n1,Ann,Lee,,sixteen,F,,,\n".encode(), "Row 2: age_estimate 'sixteen'"),
        (
            f"{HEADER}\n1,Ann,Lee,,,F,,,\n2,Zo\xe9,Lee,,,F,,,\n".encode("latin-1"),
            "Line 3: the file is not UTF-8",
        ),
        (f"{HEADER}\n".encode(), "no records"),
    ],
    ids=[
        "empty",
        "missing columns",
        "bad date",
        "duplicate id",
        "bad age",
        "encoding",
        "header only",
    ],
)
def test_a_bad_file_gives_a_clear_error_and_writes_nothing(tmp_path, content, message):
    (tmp_path / "in.csv").write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command(
            "people", "dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv")
        )
    assert message in str(error.value)
    assert not (tmp_path / "out.csv").exists()


def test_output_cells_cannot_run_as_spreadsheet_formulas(tmp_path):
    rows = [
        {
            "record_id": "=HYPERLINK(1)",
            "first_name": "Ann",
            "surname": "Lee",
            "dob": "",
            "age_estimate": "",
            "gender": "F",
            "postcode": "",
            "address": "",
            "phone": "",
        }
    ]
    write_rows(tmp_path / "in.csv", rows)
    call_command("people", "dedupe", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv"))
    text = (tmp_path / "out.csv").read_text()
    assert "'=HYPERLINK(1)" in text


def test_a_utf8_file_with_a_byte_order_mark_is_read_with_its_first_column(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n1,Zoé,Lee,,,F,,,\n2,Ann,Lee,,,F,,,\n".encode())
    records = dedupe.read_people_csv(path, as_of=synthetic.REFERENCE_DAY)
    assert [r["unique_id"] for r in records] == ["1", "2"]
    assert records[0]["first_name"] == "zoe"
