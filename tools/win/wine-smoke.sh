#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/wine-smoke.sh [ARCH...]   (default: x86_64; also i686)
#
# Runs the Windows builds (build-win-ARCH/tools/wsinstall.exe, from
# tools/win/build.sh) under Wine and compares each case's stdout, exit
# status and the files it writes with the Linux build's (build/tools/wsinstall,
# or $WSI_NATIVE): the CLI golden cases of tests/cli/*.cmd (their $tmp is a
# fresh directory per run), --version, explain, schema, and validate of every
# example manifest in every output format. Before the comparison both sides
# are normalised the same way: in stdout CR LF -> LF (the Windows C runtime
# writes text in text mode) and '\' (also JSON's '\\') -> '/', and in stdout
# and the files written the run's $tmp -> $tmp. JSON and SARIF must have no
# CR at all: they are written in binary mode.
# Cases that need what the Windows build leaves out (libhivex) are skipped.
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
  added_i386=no
  case "$missing" in
    *:i386*)
      if ! dpkg --print-foreign-architectures | grep -qx i386; then
        $SUDO dpkg --add-architecture i386
        added_i386=yes
      fi ;;
  esac
  echo "wine-smoke: installing:$missing" >&2
  # shellcheck disable=SC2086 # word splitting of the package list is wanted
  if $SUDO apt-get update -qq >&2 &&
     DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2; then
    return 0
  fi
  # Leave apt as it was: an i386 architecture whose lists fail to download
  # would make every later `apt-get update` fail.
  if [ "$added_i386" = yes ]; then
    $SUDO dpkg --remove-architecture i386 && $SUDO apt-get update -qq >&2
  fi
  return 1
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

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export WINEPREFIX="$scratch/prefix"
export WINEDEBUG=-all
# No Mono/Gecko install prompts, no window: wsinstall is a console program.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
# ref:NAME machines: the source tree's reference catalogs (a Unix path; Wine
# maps it), as the Linux test environment uses.
export WSINSTALL_REFERENCE_DIR="$root/data/reference"
unset DISPLAY WAYLAND_DISPLAY

# The prefix is created by the first program Wine runs; do it once up front
# so its time and messages stay out of the first case.
started=$(date +%s)
if ! "$wine" wineboot --init > "$scratch/wineboot.log" 2>&1; then
  echo "wine-smoke: wineboot failed:" >&2
  cat "$scratch/wineboot.log" >&2
  exit 2
fi
if command -v wineserver > /dev/null 2>&1; then
  wineserver -w 2>/dev/null || true
fi

# The cases: one argument line each, split like tests/cli/*.cmd.
cases=$scratch/cases
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

# normalise RUNDIR: the filter applied to both sides before comparing.
normalise() {
  # SARIF's %SRCROOT% is a file URI of the working directory, which Wine
  # names by its drive (file:///Z:/work/...).
  tr -d '\r' | sed -e 's/\\\\/\//g' -e 's/\\/\//g' -e 's|file:///[A-Za-z]:/|file:///|g' -e "s|$1|\$tmp|g"
}

# machine_format ARGS: the case prints JSON or SARIF, which must be the same
# bytes as on Linux (stdout in binary mode): no CR, before normalise.
machine_format() {
  case " $1 " in
    *" --format=json "*|*" --format=sarif "*|*" -f json "*|*" -f sarif "*) return 0 ;;
  esac
  return 1
}

# skip_reason ARGS: why a case cannot run on Windows, if it cannot.
skip_reason() {
  case " $1 " in
    *" --from=hive "*) echo "the Windows build has no libhivex (-Dhivex=disabled)" ;;
  esac
}

