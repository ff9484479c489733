"""Retrain the shipped default people model (`src/lantern/entities/default_model.json`), the
model a fresh installation scores live mentions with until `lantern entities retrain` runs on
its own mentions. Trained, as before, on the synthetic UK people set only (not on the
independent sparse generator, which is kept for measuring).

    LANTERN_ENV=test python -m bench.train_default_model
"""

from __future__ import annotations

import json
import logging

import django


def main(size: int = 20000, seed: int = 2024) -> None:
    django.setup()
    logging.getLogger("splink").setLevel(logging.ERROR)
    from bench.bench_entities import _prepared
    from lantern.entities import batch, services, synthetic

    rows, _ = synthetic.uk_people(size, seed=seed)
    model = batch.train(_prepared(rows))
    services.DEFAULT_MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n")
    print("prior", model["probability_two_random_records_match"], "records", len(rows))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    main()
