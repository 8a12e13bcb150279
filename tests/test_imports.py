"""The package's import graph has no circles, and ``import sse_model`` stays cheap."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import sse_model

SRC = Path(sse_model.__file__).parent
ROOT = "sse_model"

#: Function-level imports that close a circle, each kept on purpose. Keep this short:
#: an edge here is a dependency pointing the wrong way, accepted only where nothing else
#: can express it.
ALLOWED: dict[tuple[str, str], str] = {
    ("sse_model._model._organisation", "sse_model._engine._html"): (
        "Jupyter calls Organisation._repr_html_ on the model class, and the page lists the "
        "facts as the converter writes them (sse_model._serialization, which is built over "
        "the model): the model reaches the renderer only when a notebook asks"
    ),
}


@attrs.frozen
class Edge:
    """One intra-package import: *source* needs *target* loaded."""

    source: str
    target: str
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = " (in a function)" if self.in_function else ""
        return f"{self.source} -> {self.target}  [line {self.line}{where}]"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name -> (file, is a package ``__init__``)."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = [ROOT, *path.relative_to(SRC).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return ast.unparse(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """The import statements of *tree*, and whether each runs inside a function; the
    body of ``if TYPE_CHECKING:`` is skipped (it never runs)."""

    def walk(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from walk(child, in_function)
            return
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            yield from walk(child, inside)

    yield from walk(tree, False)


def _type_checking_imports(tree: ast.Module) -> Iterator[ast.ImportFrom]:
    """The ``from ... import`` statements in the module's top-level ``if TYPE_CHECKING:``."""
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from (n for n in node.body if isinstance(n, ast.ImportFrom))


def _targets(
    node: ast.Import | ast.ImportFrom, name: str, is_package: bool, modules: set[str]
) -> list[str]:
    """The package modules an import statement in module *name* loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == ROOT]
    if node.level:
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join([*base, *([node.module] if node.module else [])])
    else:
        module = node.module or ""
        if module.split(".")[0] != ROOT:
            return []
    subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in modules]
    # ``from . import x`` with only submodules needs the submodules, not the package
    only_submodules = len(subs) == len(node.names) and module in _ancestors(name)
    return subs if only_submodules else [module, *subs]


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _edges() -> list[Edge]:
    """Every intra-package import, module-level and function-level.

    Importing ``a.b.c`` also runs the ``__init__`` of package ``a.b`` (unless the
    importer lives inside it), so that is an edge too. The root package's lazy
    attributes (PEP 562) count as imports of its ``if TYPE_CHECKING:`` block, in a
    function: ``sse_model.X`` loads them when asked.
    """
    modules = _modules()
    names = set(modules)
    out: set[Edge] = set()
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        found = list(_imports(tree))
        if name == ROOT:
            found += [(node, True) for node in _type_checking_imports(tree)]
        for node, in_function in found:
            for target in _targets(node, name, is_package, names):
                parts = target.split(".")
                needed = {target} | {
                    ".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i])
                }
                for t in needed:
                    if t == name or t not in names:
                        continue
                    if t != target and t in _ancestors(name):
                        continue  # a package the importer itself is being loaded from
                    out.add(Edge(name, t, node.lineno, in_function))
    return sorted(out, key=lambda e: (e.source, e.target, e.line))


def _graph(edges: list[Edge]) -> dict[str, dict[str, Edge]]:
    """Source -> target -> the edge that shows it (a module-level one first)."""
    graph: dict[str, dict[str, Edge]] = {}
    for e in sorted(edges, key=lambda e: (e.in_function, e.line)):
        graph.setdefault(e.source, {}).setdefault(e.target, e)
    return graph


def _cycles(graph: dict[str, dict[str, Edge]]) -> list[list[Edge]]:
    """One shortest circle through each strongly connected set of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, {}):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, {}):
                components.append(component)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    out = []
    for component in components:
        start = min(component)
        paths: dict[str, list[Edge]] = {start: []}
        queue = [start]
        while queue:
            v = queue.pop(0)
            for w, e in sorted(graph.get(v, {}).items()):
                if w == start:
                    out.append([*paths[v], e])
                    queue = []
                    break
                if w in component and w not in paths:
                    paths[w] = [*paths[v], e]
                    queue.append(w)
    return out


def _without_allowed(edges: list[Edge]) -> list[Edge]:
    return [e for e in edges if not (e.in_function and (e.source, e.target) in ALLOWED)]


