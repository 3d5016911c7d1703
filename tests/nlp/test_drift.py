"""DriftMonitor and ThemeClusterer.theme_fit: when themes grown note by note are clustered again."""
import pytest

from nlp import DriftMonitor, ThemeClusterer, ThemeFit
from tests.nlp.test_clustering import NOTES

BASE = ThemeFit(n_notes=1000, unassigned=0.10, cohesion=0.70)


@pytest.mark.parametrize("now, reason", [
    (ThemeFit(1100, 0.10, 0.70), None),  # a tenth more notes that fit as well: no full pass
    (ThemeFit(1500, 0.10, 0.70), "growth"),  # half as many notes again
    (ThemeFit(1060, 0.26, 0.70), "unassigned"),  # the ungrouped pile grew by 16 points
    (ThemeFit(1060, 0.10, 0.58), "cohesion"),  # notes sit further from their centres
    (ThemeFit(1020, 0.40, 0.30), None),  # too few new notes to judge
])
def test_a_full_pass_is_due_only_when_the_themes_have_drifted(now, reason):
    monitor = DriftMonitor().fit(BASE)
    assert monitor.due(now) is (reason is not None)
    assert monitor.reason_ == reason


def test_growth_is_measured_from_the_last_full_pass():
    monitor = DriftMonitor(min_new=10).fit(ThemeFit(20, 0.1, 0.7))
    assert monitor.due(ThemeFit(30, 0.1, 0.7))
    monitor.fit(ThemeFit(30, 0.1, 0.7))
    assert not monitor.due(ThemeFit(40, 0.1, 0.7))


def test_theme_fit_follows_the_notes(mapper):
    model = ThemeClusterer(mapper=mapper, random_state=0).fit(NOTES)
    fit = model.theme_fit()
    assert fit.n_notes == len(NOTES) and 0 <= fit.unassigned < 0.5 and 0.5 < fit.cohesion <= 1.0
    model.partial_fit(["kaffemaskinen", "fönstren går inte att öppna", "vi vill ha en pingisbord",
                       "cykelställ saknas vid entrén"])
    later = model.theme_fit()
    assert later.n_notes == len(NOTES) + 4 and later.unassigned > fit.unassigned
