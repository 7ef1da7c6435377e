#!/usr/bin/env bash
# Set up pianoscore on a fresh Debian/Ubuntu machine with Python 3.10+: FluidSynth and a GM soundfont from Debian,
# a virtual environment in .venv, the CPU build of torch 2.13.0, then pianoscore with its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
need_apt=0
for c in fluidsynth; do command -v $c >/dev/null || need_apt=1; done
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || need_apt=1
if [ $need_apt = 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  if [ -z "$SUDO" ] || command -v sudo >/dev/null; then
    echo "setup: installing fluidsynth and fluid-soundfont-gm from Debian" >&2
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fluidsynth fluid-soundfont-gm >/dev/null
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
