"""The package's layout: its folders are the pipeline's stages, and imports only point down the pipeline.

Read with `ast` from the installed package (every import counts, also those inside functions and under
TYPE_CHECKING): no import cycle between modules or between stages, each stage imports only the stages before
it (and the top-level modules), the top-level modules import no stage, and no module imports another
module's private (underscore) names or a private module of another package.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import filmgraph

#: The stages, in pipeline order: a stage may import the stages before it, never one after it.
STAGES = ("extract", "link", "graph", "store", "discover", "ingest", "service", "cli")
#: The modules at the top (`errors`, `config`, `models`, `vocab`, `resources`): any stage may use them.
TOP = "top"
#: Imports a stage may make of a later stage, each with its reason.
ALLOWED_UPWARD = {
    ("extract", "filmgraph.link.naming"): "readers compare names on the name keys linking uses",
}
#: Private names one module still takes from another, each to be made public or moved (keep this short).
KNOWN_PRIVATE: set[str] = set()


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module
    names: tuple[str, ...]  # names taken from it ("" for `import x` / a submodule taken by name)
    line: int


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and modules().get(".".join(parts[:2]), (None, False))[1]:
        return parts[1]  # a module of a subpackage, or the subpackage itself
    return TOP


@cache
def modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the installed package: name -> (file, is a package)."""
    root = Path(filmgraph.__file__).parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        parts = list(rel.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _target(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _walk(module: str) -> tuple[ast.Module, str]:
    path, is_package = modules()[module]
    return ast.parse(path.read_text(encoding="utf-8")), module if is_package else module.rsplit(".", 1)[0]


@cache
def imports() -> tuple[Import, ...]:
    known = modules()
    found = []
    for module in known:
        tree, package = _walk(module)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [Import(module, a.name, ("",), node.lineno) for a in node.names
                          if a.name.split(".")[0] == "filmgraph"]
            elif isinstance(node, ast.ImportFrom):
                target = _target(node, package)
                if target.split(".")[0] != "filmgraph":
                    continue
                taken = []
                for alias in node.names:
                    if f"{target}.{alias.name}" in known:  # a submodule taken by name
                        found.append(Import(module, f"{target}.{alias.name}", ("",), node.lineno))
                    else:
                        taken.append(alias.name)
                if taken:
                    found.append(Import(module, target, tuple(taken), node.lineno))
    return tuple(found)


def module_aliases(module: str) -> dict[str, str]:
    """The names by which `module` holds other filmgraph modules (`from . import commands as cli`: cli)."""
    tree, package = _walk(module)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases.update({a.asname: a.name for a in node.names if a.asname and a.name.startswith("filmgraph.")})
        elif isinstance(node, ast.ImportFrom):
            target = _target(node, package)
            aliases.update({a.asname or a.name: f"{target}.{a.name}" for a in node.names
                            if f"{target}.{a.name}" in modules()})
    return aliases


def edges() -> dict[str, set[str]]:
    """Module -> the modules importing it runs: the target and the packages above it (but not the importer's own)."""
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    for imp in imports():
        parts = imp.target.split(".")
        for n in range(2, len(parts) + 1):
            ancestor = ".".join(parts[:n])
            if ancestor in modules() and not (imp.importer + ".").startswith(ancestor + ".") \
                    and ancestor != imp.importer:
                graph[imp.importer].add(ancestor)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_folders_are_the_stages() -> None:
    found = {stage_of(m) for m in modules()} - {TOP}
    assert found == set(STAGES), f"a folder that is not a stage in STAGES (or a missing one): {found ^ set(STAGES)}"


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(edges())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_import_cycle_between_stages() -> None:
    graph: dict[str, set[str]] = {}
    for importer, targets in edges().items():
        graph.setdefault(stage_of(importer), set()).update(
            stage_of(t) for t in targets if stage_of(t) != stage_of(importer))
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between stages: " + " -> ".join(cycle or [])


def test_imports_point_down_the_pipeline() -> None:
    wrong = []
    for imp in imports():
        source, target = stage_of(imp.importer), stage_of(imp.target)
        if source == target or target == TOP:
            continue
        if source == TOP:
            wrong.append(f"{imp.importer}:{imp.line} imports {imp.target}: top-level modules import no stage")
        elif STAGES.index(target) > STAGES.index(source) and (source, imp.target) not in ALLOWED_UPWARD:
            wrong.append(f"{imp.importer}:{imp.line} imports {imp.target}, a later stage ({target} after {source})")
    assert not wrong, "\n".join(wrong)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_names_from_other_modules() -> None:
    wrong = []
    for imp in imports():
        if imp.target == imp.importer:
            continue
        wrong += [f"{imp.importer}:{imp.line} imports {imp.target}.{n}" for n in imp.names if _private(n)]
        parts = imp.target.split(".")
        for n, part in enumerate(parts):
            owner = ".".join(parts[:n])  # the package the private module belongs to
            if _private(part) and not imp.importer.startswith(owner + "."):
                wrong.append(f"{imp.importer}:{imp.line} imports {imp.target}, private to {owner}")
    assert not wrong, "\n".join(wrong)


def test_no_private_attributes_of_imported_modules() -> None:
    """`from . import commands as cli` then `cli._store(...)` reaches into another module just the same."""
    wrong = []
    for module in modules():
        aliases = module_aliases(module)
        for node in ast.walk(_walk(module)[0]):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in aliases and _private(node.attr):
                use = f"{module} uses {aliases[node.value.id]}.{node.attr}"
                if use not in KNOWN_PRIVATE:
                    wrong.append(f"{use} (line {node.lineno})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_is_documented(stage: str) -> None:
    assert modules()[f"filmgraph.{stage}"][1], f"{stage} is a package"
    assert ast.get_docstring(_walk(f"filmgraph.{stage}")[0]), f"{stage}/__init__.py says what the stage does"


def _owned_private_names(tree: ast.Module) -> set[str]:
    """The private attributes a module defines: set on `self`/`cls`, or named in one of its class bodies."""
    owned = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            owned.add(node.attr)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    owned.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    owned.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    owned.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return {name for name in owned if _private(name)}


def _private_use(node: ast.AST) -> str | None:
    """The private attribute `node` reads on something other than `self`/`cls` (`x._a`, `getattr(x, "_a")`)."""
    if isinstance(node, ast.Attribute) and _private(node.attr) \
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
        return node.attr
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in ("getattr", "hasattr", "setattr", "delattr") and len(node.args) > 1 \
            and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
            and _private(node.args[1].value):
        return node.args[1].value
    return None


def test_no_private_attributes_of_other_modules_objects() -> None:
    """`store._store` or `getattr(store, "_store")` on an object of a class another module defines reaches into
    that module as much as importing its private names does; a module may use the private attributes its own
    classes define."""
    wrong = []
    for module in modules():
        tree = _walk(module)[0]
        owned = _owned_private_names(tree)
        wrong += [f"{module}:{getattr(node, 'lineno', 0)} uses {ast.unparse(node)}" for node in ast.walk(tree)
                  if _private_use(node) not in (None, *owned)]
    assert not wrong, "\n".join(wrong)
