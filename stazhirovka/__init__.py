"""Стажировка: internship platforms, interns, routes and certificates of a district methodical service."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("stazhirovka")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
