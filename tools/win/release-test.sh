#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/release-test.sh: the Windows release bundle's tests, as TAP.
#
# Runs tools/win/release.sh twice: in the usual build trees (build-win-ARCH,
# up to date or not) and from scratch in build-win-ARCH-repro (removed
# first and afterwards), and checks that
#   - both give the same zip bytes (and the same debug zip);
#   - the zip holds exactly the files README.md's "Release bundle" lists,
#     and no debug info;
#   - SHA256SUMS verifies (sha256sum -c);
#   - every binary carries its VERSIONINFO (as windres reads it back), each
#     executable its application manifest (asInvoker, longPathAware,
#     activeCodePage UTF-8);
#   - every binary is stripped (no .debug_* section, no COFF symbols, a
#     .gnu_debuglink) and has no PE time stamp;
#   - tools/win/sign.sh signs the unpacked bundle with a throwaway
#     certificate made here, osslsigncode verifies every signature against
#     it, the new SHA256SUMS verifies, the resources are still there;
#   - wsinstall.exe --version runs from the unpacked bundle under Wine, and
#     opens a manifest whose file name is not ASCII (the manifest's UTF-8
#     code page; skipped without wine; in $WINEPREFIX when set, e.g. by
#     wine-tests.sh).
# The build logs go to a file, shown when a build fails. WSI_JOBS caps the
# parallel jobs as for build.sh. Exit status: 0 all passed, 1 a case failed,
# 2 something needed is missing.
set -u

script=release-test
# shellcheck source=tools/win/common.sh
. "$(dirname "$0")/common.sh"
need_packages python3 openssl osslsigncode

scratch=$(mktemp -d)
own_prefix=no
cleanup() {
  [ "$own_prefix" = yes ] && wineserver -k 2>/dev/null
  rm -rf "$scratch" "$root/build-win-x86_64-repro" "$root/build-win-i686-repro"
}
trap cleanup EXIT

echo "1..11"
n=0
failed=0
skipped=0
note() { echo "# $*"; }

version=$(sed -n "s/^[[:space:]]*version:[[:space:]]*'\([^']*\)'.*/\1/p" meson.build | head -1)
name=wsinstall-$version

# release OUT [SUFFIX]: release.sh into OUT, its log in OUT.log; 0 when built.
release() {
  if [ -n "${2:-}" ]; then
    "$here/release.sh" --out "$1" --builddir-suffix "$2" > "$1.list" 2> "$1.log"
  else
    "$here/release.sh" --out "$1" > "$1.list" 2> "$1.log"
  fi
}

# 1. The bundle from the usual build trees.
t0=$(date +%s)
release "$scratch/a"
rc=$?
t1=$(date +%s)
tail -30 "$scratch/a.log" > "$scratch/err"
check $rc "release.sh builds the bundle in build-win-ARCH ($((t1 - t0)) s)"
[ "$rc" = 0 ] || { log "no bundle: nothing else to test"; exit 1; }
zip_a=$scratch/a/$name-windows.zip

# 2. The same bytes from scratch, in other build trees.
rm -rf "$root/build-win-x86_64-repro" "$root/build-win-i686-repro"
release "$scratch/b" -repro
rc=$?
t2=$(date +%s)
tail -30 "$scratch/b.log" > "$scratch/err"
if [ "$rc" = 0 ]; then
  sum_a=$(sha256sum < "$zip_a" | cut -d' ' -f1)
  sum_b=$(sha256sum < "$scratch/b/$name-windows.zip" | cut -d' ' -f1)
  {
    echo "build-win-ARCH:       $sum_a"
    echo "build-win-ARCH-repro: $sum_b"
  } > "$scratch/err"
  cmp "$zip_a" "$scratch/b/$name-windows.zip" >> "$scratch/err" 2>&1 &&
    cmp "$scratch/a/$name-windows-debug.zip" "$scratch/b/$name-windows-debug.zip" >> "$scratch/err" 2>&1
  rc=$?
fi
check $rc "a clean build in build-win-ARCH-repro gives the same zip and debug zip bytes ($((t2 - t1)) s)"
note "sha256 $(sha256sum < "$zip_a" | cut -d' ' -f1) $name-windows.zip (both builds)"

