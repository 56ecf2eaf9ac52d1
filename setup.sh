#!/usr/bin/env bash
# Sets up jushou on a fresh Debian/Ubuntu machine: the system packages WeasyPrint needs for
# Japanese PDFs (a Japanese font, libharfbuzz-subset0), a virtual environment in .venv and the
# package itself. `--dev` adds the test tools. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dpkg >/dev/null 2>&1; then
  echo "setup.sh is for Debian/Ubuntu. Windows: docs/windows.md; elsewhere: install Pango, a Japanese" >&2
  echo "font (BIZ UDPGothic) and git, then: python3 -m venv .venv && .venv/bin/pip install -e ." >&2
  exit 2
fi

packages=(fonts-morisawa-bizud-gothic libharfbuzz-subset0 fontconfig git)
# The tests look at the PDFs as a reader would: which fonts are embedded, what text they hold.
# LibreOffice (no GUI) prints the workbook as a town would, to count its pages.
[ "${1:-}" = "--dev" ] && packages+=(poppler-utils libreoffice-calc-nogui)
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "jushou needs Python 3.11 or newer (found $(python3 --version))" >&2; exit 2; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -e '.[dev]'
else
  .venv/bin/python -m pip install -q .
fi
