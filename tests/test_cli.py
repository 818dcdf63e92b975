"""The command line: version, init, backup and restore, errors in Russian without tracebacks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stazhirovka import __version__
from stazhirovka.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stazhirovka", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"Стажировка {__version__}"


def test_init_creates_the_default_database_in_the_user_folder(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    out = run("init", env=env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "data" / "stazhirovka" / "stazhirovka.db").is_file()


def test_db_comes_from_the_environment_or_the_option(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STAZHIROVKA_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["init"]) == 0
    assert (tmp_path / "env.db").is_file()
    assert main(["--db", f"sqlite:///{tmp_path / 'opt.db'}", "init"]) == 0
    assert main(["init", "--db", f"sqlite:///{tmp_path / 'sub.db'}"]) == 0
    assert (tmp_path / "opt.db").is_file() and (tmp_path / "sub.db").is_file()


def test_backup_and_restore_round_trip(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'main.db'}"
    assert main(["init", "--db", db]) == 0
    conn = sqlite3.connect(tmp_path / "main.db")
    conn.execute("UPDATE competency SET name = 'Изменённое название' WHERE code = 'METH'")
    conn.commit()
    assert main(["backup", str(tmp_path / "copy.db"), "--db", db]) == 0
    conn.execute("DELETE FROM position")
    conn.commit()
    conn.close()
    assert main(["restore", str(tmp_path / "copy.db"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "База данных восстановлена" in out and "Прежняя база сохранена" in out
    conn = sqlite3.connect(tmp_path / "main.db")
    assert conn.execute("SELECT count(*) FROM position").fetchone()[0] > 30
    assert (
        conn.execute("SELECT name FROM competency WHERE code = 'METH'").fetchone()[0]
        == "Изменённое название"
    )
    conn.close()


def test_backup_while_another_connection_writes(tmp_path):
    db = f"sqlite:///{tmp_path / 'busy.db'}"
    assert main(["init", "--db", db]) == 0
    writer = sqlite3.connect(tmp_path / "busy.db")
    writer.execute("BEGIN")
    writer.execute("UPDATE competency SET sort_order = 99")  # uncommitted
    assert main(["backup", str(tmp_path / "copy.db"), "--db", db]) == 0
    writer.rollback()
    writer.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT max(sort_order) FROM competency").fetchone()[0] == 8
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_restore_refuses_a_newer_backup_and_a_stranger(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'main.db'}"
    assert main(["init", "--db", db]) == 0
    assert main(["backup", str(tmp_path / "copy.db"), "--db", db]) == 0
    conn = sqlite3.connect(tmp_path / "copy.db")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    assert main(["restore", str(tmp_path / "copy.db"), "--db", db]) == 1
    assert "более новой версией программы" in capsys.readouterr().err
    (tmp_path / "note.txt").write_text("не база", encoding="utf-8")
    assert main(["restore", str(tmp_path / "note.txt"), "--db", db]) == 1
    assert "не SQLite" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "absent.db"), "--db", db]) == 1
    assert "не найден" in capsys.readouterr().err


def test_errors_are_russian_and_without_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    out = run("init", "--db", f"sqlite:///{bad}")
    assert out.returncode == 1
    assert "Ошибка: Не удалось открыть базу данных (SQLite:" in out.stderr
    assert "Traceback" not in out.stderr
    out = run("init", "--db", "mysql://user@host/db")
    assert out.returncode == 1 and "не поддерживается" in out.stderr
    out = run("demo", "--scale", "galaxy")
    assert out.returncode == 2 and "недопустимое значение" in out.stderr


@pytest.mark.parametrize("args", [["backup"], ["restore"]])
def test_missing_arguments_are_named(args):
    out = run(*args)
    assert out.returncode == 2 and "не хватает аргументов" in out.stderr


def test_backup_of_postgresql_points_to_pg_dump(tmp_path, capsys, pg_server, new_url):
    url = new_url("postgresql")
    assert main(["backup", str(tmp_path / "x.db"), "--db", url]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert not Path(tmp_path / "x.db").exists()


def test_demo_fills_an_empty_database_once(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--db", db, "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "Демонстрационные данные записаны" in out and "стажировки: 100" in out
    assert main(["demo", "--db", db]) == 1
    assert "База данных не пуста" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [([], (None, False)), (["gui", "--demo"], (None, True)), (["--db", "sqlite://", "gui"], ("sqlite://", False))],
)  # fmt: skip
def test_without_a_command_the_window_opens(argv, expected, monkeypatch):
    opened: list[tuple[str | None, bool]] = []

    def run_gui(url: str | None = None, demo: bool = False) -> int:
        opened.append((url, demo))
        return 0

    monkeypatch.setattr("stazhirovka.ui.app.run_gui", run_gui)
    assert main(argv) == 0
    assert opened == [expected]
