"""Every CHECK constraint of the schema refuses what it names, on both databases.

Each case breaks one rule on an existing row with plain SQL (past the services) and expects
the database to refuse it by that constraint's name; a constraint dropped from the models or
the migrations makes its case fail. A last test checks that no constraint goes untested.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import CheckConstraint, text
from sqlalchemy.exc import DBAPIError

from stazhirovka.models import Base, CertificateKind
from stazhirovka.services.certificates import CertificateService
from stazhirovka.services.internships import JournalService, RouteService, RouteStepService
from stazhirovka.services.organizations import AgreementService
from stazhirovka.services.products import CommunityService, ProductService
from stazhirovka.services.users import UserService

from . import factories as f

CASES = {
    "ck_organization_staff_count_not_negative": "UPDATE organization SET staff_count = -1",
    "ck_network_agreement_valid_after_signed": "UPDATE network_agreement SET valid_until = '2000-01-01'",
    "ck_person_surname_not_empty": "UPDATE person SET surname = ''",
    "ck_person_name_not_empty": "UPDATE person SET name = ''",
    "ck_platform_active_dates_order": "UPDATE platform SET active_to = '2000-01-01'",
    "ck_program_duration_positive": "UPDATE program SET duration_months = 0",
    "ck_program_module_hours_theory_not_negative": "UPDATE program_module SET hours_theory = -1",
    "ck_program_module_hours_practice_not_negative": "UPDATE program_module SET hours_practice = -1",
    "ck_internship_planned_end_after_start": "UPDATE internship SET planned_end = '2000-01-01'",
    "ck_internship_actual_end_after_start": "UPDATE internship SET actual_end = '2000-01-01'",
    "ck_internship_hours_done_not_negative": "UPDATE internship SET hours_done = -1",
    "ck_internship_completed_has_end": "UPDATE internship SET actual_end = NULL",
    "ck_internship_withdrawn_has_reason": "UPDATE internship SET status = 'withdrawn', withdraw_reason = ''",
    "ck_route_step_hours_not_negative": "UPDATE route_step SET hours = -1",
    "ck_route_step_planned_dates_order": "UPDATE route_step SET planned_start = '2026-01-02', planned_end = '2026-01-01'",
    "ck_route_step_done_has_date": "UPDATE route_step SET status = 'done', done_on = NULL",
    "ck_journal_entry_hours_not_negative": "UPDATE journal_entry SET hours = -1",
    "ck_event_dates_order": "UPDATE event SET ends_on = '2000-01-01'",
    "ck_event_hours_not_negative": "UPDATE event SET hours = -1",
    "ck_event_plan_year_range": "UPDATE event SET plan_year = 1900",
    "ck_instrument_scale_order": "UPDATE instrument SET scale_max = scale_min",
    "ck_instrument_thresholds_order": "UPDATE instrument SET low_threshold = 90, high_threshold = 80",
    "ck_certificate_seq_positive": "UPDATE certificate SET seq = 0",
    "ck_certificate_duplicate_no_not_negative": "UPDATE certificate SET duplicate_no = -1",
    "ck_certificate_hours_not_negative": "UPDATE certificate SET hours = -1",
    "ck_certificate_basis_matches_kind": "UPDATE certificate SET internship_id = NULL",
    "ck_certificate_cancelled_has_date": "UPDATE certificate SET status = 'cancelled', cancelled_on = NULL",
    "ck_product_year_range": "UPDATE product SET year = 1812",
    "ck_community_stage_range": "UPDATE community SET stage = 5",
    "ck_app_user_login_not_empty": "UPDATE app_user SET login = ''",
    "ck_monitoring_indicator_code_not_empty": "UPDATE monitoring_indicator SET code = ''",
}


@pytest.fixture
def world(session):
    """One row in every table the cases touch."""
    intern = f.completed_internship(session)
    route = RouteService().create(session, {"internship_id": intern.id})
    RouteStepService().create(
        session, {"route_id": route.id, "kind": "mentoring", "title": "Консультация"}
    )
    JournalService().create(
        session,
        {
            "internship_id": intern.id,
            "entry_date": "02.09.2025",
            "activity": "консультация",
            "topic": "План",
        },
    )
    partner = f.org(session, "КубГУ", kind="university", staff_count=10)
    AgreementService().create(
        session, {"organization_id": partner.id, "number": "1", "signed_on": "01.09.2021"}
    )
    f.event(session, ends_on="16.10.2025", plan_year=2025)
    CertificateService().issue(
        session,
        kind=CertificateKind.INTERNSHIP,
        person_id=intern.person_id,
        internship_id=intern.id,
        issued_on=date(2026, 6, 1),
    )
    ProductService().create(session, {"title": "Сборник", "kind": "сборник", "year": 2022})
    CommunityService().create(session, {"name": "ПОС", "stage": 2})
    UserService().add(session, {"login": "metod", "role": "admin"}, "надёжный пароль")
    session.execute(text("UPDATE program SET duration_months = 12"))
    session.flush()
    return session


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_constraint_refuses(world, name):
    with pytest.raises(DBAPIError) as err, world.begin_nested():
        world.execute(text(CASES[name]))
    assert name in str(err.value.orig)


# Enum columns carry a CHECK of their allowed values; those are exercised in test_constraints.
ENUM_CHECKS = {
    "org_kind",
    "sex",
    "platform_kind",
    "platform_status",
    "internship_status",
    "step_kind",
    "step_status",
    "participant_role",
    "instrument_kind",
    "assessment_stage",
    "assessor",
    "certificate_kind",
    "certificate_status",
    "user_role",
}


def test_every_check_constraint_has_a_case():
    untested = set()
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            name = str(constraint.name)
            if name not in CASES and name.removeprefix(f"ck_{table.name}_") not in ENUM_CHECKS:
                untested.add(name)
    assert untested == set()
