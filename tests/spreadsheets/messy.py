"""Builders of workbooks the way districts really fill them (openpyxl): a merged title over
the table, a blank line under it, a «№ п/п» column, stray spaces, CAPS LOCK, dates as dates,
as text with «г.» and as bare Excel serials, repeated people, broken rows, a totals row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

# Valid СНИЛС numbers (checksum right); the last digit changed makes them invalid.
SNILS = ("112-233-445 95", "11223344696", "112 233 447 97", "11223344898")
BAD_SNILS = "112-233-445 96"


def workbook(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    titles: Sequence[str] = (),
    blank_after_title: bool = True,
    totals: str | None = None,
    sheet_title: str = "Лист1",
) -> Path:
    """A sheet with merged ``titles`` rows, a blank row, the header, then ``rows`` (a row of
    ``None`` stays blank) and an optional totals row."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    width = len(headers)
    for title in titles:
        sheet.append([title])
        r = sheet.max_row
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    if titles and blank_after_title:
        sheet.append([])
        sheet.cell(row=sheet.max_row + 1, column=1)  # keep the blank line in place
    sheet.append(list(headers))
    for row in rows:
        if row is None:
            sheet.append([None])
            continue
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date | datetime):
                cell.number_format = "DD.MM.YYYY"
    if totals:
        sheet.append([None, f"{totals}: {len([r for r in rows if r])}"])
    book.save(path)
    return path


PERSON_HEADERS = (
    "№ п/п",
    "Ф.И.О. педагога",
    "Место работы (ОО)",
    "Должность",
    "Дата начала пед. деятельности",
    "Квалификационная категория",
    "СНИЛС",
    "Телефон",
    "E-mail",
    "Примечание",
)


def persons_workbook(path: Path) -> Path:
    """Twelve data rows, as a district keeps its register of teachers:

    data in rows 5–17 (title in 1–2, blank 3, header 4), a blank line at 10, «Итого» at 18.
    Expected: 7 to create (one with ё kept, one from a serial date, one from «г.» text),
    2 duplicates within the file (same СНИЛС; same ФИО + organization in another case and
    spelling of «№»), 3 rejected (no name; a date that is not a date; no sex determinable).
    Warnings: an invalid СНИЛС and an invalid e-mail dropped.
    """
    rows: list[Any] = [
        (1, "Иванова Мария Петровна", "МБОУ СОШ № 2", "учитель математики",
         date(2015, 9, 1), "высшая", SNILS[0], "+7 918 000-00-01", "ivanova@school2.ru", ""),
        (2, "  ПЕТРОВ   Сергей  иванович ", "МБОУ СОШ №2", "Учитель физики",
         "01.09.2022 г.", "первая", "", "", "PETROV@MAIL.RU ", ""),
        (3, "Семёнова Алёна Викторовна", "МБДОУ д/с № 5 «Солнышко»", "воспитатель",
         44805, "", SNILS[1], "", "", "дата числом"),
        (4, "Кузнецова Ольга Андреевна", "МБОУ СОШ № 2", "завуч по всему",
         "2010-09-01", "", BAD_SNILS, "", "kuznetsova@", ""),
        (5, "", "МБОУ СОШ № 2", "учитель", "01.09.2020", "", "", "", "", "нет ФИО"),
        None,
        (6, "Иванова Мария Петровна", "МБОУ СОШ № 3", "учитель", "31.02.2020", "", "",
         "", "", "такой даты нет"),
        (7, "иванова мария петровна", "мбоу сош №2", "учитель математики", "", "", "", "",
         "", "повтор строки 5 по ФИО и ОО"),
        (8, "Сидоренко Ким", "МБОУ СОШ № 2", "учитель", "", "", "", "", "", "пол неясен"),
        (9, "Морозов Алексей Николаевич", "МБОУ Гимназия № 1", "учитель истории",
         datetime(2024, 9, 2), "", "112 233 445 95", "", "", "повтор СНИЛС строки 5"),
        (10, "Мамедов Эльчин Ахмед оглы", "МБОУ Гимназия № 1", "учитель",
         "02.09.2019", "", SNILS[2], "", "", ""),
        (11, "Лебедева Анна Сергеевна", "", "учитель начальных классов", "", "", "", "", "",
         "без места работы"),
        (12, "Ёлкина Дарья Олеговна", "МАУ ДО ДДТ", "педагог дополнительного образования",
         "", "", "", "", "", ""),
    ]  # fmt: skip
    return workbook(
        path,
        PERSON_HEADERS,
        rows,
        titles=("Реестр педагогических работников", "Тимашевский район, на 01.09.2026"),
        totals="Итого",
    )


