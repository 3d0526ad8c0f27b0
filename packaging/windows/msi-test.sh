#!/bin/bash
# The MSI's checks, run by `make test-windows` (test.sh, which prepares WINEPREFIX):
#  1. what it holds, read with msiinfo and msiextract;
#  2. what it does, with Wine's Windows Installer: refused without WebView2, installed, the
#     installed Rehome.exe started, upgraded, a downgrade refused, uninstalled.
# Usage: msi-test.sh <cargo target dir>
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$(realpath "$1")
out=$target/windows
# msiinfo writes a table's binary columns (the icon) as files where it runs: somewhere to throw away.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1
: "${WINEPREFIX:?run through test.sh, which makes a throwaway WINEPREFIX}"
wine=/usr/lib/wine/wine64
pkgid=$(cd "$here/../.." && cargo pkgid -p rehome)
version=${pkgid##*[#@]}
version=${version%%[-+]*}
msi=$out/Rehome_${version}_x64.msi
[ -f "$msi" ] || { echo "FAIL - no $msi: run make windows"; exit 1; }

checks=0 failures=0
check() { # check <what> <command…>: runs the command (or function), prints ok or FAIL
  local what=$1; shift
  checks=$((checks + 1))
  if "$@" >/dev/null 2>&1; then echo "ok - $what"; else echo "FAIL - $what"; failures=$((failures + 1)); fi
}

# --- 1. What it holds --------------------------------------------------------------------------
rows() { msiinfo export "$1" "$2" | tail -n +4 | tr -d '\r'; }        # <msi> <table>
property() { rows "$1" Property | awk -F'\t' -v name="$2" '$1 == name { print $2 }'; }
has() { rows "$msi" "$1" | grep -qP "$2"; }                             # <table> <row regex>
tab=$'\t'
edge_clients='Microsoft\\EdgeUpdate\\Clients\\\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5\}'

check "ProductVersion is Cargo.toml's version ($version)" test "$(property "$msi" ProductVersion)" = "$version"
check "per-machine: ALLUSERS=1" test "$(property "$msi" ALLUSERS)" = 1
check "not per-user: no MSIINSTALLPERUSER" test -z "$(property "$msi" MSIINSTALLPERUSER)"
check "a 64-bit package (Template x64;1033)" bash -c "msiinfo suminfo '$msi' | grep -qx 'Template: x64;1033'"
check "the UpgradeCode Rehome keeps" test "$(property "$msi" UpgradeCode)" = "{1EEC82BB-36B5-473D-A35F-BAADB519657B}"
check "installs to Program Files\\Rehome (64-bit)" has Directory "^INSTALLDIR${tab}ProgramFiles64Folder${tab}Rehome$"
check "Rehome.exe in it" has File "^RehomeExe${tab}RehomeExe${tab}Rehome.exe${tab}"
check "WebView2Loader.dll beside it" has File "^WebView2Loader${tab}WebView2Loader${tab}WebView2Loader.dll${tab}"
two_components() { [ "$(rows "$msi" Component | grep -cP "^(RehomeExe|WebView2Loader)${tab}\{[-0-9A-F]+\}${tab}INSTALLDIR${tab}256${tab}")" = 2 ]; }
check "both in 64-bit components in INSTALLDIR" two_components
check "a Start-menu shortcut to Rehome.exe with the icon" has Shortcut \
  "^StartMenuShortcut${tab}ProgramMenuFolder${tab}Rehome${tab}StartMenuShortcut${tab}\[INSTALLDIR\]Rehome.exe${tab}.*${tab}rehome.ico${tab}"
icon() { has Icon '^rehome.ico' && [ "$(property "$msi" ARPPRODUCTICON)" = rehome.ico ]; }
check "the icon, also in Apps & features" icon
check "WebView2 looked for per machine (HKLM, 32-bit view), value pv" has RegLocator \
  "^WebView2Machine${tab}2${tab}SOFTWARE\\\\${edge_clients}${tab}pv${tab}2$"
check "… and per user (HKCU)" has RegLocator "^WebView2User${tab}1${tab}Software\\\\${edge_clients}${tab}pv${tab}2$"
webview2_condition() { rows "$msi" LaunchCondition | tr '\n' ' ' | grep 'WEBVIEW2_MACHINE' | grep 'developer.microsoft.com/microsoft-edge/webview2' | grep -q 'Inget har installerats'; }
check "without it, a launch condition says where to get it (en + sv)" webview2_condition
extracted=$(mktemp -d)
msiextract -C "$extracted" "$msi" >"$extracted/list" 2>&1
# msiextract names files from the Program Files folder on.
check "msiextract lists Rehome/Rehome.exe" grep -qx 'Rehome/Rehome.exe' "$extracted/list"
check "… and Rehome/WebView2Loader.dll" grep -qx 'Rehome/WebView2Loader.dll' "$extracted/list"
check "the packed Rehome.exe is the one built" cmp "$extracted/Rehome/Rehome.exe" "$out/Rehome.exe"
rm -rf "$extracted"

# --- 2. What it does, with Wine's Windows Installer --------------------------------------------
# Wine passes msiexec's exit code on modulo 256: 1603 (fatal, here a launch condition) is 67.
msiexec() { "$wine" msiexec "$@" /qn; }
edge_key='HKLM\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}'
webview2() { "$wine" reg add "$edge_key" /v pv /d "$1" /f /reg:32 >/dev/null 2>&1; }
no_webview2() { "$wine" reg delete "$edge_key" /f /reg:32 >/dev/null 2>&1; }
installed="$WINEPREFIX/drive_c/Program Files/Rehome"
nothing_installed() { [ ! -e "$installed" ]; }
listed() { # <msi> <version>: its Apps & features entry
  local entry
  entry=$("$wine" reg query "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$(property "$1" ProductCode)" | tr -d '\r') &&
    grep -qP 'DisplayName\s+REG_SZ\s+Rehome$' <<<"$entry" && grep -qP "DisplayVersion\s+REG_SZ\s+$2\$" <<<"$entry"
}
# Wine's installer puts the shortcut in the user's Start menu even with ALLUSERS=1 (its log says
# ProgramMenuFolder is per user); Windows puts it in the all-users one. Either is looked for.
shortcut() { find "$WINEPREFIX/drive_c" -path '*Start Menu/Programs/Rehome.lnk' | grep -q .; }

no_webview2
msiexec /i "$msi"; status=$?
check "no WebView2 Runtime: refused with 1603" test $status = 67
check "… nothing installed" nothing_installed
webview2 0.0.0.0
msiexec /i "$msi"; status=$?
check "WebView2 removed (version 0.0.0.0): refused with 1603" test $status = 67
check "… nothing installed" nothing_installed
webview2 131.0.2903.86
msiexec /i "$msi"; status=$?
check "WebView2 present: installed (exit 0)" test $status = 0
check "Program Files\\Rehome\\Rehome.exe is the one built" cmp "$installed/Rehome.exe" "$out/Rehome.exe"
check "WebView2Loader.dll beside it" cmp "$installed/WebView2Loader.dll" "$out/WebView2Loader.dll"
check "the Start-menu shortcut" shortcut
check "in Apps & features: Rehome $version" listed "$msi" "$version"

# Wine has no real WebView2, so the installed Rehome.exe gets as far as WebView2's own "Could not
# find the WebView2 Runtime" box: every DLL found, Rehome set up, its window made.
starts() {
  local display=:$((100 + RANDOM % 800)) xvfb app seen=1
  Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 & xvfb=$!
  sleep 1
  no_webview2
  (cd "$installed" && DISPLAY=$display exec "$wine" Rehome.exe >"$out/wine-start.log" 2>&1) & app=$!
  for _ in $(seq 60); do
    if DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -q '"Error": ("rehome.exe"'; then
      sleep 1; DISPLAY=$display import -window root "$out/wine-start.png"; seen=0; break
    fi
    sleep 1
  done
  # Ends Rehome and whatever else runs in this throwaway prefix.
  /usr/lib/wine/wineserver64 -k; wait "$app"
  kill "$xvfb"; wait "$xvfb"
  webview2 131.0.2903.86
  return $seen
}
check "the installed Rehome.exe starts (as far as WebView2; $out/wine-start.png)" starts

# An upgrade: the same files as the next patch version replace this one in place.
next=$(awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }' <<<"$version")
newer_dir=$(mktemp -d)
"$here/msi.sh" "$target" "$next" "$newer_dir" >/dev/null
newer=$newer_dir/Rehome_${next}_x64.msi
msiexec /i "$newer"; status=$?
check "$next over $version: installed" test $status = 0
replaced() { ! listed "$msi" "$version" && listed "$newer" "$next"; }
check "… in its place: only $next in Apps & features" replaced
msiexec /i "$msi"; status=$?
check "$version over $next (a downgrade): refused" test $status = 67
msiexec /x "$(property "$newer" ProductCode)"; status=$?
check "uninstalled (msiexec /x): exit 0" test $status = 0
gone() { nothing_installed && ! shortcut && ! listed "$newer" "$next"; }
check "… Program Files\\Rehome, the shortcut and the Apps & features entry gone" gone
rm -rf "$newer_dir"

[ $failures = 0 ] && echo "all $checks MSI checks passed" || echo "FAIL: $failures of $checks MSI checks failed"
exit $((failures > 0))
