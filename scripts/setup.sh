#!/usr/bin/env bash
# Installs everything zhanchi needs on a fresh Debian machine; safe to run again.
# - Debian: CJK fonts (the sample generator and tests render Chinese documents) and
#   chromium (the review app's browser tests drive it through Playwright).
# - Python: a venv in .venv with the package and its dev extras from pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

# Family B of the generator (zhanchi/synth/family_b) draws only in faces family A never
# uses: Noto CJK, AR PL SungtiL GB, AR PL KaitiM GB and Droid Sans Fallback.
APT_PACKAGES="fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming chromium
  fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-droid-fallback"
missing=""
for p in $APT_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.zhanchi-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
