#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/build-deps.sh ARCH (x86_64 | i686)
#
# Builds the static mingw-w64 libraries wsinstall.exe links against (libffi,
# pcre2, libxml2, GLib with its do-nothing libintl) from Debian's source
# packages, and json-glib-lite (subprojects/json-glib-lite: json-glib's source
# package cannot be fetched here), into a prefix in a cache outside the
# repository, and prints that prefix on stdout (the rest goes to stderr).
#
# The prefix is keyed by a hash of this script, the cross file and the
# libintl stand-in (subprojects/proxy-libintl): a changed recipe builds a new
# prefix, an unchanged one is reused (a finished prefix holds the stamp file
# .complete). json-glib-lite takes seconds, so a change to it only rebuilds
# it, into the same prefix (its hash is in the stamp file .json-glib-lite).
# Cache root:
# $WSI_WIN_CACHE, else /var/cache/wsinstall-win when writable, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/wsinstall-win.
#
# Needs root (or sudo) only for apt-get: it installs the toolchain and every
# build tool this script and tools/win/build.sh run (so that both work on a
# fresh Debian 12 machine), enables deb-src entries derived from the
# machine's own apt sources and fetches the sources with `apt-get source`.
# WSI_JOBS caps the parallel jobs of make and ninja (default: every CPU).
set -eu

usage() {
  echo "usage: tools/win/build-deps.sh x86_64|i686" >&2
  exit 2
}
[ $# = 1 ] || usage
arch=$1
case "$arch" in
  x86_64) pkgarch=x86-64 ;;
  i686) pkgarch=i686 ;;
  *) usage ;;
esac
host=$arch-w64-mingw32
here=$(cd "$(dirname "$0")" && pwd)
subprojects=$(cd "$here/../../subprojects" && pwd)
jobs=${WSI_JOBS:-$(nproc 2>/dev/null || echo 2)}

log() { echo "build-deps[$arch]: $*" >&2; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

# --- Debian packages -------------------------------------------------------
# The -win32 compilers are the default alternative for $host-gcc and need no
# libwinpthread; C is all wsinstall and its dependencies need. Besides them:
# binutils-mingw-w64 ($host-objdump, -objcopy, -windres for build.sh's
# import check, stripping and the VERSIONINFO resources), gcc (the build
# machine's compiler: `gcc -dumpmachine` below, and Meson looks for one in a
# cross build), dpkg-dev and patch (unpacking the source packages), and
# libglib2.0-dev-bin: wsinstall's schemas are embedded with
# gnome.compile_resources(), which runs the build machine's
# glib-compile-resources even in a cross build.
PACKAGES="gcc-mingw-w64-$pkgarch-win32 binutils-mingw-w64-$pkgarch libz-mingw-w64-dev gcc dpkg-dev patch
meson ninja-build pkg-config make autoconf automake libtool python3 python3-packaging xz-utils libglib2.0-dev-bin"

install_packages() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  log "installing:$missing"
  $SUDO apt-get update -qq >&2
  # shellcheck disable=SC2086 # word splitting of the package list is wanted
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
}

# --- deb-src ---------------------------------------------------------------
# `apt-get source` needs deb-src entries. Derive them from the machine's own
# entries for this release (no host name is written here): every enabled
# deb822 stanza or one-line entry whose suite starts with the release's
# codename is copied with its type changed to deb-src.
DEBSRC_LIST=/etc/apt/sources.list.d/wsinstall-deb-src.sources
DEBSRC_LINES=/etc/apt/sources.list.d/wsinstall-deb-src.list

