#!/usr/bin/env bash
# The main job on the bundled samples: ingest every sample document into the store
# (.demo/readouts.db, a SQLite file like the default one) and print what it holds.
# Running it again stores nothing new: documents already present are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .demo
DB="${DEMO_DB:-sqlite:///$PWD/.demo/readouts.db}"
.venv/bin/readouts --db "$DB" ingest samples/
.venv/bin/readouts --db "$DB" stats
