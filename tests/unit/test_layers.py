"""The layers and their import rules (CONTRIBUTING.md): every import of every module
in dashboard/, seeds/ and benchmarks/, lazy ones inside functions included, is
checked against the layer it sits in."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# layer -> the layers (of ours) it may import; a layer may always import itself.
ALLOWED = {
    "dashboard.config": set(),
    "dashboard.data": {"dashboard.config"},
    "dashboard.engine": {"dashboard.config", "dashboard.data"},
    "dashboard.ui": {"dashboard.data"},
    "dashboard.web": {
        "dashboard.config",
        "dashboard.data",
        "dashboard.engine",
        "dashboard.ui",
        "seeds",
    },
    "dashboard.cli": {
        "dashboard.config",
        "dashboard.data",
        "dashboard.engine",
        "dashboard.web",
        "seeds",
    },
    "dashboard.testing": {
        "dashboard.config",
        "dashboard.data",
        "dashboard.engine",
        "dashboard.ui",
        "dashboard.web",
        "seeds",
    },
    "seeds": {"dashboard.data"},
    "benchmarks": {
        "dashboard.config",
        "dashboard.data",
        "dashboard.engine",
        "dashboard.ui",
        "dashboard.web",
        "dashboard.testing",
        "seeds",
    },
}
LAYERS = sorted(ALLOWED, key=len, reverse=True)  # the longest prefix wins
OURS = ("dashboard", "seeds", "tests", "benchmarks")


def layer(module: str) -> str | None:
    """The layer a module belongs to ('dashboard.data.reports' -> 'dashboard.data');
    None for a package root that is no layer ('dashboard', 'tests')."""
    for name in LAYERS:
        if module == name or module.startswith(name + "."):
            return name
    if module == "dashboard.__main__":
        return "dashboard.cli"
    return None


def imported(tree: ast.AST) -> set[str]:
    """Every module of ours that `tree` imports, at the top or inside a function;
    `from dashboard import x` names the module `dashboard.x`."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in OURS:
                found |= {f"{node.module}.{a.name}" for a in node.names}
            else:
                found.add(node.module)
    return {m for m in found if m.split(".")[0] in OURS}


def violations(module: str, imports: set[str]) -> list[str]:
    """The imports that `module`'s layer may not make."""
    own = layer(module)
    bad = []
    for target in sorted(imports):
        theirs = layer(target)
        if (
            target.split(".")[0] == "tests"
            or theirs is None
            or theirs != own
            and theirs not in ALLOWED[own]
        ):
            bad.append(target)
    return bad


def modules() -> list[tuple[str, Path]]:
    found = []
    for top in ("dashboard", "seeds", "benchmarks"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found.append((".".join(parts), path))
    return found


@pytest.mark.parametrize(
    ("module", "imports", "bad"),
    [
        ("dashboard.data.reports", {"dashboard.data.filters"}, []),
        (
            "dashboard.data.reports",
            {"dashboard.engine.duck"},
            ["dashboard.engine.duck"],
        ),
        ("dashboard.ui.grid", {"dashboard.web.urlstate"}, ["dashboard.web.urlstate"]),
        ("dashboard.ui.grid", {"dashboard.engine.store"}, ["dashboard.engine.store"]),
        ("dashboard.ui.figures", {"dashboard.config"}, ["dashboard.config"]),
        ("dashboard.engine.store", {"dashboard.data.reports"}, []),
        (
            "dashboard.engine.store",
            {"dashboard.web.view_data"},
            ["dashboard.web.view_data"],
        ),
        ("dashboard.web.app", {"dashboard.engine.loader", "seeds.demo"}, []),
        ("dashboard.web.app", {"dashboard.testing.dom"}, ["dashboard.testing.dom"]),
        ("dashboard.config", {"dashboard.data.db"}, ["dashboard.data.db"]),
        ("seeds.generator", {"dashboard.data.schema"}, []),
        ("seeds.generator", {"dashboard.web.app"}, ["dashboard.web.app"]),
        ("benchmarks.run", {"tests.frames"}, ["tests.frames"]),
        ("benchmarks.run", {"dashboard.testing.callbacks"}, []),
        ("dashboard.__main__", {"dashboard.cli"}, []),
        ("dashboard.data.db", {"dashboard"}, ["dashboard"]),
    ],
)
def test_lay001_the_rules_catch_a_slip(module, imports, bad):
    assert violations(module, imports) == bad


def test_lay002_every_module_keeps_to_its_layer():
    found = {}
    for module, path in modules():
        assert layer(module) is not None or module in OURS, f"{module}: in no layer"
        if layer(module) is None:
            continue
        bad = violations(module, imported(ast.parse(path.read_text())))
        if bad:
            found[module] = bad
    assert found == {}


def test_lay003_the_walk_sees_lazy_imports():
    tree = ast.parse("def f():\n    from dashboard import ui\n    import tests.x\n")
    assert imported(tree) == {"dashboard.ui", "tests.x"}


def test_lay004_every_layer_has_modules():
    seen = {layer(module) for module, _ in modules()}
    assert set(ALLOWED) <= seen


# Inside the layers: modules that must not lean on a neighbour for a job not theirs.
APART = {
    # what the page fetches is named from the reports, not from how it is drawn
    "dashboard.web.view_data": {"dashboard.ui"},
    # downloads read requests themselves (grid_requests), not through a builder
    "dashboard.web.downloads": {"dashboard.ui"},
}


def test_lay005_modules_kept_apart_within_their_layer():
    paths = dict(modules())
    for module, avoided in APART.items():
        seen = imported(ast.parse(paths[module].read_text()))
        leaning = {m for m in seen if any(m.startswith(a) for a in avoided)}
        assert leaning == set(), f"{module} imports {leaning}"
