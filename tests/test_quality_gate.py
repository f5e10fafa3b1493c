"""The quality gate: each dev set scored by the shared scorer must not fall below its stored floors.

The sets must be there and be the ones the floors were set on (their digest is pinned): a gate that
skipped itself, or scored changed gold, would pass without saying anything.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
SETS = [name for name in FLOORS if not name.startswith("_")]


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module", params=SETS)
def scored(request, tmp_path_factory) -> tuple[str, dict]:
    name = request.param
    folder = SHARED / "eval" / name
    assert folder.is_dir(), f"dev set {name} is missing at {folder}: the quality gate cannot run without it"
    assert _digest(folder) == FLOORS["_digests"][name], (
        f"dev set {name} changed since its floors were set; score it, then update tests/quality_floors.json")
    out = tmp_path_factory.mktemp("gate") / f"{name}.json"
    cmd = f"{Path(sys.executable).parent / 'readouts'} extract {{input}} --format jsonl"
    r = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(folder), "--cmd", cmd,
                        "--json", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    summary = json.loads(out.read_text())["summary"]
    assert summary["failed_documents"] == 0, r.stdout
    return name, summary


def _figure(summary: dict, key: str) -> float:
    v = summary[key]
    return (v["f1"] if isinstance(v, dict) else v) or 0.0


def test_dev_set_figures_not_below_floors(scored):
    name, summary = scored
    low = {key: (_figure(summary, key), floor) for key, floor in FLOORS[name].items()
           if _figure(summary, key) < floor}
    assert not low, f"{name}: figures below their floors (got, floor): {low}"
