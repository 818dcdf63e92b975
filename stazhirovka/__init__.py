"""Стажировка: internship platforms, interns, routes and certificates of a district methodical service."""

# The one place the version is written (pyproject.toml reads it); a constant rather than
# importlib.metadata, which costs 50 ms of every start.
__version__ = "0.1.0"
