#!/bin/bash
# `make windows`, second half: puts the cross-built Rehome.exe and WebView2Loader.dll beside each
# other and packs them into an MSI with wixl (rehome.wxs).
# Usage: msi.sh <cargo target dir> [version] [folder]
# Writes Rehome.exe, WebView2Loader.dll and Rehome_<version>_x64.msi to <target>/windows/ (or the
# folder). The version is Cargo.toml's; msi-test.sh gives another to try an upgrade.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$1
built=$target/x86_64-pc-windows-gnu/release
out=${3:-$target/windows}

# MSI versions are numbers only, so 1.2.0-beta.1 ships as 1.2.0.
pkgid=$(cd "$here/../.." && cargo pkgid -p rehome)
version=${2:-${pkgid##*[#@]}}
version=${version%%[-+]*}
# One version, one ProductCode (rehome.wxs says why): a GUID made from the UpgradeCode and version.
hash=$(printf '1EEC82BB-36B5-473D-A35F-BAADB519657B %s' "$version" | sha1sum | tr a-f A-F)
product_code="${hash:0:8}-${hash:8:4}-${hash:12:4}-${hash:16:4}-${hash:20:12}"

mkdir -p "$out"
cp "$built/rehome.exe" "$out/Rehome.exe"
cp "$built/WebView2Loader.dll" "$out/WebView2Loader.dll"
msi=$out/Rehome_${version}_x64.msi
# wixl takes the files' paths relative to where it runs.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$out/Rehome.exe" "$out/WebView2Loader.dll" "$stage/"
cp "$here/../../icons/icon.ico" "$stage/rehome.ico"
(cd "$stage" && wixl --arch x64 -D Version="$version" -D ProductCode="$product_code" \
  -D Exe=Rehome.exe -D WebView2Loader=WebView2Loader.dll -D Icon=rehome.ico \
  -o rehome.msi "$here/rehome.wxs")
mv "$stage/rehome.msi" "$msi"
echo "Windows build in $out:"
for f in "$out/Rehome.exe" "$out/WebView2Loader.dll" "$msi"; do
  awk -v name="$(basename "$f")" -v bytes="$(stat -c %s "$f")" 'BEGIN { printf "  %-28s %6.2f MB\n", name, bytes / 1e6 }'
done
