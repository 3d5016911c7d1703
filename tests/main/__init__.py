"""Tests of the start page, the accessibility statement and the error pages."""
