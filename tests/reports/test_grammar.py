"""Russian for documents: hard names in the dative for both sexes (DOCUMENTS.md §8), words
agreeing with sex, hours with the right plural, periods and signature names."""

from __future__ import annotations

from datetime import date

import pytest

from stazhirovka.grammar import (
    agreement,
    dative_name,
    hours_phrase,
    initials_name,
    period_phrase,
)

HARD_NAMES = [
    # surnames that decline for a man and not for a woman
    (("Ковальчук", "Анна", "Ивановна", "F"), "Ковальчук Анне Ивановне"),
    (("Ковальчук", "Иван", "Петрович", "M"), "Ковальчуку Ивану Петровичу"),
    (("Жук", "Инна", "Павловна", "F"), "Жук Инне Павловне"),
    (("Жук", "Павел", "Ильич", "M"), "Жуку Павлу Ильичу"),
    (("Лях", "Олег", "Сергеевич", "M"), "Ляху Олегу Сергеевичу"),
    (("Гоголь", "Мария", "Ивановна", "F"), "Гоголь Марии Ивановне"),
    # ALL CAPS keeps its case (pytrovich alone gives «ПЕТРОВой»)
    (("ПЕТРОВА", "МАРИЯ", "СЕРГЕЕВНА", "F"), "ПЕТРОВОЙ МАРИИ СЕРГЕЕВНЕ"),
    (("СИДОРОВ", "ИЛЬЯ", "ИЛЬИЧ", "M"), "СИДОРОВУ ИЛЬЕ ИЛЬИЧУ"),
    # patronymic particles stay as they are
    (("Мамедов", "Ильхам", "Гасан оглы", "M"), "Мамедову Ильхаму Гасан оглы"),
    (("Гусейнов", "Эльчин", "Рашид оглу", "M"), "Гусейнову Эльчину Рашид оглу"),
    (("Алиева", "Лейла", "Вагиф кызы", "F"), "Алиевой Лейле Вагиф кызы"),
    # double first names, with a space and with a hyphen; no patronymic
    (("Шмидт", "Мария Анна", "", "F"), "Шмидт Марии Анне"),
    (("Иванова", "Анна-Мария", "Петровна", "F"), "Ивановой Анне-Марии Петровне"),
    # male names in -а/-я, indeclinable surnames, adjectives, hyphenated surnames
    (("Никитин", "Никита", "Ильич", "M"), "Никитину Никите Ильичу"),
    (("Кузьмин", "Кузьма", "Фомич", "M"), "Кузьмину Кузьме Фомичу"),
    (("Черных", "Илья", "Саввич", "M"), "Черных Илье Саввичу"),
    (("Седых", "Ольга", "Петровна", "F"), "Седых Ольге Петровне"),
    (("Бондаренко", "Игорь", "Олегович", "M"), "Бондаренко Игорю Олеговичу"),
    (("Цой", "Виктор", "Робертович", "M"), "Цою Виктору Робертовичу"),
    (("Толстая", "Татьяна", "Никитична", "F"), "Толстой Татьяне Никитичне"),
    (("Римский-Корсаков", "Николай", "Андреевич", "M"), "Римскому-Корсакову Николаю Андреевичу"),
    # «ё» kept; soft-sign names
    (("Семёнова", "Алёна", "Фёдоровна", "F"), "Семёновой Алёне Фёдоровне"),
    (("Ильина", "Любовь", "Ильинична", "F"), "Ильиной Любови Ильиничне"),
]


@pytest.mark.parametrize(("parts", "expected"), HARD_NAMES, ids=[e for _p, e in HARD_NAMES])
def test_hard_names_in_the_dative(parts: tuple[str, str, str, str], expected: str) -> None:
    assert dative_name(*parts) == expected


def test_extra_spaces_are_collapsed() -> None:
    assert dative_name("  Иванова ", "Мария  ", " Сергеевна", "F") == "Ивановой Марии Сергеевне"


def test_words_agree_with_sex() -> None:
    she, he = agreement("F"), agreement("M")
    assert (she.pronoun, she.completed, she.took_part) == ("она", "прошла", "приняла")
    assert (he.pronoun, he.completed, he.took_part) == ("он", "прошёл", "принял")


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (1, "1 час"),
        (2, "2 часа"),
        (4, "4 часа"),
        (5, "5 часов"),
        (11, "11 часов"),
        (14, "14 часов"),
        (21, "21 час"),
        (22, "22 часа"),
        (36, "36 часов"),
        (101, "101 час"),
        (111, "111 часов"),
        (72.0, "72 часа"),
        (2.5, "2,5 часа"),
    ],
)
def test_hours_with_the_right_plural(hours: float, expected: str) -> None:
    assert hours_phrase(hours) == expected


def test_periods() -> None:
    assert (
        period_phrase(date(2026, 11, 10), date(2026, 12, 15)) == "с 10 ноября по 15 декабря 2026 г."
    )
    assert (
        period_phrase(date(2025, 9, 1), date(2026, 5, 31))
        == "с 1 сентября 2025 г. по 31 мая 2026 г."
    )
    assert period_phrase(None, None) == ""


def test_signature_names() -> None:
    assert initials_name("Кузнецова Анна Викторовна") == "А.В. Кузнецова"
    assert initials_name("Кузнецова Анна Викторовна", "full") == "Анна Кузнецова"
    assert initials_name("Мамедов Ильхам Гасан оглы") == "И.Г. Мамедов"
    assert initials_name("Шмидт Мария") == "М. Шмидт"
