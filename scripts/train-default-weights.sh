#!/usr/bin/env bash
# Trains the shipped weights for real handwriting, then scores each on real letters it never saw:
#   Weights/default.safetensors      a 2-D MLP, what the explorer opens: its plane is the whole latent space
#   Weights/letters-16d.safetensors  a 16-D MLP, which separates the classes far better (walk it with
#                                    the explorer's x, y and p keys)
#   Weights/letters-cvae-2d.safetensors  a 2-D conditional VAE: the decoder is told the letter, so its
#                                    plane holds the style (its scores bound -log p(x | letter); eval
#                                    adds -log p(x) and the generative classifier)
#   Weights/letters-cvae-16d.safetensors  a 16-D conditional VAE for reading letters (encode, draw mode):
#                                    each repeat of a real letter after the first slightly distorted
#
# Training data: the calibrated synthetic letters (88,800), the real EMNIST training letters and the
# real test letters outside the fixed held-out and validation parts (TestPartition: per class, a
# quarter held out, a tenth for validation), each real letter REPEAT times. Early stopping watches the
# validation part (the data set's own validation images). The held-out part is never trained on and
# never watched: it is the test split `train` scores at the end and records in the metadata, and what
# `eval` scores below, with the real training letters as the 5-NN references.
#
# Usage: scripts/train-default-weights.sh [--real DIR] [--weights DIR] [--repeat N] [--epochs N] [--patience N] [--seed N] [--only NAME]
# --only trains one of them (default, letters-16d, letters-cvae-2d, letters-cvae-16d), leaving the others' files alone.
# Defaults reproduce the shipped weights (but see repeat below); REAL defaults to $LATENT_EXPLORER_DATA (the partial EMNIST
# letters, docs/data.md).
set -euo pipefail
cd "$(dirname "$0")/.."

real=${LATENT_EXPLORER_DATA:-}
weights=Weights
# 10, the most --real-repeat takes (DataSelection.realRepeatRange). default and letters-16d were
# trained with 12, before that cap existed; letters-cvae-2d with 10.
repeat=10
epochs=150
patience=10
seed=0
only=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --real) real="$2"; shift 2 ;;
        --weights) weights="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --epochs) epochs="$2"; shift 2 ;;
        --patience) patience="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done
[[ -n "$real" ]] || { echo "$0: no real letters: give --real DIR or set LATENT_EXPLORER_DATA (see docs/data.md)" >&2; exit 2; }
[[ -d "$real" ]] || { echo "no real EMNIST letters at $real (pass --real DIR)" >&2; exit 1; }

swift build -c release
bin=.build/release/latent-explorer

# name, architecture, latent dimensions, and any further train options (split into words on purpose).
for model in "default mlp 2" "letters-16d mlp 16" "letters-cvae-2d cvae 2" "letters-cvae-16d cvae 16 --distort-real-repeats"; do
    read -r name arch latent extra <<< "$model"
    [[ -z "$only" || "$only" == "$name" ]] || continue
    out="$weights/$name.safetensors"
    echo "== training $out ($arch, $latent latent dimensions)"
    "$bin" train --data "synthetic+$real" --train-on-real-test --real-repeat "$repeat" --test-split heldout \
        --arch "$arch" --latent-dim "$latent" --epochs "$epochs" --patience "$patience" --seed "$seed" --out "$out" ${extra:-} \
        --force   # replacing the shipped weights is the point of this script (train refuses Weights/ otherwise)
    echo "== $out on real letters it never saw (held-out part of the real test split; 5-NN references: the real training letters)"
    "$bin" eval --weights "$out" --data "$real" --test-split heldout
    echo "== $out on the synthetic test letters"
    "$bin" eval --weights "$out" --data synthetic
done
