"""Each headless module imports in a fresh interpreter without pulling in the terminal stack,
and the app's start path never loads the service stack.

import-linter checks the static imports (`uv run lint-imports`); this checks what really lands in
`sys.modules`, which also catches imports done at run time by a dependency.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import inge_tui

HEADLESS_PACKAGES = ("inge_tui.domain", "inge_tui.api", "inge_tui.server")


def _modules_of(package: str) -> list[str]:
    module = __import__(package, fromlist=["__path__"])
    names = [package]
    for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
        names.append(info.name)
    return names


def _loaded_after_import(module: str, probes: tuple[str, ...]) -> list[str]:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(','.join(p for p in {probes!r} if p in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return [name for name in result.stdout.strip().split(",") if name]


@pytest.mark.parametrize(
    "module", [m for package in HEADLESS_PACKAGES for m in _modules_of(package)]
)
def test_headless_module_does_not_load_textual(module: str) -> None:
    # Only Textual: httpx itself imports rich for its own command line, which is harmless here.
    assert _loaded_after_import(module, ("textual",)) == []


@pytest.mark.parametrize("module", ["inge_tui", "inge_tui.domain", "inge_tui.cli"])
def test_light_modules_load_nothing_heavy(module: str) -> None:
    heavy = ("textual", "fastapi", "sqlalchemy", "uvicorn", "fpdf", "pydantic", "httpx")
    assert _loaded_after_import(module, heavy) == []


def test_package_root_is_version_only() -> None:
    assert inge_tui.__version__


def import_cycles(package: str = "inge_tui") -> list[list[str]]:
    """Groups of modules of `package` that import each other, directly or round about (every
    import counts, also those inside functions and under TYPE_CHECKING)."""
    import grimp

    graph = grimp.build_graph(package, include_external_packages=False)
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return cycles


def test_no_import_cycle_anywhere() -> None:
    """A newcomer reads the package top-down: no two modules need each other."""
    assert import_cycles() == []
