#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/build.sh [--test] ARCH (x86_64 | i686)
#
# Cross-compiles a static wsinstall.exe for Windows into build-win-ARCH/
# (build-win-ARCH/tools/wsinstall.exe): the dependencies come from
# tools/win/build-deps.sh (cached), GLib, libxml2 and libgcc are linked in,
# and the result may import Windows system DLLs only, which is checked.
# The executable and the MSI custom action DLL are then stripped (their
# debug info goes to NAME.debug beside them, named by a .gnu_debuglink) and
# must carry their resources: a VERSIONINFO each, and the executable its
# application manifest (windows/).
# --test builds into build-win-ARCH-test/ instead: buildtype debugoptimized
# with fault injection (WSINSTALL_FAULT) and the test hooks (-Dtest_hooks:
# WSINSTALL_WSC_DLL and the custom action's snapshot property). The Wine
# tests use it; nothing built there ships (meson refuses test hooks in a
# release build).
# WSI_WERROR=1 turns warnings into errors, as in tools/dev; WSI_JOBS caps
# ninja's parallel jobs (default: every CPU), WSI_WIN_BUILDDIR the build
# tree (default build-win-ARCH).
set -eu

usage() {
  echo "usage: tools/win/build.sh [--test] x86_64|i686" >&2
  exit 2
}
flavour=release
if [ "${1:-}" = --test ]; then
  flavour=test
  shift
fi
[ $# = 1 ] || usage
arch=$1
case "$arch" in
  x86_64|i686) ;;
  *) usage ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
host=$arch-w64-mingw32
# WSI_WIN_BUILDDIR: another build tree (tools/win/release.sh's second,
# clean build); keep it at the default's depth in the tree for the same bytes.
default_builddir=$root/build-win-$arch
[ "$flavour" = test ] && default_builddir=$root/build-win-$arch-test
builddir=${WSI_WIN_BUILDDIR:-$default_builddir}
jobs=${WSI_JOBS:-$(nproc 2>/dev/null || echo 2)}

prefix=$("$here/build-deps.sh" "$arch")
werror=false
[ "${WSI_WERROR:-0}" = 1 ] && werror=true

# A build directory configured against another prefix (the recipe changed)
# or another json-glib-lite is set up again from scratch: meson keeps the
# cross files' values, and ninja does not see a changed library in the prefix.
deps_id="$prefix $(cat "$prefix/.json-glib-lite") $flavour"
if [ -f "$builddir/build.ninja" ] && [ "$(cat "$builddir/.wsi-deps-id" 2>/dev/null)" = "$deps_id" ]; then
  meson configure "$builddir" -Dwerror="$werror" >/dev/null
else
  rm -rf "$builddir"
  # A release build: fault injection (option fault_injection=auto) is off
  # and there are no test hooks.
  flavour_options="--buildtype=release"
  [ "$flavour" = test ] &&
    flavour_options="--buildtype=debugoptimized -Dfault_injection=enabled -Dtest_hooks=true"
  # shellcheck disable=SC2086 # the options are words on purpose
  meson setup "$builddir" "$root" \
    --cross-file "$prefix/share/wsinstall/deps-prefix.ini" \
    --cross-file "$here/cross-$arch.ini" \
    $flavour_options -Ddefault_library=static -Dwerror="$werror" \
    -Dtests=false -Dhivex=disabled >&2
  echo "$deps_id" > "$builddir/.wsi-deps-id"
fi
ninja -C "$builddir" -j"$jobs" >&2

exe=$builddir/tools/wsinstall.exe
[ -f "$exe" ] || { echo "build.sh: $exe was not built" >&2; exit 1; }
bins=$(find "$builddir/tools" "$builddir/windows" -name '*.exe' -o -name '*.dll' | LC_ALL=C sort)

# Stripping: the static GLib, libxml2 and mingw runtime bring DWARF and a
# COFF symbol table that make up half of each file. The release files are
# stripped in place, once after each link (a file that has its debuglink is
# what the last link gave, stripped already); gdb finds NAME.debug through
# the debuglink.
for bin in $bins; do
  "$host-objdump" -h "$bin" | grep -q '[[:space:]]\.gnu_debuglink[[:space:]]' && continue
  before=$(wc -c < "$bin")
  # objcopy writes a new PE time stamp, SOURCE_DATE_EPOCH's or the current
  # time: 0, as the link gave (meson.build), whatever the environment.
  SOURCE_DATE_EPOCH=0 "$host-objcopy" --only-keep-debug "$bin" "$bin.debug"
  # The debuglink names the file without its directory: run beside it.
  (cd "$(dirname "$bin")" && SOURCE_DATE_EPOCH=0 "$host-objcopy" --strip-all --add-gnu-debuglink="$(basename "$bin").debug" "$(basename "$bin")")
  echo "build.sh: stripped ${bin#"$root"/}: $before -> $(wc -c < "$bin") bytes (debug info in $(basename "$bin").debug)" >&2
done

# Only DLLs every Windows has may be imported, by the .exe and by any DLL
# built beside it (the MSI custom action): anything else would have to be
# shipped with them.
status=0
for bin in $bins; do
  dlls=$("$host-objdump" -p "$bin" | sed -n 's/^[[:space:]]*DLL Name:[[:space:]]*//p' | tr -d '\r')
  bad=""
  for dll in $dlls; do
    case $(echo "$dll" | tr '[:upper:]' '[:lower:]') in
      kernel32.dll|advapi32.dll|msvcrt.dll|user32.dll|gdi32.dll|shell32.dll|shlwapi.dll|ole32.dll|\
      oleaut32.dll|ws2_32.dll|mswsock.dll|dnsapi.dll|iphlpapi.dll|winmm.dll|userenv.dll|rpcrt4.dll|\
      bcrypt.dll|crypt32.dll|secur32.dll|ntdll.dll|comdlg32.dll|setupapi.dll|version.dll|msi.dll|\
      api-ms-win-*.dll) ;;
      *) bad="$bad $dll" ;;
    esac
  done
  echo "build.sh: ${bin#"$root"/} imports: $(echo "$dlls" | tr '\n' ' ')" >&2
  if [ -n "$bad" ]; then
    echo "build.sh: ${bin#"$root"/} imports DLLs that are not part of Windows:$bad" >&2
    status=1
  fi
done

# The resources windows/meson.build compiled in, as windres reads them back
# from the file: the version of meson.build's project() in every file, the
# asInvoker manifest in every executable.
version=$(sed -n "s/^[[:space:]]*version:[[:space:]]*'\([^']*\)'.*/\1/p" "$root/meson.build" | head -1)
for bin in $bins; do
  rc=$("$host-windres" --input-format=coff --output-format=rc "$bin" 2>&1) || rc=""
  missing=""
  printf '%s\n' "$rc" | grep -q "VALUE \"FileVersion\", \"$version\"" || missing="$missing VERSIONINFO($version)"
  case $bin in
    *.exe)
      printf '%s\n' "$rc" | grep -q 'requestedExecutionLevel level=""asInvoker""' || missing="$missing manifest(asInvoker)" ;;
  esac
  if [ -n "$missing" ]; then
    echo "build.sh: ${bin#"$root"/} lacks its resources:$missing" >&2
    status=1
  fi
done
[ "$status" = 0 ] || exit 1
echo "$exe"
