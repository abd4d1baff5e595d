"""The shape of the code that the import-linter contracts (pyproject.toml) do not check by themselves."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import grimp

import flows
from flows.conversation import route
from flows.core.engine import Flow

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "flows", "db", "scheduler", "messages_id")
#: ``flows.*`` imports allowed inside a function, only to keep a heavy library (matplotlib, bm25s) off
#: the import path of everything else: module -> the flows modules it imports lazily.
LAZY_FOR_LOAD_COST: dict[str, set[str]] = {}


def _cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    graph = grimp.build_graph(*PACKAGES)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = [stack.pop()]
            while group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_counting_imports_inside_functions() -> None:
    assert _cycles() == []


def _imports_inside_functions(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    found.add(inner.module)
                elif isinstance(inner, ast.Import):
                    found.update(alias.name for alias in inner.names)
    return {name for name in found if name == "flows" or name.startswith("flows.")}


def test_no_flows_import_inside_a_function_except_for_load_cost() -> None:
    late = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            names = _imports_inside_functions(path) - LAZY_FOR_LOAD_COST.get(module, set())
            if names:
                late[module] = sorted(names)
    assert late == {}


def test_the_flows_root_holds_at_most_six_modules() -> None:
    root = Path(flows.__file__).parent
    assert len(list(root.glob("*.py"))) <= 6


def _all_flows_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(flows.__path__, "flows.")]


def test_every_declared_flow_is_in_the_conversation() -> None:
    """A flow a feature declares but the conversation forgets would be unreachable: it must be listed."""
    declared = {}
    for name in _all_flows_modules():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if isinstance(value, Flow):
                declared[f"{name}.{attribute}"] = value
    listed = list(route.FLOWS.values())
    missing = [where for where, flow in declared.items() if not any(flow is known for known in listed)]
    assert missing == []
    assert all(name == flow.name for name, flow in route.FLOWS.items())
