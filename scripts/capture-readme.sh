#!/usr/bin/env bash
# Redraws the explorer captures of the README and docs/explorer.md from the shipped weights: each screen
# is driven in a private tmux server at 120x40, captured once as text (NO_COLOR=1) and once in colour
# (TERM=xterm-256color, turned into SVG by scripts/ansi-to-svg.py).
# Usage: scripts/capture-readme.sh [binary]   (default .build/release/latent-explorer)
#   CAPTURE_ONLY=style-plane redraws only that capture; CAPTURE_SETTLE_SECONDS (default 3) waits longer
#   for a debug build (8 is enough: CAPTURE_SETTLE_SECONDS=8 scripts/capture-readme.sh .build/debug/latent-explorer).
# Writes docs/captures/<name>.txt and docs/<picture>.svg, the files the pages show and link, and the
# start screen at 80x24, 120x40 and 200x60 (docs/captures/start-<size>.txt, and .png made from the
# SVG when rsvg-convert is installed: apt-get install librsvg2-bin; else the .svg is left).
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/latent-explorer}"
[[ -x "$binary" ]] || { echo "error: $binary is not built (swift build -c release)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "error: tmux is not installed" >&2; exit 1; }

socket="latent-explorer-captures-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true' EXIT
settle_seconds="${CAPTURE_SETTLE_SECONDS:-3}"   # the synthetic test letters are made and encoded at start; decodes finish after keys
width=120 height=40

# capture NAME SVG KEYS... : opens the explorer with $ARGUMENTS, presses KEYS, captures the screen.
capture() {
    local name="$1" svg="$2"; shift 2
    [[ -n "${CAPTURE_ONLY:-}" && "$name" != "$CAPTURE_ONLY" ]] && return 0
    for mode in text colour; do
        tmux -L "$socket" kill-server 2>/dev/null || true
        sleep 0.5   # let the last server go before the next starts on the same socket
        local environment="TERM=xterm-256color"
        [[ $mode == text ]] && environment="NO_COLOR=1 TERM=xterm-256color"
        tmux -L "$socket" new-session -d -x "$width" -y "$height" "env $environment $binary $ARGUMENTS"
        sleep "$settle_seconds"
        for key in "$@"; do
            if [[ $key == sgr:* ]]; then
                # A mouse report, as xterm and tmux send it: "sgr:0;12;5M" is ESC [ < 0;12;5M.
                tmux -L "$socket" send-keys -l $'\e[<'"${key#sgr:}"
                sleep 0.05
            else
                tmux -L "$socket" send-keys "$key"
                sleep 0.3
            fi
        done
        sleep "$settle_seconds"
        if [[ $mode == text ]]; then
            tmux -L "$socket" capture-pane -p > "docs/captures/$name.txt"
        else
            tmux -L "$socket" capture-pane -e -p > "/tmp/$name.ans"
            scripts/ansi-to-svg.py "/tmp/$name.ans" "docs/$svg"
        fi
    done
    echo "captured $name (docs/captures/$name.txt, docs/$svg)" >&2
}

mkdir -p docs/captures
ARGUMENTS="--weights Weights/default.safetensors"
capture start explorer-plane.svg
ARGUMENTS="--weights Weights/letters-16d.safetensors"
capture scatter explorer-scatter.svg 0 p o b e
capture browse explorer-browse.svg 0 p o b e Right
capture traversal explorer-traversal.svg 0 p b h Enter v
# Draw mode: an "a" drawn with the mouse on the canvas (a ring of motion reports, then a stem), read
# by the 16-D model on its PCA plane. The canvas's pixels are two columns and a row at 120x40, from
# column 2 and row 3 (1-based, as SGR reports count).
a_strokes=()
for degrees in $(seq 0 15 360); do
    column=$(awk -v d="$degrees" 'BEGIN { printf "%d", 26 + 12 * cos(d * 3.14159265 / 180) }')
    row=$(awk -v d="$degrees" 'BEGIN { printf "%d", 20 + 7 * sin(d * 3.14159265 / 180) }')
    [[ $degrees == 0 ]] && a_strokes+=("sgr:0;$column;${row}M") || a_strokes+=("sgr:32;$column;${row}M")
done
a_strokes+=("sgr:0;38;20m" "sgr:0;39;10M")
for row in $(seq 11 28); do a_strokes+=("sgr:32;39;${row}M"); done
a_strokes+=("sgr:0;39;28m")
capture draw explorer-draw.svg d "${a_strokes[@]}"
# The conditional VAE's style plane of 'g' at the origin's style, with a word written in it.
if [[ -f Weights/letters-cvae-2d.safetensors ]]; then
    ARGUMENTS="--weights Weights/letters-cvae-2d.safetensors"
    capture style-plane explorer-style-plane.svg 0 "'" g w h e l l o Space w o r l d Enter
fi

ARGUMENTS="--weights Weights/default.safetensors"
for size in 80x24 120x40 200x60; do
    width="${size%x*}" height="${size#*x}"
    capture "start-$size" "captures/start-$size.svg"
    if command -v rsvg-convert >/dev/null && [[ -f "docs/captures/start-$size.svg" ]]; then   # not under CAPTURE_ONLY
        # The PNG is what explorer.md shows; the SVG (up to 1 MB at 200x60) is not kept.
        rsvg-convert "docs/captures/start-$size.svg" -o "docs/captures/start-$size.png"
        rm "docs/captures/start-$size.svg"
    fi
done
