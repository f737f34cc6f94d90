"""anjian.standards is pure: no Django, no other anjian app, no clock, no I/O beyond its own data files."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import anjian.standards

PACKAGE_DIR = Path(anjian.standards.__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent.parent

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(anjian.standards.__path__, prefix="anjian.standards.")
    if ".tests" not in name
)

_PROBE = """
import importlib, json, sys
sys.path.insert(0, sys.argv[2])
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def test_every_module_imports_without_django_or_other_apps() -> None:
    assert "anjian.standards.gb18218" in MODULES and "anjian.standards.uscc" in MODULES
    completed = subprocess.run(  # noqa: S603 - runs this interpreter on the package's own module names
        [sys.executable, "-I", "-c", _PROBE, json.dumps(MODULES), str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    loaded = json.loads(completed.stdout)
    assert not [name for name in loaded if name == "django" or name.startswith("django.")]
    foreign = [
        name
        for name in loaded
        if name.startswith("anjian.") and not (name == "anjian.standards" or name.startswith("anjian.standards."))
    ]
    assert foreign == []


# Calls that would read the clock, the environment or files other than the package's data. (The time module
# itself may not be imported, so a bare time() is datetime.time, a constructor.)
_FORBIDDEN_CALLS = {"now", "utcnow", "today", "open", "getenv", "urlopen", "system"}
_FORBIDDEN_IMPORTS = {"os", "time", "socket", "urllib", "requests", "django", "random", "subprocess", "pathlib"}


def _sources() -> list[Path]:
    return sorted(path for path in PACKAGE_DIR.glob("*.py"))


def test_no_clock_no_environment_no_stray_io() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in _FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {name}()"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in _FORBIDDEN_IMPORTS, f"{path.name} imports {alias.name}"
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in _FORBIDDEN_IMPORTS, f"{path.name} imports {node.module}"
                if node.module.startswith("anjian"):
                    assert node.module.startswith("anjian.standards"), f"{path.name} imports {node.module}"


def test_data_files_ship_inside_the_package() -> None:
    data = PACKAGE_DIR / "data"
    assert {path.name for path in data.iterdir()} >= {
        "gb18218_critical_quantities.csv",
        "gb18218_correction_factors.csv",
        "SOURCES.md",
    }
