"""Files that appear whole or not at all: a failed or cancelled document leaves nothing
half-written behind (the target is replaced only after the writer finished)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# ``progress(done, total, text)``; it may raise to cancel (the window's Cancelled).
ProgressFn = Callable[[int, int, str], None]


def no_progress(_done: int, _total: int = 0, _text: str = "") -> None:
    """The progress callback of a caller that does not watch."""


@contextlib.contextmanager
def atomic_file(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
    os.close(fd)
    temp_path = Path(temp)
    try:
        yield temp_path
        os.replace(temp_path, target)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise


class StagedFiles:
    """Many files written into a hidden folder beside their destination, moved into place
    only by :meth:`publish`; :meth:`discard` (or an error) removes them all."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=".stazhirovka-", dir=self.folder))
        self.names: list[str] = []

    def path(self, name: str) -> Path:
        """A staged path for ``name`` (it replaces a file of that name on publishing); a name
        used twice in one batch gets « (2)», « (3)»…"""
        stem, suffix = os.path.splitext(name)
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{stem} ({n}){suffix}"
        self.names.append(candidate)
        return self.stage / candidate

    def publish(self) -> list[Path]:
        done = []
        try:
            for name in self.names:
                target = self.folder / name
                os.replace(self.stage / name, target)
                done.append(target)
        finally:
            shutil.rmtree(self.stage, ignore_errors=True)
        return done

    def discard(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *_: object) -> None:
        self.discard()  # whatever was not published (an error, a cancel) goes


_UNSAFE = str.maketrans({c: "_" for c in '<>:"/\\|?*\0'})


def safe_file_name(*parts: str, suffix: str = ".pdf", limit: int = 120) -> str:
    """«Иванова Мария Сергеевна СП-2026-0042.pdf»: readable, legal on Windows and Linux."""
    name = " ".join(p.strip() for p in parts if p and p.strip()).translate(_UNSAFE)
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .") or "документ"
    return name[:limit].rstrip(" .") + suffix
