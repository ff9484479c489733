"""Given-name variants as data: which written names are one name (Kuba for Jakub, Mohd for
Muhammad, Kate for Katherine).

The variants come from files, never from code:

- English: the `nicknames` package (Carlton Northern and Nick Crews, Apache-2.0, a
  hand-curated list of English given names and their nicknames), read from its `names.csv`.
- The communities a UK borough has: `name_variants/*.csv` beside this module (Arabic and Urdu
  transliterations, Polish, Czech, Slovak, Hungarian and Romanian diminutives), each with its
  source in a `#` header.
- Learned: pairs an analyst confirmed (`lantern.entities.models.LearnedVariant`), added by
  `install_learned`.

Two names are variants when they share a group: a group is a full name with the forms written
for it, so Sam is a variant of Samuel and of Samantha, but Samuel is not a variant of Samantha.

A file with a malformed line refuses to load with the file and line named
(`VariantFileError`), and the variants in force before stay in force.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lantern.core.errors import LanternError

VARIANT_DIR = Path(__file__).parent / "name_variants"
ENGLISH_SOURCE = "nicknames package (names.csv), Apache-2.0"

# A variant-file name: letters of any script, with single inner spaces, hyphens or apostrophes.
_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")


class VariantFileError(LanternError):
    """A variant file cannot be read; the message names the file and line."""


@dataclass
class VariantTable:
    """Groups of written given names that are one name, keyed by the group's full name."""

    # normalised name -> the heads (full names) of the groups it belongs to
    heads_of: dict[str, set[str]] = field(default_factory=dict)
    # head -> every name of its group, the head included
    members: dict[str, set[str]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    _deletion_index: dict[str, set[str]] | None = field(default=None, repr=False)

    def add(self, head: str, variant: str) -> None:
        if not head or not variant:
            return
        for name in (head, variant):
            self.heads_of.setdefault(name, set()).add(head)
        group = self.members.setdefault(head, {head})
        group.add(variant)
        self._deletion_index = None

    def groups(self, name: str) -> frozenset[str]:
        return frozenset(self.heads_of.get(name, ()))

    def are_variants(self, a: str, b: str) -> bool:
        if not a or not b:
            return False
        return a == b or bool(self.heads_of.get(a, set()) & self.heads_of.get(b, set()))

    def canonical(self, name: str) -> str:
        """One name standing for the name's groups, for blocking: the head of its largest
        group (Kate -> Katherine), alphabetically first among equals; the name itself when it
        is in no group."""
        heads = self.heads_of.get(name)
        if not heads:
            return name
        return min(heads, key=lambda h: (-len(self.members[h]), h))

    def knows(self, name: str) -> bool:
        return name in self.heads_of

    def groups_near(self, name: str) -> frozenset[str]:
        """The groups of `name`, or, for a name of five letters or more in no group, of the
        listed names one typing error from it (Jesica -> Jessica's, Katherrine ->
        Katherine's): a typing error in a name keeps its variants."""
        heads = self.heads_of.get(name)
        if heads:
            return frozenset(heads)
        if len(name) < 5:
            return frozenset()
        from lantern.entities.normalise import damerau_levenshtein_at_most_one

        index = self._deletions()
        near: set[str] = set()
        for key in {name, *_deletions_of(name)}:
            for listed in index.get(key, ()):
                if damerau_levenshtein_at_most_one(name, listed):
                    near |= self.heads_of[listed]
        return frozenset(near)

    def _deletions(self) -> dict[str, set[str]]:
        # Every listed name under itself and each form with one letter deleted: two names one
        # edit apart share a key (the symmetric-deletion method).
        if self._deletion_index is None:
            index: dict[str, set[str]] = {}
            for listed in self.heads_of:
                for key in {listed, *_deletions_of(listed)}:
                    index.setdefault(key, set()).add(listed)
            self._deletion_index = index
        return self._deletion_index

    def copy(self) -> VariantTable:
        return VariantTable(
            {k: set(v) for k, v in self.heads_of.items()},
            {k: set(v) for k, v in self.members.items()},
            self.sources,
        )


def _deletions_of(name: str) -> set[str]:
    return {name[:i] + name[i + 1 :] for i in range(len(name))}


def fold(text: str) -> str:
    """The normalised form of a name in a variant file (the same as `normalise.name`)."""
    from lantern.entities.normalise import name

    return name(text)


def read_variant_file(path: Path, table: VariantTable) -> None:
    """Add one curated file's groups to `table`. Raises VariantFileError naming the file and
    line of the first malformed line: a line needs a full name and at least one other form,
    each made of letters."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise VariantFileError(f"{path.name}: cannot be read as UTF-8 text ({error}).") from error
    if not any(line.startswith("# Source:") for line in text.splitlines()):
        raise VariantFileError(f"{path.name}: the header has no '# Source:' line.")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        names = [part.strip() for part in stripped.split(",")]
        if len(names) < 2:
            raise VariantFileError(
                f"{path.name}, line {number}: a full name and at least one other form, "
                "separated by commas, are needed."
            )
        bad = [n for n in names if not _NAME.match(unicodedata.normalize("NFC", n))]
        if bad:
            raise VariantFileError(
                f"{path.name}, line {number}: '{bad[0]}' is not a name (letters only, "
                "with single spaces, hyphens or apostrophes inside)."
            )
        head = fold(names[0])
        for variant in names[1:]:
            table.add(head, fold(variant))


def read_english(table: VariantTable) -> None:
    """The `nicknames` package's English names and nicknames."""
    import nicknames

    with nicknames.with_names_csv_path() as path, path.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row.get("relationship") != "has_nickname" or not row.get("name2"):
                raise VariantFileError(f"nicknames names.csv, line {number}: not a nickname row.")
            table.add(fold(row["name1"]), fold(row["name2"]))


def build(
    paths: Iterable[Path] | None = None,
    *,
    english: bool = True,
    learned: Iterable[tuple[str, str]] = (),
) -> VariantTable:
    """A new table from the English package, the curated files and learned pairs."""
    table = VariantTable()
    sources = []
    if english:
        read_english(table)
        sources.append(ENGLISH_SOURCE)
    for path in sorted(VARIANT_DIR.glob("*.csv")) if paths is None else paths:
        read_variant_file(Path(path), table)
        sources.append(Path(path).name)
    for head, variant in learned:
        table.add(fold(head), fold(variant))
    table.sources = tuple(sources)
    return table


_lock = threading.Lock()
_files: VariantTable | None = None  # the files alone, without learned pairs
_current: VariantTable | None = None
_learned: tuple[tuple[str, str], ...] = ()


def current() -> VariantTable:
    """The variants in force, loaded from the files on first use."""
    global _files, _current
    if _current is None:
        with _lock:
            if _current is None:
                _files = build()
                _current = _with_learned(_files, _learned)
    return _current


def load(paths: Iterable[Path] | None = None, *, english: bool = True) -> VariantTable:
    """Reload the files. On a malformed line this raises VariantFileError and the variants in
    force before stay in force."""
    global _files, _current
    table = build(paths, english=english)  # raises before anything is replaced
    with _lock:
        _files = table
        _current = _with_learned(table, _learned)
    return _current


def install_learned(pairs: Iterable[tuple[str, str]]) -> None:
    """Put these learned pairs (full name, variant) in force beside the files' variants."""
    global _current, _learned
    files = _files if _files is not None else (current() and _files)
    with _lock:
        _learned = tuple(pairs)
        _current = _with_learned(files, _learned)


def learned_pairs() -> tuple[tuple[str, str], ...]:
    return _learned


def _with_learned(files: VariantTable, pairs: Iterable[tuple[str, str]]) -> VariantTable:
    pairs = list(pairs)
    if not pairs:
        return files
    table = files.copy()
    for head, variant in pairs:
        table.add(fold(head), fold(variant))
    return table
