#!/usr/bin/env bash
# Installs the Python libraries of requirements.txt, the OCA hotel addons and the
# guestmsg package (editable) into the interpreter given as $1 (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python3}
pip_install() { "$PY" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 | grep -v "Running pip as the 'root' user" || true; }
pip_install -r requirements.txt
pip_install --no-deps -r requirements-oca.txt
pip_install --no-deps -e .
"$PY" -c "import guestmsg, requests, cryptography, phonenumbers, dateparser, anthropic" \
  || { echo "error: the Python libraries of requirements.txt did not install" >&2; exit 2; }
