#!/usr/bin/env bash
# Every test of the project: the Swift package's, then the PyTorch package's (scripts/test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
scripts/test-python.sh
