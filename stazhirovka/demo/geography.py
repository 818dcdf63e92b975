"""Where the generated demo lives: the municipalities of Краснодарский край and beyond.

Pure data and small helpers for the region and nation scales. The district scale takes its
municipality from :mod:`stazhirovka.demo.world`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .people import translit

KUBAN = "Краснодарский край"


@dataclass(frozen=True)
class MunicipalitySpec:
    """A municipality to generate: its name, region, administrative centre and size weight."""

    name: str
    region: str
    centre: str
    weight: float
    phone_code: str  # the three digits after «(861)»: «+7 (861) 304-12-34»


# The 44 municipalities of Краснодарский край besides Тимашевский район, with their centres
# and a rough size weight (Тимашевский район = 1.0: about 40 organizations, 1,500 teachers).
_KUBAN: list[tuple[str, str, float]] = [
    ("г. Краснодар", "г. Краснодар", 12.0),
    ("г. Сочи", "г. Сочи", 5.0),
    ("г. Новороссийск", "г. Новороссийск", 3.5),
    ("г. Армавир", "г. Армавир", 2.0),
    ("г-к Анапа", "г. Анапа", 2.2),
    ("г-к Геленджик", "г. Геленджик", 1.1),
    ("г. Горячий Ключ", "г. Горячий Ключ", 0.7),
    ("Абинский район", "г. Абинск", 1.0),
    ("Апшеронский район", "г. Апшеронск", 0.9),
    ("Белоглинский район", "с. Белая Глина", 0.4),
    ("Белореченский район", "г. Белореченск", 1.2),
    ("Брюховецкий район", "ст. Брюховецкая", 0.7),
    ("Выселковский район", "ст. Выселки", 0.8),
    ("Гулькевичский район", "г. Гулькевичи", 1.0),
    ("Динской район", "ст. Динская", 1.5),
    ("Ейский район", "г. Ейск", 1.3),
    ("Кавказский район", "ст. Кавказская", 1.4),
    ("Калининский район", "ст. Калининская", 0.7),
    ("Каневской район", "ст. Каневская", 1.0),
    ("Кореновский район", "г. Кореновск", 1.0),
    ("Красноармейский район", "ст. Полтавская", 1.0),
    ("Крыловский район", "ст. Крыловская", 0.5),
    ("Крымский район", "г. Крымск", 1.3),
    ("Курганинский район", "г. Курганинск", 1.0),
    ("Кущёвский район", "ст. Кущёвская", 0.8),
    ("Лабинский район", "г. Лабинск", 1.0),
    ("Ленинградский район", "ст. Ленинградская", 0.8),
    ("Мостовский район", "пгт Мостовской", 0.8),
    ("Новокубанский район", "г. Новокубанск", 0.9),
    ("Новопокровский район", "ст. Новопокровская", 0.6),
    ("Отрадненский район", "ст. Отрадная", 0.7),
    ("Павловский район", "ст. Павловская", 0.8),
    ("Приморско-Ахтарский район", "г. Приморско-Ахтарск", 0.7),
    ("Северский район", "ст. Северская", 1.3),
    ("Славянский район", "г. Славянск-на-Кубани", 1.4),
    ("Староминский район", "ст. Староминская", 0.5),
    ("Тбилисский район", "ст. Тбилисская", 0.6),
    ("Темрюкский район", "г. Темрюк", 1.3),
    ("Тихорецкий район", "г. Тихорецк", 1.2),
    ("Туапсинский район", "г. Туапсе", 1.0),
    ("Успенский район", "с. Успенское", 0.5),
    ("Усть-Лабинский район", "г. Усть-Лабинск", 1.0),
    ("Щербиновский район", "ст. Старощербиновская", 0.5),
]

# Regions of the nation scale after Краснодарский край, each with its capital.
_REGIONS: list[tuple[str, str]] = [
    ("Ростовская область", "г. Ростов-на-Дону"),
    ("Ставропольский край", "г. Ставрополь"),
    ("Республика Адыгея", "г. Майкоп"),
    ("Волгоградская область", "г. Волгоград"),
    ("Воронежская область", "г. Воронеж"),
    ("Белгородская область", "г. Белгород"),
    ("Астраханская область", "г. Астрахань"),
    ("Саратовская область", "г. Саратов"),
    ("Самарская область", "г. Самара"),
    ("Нижегородская область", "г. Нижний Новгород"),
    ("Свердловская область", "г. Екатеринбург"),
    ("Республика Татарстан", "г. Казань"),
    ("Республика Башкортостан", "г. Уфа"),
    ("Новосибирская область", "г. Новосибирск"),
    ("Челябинская область", "г. Челябинск"),
    ("Пермский край", "г. Пермь"),
    ("Омская область", "г. Омск"),
    ("Тюменская область", "г. Тюмень"),
    ("Оренбургская область", "г. Оренбург"),
]

MUNICIPALITIES_PER_REGION = 44


def _phone_code(index: int) -> str:
    return str(300 + (index * 37) % 600)


def kuban_municipalities() -> list[MunicipalitySpec]:
    """The other 43 municipalities of the region scale."""
    return [
        MunicipalitySpec(name, KUBAN, centre, weight, _phone_code(i + 1))
        for i, (name, centre, weight) in enumerate(_KUBAN)
    ]


def region_name(index: int) -> tuple[str, str]:
    """The name and capital of the ``index``-th region after Краснодарский край (0-based)."""
    if index < len(_REGIONS):
        return _REGIONS[index]
    n = index + 2
    return f"Регион № {n}", f"г. Административный центр № {n}"


def other_region_municipalities(index: int, weights: list[float]) -> list[MunicipalitySpec]:
    """A region of the nation scale: its capital city and numbered districts."""
    region, capital = region_name(index)
    specs = [MunicipalitySpec(capital, region, capital, weights[0], _phone_code(index * 50))]
    for k, weight in enumerate(weights[1:], 1):
        name = f"Муниципальный район № {k}"
        specs.append(
            MunicipalitySpec(name, region, f"с. Районное-{k}", weight, _phone_code(index * 50 + k))
        )
    return specs


def canonical_municipality(name: str) -> str:
    """«город-курорт Анапа» → «г-к Анапа», «город Краснодар» → «г. Краснодар»."""
    if name.startswith("город-курорт "):
        return "г-к " + name.removeprefix("город-курорт ")
    if name.startswith("город "):
        return "г. " + name.removeprefix("город ")
    return name


def official_municipality(name: str) -> str:
    """The form used inside full names: «муниципального образования город-курорт Анапа»."""
    if name.startswith("г-к "):
        return "город-курорт " + name.removeprefix("г-к ")
    if name.startswith("г. "):
        return "город " + name.removeprefix("г. ")
    return name


STREETS = [
    "Ленина", "Красная", "Мира", "Советская", "Октябрьская", "Школьная", "Садовая",
    "Пролетарская", "Комсомольская", "Гагарина", "Первомайская", "Пушкина", "Лермонтова",
    "Кирова", "Калинина", "Шевченко", "Северная", "Южная", "Молодёжная", "Набережная",
    "Российская", "Кубанская", "Степная", "Почтовая", "Интернациональная",
]  # fmt: skip


def municipality_domain(centre: str, region: str) -> str:
    """The mail domain of a municipality's schools: «school1@krymsk.kubannet.ru»."""
    if region == KUBAN:
        return f"{translit(centre.split(' ', 1)[-1].split('-')[0])[:12]}.kubannet.ru"
    # «с. Районное-5», Ростовская область → raionnoe5.rostovskaya.edu.ru
    return f"{translit(centre.split(' ', 1)[-1])[:14]}.{translit(region.split()[0])[:12]}.edu.ru"