ORG_HEADERS = ("№", "Полное наименование ОО", "Краткое наименование", "Адрес",
               "Руководитель", "Телефон", "Эл. почта", "Кол-во пед. работников")  # fmt: skip


def organizations_workbook(path: Path) -> Path:
    """Seven data rows under a title: 4 to create, 1 duplicate of a file row («№2»/«№ 2»),
    1 duplicate of a database record («МБОУ СОШ № 1»), 1 rejected (staff count not a number)."""
    rows: list[Any] = [
        (1, "Муниципальное бюджетное общеобразовательное учреждение средняя "
         "общеобразовательная школа № 2", "МБОУ СОШ №2", "ул. Ленина, 1", "ПЕТРОВА анна ивановна",
         "8(86130)4-00-02", "school2@edu.ru", 54),
        (2, "Муниципальное бюджетное дошкольное образовательное учреждение детский сад № 5",
         "МБДОУ д/с № 5", "", "", "", "not-an-email", 21),
        (3, "Муниципальное автономное учреждение дополнительного образования "
         "Дом детского творчества", "МАУ ДО ДДТ", "", "", "", "", ""),
        (4, "  ", "мбоу   сош № 2", "", "", "", "", ""),
        (5, "Муниципальное бюджетное общеобразовательное учреждение СОШ № 1", "МБОУ СОШ № 1",
         "", "", "", "", 40),
        (6, "Муниципальное бюджетное общеобразовательное учреждение СОШ № 7", "МБОУ СОШ № 7",
         "", "", "", "", "много"),
        (7, "Техникум отраслевой", "ГБПОУ КТТ", "", "", "", "", 70.0),
    ]  # fmt: skip
    return workbook(path, ORG_HEADERS, rows, titles=("Сеть образовательных организаций",),
                    totals="Всего")  # fmt: skip


INTERNSHIP_HEADERS = ("№", "ФИО стажёра", "Место работы", "Должность", "Стажировочная площадка",
                      "Название программы", "Наставник (педагог-мастер)", "Дата начала",
                      "Дата окончания", "Статус", "Кол-во часов")  # fmt: skip
METHODICAL = "Формирование методических компетенций педагогов"


def internships_workbook(path: Path) -> Path:
    """Seven data rows (header in row 3 under a title and a blank line, «Итого» at 11),
    against a database holding the platform at «МБОУ СОШ № 5», its program «Формирование
    методических компетенций педагогов» and its teacher-master Козлова Анна Викторовна:
    3 to create, 1 duplicate (row 6 repeats row 4), 3 rejected (7: an unknown program and no
    platform; 8: a start that is not a date; 9: withdrawn, no reason kept)."""
    rows: list[Any] = [
        (1, "Иванова Мария Петровна", "МБОУ СОШ № 2", "учитель математики", "МБОУ СОШ № 5",
         METHODICAL, "Козлова Анна Викторовна", "01.09.2026", "31.12.2026", "идёт", ""),
        (2, "ПЕТРОВ Сергей Иванович", "МБОУ СОШ №2", "учитель физики", "МБОУ Лицей № 3",
         "ИКТ-компетенции", "Смирнова Ольга Павловна", "15.01.2026 г.", "15.05.2026",
         "завершена", 36),
        (3, "иванова мария петровна", "мбоу сош № 2", "", "", METHODICAL.lower(), "",
         "01.09.2026", "", "", ""),
        (4, "Сидоров Павел Андреевич", "МБОУ СОШ № 2", "", "", "Несуществующая программа", "",
         "01.09.2026", "", "", ""),
        (5, "Орлова Ирина Сергеевна", "МБОУ СОШ № 2", "", "МБОУ СОШ № 5", METHODICAL, "",
         "вчера", "", "", ""),
        (6, "Кузьмина Елена Игоревна", "МАОУ СОШ № 7", "", "МБОУ Лицей № 3", "ИКТ-компетенции",
         "", "01.02.2026", "", "отчислена", ""),
        (7, "Новикова Дарья Сергеевна", "МБОУ СОШ № 2", "", "МБОУ Лицей № 3",
         "ИКТ-компетенции", "Смирнова Ольга Павловна", date(2026, 9, 1), None, "", None),
    ]  # fmt: skip
    return workbook(path, INTERNSHIP_HEADERS, rows, titles=("Стажёры 2026 года",),
                    totals="Итого")  # fmt: skip
