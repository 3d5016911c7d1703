"""A short `make bench-soak`: hosts typing through reconnects of every client, one server on SQLite.
Checks that nothing is lost or doubled and that the server's memory stays flat, never time."""
import pytest

from bench import bench_soak

pytestmark = pytest.mark.timeout(300)

SHORT = ["--minutes", "0.4", "--hosts", "20", "--reconnect", "8", "--offline", "1", "--sample", "0.5",
         "--ramp", "2"]


@pytest.fixture(scope="module")
def soaked():
    """The figures of one short run on a fresh SQLite database."""
    return bench_soak.main(SHORT)


def test_every_client_reconnected_and_the_server_lived(soaked):
    assert soaked["reconnects"] >= 2 and soaked["server_alive"]
    assert soaked["refused"] == 0 and soaked["held"] == 20 + 4  # 20 hosts and a projector per café


def test_no_note_is_lost_or_doubled(soaked):
    assert soaked["acked"] > 0 and soaked["unacked"] == soaked["errors"] == 0
    assert soaked["lost"] == soaked["duplicated"] == soaked["stored_twice"] == 0
    assert soaked["stored"] == soaked["acked"]


def test_the_servers_memory_stays_flat(soaked):
    assert soaked["samples"] > 20
    assert soaked["growth"] < 0.10, soaked
