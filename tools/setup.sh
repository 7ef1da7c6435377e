#!/usr/bin/env bash
# Set up pianoscore on a fresh Debian/Ubuntu machine with Python 3.10+: FluidSynth and a GM soundfont from Debian,
# a virtual environment in .venv, the CPU build of torch 2.13.0, then pianoscore with its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# FluidSynth, three soundfonts (performances are rendered through several), cairo for the score's PNG/PDF
APT_PKGS="fluidsynth fluid-soundfont-gm timgm6mb-soundfont musescore-general-soundfont-small libcairo2"
need_apt=0
for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || need_apt=1; done
if [ $need_apt = 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  if [ -z "$SUDO" ] || command -v sudo >/dev/null; then
    echo "setup: installing $APT_PKGS from Debian" >&2
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $APT_PKGS >/dev/null
  else
    echo "setup: warning: cannot install fluidsynth (not root, no sudo): sound falls back to sine synthesis" >&2
  fi
fi
[ -x .venv/bin/python ] || $PY -m venv .venv
. .venv/bin/activate
pipq() {  # pip, quiet, without the noise of this machine's local wheel folders; fails when pip fails
  python -m pip install -q "$@" 2>&1 | { grep -v -E "^WARNING: Location|BuildBackendWarning|^ *(!!|\*+|Please consider|License ::|See https|self._finalize|with strategy)|^\s*$" || true; }
  return "${PIPESTATUS[0]}"
}
pipq --upgrade pip
python -c "import torch" 2>/dev/null || pipq torch==2.13.0
pipq -e ".[dev]"
# librosa's numba cache must be compiled by one process before several use it at once
python -m pianoscore.core warm
python -c "import pianoscore, torch; print(f'setup: pianoscore {pianoscore.__version__}, torch {torch.__version__}')"
