#!/usr/bin/env bash
# The synthetic letters' test of realism: trains a model on synthetic letters alone and scores it on
# every real test letter of the partial EMNIST set (the goal is at most 260 nats; the generator before
# its calibration gave 316.7). Also prints the real-against-synthetic statistics table.
#
# Usage: scripts/score-synthetic-realism.sh [--real DIR] [--out FILE] [--epochs N] [--patience N] [--seed N]
#   REAL defaults to $LATENT_EXPLORER_DATA (the partial EMNIST letters, docs/data.md).
set -euo pipefail
cd "$(dirname "$0")/.."

real=${LATENT_EXPLORER_DATA:-}
out=synthetic-only.safetensors
epochs=150
patience=4
seed=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --real) real="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --epochs) epochs="$2"; shift 2 ;;
        --patience) patience="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done
[[ -n "$real" ]] || { echo "$0: no real letters: give --real DIR or set LATENT_EXPLORER_DATA (see docs/data.md)" >&2; exit 2; }
[[ -d "$real" ]] || { echo "no real EMNIST letters at $real (pass --real DIR)" >&2; exit 1; }

swift build -c release
bin=.build/release/latent-explorer

echo "== real against synthetic letters"
"$bin" stats --data "$real" --against synthetic
echo "== training $out on synthetic letters only (early stopping on a validation part held out of the synthetic training letters)"
"$bin" train --data synthetic --epochs "$epochs" --patience "$patience" --seed "$seed" --out "$out"
echo "== all real test letters"
"$bin" eval --weights "$out" --data "$real"
