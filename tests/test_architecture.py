"""The core stays free of Qt, so the command line and the reports run without a screen."""

import subprocess
import sys


def test_core_imports_no_qt():
    code = (
        "import sys, stazhirovka.models, stazhirovka.services.registries, stazhirovka.services.crud, "
        "stazhirovka.db, stazhirovka.cli, stazhirovka.demo, stazhirovka.reports; "
        "import stazhirovka.services.internships, stazhirovka.services.diagnostics, stazhirovka.services.certificates; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_resources_are_found_through_the_package():
    from importlib.resources import files

    assert files("stazhirovka.resources").joinpath("reference", "lists.json").is_file()
