"""Swedish theme synthesis for dialogue cafés: map notes onto framework points and find themes.

Pure Python: never imports Flask and never downloads anything at run time.
"""
from nlp.evaluation import Evaluation, evaluate_mapper
from nlp.framework import DEFAULT_FRAMEWORK, Framework, FrameworkPoint, load_framework
from nlp.io import InputError, read_notes
from nlp.language.text import analyze, expand_abbreviations, normalize, split_compound, stem, tokenize
from nlp.points.mapper import PointMapper
from nlp.themes.clustering import ThemeClusterer
from nlp.themes.drift import DriftMonitor, ThemeFit
from nlp.themes.keywords import Theme
from nlp.themes.summary import summarize_points, summarize_themes
from nlp.themes.titles import Titler, theme_titles

__all__ = [
    "DEFAULT_FRAMEWORK",
    "DriftMonitor",
    "Evaluation",
    "Framework",
    "FrameworkPoint",
    "InputError",
    "PointMapper",
    "Theme",
    "ThemeClusterer",
    "ThemeFit",
    "Titler",
    "analyze",
    "evaluate_mapper",
    "expand_abbreviations",
    "load_framework",
    "normalize",
    "read_notes",
    "split_compound",
    "stem",
    "summarize_points",
    "summarize_themes",
    "theme_titles",
    "tokenize",
]
