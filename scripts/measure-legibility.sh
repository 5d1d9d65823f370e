#!/usr/bin/env bash
# Measures how legible the shipped models' planes are (docs/experiments.md, "Legibility"):
#   1. python -m latent_explorer_torch.legibility: trains a small CNN letter reader on real letters only
#      (never a synthetic or a decoded one), reports its accuracy on the held-out real letters, and reads
#      the plain model's 21x21 plane and the CVAE's 26 style planes at the prior's quantiles, on the plane
#      the explorer shows (--plane: with more than two latent dimensions, slice is the z1-z2 plane with the
#      others at 0, where the explorer opens, and pca the plane of its p key);
#   2. latent-explorer eval: the CVAE's generative classifier on the same held-out real letters.
#
# Usage: scripts/measure-legibility.sh [--real DIR] [--plain W|none] [--cvae W] [--plane slice|pca] [--anchor N] [--reader FILE] [--seed N] [--json FILE]
# --anchor and --reader: see python -m latent_explorer_torch.legibility --help.
# REAL defaults to $LATENT_EXPLORER_DATA (the partial EMNIST letters, docs/data.md). The Python
# package's venv is scripts/test-python.sh's (.build/python-venv), made here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

real=${LATENT_EXPLORER_DATA:-}
plain=Weights/default.safetensors
cvae=Weights/letters-cvae-2d.safetensors
plane=slice
anchor=
reader=
seed=0
json=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --real) real="$2"; shift 2 ;;
        --plain) plain="$2"; shift 2 ;;
        --cvae) cvae="$2"; shift 2 ;;
        --plane) plane="$2"; shift 2 ;;
        --anchor) anchor="$2"; shift 2 ;;
        --reader) reader="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --json) json="$2"; shift 2 ;;
        *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done
[[ -n "$real" ]] || { echo "$0: no real letters: give --real DIR or set LATENT_EXPLORER_DATA (see docs/data.md)" >&2; exit 2; }

venv="${LATENT_EXPLORER_VENV:-.build/python-venv}"
if [[ ! -x "$venv/bin/python" ]]; then python3 -m venv "$venv"; fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-test.txt
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps ./python

[[ "$plain" == none ]] && plain=
echo "== the reader, the plain plane (${plain:-not measured}) and the style planes ($cvae), on the $plane plane"
"$venv/bin/python" -m latent_explorer_torch.legibility --data "$real" ${plain:+--plain "$plain"} --cvae "$cvae" --plane "$plane" \
    ${anchor:+--anchor "$anchor"} ${reader:+--reader "$reader"} --seed "$seed" ${json:+--json "$json"}
swift build -c release
echo "== the generative classifier on the held-out real letters"
.build/release/latent-explorer eval --weights "$cvae" --data "$real" --test-split heldout
