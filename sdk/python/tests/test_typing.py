"""The package is mypy --strict clean (config: [tool.mypy] in sdk/python/pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from _support import SDK_SRC

PROJECT = SDK_SRC.parent


def test_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (sdk/python/requirements-test.txt)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(PROJECT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "mypy-cache"), str(SDK_SRC / "sluice")],
        cwd=PROJECT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_py_typed_marker_is_shipped() -> None:
    assert (SDK_SRC / "sluice" / "py.typed").is_file()
    pyproject = (PROJECT / "pyproject.toml").read_text()
    assert 'name = "sluice-sdk"' in pyproject and 'sluice = ["py.typed"]' in pyproject


def test_no_third_party_imports_at_run_time() -> None:
    """Standard library only: importing sluice (and its openai wrapper) loads nothing from site-packages."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import sluice, sluice.integrations.openai\n"
        "mods = [m for m, mod in sys.modules.items() if m not in before\n"
        "        and 'site-packages' in (getattr(mod, '__file__', None) or '')]\n"
        "print(mods); assert not mods, mods\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(SDK_SRC)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
