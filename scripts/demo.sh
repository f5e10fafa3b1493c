#!/usr/bin/env bash
# The main job on the bundled samples: extract records from every sample document.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .demo
.venv/bin/readouts extract samples/ --format jsonl > .demo/records.jsonl
.venv/bin/python - <<'PY'
import json
recs = [json.loads(l) for l in open(".demo/records.jsonl", encoding="utf-8")]
print(f"demo: {len(recs)} records in .demo/records.jsonl: "
      f"{sum(len(r['persons']) for r in recs)} persons, {sum(len(r['organizations']) for r in recs)} organizations, "
      f"{sum(len(r['delegations']) for r in recs)} delegations, {sum(len(r['events']) for r in recs)} events")
PY
