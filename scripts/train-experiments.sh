#!/usr/bin/env bash
# Trains the models of docs/experiments.md ("The blog's experiments") and compares them.
#
# Every letters model is trained on the same real EMNIST letters: the real training letters plus the
# real test letters outside the fixed held-out quarter and validation tenth (--train-on-real-test);
# early stopping watches the validation tenth; all are scored on the held-out quarter, which none was
# trained on or chose its epoch by. Trainings are short (the machine is shared): a few dozen epochs
# of about 6,400 letters for the MLPs, fewer for the conv model.
#
# Usage: scripts/train-experiments.sh [--real DIR] [--digits DIR] [--out DIR]
#   REAL defaults to $LATENT_EXPLORER_DATA (the partial EMNIST letters, docs/data.md), DIGITS to
#   $MNIST_DIR (a folder of MNIST's IDX files; the test set alone will do), OUT to experiments/ (ignored by git). LATENT_EXPLORER_BIN picks the binary
#   (default: a release build).
set -euo pipefail
cd "$(dirname "$0")/.."

real=${LATENT_EXPLORER_DATA:-}
digits=${MNIST_DIR:-}
out=experiments
while [[ $# -gt 0 ]]; do
    case "$1" in
        --real) real="$2"; shift 2 ;;
        --digits) digits="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done
[[ -n "$real" ]] || { echo "$0: no real letters: give --real DIR or set LATENT_EXPLORER_DATA (see docs/data.md)" >&2; exit 2; }
[[ -n "$digits" ]] || { echo "$0: no MNIST digits: give --digits DIR or set MNIST_DIR (see docs/data.md)" >&2; exit 2; }
[[ -d "$real" ]] || { echo "no real EMNIST letters at $real (pass --real DIR)" >&2; exit 1; }
bin=${LATENT_EXPLORER_BIN:-}
if [[ -z "$bin" ]]; then swift build -c release; bin=.build/release/latent-explorer; fi
mkdir -p "$out"
letters=(--data "$real" --train-on-real-test --test-split heldout --seed 0)

train() { local name="$1"; shift; echo "== $out/$name.safetensors"; "$bin" train "$@" --out "$out/$name.safetensors"; }

train letters-2d      "${letters[@]}" --latent-dim 2 --epochs 40 --patience 6
train vowels-2d       "${letters[@]}" --latent-dim 2 --epochs 40 --patience 6 --letters aeiou
train letters-conv-2d "${letters[@]}" --latent-dim 2 --epochs 8 --patience 3 --arch conv
train letters-16d     "${letters[@]}" --latent-dim 16 --epochs 40 --patience 6
train letters-beta0.5 "${letters[@]}" --latent-dim 2 --epochs 40 --patience 6 --beta 0.5
train letters-beta4   "${letters[@]}" --latent-dim 2 --epochs 40 --patience 6 --beta 4
train letters-16d-beta0.5 "${letters[@]}" --latent-dim 16 --epochs 40 --patience 6 --beta 0.5
train letters-16d-beta4   "${letters[@]}" --latent-dim 16 --epochs 40 --patience 6 --beta 4

echo "== all letters against the vowels, on the held-out real letters"
"$bin" compare "$out/letters-2d.safetensors" "$out/vowels-2d.safetensors" --data "$real" --test-split heldout \
    --out "$out/letters-vowels.svg"
echo "== conv and 16-D against the 2-D MLP"
"$bin" compare "$out/letters-2d.safetensors" "$out/letters-conv-2d.safetensors" "$out/letters-16d.safetensors" \
    --data "$real" --test-split heldout --out "$out/letters-architectures.svg"
echo "== β = 0.5, 1, 4"
"$bin" compare "$out/letters-beta0.5.safetensors" "$out/letters-2d.safetensors" "$out/letters-beta4.safetensors" \
    --data "$real" --test-split heldout --out "$out/letters-beta.svg"
echo "== β = 0.5, 1, 4 in 16 dimensions"
"$bin" compare "$out/letters-16d-beta0.5.safetensors" "$out/letters-16d.safetensors" "$out/letters-16d-beta4.safetensors" \
    --data "$real" --test-split heldout
if [[ -d "$digits" ]]; then
    echo "== the shipped digits model on the held-out quarter of the MNIST test set"
    "$bin" compare Weights/digits-2d.safetensors --data "$digits" --out "$out/digits.svg"
fi
