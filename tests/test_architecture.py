"""The core stays free of Qt, so the command line and the reports run without a screen."""

import subprocess
import sys


def test_core_imports_no_qt():
    # every module of the services and the reports (documents included), the CLI and the demo
    code = (
        "import sys, pkgutil, importlib, stazhirovka.models, stazhirovka.db, stazhirovka.cli, "
        "stazhirovka.cli_documents, stazhirovka.demo, stazhirovka.grammar, "
        "stazhirovka.services, stazhirovka.reports\n"
        "for package in (stazhirovka.services, stazhirovka.reports):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "assert 'stazhirovka.reports.pdf.doc_certificates' in sys.modules\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_resources_are_found_through_the_package():
    from importlib.resources import files

    assert files("stazhirovka.resources").joinpath("reference", "lists.json").is_file()


def test_building_the_command_line_imports_no_database_or_document_library():
    # every start of the program (the window too) builds the parser first
    code = (
        "import sys; from stazhirovka.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('sqlalchemy', 'reportlab', 'xlsxwriter', 'python_calamine', "
        "'openpyxl', 'PySide6') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_import_kinds_of_the_command_line_are_the_importer_s():
    from stazhirovka.cli_spreadsheets import IMPORT_KINDS
    from stazhirovka.services.imports.columns import KINDS

    assert set(IMPORT_KINDS) == set(KINDS)
