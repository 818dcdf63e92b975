"""`stazhirovka users …` and `--user`: a database with accounts is used only after a login, and
the role limits what each command may do (shared/CLI.md)."""

from __future__ import annotations

import io

import pytest

from stazhirovka.cli import main


@pytest.fixture
def url(tmp_path):  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'база.db'}"


def _run(monkeypatch, capsys, *argv: str, password: str | None = None) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    if password is None:
        monkeypatch.delenv("STAZHIROVKA_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("STAZHIROVKA_PASSWORD", password)
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_accounts_from_the_command_line(url, monkeypatch, capsys, tmp_path):  # type: ignore[no-untyped-def]
    code, out, _ = _run(monkeypatch, capsys, "users", "list", "--db", url)
    assert code == 0 and "Учётных записей нет" in out
    # the first account, on a database without any, needs no login; the password from stdin
    monkeypatch.setattr("sys.stdin", io.StringIO("пароль-админа\n"))
    code, out, _ = _run(
        monkeypatch, capsys, "users", "add", "admin", "--role", "admin", "--db", url
    )
    assert code == 0 and "добавлена" in out
    # a local file with one account opens as that account: no login yet
    code, out, _ = _run(monkeypatch, capsys, "users", "add", "coord", "--role", "coordinator",
                        "--db", url, password="пароль-админа")  # fmt: skip
    assert code == 0
    # two accounts: from now on every command logs in
    code, _, err = _run(monkeypatch, capsys, "users", "list", "--db", url)
    assert code == 1 and "укажите --user" in err
    code, _, err = _run(monkeypatch, capsys, "users", "list", "--db", url, "--user", "admin",
                        password="не тот")  # fmt: skip
    assert code == 1 and "Неверный логин или пароль" in err
    code, out, _ = _run(monkeypatch, capsys, "users", "list", "--db", url, "--user", "admin",
                        password="пароль-админа")  # fmt: skip
    assert "admin\tадминистратор" in out and "coord\tкоординатор" in out
    # the coordinator's password equals the admin's here (taken from the same variable)
    code, _, err = _run(monkeypatch, capsys, "users", "add", "xx", "--role", "admin", "--db", url,
                        "--user", "coord", password="пароль-админа")  # fmt: skip
    assert code == 1 and "роль «координатор» не позволяет" in err
    code, _, err = _run(monkeypatch, capsys, "backup", str(tmp_path / "копия.db"), "--db", url,
                        "--user", "coord", password="пароль-админа")  # fmt: skip
    assert code == 1 and "не позволяет делать резервные копии" in err
    code, out, _ = _run(monkeypatch, capsys, "export", "persons", str(tmp_path / "п.xlsx"),
                        "--db", url, "--user", "coord", password="пароль-админа")  # fmt: skip
    assert code == 0
    code, out, _ = _run(monkeypatch, capsys, "users", "disable", "coord", "--db", url,
                        "--user", "admin", password="пароль-админа")  # fmt: skip
    assert code == 0 and "отключена" in out
    code, _, err = _run(monkeypatch, capsys, "users", "list", "--db", url, "--user", "coord",
                        password="пароль-админа")  # fmt: skip
    assert code == 1 and "отключена" in err


@pytest.mark.postgres
def test_init_of_a_shared_server_creates_the_administrator(new_url, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    url = new_url("postgresql")  # an empty database, as the IT person makes it
    code, out, _ = _run(monkeypatch, capsys, "init", "--db", url, password="пароль-админа")
    assert code == 0 and "Создана учётная запись администратора «admin»" in out
    code, out, _ = _run(monkeypatch, capsys, "init", "--db", url)  # again: nothing new
    assert code == 0 and "Создана" not in out
    code, _, err = _run(monkeypatch, capsys, "export", "persons", "/tmp/x.xlsx", "--db", url)
    assert code == 1 and "укажите --user" in err
    code, out, _ = _run(monkeypatch, capsys, "users", "list", "--db", url, "--user", "admin",
                        password="пароль-админа")  # fmt: skip
    assert code == 0 and "admin\tадминистратор" in out