have_deb_src() {
  grep -Eqs '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}

enable_deb_src() {
  have_deb_src && return 0
  codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
  [ -n "$codename" ] || { log "cannot tell the Debian release (no VERSION_CODENAME in /etc/os-release)"; exit 1; }
  tmp=$(mktemp)
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Paragraph mode: one record per stanza.
    awk -v codename="$codename" 'BEGIN { RS = ""; ORS = "\n\n" }
      {
        if ($0 ~ /(^|\n)Enabled:[ \t]*no/) next
        if ($0 !~ /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/) next
        if ($0 !~ ("(^|\n)Suites:[^\n]*[ \t]" codename)) next
        sub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src")
        sub(/^\n/, "")
        print
      }' "$f" >> "$tmp"
  done
  if [ -s "$tmp" ]; then
    $SUDO install -m 644 "$tmp" "$DEBSRC_LIST"
  fi
  : > "$tmp"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n -E "s/^[[:space:]]*deb[[:space:]]+((\[[^]]*\][[:space:]]+)?[^[:space:]]+[[:space:]]+$codename)/deb-src \1/p" "$f" >> "$tmp"
  done
  if [ -s "$tmp" ]; then
    $SUDO install -m 644 "$tmp" "$DEBSRC_LINES"
  fi
  rm -f "$tmp"
  have_deb_src || { log "found no apt entry for $codename to derive deb-src from"; exit 1; }
  log "enabled deb-src entries; apt-get update"
  $SUDO apt-get update -qq >&2
}

# --- cache -----------------------------------------------------------------
if [ -n "${WSI_WIN_CACHE:-}" ]; then
  cache=$WSI_WIN_CACHE
elif mkdir -p /var/cache/wsinstall-win 2>/dev/null && [ -w /var/cache/wsinstall-win ]; then
  cache=/var/cache/wsinstall-win
else
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/wsinstall-win
fi
# One hash for both architectures, so that they share the sources.
hash=$(cat "$0" "$here"/cross-*.ini "$subprojects"/proxy-libintl/* | sha256sum | cut -c1-16)
lite_hash=$(cd "$subprojects/json-glib-lite" && find . -type f | LC_ALL=C sort |
  while read -r f; do echo "$f"; cat "$f"; done | sha256sum | cut -c1-16)
prefix=$cache/$hash/$arch
srcdir=$cache/$hash/src
work=$cache/$hash/work-$arch

install_packages
mkdir -p "$cache/$hash"

# One build per prefix at a time; a second caller waits, then finds it done.
exec 9> "$cache/$hash/$arch.lock"
flock 9

# json-glib-lite, into a prefix whose other libraries are built.
build_json_glib_lite() {
  if [ "$(cat "$prefix/.json-glib-lite" 2>/dev/null)" = "$lite_hash" ]; then
    return 0
  fi
  log "json-glib-lite"
  rm -rf "$work/json-glib-build"
  # shellcheck disable=SC2086
  meson setup "$work/json-glib-build" "$subprojects/json-glib-lite" $cross --prefix="$prefix" --libdir=lib \
    --buildtype=release --default-library=static --wrap-mode=nodownload >&2
  ninja -C "$work/json-glib-build" -j"$jobs" >&2
  meson install -C "$work/json-glib-build" --no-rebuild >&2
  rm -rf "$work/json-glib-build"
  echo "$lite_hash" > "$prefix/.json-glib-lite"
}

# The machine file with the prefix, read before the checked-in cross file
# (whose paths are relative to its constant deps_prefix).
cross="--cross-file $prefix/share/wsinstall/deps-prefix.ini --cross-file $here/cross-$arch.ini"
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
export PKG_CONFIG_PATH=""

if [ -f "$prefix/.complete" ]; then
  build_json_glib_lite
  rm -rf "$work"
  log "cached"
  echo "$prefix"
  exit 0
fi
log "building into $prefix"
rm -rf "$prefix" "$work"
mkdir -p "$prefix" "$work"

# --- sources ---------------------------------------------------------------
# json-glib is not among them: the archive this script fetches from lists
# json-glib 1.6.6-1 and serves its .dsc, but answers 404 Not Found for
# json-glib_1.6.6.orig.tar.xz and json-glib_1.6.6-1.debian.tar.xz, so
# `apt-get source json-glib` fails. The engine's JSON writer API comes from
# subprojects/json-glib-lite (below) instead.
SOURCES="libffi pcre2 libxml2 glib2.0"

# fetch NAME: downloads source package NAME into $srcdir/NAME. The newest
# version first; when a mirror lacks one of its files (a fresh security
# upload may not have reached it), the older versions apt knows of.
fetch() {
  name=$1
  rm -rf "${srcdir:?}/$name"
  mkdir -p "$srcdir/$name"
  versions=$(apt-cache showsrc "$name" | awk '/^Version:/ { print $2 }' | sort -u -r -V)
  for v in "" $versions; do
    spec=$name
    [ -n "$v" ] && spec="$name=$v"
    if (cd "$srcdir/$name" && apt-get source --download-only -qq "$spec" >/dev/null 2>&1); then
      log "fetched $spec"
      return 0
    fi
    rm -rf "${srcdir:?}/$name"/*
  done
  log "apt-get source $name failed for every version (deb-src entries, network?)"
  exit 1
}

(
  exec 8> "$cache/$hash/src.lock"
  flock 8
  [ -f "$srcdir/.complete" ] && exit 0
  enable_deb_src
  rm -rf "$srcdir"
  mkdir -p "$srcdir"
  for name in $SOURCES; do
    fetch "$name"
  done
  touch "$srcdir/.complete"
)

# unpack NAME [PATTERN...]: unpacks the source package NAME into $work/NAME,
# applies the Debian patches of its quilt series except those matching a
# PATTERN (shell patterns; '*' leaves them all out), prints the directory.
unpack() {
  name=$1; shift
  dir=$work/$name
  dsc=""
  for f in "$srcdir/$name/${name}_"*.dsc; do
    dsc=$f
    break
  done
  dpkg-source --no-check -x --skip-patches "$dsc" "$dir" >/dev/null 2>&1 ||
    { log "dpkg-source -x $dsc failed"; exit 1; }
  series=$dir/debian/patches/series
  [ -f "$series" ] || { echo "$dir"; return 0; }
  sed -e 's/#.*//' "$series" | while read -r patch level; do
    [ -n "$patch" ] || continue
    for pattern in "$@"; do
      # shellcheck disable=SC2254 # the pattern is meant to match
      case $patch in $pattern) log "$name: leaving out $patch"; continue 2 ;; esac
    done
    patch -d "$dir" -s -f -N --no-backup-if-mismatch "${level:--p1}" < "$dir/debian/patches/$patch" >&2 ||
      { log "$name: $patch does not apply"; exit 1; }
  done || exit 1
  echo "$dir"
}