# run_side NAME PROGRAM...: runs the current case's arguments ($args) with a
# fresh $tmp, leaving NAME.out, NAME.rc and the files written in NAME.tmp/.
run_side() {
  side=$1; shift
  tmp=$scratch/$side.tmp
  rm -rf "$tmp" "$scratch/$side.out" "$scratch/$side.err"
  mkdir -p "$tmp"
  # shellcheck disable=SC2086 # the case line is split into words on purpose
  eval "set -- \"\$@\" $args"
  "$@" > "$scratch/$side.raw" 2> "$scratch/$side.err" < /dev/null
  echo $? > "$scratch/$side.rc"
  normalise "$tmp" < "$scratch/$side.raw" > "$scratch/$side.out"
  # Files are compared as bytes (both builds write them in binary mode),
  # but for the path of the run's $tmp.
  for f in "$tmp"/*; do
    [ -f "$f" ] || continue
    LC_ALL=C sed -e "s|$tmp|\$tmp|g" "$f" > "$f.norm" && mv "$f.norm" "$f"
  done
}

# compare_sides: whether the Windows side of the current case gave what the
# Linux side did; if not, a one-line verdict in $scratch/verdict and what
# shows the difference in $scratch/detail.
compare_sides() {
  linux_rc=$(cat "$scratch/linux.rc")
  win_rc=$(cat "$scratch/win.rc")
  : > "$scratch/detail"
  if [ "$win_rc" != "$linux_rc" ]; then
    echo "exit $win_rc, Linux $linux_rc" > "$scratch/verdict"
    cp "$scratch/win.err" "$scratch/detail"
    return 1
  fi
  if machine_format "$args" && LC_ALL=C grep -q "$(printf '\r')" "$scratch/win.raw"; then
    echo "CR in a machine format (stdout not in binary mode)" > "$scratch/verdict"
    return 1
  fi
  if ! diff -u "$scratch/linux.out" "$scratch/win.out" > "$scratch/detail"; then
    echo "output differs from Linux" > "$scratch/verdict"
    return 1
  fi
  if ! diff -ru "$scratch/linux.tmp" "$scratch/win.tmp" > "$scratch/detail"; then
    echo "the files written differ from Linux" > "$scratch/verdict"
    return 1
  fi
  return 0
}

total=$(($(wc -l < "$cases") * $(echo "$archs" | wc -w)))
echo "1..$total"
n=0
fail=0
skipped=0
reruns=0
for arch in $archs; do
  exe=build-win-$arch/tools/wsinstall.exe
  while IFS= read -r args; do
    n=$((n + 1))
    reason=$(skip_reason "$args")
    if [ -n "$reason" ]; then
      echo "ok $n - $arch: wsinstall $args # SKIP $reason"
      skipped=$((skipped + 1))
      continue
    fi
    run_side linux "$native"
    run_side win "$wine" "$exe"
    if ! compare_sides; then
      # Wine on a loaded machine now and then crashes a process or fails a
      # call that works on the next try (seen: an i686 run killed by SIGSEGV,
      # once in some hundred runs). A mismatch is therefore run once more
      # on the Windows side; only one that repeats fails the case, and the
      # first run's difference is printed either way.
      first=$(cat "$scratch/verdict")
      sed 's/^/# first run: /' "$scratch/detail" | head -40
      run_side win "$wine" "$exe"
      if compare_sides; then
        echo "ok $n - $arch: wsinstall $args # the first run under Wine differed ($first); the rerun matched Linux"
        reruns=$((reruns + 1))
        continue
      fi
      echo "not ok $n - $arch: wsinstall $args: $(cat "$scratch/verdict") (first run: $first)"
      sed 's/^/# /' "$scratch/detail" | head -40
      fail=$((fail + 1))
      continue
    fi
    written=$(find "$scratch/win.tmp" -type f | wc -l)
    echo "ok $n - $arch: wsinstall $args (exit $(cat "$scratch/win.rc"), $(wc -c < "$scratch/win.out") bytes, $written files)"
  done < "$cases"
done
wineserver -k 2>/dev/null || true
echo "# $(($(date +%s) - started)) s under Wine"
echo "wine-smoke: $((n - fail - skipped)) passed ($reruns after a rerun), $fail failed, $skipped skipped"
[ "$fail" = 0 ]
