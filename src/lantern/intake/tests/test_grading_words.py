"""The 3x5x2 grade is offered, shown and exported in the words of the College of Policing's
authorised professional practice on intelligence management (issue 23)."""

import pytest

from lantern.intake.forms import GradeForm
from lantern.intake.models import HandlingCode, IntelligenceAssessment, SourceEvaluation, Submission

APP_WORDS = {
    "source_evaluation": {"1": "Reliable", "2": "Untested", "3": "Not reliable"},
    "intelligence_assessment": {
        "A": "Known directly to the source",
        "B": "Known indirectly to the source but corroborated",
        "C": "Known indirectly to the source",
        "D": "Not known",
        "E": "Suspected to be false or malicious",
    },
    "handling_code": {
        "P": "Lawful sharing permitted",
        "C": "Lawful sharing permitted with conditions",
    },
}


@pytest.mark.parametrize("field", sorted(APP_WORDS))
def test_every_choice_on_the_grading_form_is_in_the_app_words(field):
    offered = dict(GradeForm().fields[field].choices)
    assert offered == {code: f"{code} – {words}" for code, words in APP_WORDS[field].items()}


def test_the_grade_is_written_as_analysts_write_it_with_the_words_beside_it():
    s = Submission(source_evaluation="2", intelligence_assessment="B", handling_code="P")
    assert s.grade == "2/B/P"
    assert s.grade_words == (
        "2 – Untested; B – Known indirectly to the source but corroborated; "
        "P – Lawful sharing permitted"
    )
    assert Submission().grade == "" and Submission().grade_words == ""


def test_the_stored_codes_are_unchanged():
    assert [c for c, _ in SourceEvaluation.choices] == ["1", "2", "3"]
    assert [c for c, _ in IntelligenceAssessment.choices] == list("ABCDE")
    assert [c for c, _ in HandlingCode.choices] == ["P", "C"]
