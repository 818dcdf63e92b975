"""Reading raw input: dates, numbers, СНИЛС, e-mail — every rule has a failing case."""

from datetime import date, datetime

import pytest

from stazhirovka.services.validation import Field, coerce, parse_date, snils_is_valid
from stazhirovka.text import fold, like_pattern, search_key


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("21.11.2026", date(2026, 11, 21)),
        ("2026-11-21", date(2026, 11, 21)),
        ("21.11.2026 г.", date(2026, 11, 21)),
        ("21.11.26", date(2026, 11, 21)),
        (datetime(2026, 11, 21, 10, 0), date(2026, 11, 21)),
    ],
)
def test_dates_in_every_usual_form(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31.02.2026", "завтра", "2026/11/21", ""])
def test_bad_dates_are_refused(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


def test_snils_checksum():
    assert snils_is_valid("112-233-445 95")
    assert snils_is_valid("11223344595")
    assert not snils_is_valid("112-233-445 96")  # wrong control number
    assert not snils_is_valid("1122334459")  # ten digits
    assert not snils_is_valid("001-001-998 00")  # below the range with checksums


def test_every_problem_is_reported_with_its_label():
    fields = {
        "n": Field("n", "Часы", kind="int", min=0, max=10),
        "d": Field("d", "Дата", kind="date"),
        "e": Field("e", "Почта", kind="email"),
        "s": Field("s", "Название", max_len=5),
    }
    clean, problems = coerce(fields, {"n": "-1", "d": "вчера", "e": "a@", "s": "слишком длинно"})
    assert clean == {}
    messages = {p.label: p.message for p in problems}
    assert messages["Часы"] == "не меньше 0"
    assert "не дата" in messages["Дата"]
    assert "не адрес" in messages["Почта"]
    assert "не длиннее 5" in messages["Название"]


def test_numbers_accept_russian_decimal_comma_and_refuse_fractions_for_integers():
    fields = {"h": Field("h", "Часы", kind="float"), "i": Field("i", "Число", kind="int")}
    clean, problems = coerce(fields, {"h": "1,5", "i": "2,5"})
    assert clean == {"h": 1.5}
    assert problems[0].message == "«2,5» — нужно целое число"


def test_folding_ignores_case_and_yo():
    assert fold("  Королёв  Пётр ") == "королев петр"
    assert search_key("Ёлкина", "Алёна", "") == "елкина алена"
    assert like_pattern("50%_x") == "%50\\%\\_x%"
