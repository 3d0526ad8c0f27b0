#!/bin/bash
# Cargo's runner for x86_64-pc-windows-gnu (`make test-windows`): runs a cross-compiled test
# executable under Wine, in the throwaway WINEPREFIX the Makefile made and prepared.
set -euo pipefail
: "${WINEPREFIX:?run through make test-windows, which makes a throwaway WINEPREFIX}"
export WINEDEBUG=-all
exec /usr/lib/wine/wine64 "$@"
