#!/usr/bin/env bash
# Every test of the project: the Swift package's, then the PyTorch package's (scripts/test-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# What the tests need beyond the build (tmux, Fashion-MNIST, python3-venv): installed when missing.
scripts/install-dependencies.sh --with-test-data
# No test uses Swift Testing: without it, swift test ends with XCTest's count (CI reads the closing
# lines) instead of "Test run with 0 tests in 0 suites passed". Drop the flag when one does.
swift test --disable-swift-testing
scripts/test-python.sh
