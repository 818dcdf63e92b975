from datetime import date, datetime

import pytest

from stazhirovka.formats import display, long_date, number, plural, short_date


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "час"), (2, "часа"), (4, "часа"), (5, "часов"), (11, "часов"), (12, "часов"),
     (14, "часов"), (21, "час"), (22, "часа"), (36, "часов"), (101, "час"), (111, "часов"),
     (0, "часов")],
)  # fmt: skip
def test_plural(n: int, word: str) -> None:
    assert plural(n, "час", "часа", "часов") == word


def test_dates() -> None:
    assert short_date(date(2026, 11, 1)) == "01.11.2026"
    assert long_date(date(2026, 11, 21)) == "«21» ноября 2026 г."
    assert long_date(date(2026, 3, 1), quoted=False) == "1 марта 2026 г."


def test_display() -> None:
    assert number(2.5) == "2,5"
    assert number(36.0) == "36"
    assert display(True, "bool") == "да"
    assert display("active", "enum", {"active": "идёт"}) == "идёт"
    assert display(datetime(2026, 11, 21, 9, 5), "datetime") == "21.11.2026 09:05"
    assert display(None, "date") == ""
