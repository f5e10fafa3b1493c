"""The quality gate: the dev set scored by the shared scorer must not fall below stored floors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())


@pytest.fixture(scope="module")
def dev_scores(dev_dir, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("gate") / "scores.json"
    cli = Path(sys.executable).parent / "readouts"
    cmd = f"{cli} extract {{input}} --format jsonl"
    r = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(dev_dir),
                        "--cmd", cmd, "--json", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    summary = json.loads(out.read_text())["summary"]
    assert summary["failed_documents"] == 0, r.stdout
    return summary


def _figure(summary: dict, key: str) -> float:
    v = summary[key]
    return (v["f1"] if isinstance(v, dict) else v) or 0.0


@pytest.mark.parametrize("key", [k for k in FLOORS if not k.startswith("_")])
def test_dev_set_figure_not_below_floor(dev_scores, key):
    assert _figure(dev_scores, key) >= FLOORS[key], f"{key} fell to {_figure(dev_scores, key)} (floor {FLOORS[key]})"
