"""The numbers the house holds, measured from the source: `python -m tests.architecture.house`.

- import circles among the app's modules, counting imports inside functions and a submodule's import of
  its own package (Python runs the package first either way, so that is a circle too);
- the modules of every package folder (its `__init__.py` included);
- the modules loose at the top of `cafe/`;
- the longest module.
"""
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("cafe", "nlp")
LIMITS = {"circles": 0, "package_modules": 12, "top_modules": 8, "module_lines": 500}


def module_name(path: Path, root: Path = ROOT) -> str:
    """The dotted name of a source file (a package's `__init__.py` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(root: Path = ROOT, packages=PACKAGES) -> dict[str, Path]:
    """Every module of the packages by its dotted name."""
    return {module_name(p, root): p for package in packages for p in sorted((root / package).rglob("*.py"))}


def _base(name: str, path: Path, level: int) -> str:
    """The package a relative import of `level` dots starts from."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    parts = package.split(".")
    return ".".join(parts[:len(parts) - level + 1])


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The known modules a module imports, anywhere in its body."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _base(name, path, node.level) if node.level else ""
            target = ".".join(filter(None, [base, node.module]))
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in known else target)
    return {_known_ancestor(m, known) for m in found} - {None, name}


def _known_ancestor(module: str, known: set[str]) -> str | None:
    """The module itself, or its nearest ancestor that is one of ours."""
    while module and module not in known:
        module = module.rpartition(".")[0]
    return module or None


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules it imports."""
    known = set(files)
    return {name: imported(name, path, known) for name, path in files.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm), each a circle of imports."""
    state = _Tarjan(graph)
    for node in sorted(graph):
        if node not in state.index:
            state.visit(node)
    return state.groups


class _Tarjan:
    """The bookkeeping of one search for strongly connected groups."""

    def __init__(self, graph: dict[str, set[str]]):
        self.graph = graph
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.groups: list[list[str]] = []
        sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

    def visit(self, node: str) -> None:
        """Number the node, walk its imports, and close a group when the node is its root."""
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        for target in sorted(self.graph.get(node, ())):
            if target not in self.index:
                self.visit(target)
                self.low[node] = min(self.low[node], self.low[target])
            elif target in self.on_stack:
                self.low[node] = min(self.low[node], self.index[target])
        if self.low[node] == self.index[node]:
            self._close(node)

    def _close(self, root: str) -> None:
        """Pop the group rooted at `root`; keep it when it is a circle."""
        group = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            group.append(member)
            if member == root:
                break
        if len(group) > 1:
            self.groups.append(sorted(group))


@dataclass
class House:
    """What was measured."""

    circles: list[list[str]]
    package_modules: dict[str, int]
    top_modules: list[str]
    module_lines: dict[str, int] = field(default_factory=dict)

    def worst(self) -> dict[str, int]:
        """The figure compared with each limit."""
        return {"circles": len(self.circles), "package_modules": max(self.package_modules.values()),
                "top_modules": len(self.top_modules), "module_lines": max(self.module_lines.values())}

    def breaches(self) -> list[str]:
        """Each limit that does not hold, in words."""
        return [f"{key}: {value} (limit {LIMITS[key]})" for key, value in self.worst().items() if value > LIMITS[key]]


def measure(root: Path = ROOT) -> House:
    """Measure the house."""
    files = source_files(root)
    folders: dict[str, int] = {}
    for path in files.values():
        folder = str(path.parent.relative_to(root))
        folders[folder] = folders.get(folder, 0) + 1
    return House(circles=circles(import_graph(files)), package_modules=folders,
                 top_modules=sorted(p.name for p in (root / "cafe").glob("*.py")),
                 module_lines={str(p.relative_to(root)): len(p.read_text(encoding="utf-8").splitlines())
                               for p in files.values()})


def report(house: House) -> str:
    """The figures as text."""
    worst = house.worst()
    lines = [f"import circles: {worst['circles']}"]
    lines += [f"  {' -> '.join(group)}" for group in house.circles]
    biggest = sorted(house.package_modules.items(), key=lambda item: -item[1])[:5]
    lines.append(f"largest package folders: {', '.join(f'{k} {v}' for k, v in biggest)}")
    lines.append(f"modules at the top of cafe/: {worst['top_modules']} ({', '.join(house.top_modules)})")
    longest = sorted(house.module_lines.items(), key=lambda item: -item[1])[:3]
    lines.append(f"longest modules: {', '.join(f'{k} {v}' for k, v in longest)}")
    lines.append("limits: " + ", ".join(f"{k} <= {v}" for k, v in LIMITS.items()))
    return "\n".join(lines)


def main() -> int:
    """Print the figures; exit 1 when a limit does not hold."""
    house = measure()
    print(report(house))
    for breach in house.breaches():
        print(f"over the limit: {breach}")
    return 1 if house.breaches() else 0


if __name__ == "__main__":
    sys.exit(main())