# The zip unpacked, and its listing (name, size).
python3 - "$zip_a" "$scratch/u" > "$scratch/listing" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for i in z.infolist():
        print("%s %d" % (i.filename, i.file_size))
    z.extractall(sys.argv[2])
PY
sed 's/^/#   /' "$scratch/listing"
bundle=$scratch/u/$name

# 3. Exactly the files the README lists (the WiX pieces by glob).
{
  for f in COPYING README.md SHA256SUMS wsinstall.exe wsinstall-x86.exe x64/wsinstall-ca.dll x86/wsinstall-ca.dll; do
    echo "$name/$f"
  done
  for f in schema/*.xsd schema/catalog.xml schema/*.schema.json manifests/*.xml manifests/README.md; do
    echo "$name/$f"
  done
  for f in windows/msi/*.wxs windows/msi/*.wxi windows/msi/*.sh windows/msi/*.py; do
    [ -f "$f" ] && echo "$name/msi/${f#windows/msi/}"
  done
} | LC_ALL=C sort > "$scratch/want"
cut -d' ' -f1 "$scratch/listing" > "$scratch/got"
diff "$scratch/want" "$scratch/got" > "$scratch/err"
check $? "the zip holds the binaries, schemas, example manifests, WiX pieces, COPYING, README.md and SHA256SUMS, nothing else"

# 4. SHA256SUMS.
(cd "$bundle" && sha256sum -c --strict SHA256SUMS) > "$scratch/err" 2>&1
check $? "SHA256SUMS verifies ($(wc -l < "$bundle/SHA256SUMS") files)"

# The binaries: path in the bundle, arch (for the objdump/windres to use)
# and OriginalFilename.
bins="wsinstall.exe:x86_64:wsinstall.exe wsinstall-x86.exe:i686:wsinstall-x86.exe
x64/wsinstall-ca.dll:x86_64:wsinstall-ca.dll x86/wsinstall-ca.dll:i686:wsinstall-ca.dll"

# resources_ok DIR: every binary's VERSIONINFO, every executable's manifest;
# what is missing goes to err.
resources_ok() {
  : > "$scratch/err"
  for b in $bins; do
    file=${b%%:*}
    rest=${b#*:}
    arch=${rest%%:*}
    orig=${rest#*:}
    rcfile=$("$arch-w64-mingw32-windres" --input-format=coff --output-format=rc "$1/$file" 2>&1)
    for want in "VALUE \"FileVersion\", \"$version\"" "VALUE \"ProductVersion\", \"$version\"" \
                'VALUE "ProductName", "wsinstall"' 'VALUE "CompanyName", "The wsinstall project"' \
                'VALUE "FileDescription", "wsinstall: ' "VALUE \"OriginalFilename\", \"$orig\""; do
      printf '%s\n' "$rcfile" | grep -qF "$want" || echo "$file: no $want" >> "$scratch/err"
    done
    case $file in
      *.exe)
        for want in 'requestedExecutionLevel level=""asInvoker""' '>true</longPathAware>' \
                    '>UTF-8</activeCodePage>'; do
          printf '%s\n' "$rcfile" | grep -qF "$want" || echo "$file: manifest lacks $want" >> "$scratch/err"
        done ;;
    esac
  done
  [ ! -s "$scratch/err" ]
}

# 5. Resources.
resources_ok "$bundle"
check $? "every binary has its VERSIONINFO ($version, OriginalFilename), each exe its manifest (asInvoker, longPathAware, activeCodePage UTF-8)"

# 6. Stripped, no time stamp.
: > "$scratch/err"
for b in $bins; do
  file=${b%%:*}
  rest=${b#*:}
  arch=${rest%%:*}
  od=$arch-w64-mingw32-objdump
  if "$od" -h "$bundle/$file" | grep -q '[[:space:]]\.debug_'; then
    echo "$file: has .debug_* sections" >> "$scratch/err"
  fi
  "$od" -h "$bundle/$file" | grep -q '[[:space:]]\.gnu_debuglink[[:space:]]' ||
    echo "$file: no .gnu_debuglink" >> "$scratch/err"
  # (HAS_DEBUG stands for the .gnu_debuglink section.)
  if "$od" -f "$bundle/$file" | grep -q 'HAS_SYMS'; then
    echo "$file: has symbols: $("$od" -f "$bundle/$file" | grep HAS_)" >> "$scratch/err"
  fi
  # The file header's time stamp (the first Time/Date line).
  stamp=$(TZ=UTC "$od" -p "$bundle/$file" | sed -n 's/^Time\/Date[[:space:]]*//p' | head -1)
  case $stamp in
    *" 00:00:00 1970") ;;
    *) echo "$file: PE time stamp $stamp" >> "$scratch/err" ;;
  esac
  note "$file: $(wc -c < "$bundle/$file") bytes, time stamp $stamp"
