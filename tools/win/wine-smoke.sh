#!/bin/sh
# tools/win/wine-smoke.sh [ARCH...]   (default: x86_64; also i686)
#
# Runs the Windows builds (build-win-ARCH/tools/wsinstall.exe, from
# tools/win/build.sh) under Wine and compares stdout and exit status of each
# case with the Linux build's (build/tools/wsinstall, or $WSI_NATIVE): the
# CLI golden cases of tests/cli/*.cmd, --version, explain, schema, and
# validate of every example manifest in every output format. Before the
# comparison both outputs are normalised the same way: CR LF -> LF (the
# Windows C runtime writes text mode) and '\' (also JSON's '\\') -> '/'.
# Prints TAP; exits 1 if a case fails, 2 if something needed is missing.
#
# Installs Wine with apt-get when it is missing (wine32:i386 for i686, which
# adds the i386 architecture). Runs in a throw-away WINEPREFIX with
# WINEDEBUG=-all; no display is needed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
archs=${*:-x86_64}
native=${WSI_NATIVE:-$root/build/tools/wsinstall}

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

install_wine() {
  need="wine wine64"
  case " $archs " in *" i686 "*) need="$need wine32:i386" ;; esac
  missing=""
  for p in $need; do
    installed "$p" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  case "$missing" in
    *:i386*)
      if ! dpkg --print-foreign-architectures | grep -qx i386; then
        $SUDO dpkg --add-architecture i386
      fi ;;
  esac
  echo "wine-smoke: installing:$missing" >&2
  $SUDO apt-get update -qq >&2 || return 1
  # shellcheck disable=SC2086 # word splitting of the package list is wanted
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
}

for arch in $archs; do
  case "$arch" in
    x86_64|i686) ;;
    *) echo "usage: tools/win/wine-smoke.sh [x86_64] [i686]" >&2; exit 2 ;;
  esac
  if [ ! -f "build-win-$arch/tools/wsinstall.exe" ]; then
    echo "wine-smoke: build-win-$arch/tools/wsinstall.exe is missing (tools/win/build.sh $arch)" >&2
    exit 2
  fi
done
if [ ! -x "$native" ]; then
  echo "wine-smoke: the Linux build $native is missing (tools/dev test, or set WSI_NATIVE)" >&2
  exit 2
fi
install_wine || { echo "wine-smoke: installing Wine failed" >&2; exit 2; }
wine=$(command -v wine || true)
[ -n "$wine" ] || { echo "wine-smoke: no wine command after installing Wine" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export WINEPREFIX="$tmp/prefix"
export WINEDEBUG=-all
# No Mono/Gecko install prompts, no window: wsinstall is a console program.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY

# The prefix is created by the first program Wine runs; do it once up front
# so its time and messages stay out of the first case.
if ! "$wine" wineboot --init > "$tmp/wineboot.log" 2>&1; then
  echo "wine-smoke: wineboot failed:" >&2
  cat "$tmp/wineboot.log" >&2
  exit 2
fi
if command -v wineserver > /dev/null 2>&1; then
  wineserver -w 2>/dev/null || true
fi

# The cases: one argument line each, split like tests/cli/*.cmd.
cases=$tmp/cases
: > "$cases"
for cmd in tests/cli/*.cmd; do
  [ -f "$cmd" ] || continue
  cat "$cmd" >> "$cases"
  echo >> "$cases"
done
{
  echo "--version"
  echo "explain --list"
  echo "explain --list --markdown"
  echo "schema"
  echo "schema --snapshot"
  for f in text json sarif github; do
    echo "validate --format=$f manifests"
  done
  for m in manifests/*.xml; do
    [ -f "$m" ] && echo "validate --strict $m"
  done
} >> "$cases"
sed -i '/^[[:space:]]*$/d' "$cases"

normalise() {
  tr -d '\r' | sed -e 's/\\\\/\//g' -e 's/\\/\//g'
}

total=$(($(wc -l < "$cases") * $(echo "$archs" | wc -w)))
echo "1..$total"
n=0
fail=0
for arch in $archs; do
  exe=build-win-$arch/tools/wsinstall.exe
  while IFS= read -r args; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # the case line is split into words on purpose
    eval "set -- $args"
    "$native" "$@" > "$tmp/linux.out" 2> "$tmp/linux.err" < /dev/null
    linux_rc=$?
    "$wine" "$exe" "$@" > "$tmp/win.out" 2> "$tmp/win.err" < /dev/null
    win_rc=$?
    normalise < "$tmp/linux.out" > "$tmp/linux.norm"
    normalise < "$tmp/win.out" > "$tmp/win.norm"
    if [ "$win_rc" != "$linux_rc" ]; then
      echo "not ok $n - $arch: wsinstall $args: exit $win_rc, Linux $linux_rc"
      sed 's/^/# /' "$tmp/win.err" | head -20
      fail=$((fail + 1))
    elif ! diff -u "$tmp/linux.norm" "$tmp/win.norm" > "$tmp/diff"; then
      echo "not ok $n - $arch: wsinstall $args: output differs from Linux"
      sed 's/^/# /' "$tmp/diff" | head -40
      fail=$((fail + 1))
    else
      echo "ok $n - $arch: wsinstall $args (exit $win_rc, $(wc -c < "$tmp/win.norm") bytes)"
    fi
  done < "$cases"
done
wineserver -k 2>/dev/null || true
echo "wine-smoke: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
