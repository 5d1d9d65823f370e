#!/usr/bin/env bash
# Every test of the project: the Swift package's, then the PyTorch package's (scripts/test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# What the tests need beyond the build (tmux, Fashion-MNIST, python3-venv): installed when missing.
scripts/install-dependencies.sh --with-test-data
swift test
scripts/test-python.sh
