"""A small `make bench-big-synthesis`: notes stream while a big café's first pass runs and the city page
and an export are fetched. Checks correctness only (nothing lost or doubled, every answer 200), never time."""
import pytest

from bench import bench_big_synthesis

pytestmark = pytest.mark.timeout(180)

SMALL = ["--big-notes", "2000", "--big-tables", "40", "--hosts", "20", "--projectors", "3", "--window", "4",
         "--warmup", "1", "--ramp", "1", "--client-processes", "1", "--pass-timeout", "90", "--rounds", "1"]


@pytest.fixture(scope="module")
def found():
    """The figures of one small run on a fresh SQLite database."""
    return bench_big_synthesis.main(SMALL)


def test_no_note_is_lost_or_doubled(found):
    """Every acknowledged note reaches every projector once, in both windows."""
    assert found["A"]["acked"] > 0
    assert found["A"]["lost"] == found["B"]["lost"] == found["C"]["lost"] == found["lost"] == 0
    assert found["C"]["acked"] > 0  # the control window had notes too
    assert found["duplicated"] == 0
    assert found["unacked"] == found["errors"] == 0


def test_the_big_pass_completes(found):
    """The synthesis service includes every note of the big café."""
    assert found["rounds"][0]["pass"]["done"]
    assert found["rounds"][0]["pass"]["pending_at_start"] == 2000


@pytest.mark.parametrize("kind", ["city", "export"])
def test_city_page_and_export_answer(found, kind):
    """The city page data and the action list export were fetched and answered 200."""
    assert found["rounds"][0][kind]["count"] >= 1
    assert found["rounds"][0][kind]["statuses"] == [200]
