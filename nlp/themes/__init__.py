"""Themes: online clustering of notes (`clustering`, with its centre bookkeeping in `centroids` and the
decision to cluster everything again in `drift`), what
describes a theme (`keywords`: `Theme`, class-based TF-IDF keywords), its title, quote and
representatives (`titles`), and the extractive summaries per point and per theme (`summary`). Uses
`nlp.language` and `nlp.points`."""
from nlp.themes.keywords import SurfaceIndex, Theme, theme_keywords

__all__ = ["SurfaceIndex", "Theme", "theme_keywords"]
