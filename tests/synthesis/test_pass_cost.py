"""A small `make bench-pass`: incremental passes place notes exactly as passes that read everything."""
import pytest

from bench import pass_cost

pytestmark = pytest.mark.timeout(180)


def test_incremental_passes_make_the_same_themes_as_reading_everything():
    found = pass_cost.main(["--tables", "12", "--steps", "6"])
    assert len(found["incremental"]) == len(found["everything"]) == 6
    incremental, everything = found["groups"]
    assert incremental and incremental == everything
    assert sum(len(group) for group in incremental) > 12