mkdir -p "$prefix/share/wsinstall"
cat > "$prefix/share/wsinstall/deps-prefix.ini" <<EOF
[constants]
deps_prefix = '$prefix'
EOF

autotools_env="CC=$host-gcc AR=$host-ar RANLIB=$host-ranlib STRIP=$host-strip"
autotools_common="--host=$host --build=$(gcc -dumpmachine) --prefix=$prefix --disable-shared --enable-static"

# libffi (for GObject). Debian's patch sets a libdir in libffi.pc that does
# not fit a private prefix, so the pristine upstream source is built.
dir=$(unpack libffi '*')
log "libffi"
(
  cd "$dir"
  # shellcheck disable=SC2086
  env $autotools_env ./configure $autotools_common --disable-docs --disable-multi-os-directory >&2
  make -j"$jobs" >&2
  make install >&2
)

# pcre2 (for GLib's GRegex): only the 8-bit library GLib uses.
dir=$(unpack pcre2)
log "pcre2"
(
  cd "$dir"
  # shellcheck disable=SC2086
  env $autotools_env CPPFLAGS=-DPCRE2_STATIC ./configure $autotools_common \
    --disable-maintainer-mode --enable-pcre2-8 --disable-pcre2-16 --disable-pcre2-32 \
    --disable-pcre2grep-libz --disable-pcre2grep-libbz2 --disable-pcre2test-libreadline >&2
  make -j"$jobs" libpcre2-8.la >&2
  make install-libLTLIBRARIES install-includeHEADERS install-nodist_includeHEADERS \
    install-pkgconfigDATA >&2
)

# libxml2 2.9 with autotools: no iconv (wsinstall reads UTF-8 only; the
# built-in UTF-8/UTF-16/Latin-1 handlers remain), no compression, no network.
dir=$(unpack libxml2)
log "libxml2"
(
  cd "$dir"
  # shellcheck disable=SC2086
  env $autotools_env ./configure $autotools_common --disable-maintainer-mode \
    --without-iconv --without-zlib --without-lzma --without-python --without-http --without-ftp \
    --without-readline --without-history --without-icu --without-debug >&2
  make -j"$jobs" libxml2.la >&2
  make install-libLTLIBRARIES install-pkgconfigDATA install-data-am >&2
  (cd include && make install >&2)
)

# GLib with the libintl stand-in as its proxy-libintl subproject. Debian's
# patches that look up translations of .desktop files through gettext use
# LC_MESSAGES, which Windows lacks; they do not matter to wsinstall.
dir=$(unpack glib2.0 '*gettext-desktopfiles*')
log "glib"
rm -rf "$dir/subprojects/proxy-libintl"
mkdir -p "$dir/subprojects/proxy-libintl"
cp "$subprojects"/proxy-libintl/* "$dir/subprojects/proxy-libintl/"
# shellcheck disable=SC2086
meson setup "$work/glib-build" "$dir" $cross --prefix="$prefix" --libdir=lib \
  --buildtype=release --default-library=static --wrap-mode=nodownload \
  -Dnls=disabled -Dtests=false -Dinstalled_tests=false -Dman=false -Dgtk_doc=false \
  -Dlibmount=disabled -Dselinux=disabled -Dxattr=false -Dlibelf=disabled \
  -Dglib_debug=disabled -Dsysprof=disabled >&2
ninja -C "$work/glib-build" -j"$jobs" >&2
meson install -C "$work/glib-build" --no-rebuild >&2

build_json_glib_lite

rm -rf "$work"
touch "$prefix/.complete"
log "done"

# This architecture's prefixes of older recipes are of no more use: remove
# those no build holds the lock of, and an old recipe's sources with its
# last prefix.
for old in "$cache"/*/; do
  old=${old%/}
  [ "$old" = "$cache/$hash" ] && continue
  if [ -d "$old/$arch" ]; then
    (
      exec 7> "$old/$arch.lock" && flock -n 7 &&
      rm -rf "${old:?}/$arch" "$old/work-$arch" && log "removed the stale prefix $old/$arch"
    ) || true
  fi
  if [ ! -d "$old/x86_64" ] && [ ! -d "$old/i686" ]; then
    (
      exec 7> "$old/src.lock" && flock -n 7 && rm -rf "$old"
    ) || true
  fi
done
echo "$prefix"
