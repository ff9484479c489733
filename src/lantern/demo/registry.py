"""Demo data generators: each app registers one, and `lantern demo` runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from faker import Faker


@dataclass
class DemoContext:
    """What a generator gets: the scale, seeded randomness, and what earlier ones made."""

    scale: str
    rng: Random
    faker: Faker
    made: dict


@dataclass(frozen=True)
class Generator:
    name: str
    order: int
    run: Callable[[DemoContext], str]  # returns a one-line summary of what it made


_GENERATORS: dict[str, Generator] = {}


def register(generator: Generator) -> None:
    _GENERATORS[generator.name] = generator


def generators() -> list[Generator]:
    return sorted(_GENERATORS.values(), key=lambda g: (g.order, g.name))
