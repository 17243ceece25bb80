#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/release.sh [--out DIR] [--builddir-suffix SUFFIX]
#
# The Windows release bundle: builds both arches with tools/win/build.sh
# (which strips the binaries and checks their imports and resources) and
# writes DIR/wsinstall-VERSION-windows.zip (default DIR: build-release/),
# whose one folder wsinstall-VERSION/ holds:
#   wsinstall.exe, wsinstall-x86.exe   the x64 build and the x86 build (the
#                                      x64 one's helper for the 32-bit catalog)
#   x64/wsinstall-ca.dll, x86/wsinstall-ca.dll
#                                      the MSI custom action DLLs
#   schema/      the XML schemas (manifest.xsd, snapshot.xsd), their XML
#                catalog for editors and the JSON output schemas
#   manifests/   the example manifests and their README
#   msi/         windows/msi/*.wxs, *.wxi, *.sh, *.py: the WiX pieces
#   COPYING, README.md
#   SHA256SUMS   sha256sum -c SHA256SUMS, run in the folder, checks the rest
# and DIR/wsinstall-VERSION-windows-debug.zip: the binaries' debug info
# (x64/ and x86/, NAME.debug as their .gnu_debuglink names it), not shipped.
#
# Reproducible: the same sources give the same zip bytes. Windows builds
# link with no PE time stamp and map the tree's paths away (meson.build);
# the zip's entries are sorted, with fixed modes and the time
# SOURCE_DATE_EPOCH (default: the last commit's time, or 2024-01-01 outside
# git). --builddir-suffix builds in build-win-ARCH$SUFFIX instead of
# build-win-ARCH (tools/win/release-test.sh's second, clean build).
# Signing is a separate step: tools/win/sign.sh. Prints the zips' paths.
set -eu

usage() {
  echo "usage: tools/win/release.sh [--out DIR] [--builddir-suffix SUFFIX]" >&2
  exit 2
}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build-release
suffix=""
while [ $# -gt 0 ]; do
  case $1 in
    --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
    --builddir-suffix) [ $# -ge 2 ] || usage; suffix=$2; shift 2 ;;
    *) usage ;;
  esac
done
# The build trees stay at build-win-ARCH's depth: meson names the sources
# relative to the build tree, and those names are in the binaries.
case $suffix in
  */*) echo "release.sh: --builddir-suffix must not contain '/'" >&2; exit 2 ;;
esac

log() { echo "release.sh: $*" >&2; }

if ! command -v python3 > /dev/null; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2 || log "apt-get update reported errors; going on with the lists it has"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3 >&2
fi

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null) || SOURCE_DATE_EPOCH=""
  [ -n "$SOURCE_DATE_EPOCH" ] || SOURCE_DATE_EPOCH=1704067200
fi
export SOURCE_DATE_EPOCH

for arch in x86_64 i686; do
  log "building $arch in build-win-$arch$suffix"
  WSI_WIN_BUILDDIR=$root/build-win-$arch$suffix "$here/build.sh" "$arch" > /dev/null
done
b64=$root/build-win-x86_64$suffix
b86=$root/build-win-i686$suffix

version=$(sed -n "s/^[[:space:]]*version:[[:space:]]*'\([^']*\)'.*/\1/p" "$root/meson.build" | head -1)
name=wsinstall-$version
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d "$out/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
bundle=$stage/$name
debug=$stage/$name-debug
mkdir -p "$bundle/x64" "$bundle/x86" "$bundle/schema" "$bundle/manifests" "$bundle/msi" \
         "$debug/x64" "$debug/x86"

# put SRC DEST: a copy with the mode the zip gives it anyway.
put() { cp "$1" "$2"; chmod 0644 "$2"; }
put "$b64/tools/wsinstall.exe" "$bundle/wsinstall.exe"
put "$b86/tools/wsinstall.exe" "$bundle/wsinstall-x86.exe"
put "$b64/windows/msi/wsinstall-ca.dll" "$bundle/x64/wsinstall-ca.dll"
put "$b86/windows/msi/wsinstall-ca.dll" "$bundle/x86/wsinstall-ca.dll"
for pair in "$b64:x64" "$b86:x86"; do
  b=${pair%:*}
  a=${pair##*:}
  put "$b/tools/wsinstall.exe.debug" "$debug/$a/wsinstall.exe.debug"
  put "$b/windows/msi/wsinstall-ca.dll.debug" "$debug/$a/wsinstall-ca.dll.debug"
done
for f in "$root"/schema/*.xsd "$root"/schema/catalog.xml "$root"/schema/*.schema.json; do
  put "$f" "$bundle/schema/$(basename "$f")"
done
for f in "$root"/manifests/*.xml "$root"/manifests/README.md; do
  put "$f" "$bundle/manifests/$(basename "$f")"
done
# Every WiX piece and script of windows/msi/, whatever its name.
for f in "$root"/windows/msi/*.wxs "$root"/windows/msi/*.wxi "$root"/windows/msi/*.sh "$root"/windows/msi/*.py; do
  [ -f "$f" ] && put "$f" "$bundle/msi/$(basename "$f")"
done
put "$root/COPYING" "$bundle/COPYING"
put "$root/README.md" "$bundle/README.md"

# SHA256SUMS: every other file, by path in byte order.
"$here/sha256sums.sh" "$bundle"

# zip DIR ZIP: DIR's files as DIR's name/..., sorted, each with the time
# SOURCE_DATE_EPOCH (UTC; zip has no time before 1980), mode 0644 (0755 for
# .exe, .dll, .sh and .py) and the same compression.
zip_dir() {
  python3 - "$1" "$2" <<'PY'
import os, sys, time, zipfile
src, dest = sys.argv[1], sys.argv[2]
when = max(int(os.environ["SOURCE_DATE_EPOCH"]), 315532800)
stamp = time.gmtime(when)[:6]
top = os.path.basename(src)
files = []
for d, _, names in os.walk(src):
    for n in names:
        path = os.path.join(d, n)
        files.append(os.path.relpath(path, src).replace(os.sep, "/"))
tmp = dest + ".tmp"
with zipfile.ZipFile(tmp, "w") as z:
    for rel in sorted(files, key=lambda s: s.encode()):
        info = zipfile.ZipInfo(top + "/" + rel, date_time=stamp)
        info.create_system = 3
        mode = 0o755 if rel.endswith((".exe", ".dll", ".sh", ".py")) else 0o644
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(src, rel), "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
os.replace(tmp, dest)
PY
}
zip_dir "$bundle" "$out/$name-windows.zip"
zip_dir "$debug" "$out/$name-windows-debug.zip"
log "wrote $out/$name-windows.zip ($(wc -c < "$out/$name-windows.zip") bytes; SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
echo "$out/$name-windows.zip"
echo "$out/$name-windows-debug.zip"
