"""Bad input at every door (issue 6): any value in any field of any service's form, and any
argument on the command line, gives a saved record or a clear Russian message — never a crash,
never half a record."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from stazhirovka.errors import UserError
from stazhirovka.services.crud import EntityService

from .test_access import _all_services

ODD = st.sampled_from([
    "'; DROP TABLE person; --", "../../etc/passwd", "C:\\Windows\\system32", "%", "_", "\\",
    "Ёжиков", "  ", "\x00", "𝔘𝔫𝔦", "1e309", "-1", "0", "31.02.2026", "2026-13-01", "да", "🙂",
    "9" * 40, "NaN", "<script>", "${HOME}",
])  # fmt: skip
VALUES = st.one_of(
    ODD, st.text(max_size=60), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(),
    st.dates().map(str),
)  # fmt: skip
SERVICES = sorted(
    (s for s in _all_services() if s.__dict__.get("fields") and hasattr(s, "model")),
    key=lambda s: s.__name__,
)


@pytest.mark.parametrize("service_class", SERVICES, ids=lambda s: s.__name__)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_value_in_any_field(session, service_class: type[EntityService], data) -> None:  # type: ignore[no-untyped-def]
    service = service_class()
    names = list(service.field_map())
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    values = {name: data.draw(VALUES) for name in chosen}
    model = service.model
    before = session.scalar(select(func.count()).select_from(model))
    savepoint = session.begin_nested()
    try:
        service.create(session, values)
    except UserError as exc:
        assert str(exc).strip()
        assert not any(word in str(exc) for word in ("Traceback", "sqlalchemy", "psycopg"))
        savepoint.rollback()
        assert session.scalar(select(func.count()).select_from(model)) == before
    else:
        savepoint.rollback()


CLI_TEXT = st.one_of(ODD, st.text(min_size=1, max_size=30).filter(lambda t: "\x00" not in t))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from([
    ["monitoring", "--from", "{x}", "--to", "2026-08-31", "{out}"],
    ["export", "{x}", "{out}"],
    ["export", "persons", "{out}", "--search", "{x}"],
    ["print", "journal", "{out}", "--id", "{x}"],
    ["certificates", "{out}", "--program", "{x}"],
    ["verify", "{x}"],
    ["import", "persons", "{x}", "--dry-run"],
    ["users", "add", "{x}", "--role", "coordinator"],
    ["consolidate", "{out}", "{x}"],
]), value=CLI_TEXT)  # fmt: skip
def test_any_argument_on_the_command_line(
    tmp_path_factory, capsys, monkeypatch, command, value
) -> None:  # type: ignore[no-untyped-def]
    import io

    from stazhirovka.cli import main

    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder / 'база.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("пароль-длинный\n"))
    argv = [a.replace("{x}", value).replace("{out}", str(folder / "out.xlsx")) for a in command]
    try:
        code = main([*argv, "--db", url])
    except SystemExit as exit_:  # argparse: a usage error, told in Russian
        code = exit_.code
    captured = capsys.readouterr()
    assert code in (0, 1, 2, 3), captured
    assert "Traceback" not in captured.err
    if code not in (0, 3):  # a refusal, or `verify`'s «не найден», said in Russian
        said = captured.err + captured.out
        assert any("а" <= ch <= "я" for ch in said.lower()), captured
