"""The house rules that the linters cannot see: every package is in the import-linter contracts, and no
library module touches argparse (options are built at the CLI edge)."""
import re
import tomllib

import pytest

from tests.conftest import REPO

CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
PACKAGES = sorted(p.parent.name for p in REPO.glob("*/__init__.py") if p.parent.name not in {"tests", "scripts"})


def contract(kind):
    return next(c for c in CONFIG["contracts"] if c["type"] == kind)


def layered():
    return {name.strip() for layer in contract("layers")["layers"] for name in re.split(r"[|:]", layer)}


@pytest.mark.parametrize("where", ["root_packages", "layers", "ancestors"])
def test_every_package_is_in_every_contract(where):
    listed = {"root_packages": set(CONFIG["root_packages"]), "layers": layered(),
              "ancestors": set(contract("acyclic_siblings")["ancestors"])}[where]
    assert set(PACKAGES) <= listed, f"add {sorted(set(PACKAGES) - listed)} to {where} in pyproject.toml"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_library_module_reads_command_line_arguments(package):
    offenders = [str(path.relative_to(REPO)) for path in (REPO / package).rglob("*.py")
                 if re.search(r"^\s*(import argparse|from argparse )|\bargs\.\w+|getattr\(args\b",
                              path.read_text(encoding="utf-8"), re.M)]
    assert offenders == [], "argparse belongs in cli.py: pass a frozen ...Options instead"
