# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/common.sh: what the Windows test scripts (wine-tests.sh,
# wine-live.sh, wine-msi.sh, release-test.sh) share. Sourced, not run:
#   script=NAME; . "$(dirname "$0")/common.sh"
# It moves to the top of the tree and gives:
#   here root started SUDO   the scripts' folder, the tree, the start time,
#                            "sudo" unless root
#   log MESSAGE              "NAME: MESSAGE" on stderr
#   installed PACKAGE        whether dpkg has it installed
#   apt_install PACKAGE...   installs, going on when an index fails
#   need_packages PKG...     installs those missing, exit 2 if it cannot
#   install_wine32 WHAT      sets have_wine32=yes|no; WHAT says what is
#                            skipped without it
#   ok / not_ok / skip / check and the counters n, failed, skipped: TAP
#   (not_ok prints the head of $scratch/err, $detail_lines lines, default
#   20, and of $scratch/out as comments)

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
started=$(date +%s)

log() { echo "${script:-wsinstall}: $*" >&2; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

apt_install() {
  # An index that fails to download (a mirror in sync) must not stop the
  # packages whose indexes did.
  $SUDO apt-get update -qq >&2 || log "apt-get update reported errors; going on with the lists it has"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >&2
}

need_packages() {
  missing=""
  for p in "$@"; do
    installed "$p" || missing="$missing $p"
  done
  [ -n "$missing" ] || return 0
  log "installing:$missing"
  # shellcheck disable=SC2086 # word splitting of the package list is wanted
  apt_install $missing || { log "installing$missing failed"; exit 2; }
}

install_wine32() {
  have_wine32=no
  if installed wine32:i386; then
    have_wine32=yes
    return 0
  fi
  if [ "${WSI_WINE32:-try}" = no ]; then
    log "WSI_WINE32=no: $1 skipped"
    return 0
  fi
  added_i386=no
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    $SUDO dpkg --add-architecture i386 && added_i386=yes
  fi
  log "installing wine32:i386"
  if apt_install wine32:i386; then
    have_wine32=yes
    return 0
  fi
  log "wine32:i386 cannot be installed here (the archive's i386 lists do not match): $1 skipped"
  # Leave apt as it was: a foreign architecture whose lists fail would make
  # every later apt-get update fail.
  if [ "$added_i386" = yes ]; then
    $SUDO dpkg --remove-architecture i386 >&2 || true
  fi
}

n=0
failed=0
skipped=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  [ -f "$scratch/err" ] && sed 's/^/#   /' "$scratch/err" | head -"${detail_lines:-20}"
  [ -f "$scratch/out" ] && sed 's/^/#   /' "$scratch/out" | head -15
}
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }

# native_wsinstall: sets native to the Linux wsinstall the Windows builds are
# compared with: $WSI_NATIVE, else build/ (brought up to date: a stale one
# would make every comparison fail), else one of the script's own in
# build-wine-native.
native_wsinstall() {
  if [ -n "${WSI_NATIVE:-}" ]; then
    native=$WSI_NATIVE
    return 0
  fi
  nativedir=build
  [ -f build/build.ninja ] || nativedir=build-wine-native
  if [ ! -f "$nativedir/build.ninja" ]; then
    log "configuring the Linux wsinstall in $nativedir"
    meson setup "$nativedir" -Dtests=false >&2 || exit 2
  fi
  ninja -C "$nativedir" tools/wsinstall >&2 || { log "building the Linux wsinstall failed"; exit 2; }
  native=$root/$nativedir/tools/wsinstall
}

# wine_prefix DIR: a fresh Wine prefix in DIR for this script's processes,
# quiet, with no display, no Mono or Gecko, and none of wsinstall's own
# variables leaking in from the caller; exit 2 if Wine cannot start.
wine_prefix() {
  export WINEPREFIX="$1"
  export WINEDEBUG=-all
  export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
  unset DISPLAY WAYLAND_DISPLAY WSINSTALL_HELPER32 WSINSTALL_ASSUME_NOT_ADMIN WSINSTALL_MACHINE WSINSTALL_FAULT
  if ! wine wineboot --init > "$1.wineboot.log" 2>&1; then
    log "wineboot failed:"
    cat "$1.wineboot.log" >&2
    exit 2
  fi
  wineserver -w 2>/dev/null || true
}
