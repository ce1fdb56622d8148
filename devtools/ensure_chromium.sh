#!/usr/bin/env bash
# Odoo's browser tests (Hoot suites, tours) drive Chromium. When Odoo is importable and no browser
# Odoo knows is on PATH, install Debian's chromium package (as root with apt-get), or stop with the
# one line that says what to install. $1 is the interpreter that runs the tests.
set -euo pipefail
PY=${1:-python3}
"$PY" -c "import odoo.release" 2>/dev/null || exit 0   # no Odoo layer, no browser needed
for name in google-chrome chromium chromium-browser google-chrome-stable; do
  command -v "$name" >/dev/null && exit 0
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium (Debian package chromium) for Odoo's browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    && command -v chromium >/dev/null && exit 0
fi
echo "error: Odoo's browser tests need Chromium: install Debian's 'chromium' package (apt-get install chromium) or put google-chrome on PATH, then run this again." >&2
exit 2
