"""The copy-paste examples of docs/sdk-python.md marked `<!-- doc-test -->` run as written against the
real server (only its URL and write key are swapped in)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import List

import pytest

from _support import PY_KEY, REPO, SDK_SRC, SluiceServer

DOC = REPO / "docs" / "sdk-python.md"
BLOCKS: List[str] = re.findall(r"<!-- doc-test -->\n```python\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_doc_has_runnable_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_doc_example_runs(index: int, server: SluiceServer) -> None:
    code = BLOCKS[index].replace("http://127.0.0.1:8080", server.url).replace("sk_dev_quickstart", PY_KEY)
    result = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SDK_SRC)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "SLUICE_SDK_" not in result.stderr and "UNAUTHORIZED" not in result.stderr, result.stderr
    if index == 0:  # the quick start: a generation and its feedback are stored
        rows = server.events(user_id="user_42")
        assert [r["type"] for r in rows] == ["generation", "feedback"]
        assert rows[1]["event"]["target"] == {"generation_id": rows[0]["event"]["generation_id"]}
