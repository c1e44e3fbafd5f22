import pytest

from core.spreadsheet import safe_text


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(typed):
    assert safe_text(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["Alice", "a=b", "", "  =x"])
def test_ordinary_text_is_left_alone(typed):
    assert safe_text(typed) == typed


def test_missing_values_are_empty_cells():
    assert safe_text(None) == ""