class TestImportGraph:
    """No module of the package needs, through any chain of imports, itself."""

    def test_no_circles(self) -> None:
        """Module-level and function-level imports (not ``if TYPE_CHECKING:`` ones) form no
        circle, apart from the few function-level ones in ALLOWED."""
        cycles = _cycles(_graph(_without_allowed(_edges())))
        shown = "\n\n".join("\n".join(f"  {e}" for e in c) for c in cycles)
        assert not cycles, f"import circles:\n{shown}"

    def test_allowed_edges_exist(self) -> None:
        """Every allowed exception is still a function-level import that closes a circle."""
        edges = _edges()
        for pair in ALLOWED:
            assert any(e.in_function and (e.source, e.target) == pair for e in edges), pair
            rest = [e for e in _without_allowed(edges) if (e.source, e.target) != pair]
            one = _cycles(_graph([*rest, *(e for e in edges if (e.source, e.target) == pair)]))
            assert one, f"{pair} closes no circle any more: remove it from ALLOWED"

    def test_finds_a_circle(self) -> None:
        """The checker sees a circle through a function-level import and a package."""
        a = Edge("p.a", "p.b", 1, False)
        b = Edge("p.b", "p", 2, True)
        c = Edge("p", "p.a", 3, False)
        assert _cycles(_graph([a, b, c])) == [[c, a, b]]
        assert _cycles(_graph([a, c])) == []

    def test_sees_relative_and_package_imports(self) -> None:
        """``from .._model import X`` needs the ``_model`` package and its ``__init__``."""
        edges = {(e.source, e.target) for e in _edges()}
        assert ("sse_model._engine._ast", "sse_model._model") in edges
        assert ("sse_model._model", "sse_model._model._organisation") in edges


#: Optional or heavy libraries ``import sse_model`` must not load.
HEAVY = ("pint", "pandas", "pyarrow", "numpy", "hypothesis", "polars", "matplotlib", "dask",
         "babel")  # fmt: skip


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class TestLazyImport:
    """``import sse_model`` loads submodules only when a name is asked for (PEP 562)."""

    def test_heavy_libraries_not_loaded(self) -> None:
        """A bare import loads none of the heavy or optional libraries."""
        out = _run(f"import sys, sse_model; print([m for m in {HEAVY!r} if m in sys.modules])")
        assert out.strip() == "[]"

    def test_bare_import_loads_no_submodule(self) -> None:
        """A bare import loads no private submodule; one name loads what it needs."""
        out = _run(
            "import sys, sse_model\n"
            "print(sorted(m for m in sys.modules if m.startswith('sse_model.')))\n"
            "sse_model.Organisation\n"
            "print('sse_model._engine._loader' in sys.modules)"
        )
        assert out.splitlines() == ["[]", "False"]

    def test_public_modules_import(self) -> None:
        """``sse_model.testing`` and ``sse_model.plots`` import on their own."""
        out = _run("import sse_model.testing, sse_model.plots; print('ok')")
        assert out.strip() == "ok"

    def test_every_name_resolves(self) -> None:
        """Every name of ``__all__`` is an attribute and is importable with ``from``."""
        for name in sse_model.__all__:
            assert getattr(sse_model, name) is not None
        namespace: dict[str, object] = {}
        exec(f"from sse_model import {', '.join(sse_model.__all__)}", namespace)
        assert set(sse_model.__all__) <= set(namespace)

    def test_dir_lists_the_public_names(self) -> None:
        """``dir(sse_model)`` lists every public name, loaded or not."""
        assert set(sse_model.__all__) <= set(dir(sse_model))

    def test_unknown_name(self) -> None:
        """An unknown attribute raises AttributeError with Python's usual message."""
        with pytest.raises(AttributeError) as info:
            sse_model.nope  # noqa: B018
        assert str(info.value) == "module 'sse_model' has no attribute 'nope'"
        with pytest.raises(ImportError, match="cannot import name 'nope'"):
            exec("from sse_model import nope", {})

    def test_type_checkers_see_what_runs(self) -> None:
        """The ``if TYPE_CHECKING:`` imports name exactly ``__all__``, each from the module
        the lazy table loads it from, and the loaded object is the one defined there."""
        tree = ast.parse((SRC / "__init__.py").read_text("utf-8"))
        seen: dict[str, str] = {}
        for node in _type_checking_imports(tree):
            module = ROOT + "." + (node.module or "") if node.level else node.module or ""
            for alias in node.names:
                seen[alias.asname or alias.name] = module
        public = set(sse_model.__all__) - {"__version__"}
        assert set(seen) == public
        assert {n: ROOT + m for n, m in sse_model._LAZY.items()} == seen


