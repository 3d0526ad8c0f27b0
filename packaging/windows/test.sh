#!/bin/bash
# `make test-windows`: rehome-core's and rehome-sandbox's tests, cross-compiled for Windows and run
# under Wine, then the MSI's checks (msi-test.sh). Built and tested under Wine, not on Windows.
# Usage: test.sh <cargo target dir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$1
out=$target/windows
mkdir -p "$out"

# A throwaway Wine prefix: nothing of it outlives the run (nor touches ~/.wine).
WINEPREFIX=$(mktemp -d /tmp/rehome-wine.XXXXXX)
export WINEPREFIX WINEDEBUG=-all
cleanup() { /usr/lib/wine/wineserver64 -k 2>/dev/null; rm -rf "$WINEPREFIX"; }
trap cleanup EXIT
echo "Preparing a Wine prefix in $WINEPREFIX"
/usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1 || { echo "wineboot failed"; exit 1; }
# Wine 8 lacks bcryptprimitives.dll, which Rust's std needs to start: our stand-in (processprng.c).
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$here/processprng.c" -ladvapi32 || exit 1

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$here/wine-runner.sh
status=0
for package in rehome-core rehome-sandbox; do
  cargo test --no-fail-fast --target x86_64-pc-windows-gnu -p "$package" 2>&1 | tee "$out/test-$package.log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done

"$here/msi-test.sh" "$target" | tee "$out/test-msi.log"
[ "${PIPESTATUS[0]}" = 0 ] || status=1

# The summary: each suite's counts, from cargo's own lines.
echo
echo "make test-windows – under $(/usr/lib/wine/wine64 --version), not on Windows:"
for package in rehome-core rehome-sandbox; do
  awk -v package="$package" '
    /^ *Running / { suite = ($2 == "unittests") ? "unit tests (" $3 ")" : $2 }
    /^ *Doc-tests / { suite = "doc tests" }
    /^error: could not compile/ { printf "  %-15s %s\n", package, $0 }
    /^test result:/ {
      passed += $4; failed += $6; ignored += $8
      printf "  %-15s %-30s %4d passed, %d failed, %d ignored\n", package, suite, $4, $6, $8
    }
    END { printf "  %-15s %-30s %4d passed, %d failed, %d ignored\n\n", package, "all", passed, failed, ignored }
  ' "$out/test-$package.log"
done
grep -E '^(ok|FAIL|all)' "$out/test-msi.log" | tail -n 1 | sed 's/^/  MSI: /'
[ $status = 0 ] && echo "test-windows: passed" || echo "test-windows: FAILED (logs in $out)"
exit $status
