"""Match probabilities mean what they say on sparse partner data the model was never tuned on:
trained on mentions from the independent generator (`sparse_people`), pairs scored about 0.99
are one person about 99 times in 100."""

import collections
import logging

import pytest

from lantern.entities import batch, linkage
from lantern.entities import normalise as norm
from lantern.entities.tests.sparse_people import GIVEN, REFERENCE_DAY, SURNAMES, sparse_people

# (lowest, highest) predicted probability of each band of the reliability table.
BANDS = ((0.5, 0.95), (0.95, 0.99), (0.99, 1.0))


def prepared(rows):
    return [
        linkage.prepare_person(
            r["record_id"],
            first_name=r["first_name"],
            surname=r["surname"],
            dob=norm.date_of_birth(r["dob"]),
            age=int(r["age_estimate"]) if r["age_estimate"] else None,
            age_on=REFERENCE_DAY,
            gender=r["gender"],
            postcode=r["postcode"],
            phone=r["phone"],
            address=r["address"],
        )
        for r in rows
    ]


def reliability(frame, truth):
    """{band: (pairs, mean predicted probability, share truly one person)}."""
    table = {}
    for low, high in BANDS:
        band = frame[(frame["match_probability"] >= low) & (frame["match_probability"] < high)]
        if high == 1.0:
            band = frame[frame["match_probability"] >= low]
        ids = zip(band["unique_id_l"], band["unique_id_r"], strict=True)
        same = [truth[a] == truth[b] for a, b in ids]
        table[(low, high)] = (
            len(band),
            float(band["match_probability"].mean()) if len(band) else None,
            sum(same) / len(same) if same else None,
        )
    return table


@pytest.fixture(scope="module")
def sparse_reliability():
    logging.getLogger("splink").setLevel(logging.ERROR)
    rows, truth = sparse_people(1000, seed=11)
    records = prepared(rows)
    assert len(records) >= batch.MIN_RECORDS_FOR_EM  # so the prior is estimated, not kept
    model = batch.train(records)
    linker = batch._linker(records, linkage.in_current_form(model))
    frame = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    return model, reliability(frame, truth), records, truth


def test_the_generator_is_sparse_with_few_names_and_no_complete_first_record():
    rows, truth = sparse_people(1000, seed=11)
    assert sum(1 for r in rows if not r["dob"] and not r["postcode"]) / len(rows) > 0.4
    assert len(GIVEN) * len(SURNAMES) < 300  # about 1000 people: namesakes are common
    assert len({r["postcode"] for r in rows if r["postcode"]}) <= 12
    first = {}
    for row in rows:
        first.setdefault(truth[row["record_id"]], row)
    assert sum(bool(r["dob"] and r["postcode"]) for r in first.values()) / len(first) < 0.15
    mentions = collections.Counter(truth.values())
    assert sum(c > 1 for c in mentions.values()) > 500


def test_pairs_scored_about_0_99_are_one_person_about_99_times_in_100(sparse_reliability):
    _, table, _, _ = sparse_reliability
    pairs, predicted, observed = table[(0.99, 1.0)]
    assert pairs >= 20, table  # a prior many times too low scores no pair this high
    assert observed >= 0.97, table
    pairs, predicted, observed = table[(0.95, 0.99)]
    assert pairs >= 20 and observed >= predicted - 0.03, table


def test_pairs_scored_between_one_half_and_0_95_are_not_all_one_person(sparse_reliability):
    # Under-confidence is miscalibration too: a prior many times too low puts true matches here.
    _, table, _, _ = sparse_reliability
    pairs, predicted, observed = table[(0.5, 0.95)]
    assert pairs >= 20 and abs(observed - predicted) <= 0.15, table


def test_the_prior_is_near_the_true_share_of_matching_pairs(sparse_reliability):
    model, _, records, truth = sparse_reliability
    sizes = collections.Counter(truth[r["unique_id"]] for r in records)
    true_prior = sum(n * (n - 1) / 2 for n in sizes.values()) / (
        len(records) * (len(records) - 1) / 2
    )
    assert true_prior / 2 <= model["probability_two_random_records_match"] <= true_prior * 1.5


def test_the_prior_solves_for_the_mean_probability_it_gives():
    # Three records, one pair compared with a strong Bayes factor: about one match in three pairs.
    prior = batch.prior_from_predictions([20.0 + 0.0], 1e-4, 3)
    assert prior == pytest.approx(1 / 3, rel=0.01)
