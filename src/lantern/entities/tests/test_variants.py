"""Given-name variants come from data files with a stated source; a malformed file refuses to
load, naming the file and line, and the variants in force before stay in force."""

import pytest

from lantern.entities import normalise as norm
from lantern.entities import variants

CURATED = sorted(variants.VARIANT_DIR.glob("*.csv"))


def test_every_curated_list_states_its_source_in_its_header():
    names = {path.stem for path in CURATED}
    assert {"arabic_urdu", "polish", "czech", "slovak", "hungarian", "romanian"} <= names
    for path in CURATED:
        header = [line for line in path.read_text().splitlines() if line.startswith("#")]
        assert any(line.startswith("# Source:") for line in header), path.name


def test_the_english_variants_come_from_the_nicknames_package():
    table = variants.build([], english=True)
    assert table.sources == (variants.ENGLISH_SOURCE,)
    assert table.are_variants("kate", "katherine")
    assert table.are_variants("jess", "jessica")


@pytest.mark.parametrize(
    "one,other",
    [
        ("Kuba", "Jakub"),
        ("Zoli", "Zoltán"),
        ("Imy", "Imran"),
        ("Mohd", "Mohammed"),
        ("Muhammad", "Mohamed"),
        ("Kasia", "Katarzyna"),
        ("Gosia", "Małgorzata"),
        ("Ondra", "Ondřej"),
        ("Pista", "István"),
        ("Fane", "Ștefan"),
        ("Ayesha", "Aisha"),
    ],
)
def test_community_diminutives_and_transliterations_are_variants(one, other):
    assert norm.are_given_name_variants(norm.name(one), norm.name(other))


def test_a_short_form_of_two_names_does_not_make_those_names_variants():
    assert norm.are_given_name_variants("sam", "samuel")
    assert norm.are_given_name_variants("sam", "samantha")
    assert not norm.are_given_name_variants("samuel", "samantha")


def test_a_malformed_line_names_the_file_and_line_and_keeps_the_variants_in_force(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("# Source: test\nzenon,zenek\n", encoding="utf-8")
    before = variants.current()
    try:
        variants.load([good], english=False)
        assert variants.current().are_variants("zenek", "zenon")
        bad = tmp_path / "bad.csv"
        bad.write_text("# Source: test\nwiesław,wiesiek\nbolesław\n", encoding="utf-8")
        with pytest.raises(variants.VariantFileError, match=r"bad\.csv, line 3"):
            variants.load([good, bad], english=False)
        assert variants.current().are_variants("zenek", "zenon")  # still in force
        assert not variants.current().knows("wiesiek")  # nothing of the bad file taken
        digits = tmp_path / "digits.csv"
        digits.write_text("# Source: test\n\nadam,ad4m\n", encoding="utf-8")
        with pytest.raises(variants.VariantFileError, match=r"digits\.csv, line 3: 'ad4m'"):
            variants.load([digits], english=False)
        unsourced = tmp_path / "unsourced.csv"
        unsourced.write_text("adam,adas\n", encoding="utf-8")
        with pytest.raises(variants.VariantFileError, match="Source"):
            variants.load([unsourced], english=False)
        assert variants.current().are_variants("zenek", "zenon")
    finally:
        variants.load()
    assert variants.current().sources == before.sources


def test_learned_pairs_count_beside_the_files_and_go_when_withdrawn():
    assert not norm.are_given_name_variants("bilu", "bilal")
    try:
        variants.install_learned([("bilal", "bilu")])
        assert norm.are_given_name_variants("bilu", "bilal")
    finally:
        variants.install_learned([])
    assert not norm.are_given_name_variants("bilu", "bilal")
