"""An ingest of the bad-input corpus (tests/ingest/bad_inputs.py) mixed with good documents: every bad
input is reported by name, every good one stored, files of unknown type listed, and nothing hangs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ingest.bad_inputs import write_cases

ROOT = Path(__file__).resolve().parents[2]


def test_every_bad_input_is_named_and_every_good_one_stored(tmp_path, dev_dir):
    good = (dev_dir / "usstate-eb18ed0003e3.txt").read_text(encoding="utf-8")  # a real release
    want = write_cases(tmp_path / "in", good)
    assert len(want) >= 40
    exe = str(Path(sys.executable).parent / "readouts")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    # a child process with a deadline: a FIFO or a loop that blocked would fail the test, not hang it
    run = subprocess.run([exe, "--db", db, "ingest", str(tmp_path / "in"), "--json", "--no-progress"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 1, run.stderr  # failures, reported
    report = json.loads(run.stdout)
    failed = [Path(f["name"].split(":")[0].split(" (")[0]).name for f in report["failures"]]
    ignored = {Path(f["name"]).name for f in report["ignored"]}
    reasons = {Path(f["name"].split(":")[0]).name: f["reason"] for f in report["failures"]}
    for name, expect in want.items():
        if expect == "failed":
            assert name in failed, f"{name} not reported: {report['failures']}"
            assert reasons.get(name), name
        elif expect == "ignored":
            assert name in ignored, f"{name} not listed as ignored: {report['ignored']}"
    stored = sum(n for n in want.values() if isinstance(n, int))
    assert report["stored"] == stored, (report["stored"], stored, report["failures"])
    assert "Traceback" not in run.stderr
