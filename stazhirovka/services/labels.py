"""Russian names of tables, enum values and constraints — one place for the UI, CLI and reports."""

from __future__ import annotations

# What refers to a record, as it is listed in a refusal to delete («… ссылаются сертификаты (2)»).
TABLE_DEPENDENTS: dict[str, str] = {
    "municipality": "муниципалитеты",
    "organization": "организации",
    "network_agreement": "соглашения о сетевом взаимодействии",
    "person": "педагоги",
    "platform": "площадки",
    "platform_competency": "направления площадок",
    "teacher_master": "педагоги-мастера",
    "program": "программы",
    "program_module": "модули программ",
    "program_competency": "направления программ",
    "internship": "стажировки",
    "route": "маршруты (ИОМ)",
    "route_member": "участники групповых маршрутов",
    "route_step": "шаги маршрутов",
    "journal_entry": "записи журналов",
    "instrument": "диагностические методики",
    "indicator": "показатели методик",
    "assessment": "диагностики",
    "score": "оценки диагностик",
    "event": "мероприятия",
    "participation": "участия в мероприятиях",
    "certificate": "выданные сертификаты",
    "product": "методические продукты",
    "product_author": "авторства методических продуктов",
    "community": "сообщества",
    "community_member": "участия в сообществах",
    "community_meeting": "заседания сообществ",
    "app_user": "учётные записи",
    "user_platform": "доступы пользователей к площадкам",
    "competency": "компетенции",
    "position": "должности",
    "qualification_category": "категории",
    "event_form": "формы мероприятий",
    "event_level": "уровни мероприятий",
    "district_profile": "сведения о районе",
    "monitoring_indicator": "показатели мониторинга",
    "signing_key": "ключи подписи сертификатов",
}

# Constraint names (see the models) → what to tell the user when the database refuses.
CONSTRAINT_MESSAGES: dict[str, str] = {
    "uq_person_snils": "Педагог с таким СНИЛС уже есть.",
    "uq_app_user_login": "Такой логин уже занят.",
    "uq_certificate_number": "Сертификат с таким номером уже есть.",
    "uq_teacher_master_platform_id": "Этот педагог уже педагог-мастер этой площадки.",
    "uq_program_module_program_id": "В программе уже есть модуль с таким номером.",
    "uq_route_step_route_id": "В маршруте уже есть шаг с таким номером.",
    "uq_participation_event_id": "Этот педагог уже записан на мероприятие в этой роли.",
    "score outside the instrument scale": "Оценка выходит за пределы шкалы методики.",
    "dates_order": "Дата окончания раньше даты начала.",
    "after_start": "Дата окончания раньше даты начала.",
    "not_negative": "Число часов не может быть отрицательным.",
}

ORG_KIND = {
    "school": "общеобразовательная организация",
    "kindergarten": "дошкольная образовательная организация",
    "additional": "организация дополнительного образования",
    "college": "профессиональная образовательная организация",
    "university": "вуз",
    "institute": "институт развития образования",
    "methodical_service": "методическая служба",
    "partner": "другой партнёр",
}

SEX = {"M": "мужской", "F": "женский"}

PLATFORM_KIND = {
    "internship": "стажировочная",
    "support": "опорная",
    "municipal_innovation": "муниципальная инновационная",
    "regional_innovation": "краевая инновационная",
}

PLATFORM_STATUS = {"active": "действует", "suspended": "приостановлена", "closed": "закрыта"}

INTERNSHIP_STATUS = {
    "planned": "запланирована",
    "active": "идёт",
    "completed": "завершена",
    "withdrawn": "прекращена",
}

STEP_KIND = {
    "module": "модуль программы",
    "self_study": "самообразование",
    "event": "мероприятие",
    "open_lesson": "открытый урок",
    "mentoring": "консультация наставника",
    "product": "методический продукт",
    "course": "курсы повышения квалификации",
}

STEP_STATUS = {
    "planned": "запланирован",
    "done": "выполнен",
    "dropped": "исключён",
    "overdue": "просрочен",
}

STAGE = {"entry": "входная", "interim": "промежуточная", "exit": "итоговая"}
ASSESSOR = {"self": "самооценка", "mentor": "педагог-мастер", "expert": "эксперт"}
INSTRUMENT_KIND = {
    "self_assessment": "самодиагностика",
    "questionnaire": "анкета",
    "observation": "лист наблюдения",
}
LEVEL = {"low": "низкий", "medium": "средний", "high": "высокий"}

PARTICIPANT_ROLE = {
    "listener": "слушатель",
    "speaker": "выступающий",
    "host": "ведущий",
    "organizer": "организатор",
}

CERTIFICATE_KIND = {
    "internship": "сертификат о прохождении стажировки",
    "participation": "сертификат участника",
    "speaker": "сертификат выступающего",
    "thanks": "благодарность педагогу-мастеру",
}
CERTIFICATE_STATUS = {"issued": "выдан", "cancelled": "аннулирован"}

ROLE = {
    "admin": "администратор",
    "methodologist": "методист",
    "platform-head": "руководитель площадки",
    "coordinator": "координатор",
}

PRODUCT_KINDS = (
    "пособие",
    "сборник",
    "статья",
    "методические рекомендации",
    "программа",
    "диагностический комплекс",
    "дорожная карта",
)

JOURNAL_ACTIVITIES = (
    "теоретическое занятие",
    "мастер-класс",
    "посещение урока",
    "проведение урока",
    "консультация",
    "практикум",
    "самостоятельная работа",
    "защита продукта",
)
