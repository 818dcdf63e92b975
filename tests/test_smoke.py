from sqlalchemy import func, select

from stazhirovka.models import Position


def test_reference_lists_are_seeded(session):
    assert session.scalar(select(func.count()).select_from(Position)) > 30
