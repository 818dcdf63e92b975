"""Shared by the benchmarks: the demo database of a scale, generated once and reused."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from stazhirovka.db import open_database

OUT = Path(__file__).parent / "out"


def demo_database(scale: str, path: Path | None = None) -> Path:
    """bench/out/<scale>.db (or ``path``), filled with the demo of ``scale`` if empty."""
    path = path or OUT / f"{scale}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            empty = s.execute(text("SELECT count(*) FROM person")).scalar() == 0
        if empty:
            from stazhirovka.demo import generate

            started = time.perf_counter()
            with db.session() as s:
                generate(s, scale=scale, seed=1)
            db.analyze()  # as `stazhirovka demo` does
            print(f"generated the {scale} demo in {time.perf_counter() - started:.1f} s → {path}")
    finally:
        db.close()
    return path