done
check "$([ -s "$scratch/err" ] && echo 1 || echo 0)" "every binary is stripped (no .debug_* sections, no symbols; a .gnu_debuglink) and has time stamp 0"

# 7-9. Signing with a throwaway certificate, as a vendor does with theirs.
signed=$scratch/signed/$name
mkdir -p "$scratch/signed"
cp -R "$bundle" "$signed"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=wsinstall release-test signer" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
  -keyout "$scratch/key.pem" -out "$scratch/cert.pem" > "$scratch/err" 2>&1 &&
  "$here/sign.sh" "$signed" -certs "$scratch/cert.pem" -key "$scratch/key.pem" -n "wsinstall release test" \
    >> "$scratch/err" 2>&1
rc=$?
if [ "$rc" = 0 ]; then
  for b in $bins; do
    file=${b%%:*}
    if ! osslsigncode verify -CAfile "$scratch/cert.pem" -in "$signed/$file" > "$scratch/verify" 2>&1; then
      rc=1
      { echo "$file:"; tail -5 "$scratch/verify"; } >> "$scratch/err"
    fi
  done
fi
check $rc "sign.sh signs every binary with a throwaway certificate; osslsigncode verify -CAfile accepts each"
(cd "$signed" && sha256sum -c --strict SHA256SUMS) > "$scratch/err" 2>&1 &&
  ! cmp -s "$bundle/SHA256SUMS" "$signed/SHA256SUMS"
check $? "the signed bundle's new SHA256SUMS verifies"
resources_ok "$signed"
check $? "the signed binaries keep their VERSIONINFO and manifests"

# 10. Under Wine, from the unpacked bundle.
if command -v wine > /dev/null; then
  : > "$scratch/err"
  if [ -z "${WINEPREFIX:-}" ]; then
    export WINEPREFIX="$scratch/prefix"
    export WINEDEBUG=-all
    export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
    own_prefix=yes
    wine wineboot --init > "$scratch/err" 2>&1
  fi
  (cd "$bundle" && wine ./wsinstall.exe --version) > "$scratch/out" 2>> "$scratch/err" < /dev/null
  rc=$?
  cat "$scratch/out" >> "$scratch/err"
  [ "$rc" = 0 ] && grep -q "$version" "$scratch/out"
  check $? "wsinstall.exe --version runs from the unpacked bundle under Wine: $(head -1 "$scratch/out")"
  # The UTF-8 code page of the manifest: a manifest whose name is not
  # ASCII (c-a-f-e acute, Greek capital omega) reaches GLib through argv as
  # UTF-8.
  utf8_name=$(printf 'caf\303\251-\316\251mega.xml')
  cp "$bundle/manifests/contoso-web-filter.xml" "$scratch/$utf8_name"
  (cd "$scratch" && wine "$bundle/wsinstall.exe" validate "$utf8_name") > "$scratch/out" 2> "$scratch/err" < /dev/null
  rc=$?
  cat "$scratch/out" >> "$scratch/err"
  check $rc "wsinstall.exe validate opens a manifest named $utf8_name (activeCodePage UTF-8)"
else
  skip "wsinstall.exe --version runs from the unpacked bundle under Wine" "no wine"
  skip "wsinstall.exe validate opens a manifest whose name is not ASCII (activeCodePage UTF-8)" "no wine"
fi

ended=$(date +%s)
log "release in build-win-ARCH $((t1 - t0)) s, clean release in build-win-ARCH-repro $((t2 - t1)) s, total $((ended - started)) s"
echo "# release-test: $((n - failed - skipped)) passed, $failed failed, $skipped skipped; $((ended - started)) s"
[ "$failed" = 0 ]