class TestWithoutExtras:
    """The core install (``pip install .``, no ``arrow`` extra) runs the README's job."""

    def test_json_lines_register_without_pyarrow(self) -> None:
        """With pyarrow and numpy not importable, a JSON Lines register is read by the
        strict reader and classified one organisation at a time, every row accounted."""
        sample = Path(__file__).parent.parent / "examples" / "sample-register.jsonl"
        out = _run(
            "import sys\n"
            "for m in ('pyarrow', 'numpy'):\n"
            "    sys.modules[m] = None  # ImportError on import, as when not installed\n"
            "import datetime, sse_model\n"
            f"orgs = list(sse_model.read_register({str(sample)!r}))\n"
            "ok = [o for o in orgs if isinstance(o, sse_model.Organisation)]\n"
            "r = sse_model.classify(ok[0], 'intl/ilo-2022', on=datetime.date(2025, 6, 30))\n"
            "print(len(orgs), len(ok), r.verdict.value)"
        )
        rows, good, verdict = out.split()
        assert (rows, good) == ("3000", "3000")
        assert verdict in {"qualifies", "does_not_qualify", "undetermined"}


class TestColdStart:
    """The first classification reads plain numbers and percentages without pint."""

    def test_first_classification_loads_no_pint(self) -> None:
        """Profiles whose thresholds are percentages (``at most 30 %``) load and
        classify without building pint's registry, nor importing pint or pycountry."""
        out = _run(
            "import sys, datetime, sse_model\n"
            "org = sse_model.structure({'id': 'x', 'name': 'X', 'country': 'VN',\n"
            "    'legal_form': 'vn/cooperative'}, sse_model.Organisation)\n"
            "for p in ('intl/ilo-2022', 'vn/cooperative', 'vn/social-enterprise'):\n"
            "    sse_model.classify(org, p, on=datetime.date(2025, 6, 30)).criteria\n"
            "print([m for m in ('pint', 'pycountry') if m in sys.modules])"
        )
        assert out.strip() == "[]"

    def test_first_classification_reads_one_legal_form(self) -> None:
        """The first classification reads its organisation's legal form alone: the
        whole legal-form file is not parsed, the statuses' file is not read for an
        organisation holding none, and ``importlib.resources`` (whose import loads
        ``tempfile``, ``shutil``, ``bz2``...) is not imported."""
        out = _run(
            "import sys, datetime, sse_model\n"
            "from sse_model._model._forms import form_entries, form_entry\n"
            "from sse_model._engine._presume import certification_kinds\n"
            "org = sse_model.structure({'id': 'x', 'name': 'X', 'country': 'KH',\n"
            "    'legal_form': 'kh/association', 'purpose': {'social': True}},\n"
            "    sse_model.Organisation)\n"
            "sse_model.classify(org, 'intl/ilo-2022', on=datetime.date(2025, 6, 30)).verdict\n"
            "print(form_entries.cache_info().currsize, form_entry.cache_info().currsize,\n"
            "      certification_kinds.cache_info().currsize,\n"
            "      'importlib.resources' in sys.modules)"
        )
        assert out.split() == ["0", "1", "0", "False"]

    def test_plain_ratios_are_pints(self) -> None:
        """Each unit read without pint has exactly the factor pint gives it."""
        from sse_model._model._units import PLAIN_RATIOS, _converted, unit_registry

        for unit, factor in PLAIN_RATIOS.items():
            q = unit_registry().Quantity(1, unit)
            assert q.dimensionless, unit
            assert _converted(q, "dimensionless") == factor, unit

    def test_countries_are_pycountrys(self) -> None:
        """The country codes read from pycountry's data file are pycountry's list."""
        import pycountry

        from sse_model._model._codes import _countries

        assert _countries() == frozenset(c.alpha_2 for c in pycountry.countries)

    def test_currencies_are_pycountrys(self) -> None:
        """The currency codes read from pycountry's data file are pycountry's list."""
        import pycountry

        from sse_model._model._units import currency_codes

        assert currency_codes() == frozenset(c.alpha_3 for c in pycountry.currencies)

    def test_amounts_load_no_pycountry(self) -> None:
        """Reading an amount with a currency code checks the code without pycountry."""
        out = _run(
            "import sys, sse_model\n"
            "from sse_model._model._units import parse_money\n"
            "parse_money('12 VND')\n"
            "print([m for m in ('pycountry',) if m in sys.modules])"
        )
        assert out.strip() == "[]"
