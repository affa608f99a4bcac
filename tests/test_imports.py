"""The import picture runs one way: text → extract → plan → monitor/adjust/evaluate → render → cycle → cli, with
the shared modules below all of them; no stage imports a renderer."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

SHARED = {"schema", "catalog", "periods", "forms", "store", "numbers", "statuses", "settings", "tables", "units",
          "progress", "zipguard", "runlock"}
LAYERS = {"text": 1, "extract": 2, "plan": 3, "config": 3, "monitor": 4, "adjust": 4, "evaluate": 4, "render": 5,
          "samples": 6, "cycle": 6, "bench": 7, "cli": 8, "__main__": 9}


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.startswith("pipeline.") else module
    return 0 if top in SHARED else LAYERS[top]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    found |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return {name for name in found if name.startswith("pipeline.")}


def test_every_import_of_the_package_runs_downwards():
    upward = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if module == "pipeline":
            continue
        for name in _imports(path):
            if _layer(name) > _layer(module):
                upward.append(f"{module} → {name}")
    assert upward == []


def test_the_check_sees_an_upward_import():
    assert _layer("pipeline.render.run") > _layer("pipeline.monitor.run") > _layer("pipeline.store")
