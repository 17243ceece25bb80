#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/win/wine-tests.sh: the Windows builds' tests under Wine, as TAP.
#
# One command from a fresh Debian 12 machine: installs what it needs (the
# Linux build's packages through `tools/dev deps`, Wine, msitools and wixl;
# wine32:i386 for the x86 build when the archive serves it; the mingw
# toolchain through tools/win/build-deps.sh), builds both arches with
# tools/win/build.sh and the Linux wsinstall, and runs:
#   - tools/win/wine-smoke.sh: the Windows builds give the Linux build's
#     output (--version, validate, plan, the CLI golden cases);
#   - `catalog show/check --live` on Wine's ws2_32 catalog (IDs 1001, 1002,
#     1004, 1005, 1030, 1031, 1033), from the x64 and the x86 build;
#   - `apply --live`: Wine's WSCInstallProvider reports success and changes
#     nothing, so the executor's check must catch it (wsc-no-effect), roll
#     back and exit 1 — directly, and through the x86 helper (a manifest
#     for the 32-bit catalog only, from the x64 build);
#   - the x86 helper making one WSC call (a call record) and answering what
#     it returned, its refusals, not-admin, the WOW64 refusal, a missing
#     helper;
#   - live journals: each transaction writes a journal of its own in
#     %ProgramData%\wsinstall\journals (a registry-only manifest commits
#     under Wine); `recover --live` leaves a committed one alone; a journal
#     planted with a DACL that lets everyone write (Wine derives it from the
#     file's mode) is refused with journal-untrusted and not replayed;
#   - an MSI built from windows/msi/wsinstall-example.wxs with
#     windows/msi/wsinstall-wixl.py (wixl and its fix-ups), on the live
#     (Wine) catalogs with the release custom actions,
#     installed with `msiexec /i ... /qn /l*v`: the deferred action's
#     messages are in the log, its failure runs the rollback action, which
#     finds its own journal only: the committed CLI install stays.
# Cases that need wine32 are reported as skipped when it cannot be installed.
# Exit status: 0 all passed, 1 a case failed, 2 something needed is missing.
#
# Environment: WSI_NATIVE (the Linux wsinstall; default build/tools/wsinstall,
# built into build-wine-native when missing), WSI_WINE_SKIP_SMOKE=1 skips the
# wine-smoke.sh comparison (it runs ~100 cases per arch), WSI_WINE32=no does
# not try to install wine32 (the x86 cases are then skipped).
set -u

script=wine-tests
# shellcheck source=tools/win/common.sh
. "$(dirname "$0")/common.sh"

# --- what the tests need ----------------------------------------------------
# The Linux build (the smoke comparison's reference): compiler, Meson, GLib,
# libxml2, json-glib, ...
"$root/tools/dev" deps || { log "tools/dev deps failed"; exit 2; }
need_packages wine wine64 msitools wixl python3 binutils-mingw-w64-i686 binutils-mingw-w64-x86-64
install_wine32 "x86 cases are"

# --- builds -----------------------------------------------------------------
for arch in x86_64 i686; do
  log "building $arch"
  if ! "$here/build.sh" "$arch" > /dev/null; then
    log "tools/win/build.sh $arch failed"
    exit 2
  fi
done
# The Linux build to compare with.
native_wsinstall
built=$(date +%s)

x64=$root/build-win-x86_64/tools/wsinstall.exe
x86=$root/build-win-i686/tools/wsinstall.exe
ca64=$root/build-win-x86_64/windows/msi/wsinstall-ca.dll
ca86=$root/build-win-i686/windows/msi/wsinstall-ca.dll

scratch=$(mktemp -d)
trap 'wineserver -k 2>/dev/null; rm -rf "$scratch"' EXIT
wine_prefix "$scratch/prefix"

# As a vendor ships it: the x86 build beside the x64 one as wsinstall-x86.exe.
stage=$scratch/stage
mkdir -p "$stage"
cp "$x64" "$stage/wsinstall.exe"
cp "$x86" "$stage/wsinstall-x86.exe"
journals=$WINEPREFIX/drive_c/ProgramData/wsinstall/journals
# The newest live journal (names start with the UTC start time), and how many.
newest_journal() { find "$journals" -maxdepth 1 -name '*.journal' 2>/dev/null | LC_ALL=C sort | tail -1; }
count_journals() { find "$journals" -maxdepth 1 -name '*.journal' 2>/dev/null | wc -l; }
# A manifest of registry values only: Wine's registry is real, so unlike a
# WSC install its transaction commits.
cat > "$scratch/wsh-only.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="urn:wsinstall:manifest:1">
  <product id="wine-wsh-test" name="Wine WSH test" vendor="wsinstall tests" version="1.0"/>
  <target profile="desktop-x64" catalogs="both"/>
  <wsh-helper transport="WineTestNet" dll="%SystemRoot%\System32\wshwinetest.dll" min-sockaddr="16" max-sockaddr="16">
    <mapping af="inet" type="stream" protocol="tcp"/>
  </wsh-helper>
</manifest>
XML
wsh_key='HKLM\SYSTEM\CurrentControlSet\Services\WineTestNet\Parameters\Winsock'
# Is the CLI-installed WSH helper still registered?
wsh_installed() { wine reg query "$wsh_key" /v HelperDllName > /dev/null 2>&1; }

# --- TAP --------------------------------------------------------------------
total=21
echo "1..$total"
n=0
failed=0
skipped=0

# run EXE ARGS...: stdout to out, stderr to err, status in rc.
run() {
  wine "$@" > "$scratch/out" 2> "$scratch/err" < /dev/null
  rc=$?
}
# run_env NAME=VALUE EXE ARGS...: the same with one more variable for Wine.
run_env() {
  setting=$1
  shift
  env "$setting" wine "$@" > "$scratch/out" 2> "$scratch/err" < /dev/null
  rc=$?
}
# run_call EXE CALL.json ARGS...: `wsinstall ARGS` with the call record on
# stdin, like run. Wine itself, on a loaded machine, now and then dies of a
# signal after the program has answered (seen on i686: the right refusal on
# stderr, then status 139); the program cannot end that way, since Wine
# turns its faults into Windows exceptions and an exit code. Such a run,
# which a call record makes safe to repeat, is run once more and said so.
run_call() {
  exe=$1 call=$2
  shift 2
  wine "$exe" "$@" < "$call" > "$scratch/out" 2> "$scratch/err"
  rc=$?
  if [ "$rc" -ge 128 ]; then
    echo "# wine died of signal $((rc - 128)) running $* < $call; running it again"
    wine "$exe" "$@" < "$call" > "$scratch/out" 2> "$scratch/err"
    rc=$?
  fi
}
has_out() { grep -q -- "$1" "$scratch/out"; }
has_err() { grep -q -- "$1" "$scratch/err"; }

wine_ids='1001 1002 1004 1005 1030 1031 1033'
# The catalogs of `catalog show --format json` (a wsinstall-catalog
# document, schema/wsinstall-catalog.schema.json) as the machine kind and
# "BITS: ID ID ..." lines.
catalog_ids() {
  python3 -c '
import json, sys
m = json.load(sys.stdin)
print(m["machine_kind"])
for c in m["catalogs"]:
    print("%d: %s" % (c["catalog"], " ".join(str(e["id"]) for e in c["entries"])))
' < "$scratch/out"
}

# 1. The Windows builds print what the Linux build prints.
if [ "${WSI_WINE_SKIP_SMOKE:-0}" = 1 ]; then
  skip "wine-smoke.sh: Windows output equals Linux output" "WSI_WINE_SKIP_SMOKE=1"
else
  smoke_archs=x86_64
  [ "$have_wine32" = yes ] && smoke_archs="x86_64 i686"
  # shellcheck disable=SC2086
  WSI_NATIVE=$native "$here/wine-smoke.sh" $smoke_archs > "$scratch/smoke" 2>&1
  src=$?
  rm -f "$scratch/err" "$scratch/out"
  # Its failed cases with the comment lines that follow each (the diff with
  # the Linux output, the Windows build's stderr), and what it said when it
  # could not start (no "1..N" plan).
  awk '/^not ok / { keep = 1; print; next }
       /^ok / { keep = 0; next }
       keep && /^#/ { print }
       !plan && !/^1\.\./ { print }
       /^1\.\./ { plan = 1 }' "$scratch/smoke" > "$scratch/err"
  detail_lines=200
  check $src "wine-smoke.sh ($smoke_archs): Windows output equals Linux output ($(tail -1 "$scratch/smoke"))"
  detail_lines=15
fi

# 2. The live catalogs from the x64 build: both, Wine's fixed list.
run "$stage/wsinstall.exe" catalog show --live --format json
ids=$(catalog_ids 2>/dev/null)
want=$(printf 'x64\n64: %s\n32: %s' "$wine_ids" "$wine_ids")
[ "$rc" = 0 ] && [ "$ids" = "$want" ]
check $? "x64 catalog show --live lists Wine's catalog in both catalogs ($wine_ids)"

# 3. ... and from the x86 build (WOW64: the 32-bit catalog only).
if [ "$have_wine32" = yes ]; then
  run "$x86" catalog show --live --format json
  ids=$(catalog_ids 2>/dev/null)
  [ "$rc" = 0 ] && [ "$ids" = "$(printf 'x86\n32: %s' "$wine_ids")" ] && has_out "WOW64"
  check $? "x86 catalog show --live lists the 32-bit catalog as WOW64 sees it"
else
  skip "x86 catalog show --live lists the 32-bit catalog as WOW64 sees it" "no wine32"
fi

# 4. catalog check --live: Wine's catalog is healthy.
run "$stage/wsinstall.exe" catalog check --live
[ "$rc" = 0 ] && has_out "healthy"
check $? "x64 catalog check --live: healthy"

# 5. apply --live: success without effect is caught and rolled back.
run "$stage/wsinstall.exe" apply --live manifests/contoso-web-filter.xml
[ "$rc" = 1 ] && has_err "error \[wsc-no-effect\]" && has_out "rolled back" &&
  tail -1 "$(newest_journal)" | grep -q '"rolled-back"'
check $? "x64 apply --live: Wine's no-op WSCInstallProvider is caught (wsc-no-effect), rolled back, exit 1"

# 6. recover --live finds the finished journal.
run "$stage/wsinstall.exe" recover --live
[ "$rc" = 0 ] && has_out "nothing to do"
check $? "x64 recover --live: nothing to do after a rollback"

# 7. A 32-bit-catalog plan from the x64 build goes through the x86 helper.
run "$stage/wsinstall.exe" apply --live manifests/contoso-parental-x86.xml
if [ "$have_wine32" = yes ]; then
  [ "$rc" = 1 ] && has_err "error \[wsc-no-effect\]"
  check $? "x64 apply --live of a 32-bit-catalog manifest: the x86 helper runs it, its no-op is caught, exit 1"
else
  # Without wine32 the helper cannot start: said so, rolled back.
  [ "$rc" = 1 ] && has_err "error \[helper32-failed\]"
  check $? "x64 apply --live of a 32-bit-catalog manifest: the helper cannot run without wine32 (helper32-failed), exit 1"
fi

# 8. A helper that is not there.
run_env 'WSINSTALL_HELPER32=C:\no\such\wsinstall-x86.exe' "$stage/wsinstall.exe" apply --live manifests/contoso-parental-x86.xml
[ "$rc" = 1 ] && has_err "error \[helper32-failed\]" && has_out "rolled back"
check $? "x64 apply --live with a missing x86 helper: helper32-failed, rolled back, exit 1"

# 9. Not an administrator: refused before anything starts.
run_env WSINSTALL_ASSUME_NOT_ADMIN=1 "$stage/wsinstall.exe" apply --live manifests/contoso-web-filter.xml
[ "$rc" = 2 ] && has_err "error \[not-admin\]"
check $? "apply --live without administrator rights: not-admin, exit 2"

# 10-11. The x86 helper makes one WSC call for real, and refuses others.
# It is a remote backend: it answers what the call returned (Wine's
# WSCInstallProvider: success) and leaves checking the effect to its caller
# (case 7).
if [ "$have_wine32" = yes ]; then
  run_call "$x86" tests/data/helper32/install-layered.json wsc32 run
  [ "$rc" = 0 ] && has_out '"status":"ok"'
  check $? "x86 wsc32 run makes WSCInstallProvider and answers what it returned (ok, exit 0)"
  run_call "$x86" tests/data/helper32/catalog-64-refused.json wsc32 run
  [ "$rc" = 2 ] && has_err "error \[helper32-request-invalid\]"
  check $? "x86 wsc32 run refuses a catalog-64 call (exit 2)"
else
  skip "x86 wsc32 run makes WSCInstallProvider and answers what it returned (ok, exit 0)" "no wine32"
  skip "x86 wsc32 run refuses a catalog-64 call (exit 2)" "no wine32"
fi

# 12. The x64 build never makes a catalog-32 call for the helper itself.
run_call "$x64" tests/data/helper32/install-layered.json wsc32 run
[ "$rc" = 2 ] && has_err "error \[helper32-request-invalid\]"
check $? "x64 wsc32 run refuses to make a catalog-32 call (only the x86 build may)"

# 13. The x86 build refuses to change an x64 machine.
if [ "$have_wine32" = yes ]; then
  run "$x86" apply --live manifests/contoso-web-filter.xml
  [ "$rc" = 2 ] && has_err "error \[wow64-refused\]"
  check $? "x86 apply --live on 64-bit Windows: wow64-refused, exit 2"
else
  skip "x86 apply --live on 64-bit Windows: wow64-refused, exit 2" "no wine32"
fi

# 14-16. Live journals: one per transaction, committed ones left alone,
# planted ones refused.
rm -f "$scratch/err" "$scratch/out"
before=$(count_journals)
run "$stage/wsinstall.exe" apply --live "$(winepath -w "$scratch/wsh-only.xml" 2>/dev/null)"
cli_journal=$(newest_journal)
[ "$rc" = 0 ] && [ "$(count_journals)" = $((before + 1)) ] && tail -1 "$cli_journal" | grep -q '"committed"' &&
  wsh_installed
check $? "x64 apply --live of registry values commits, in a journal of its own (journals: $before -> $(count_journals))"

run "$stage/wsinstall.exe" recover --live
[ "$rc" = 0 ] && has_out "nothing to do" && tail -1 "$cli_journal" | grep -q '"committed"' && wsh_installed
check $? "x64 recover --live reads every journal and leaves the committed CLI transaction alone"

# What a standard user could do to a folder with ProgramData's default ACL:
# plant an in-progress journal (the committed one without its end record:
# replaying it would remove the helper). Mode 0666 is a DACL that lets
# Everyone write, as Wine reports it.
planted=$journals/29991231T235959Z-1-00000bad.journal
sed '$d' "$cli_journal" > "$planted"
chmod 0666 "$planted"
run "$stage/wsinstall.exe" recover --live
[ "$rc" = 2 ] && has_err "error \[journal-untrusted\]" && wsh_installed && ! tail -1 "$planted" | grep -q '"end"'
check $? "x64 recover --live refuses a journal others may write (journal-untrusted, exit 2) and replays nothing"
rm -f "$planted"

# 17. Both custom action DLLs export the entry points undecorated.
rm -f "$scratch/err" "$scratch/out"
exports_ok=0
for dll in "$ca64:x86_64" "$ca86:i686"; do
  file=${dll%:*}
  host=${dll##*:}-w64-mingw32
  names=$("$host-objdump" -p "$file" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' |
          sed -n 's/^[[:space:]]*\[ *[0-9]*\] //p' | tr -d '\r' | sort | tr '\n' ' ')
  echo "$file: $names" >> "$scratch/err"
  [ "$names" = "WsinstallCommit WsinstallInstall WsinstallRollback WsinstallScheduleInstall WsinstallScheduleUninstall WsinstallUninstall " ] ||
    exports_ok=1
done
check $exports_ok "wsinstall-ca.dll (x64 and x86) exports WsinstallScheduleInstall/ScheduleUninstall/Install/Uninstall/Rollback/Commit undecorated"

# 18-21. An MSI with the custom actions: the deferred action runs apply, its
# messages reach the log, its failure runs the rollback action.

# build_msi DIR MANIFEST: product.msi in DIR from the example .wxs (its
# Filter manifest MANIFEST, its Transport manifest the vsock transport),
# built with windows/msi/wsinstall-wixl.py; 0 when built.
build_msi() {
  dir=$1
  mkdir -p "$dir"
  cp "$2" "$dir/web-filter.xml"
  cp tests/data/msi/vsock-transport.xml "$dir/vsock-transport.xml"
  cp "$ca64" "$dir/wsinstall-ca.dll"
  cp "$x86" "$dir/wsinstall-x86.exe"
  (cd "$dir" && "$root/windows/msi/wsinstall-wixl.py" -a x64 -D ProductVersion=2.1.0 -D SourceDir=. \
     -D WsinstallCaDll=wsinstall-ca.dll -o product.msi "$root/windows/msi/wsinstall-example.wxs") \
    >> "$scratch/err" 2>&1 || return 1
  # The script fixed what wixl 0.101 writes wrong: 1 (DLL from the Binary
  # table) + 0x400 in-script + 0x800 no-impersonate + 0x100 rollback / 0x200 commit.
  msiinfo export "$dir/product.msi" CustomAction > "$scratch/out" 2>> "$scratch/err" || return 1
  grep -q "^WsinstallInstallRollback	3329	WsinstallCA	WsinstallRollback" "$scratch/out" || return 1
  grep -q "^WsinstallInstallCommit	3585	WsinstallCA	WsinstallCommit" "$scratch/out" || return 1
}

# install_msi DIR: msiexec /i, the exit status in rc, the log (UTF-8) in msilog.
install_msi() {
  (cd "$1" && wine msiexec /i product.msi /qn /l*v install.log) > "$scratch/out" 2> "$scratch/err"
  rc=$?
  msilog=$1/install.log
  # Wine writes the log in the ANSI code page; Windows may write UTF-16.
  if head -c 2 "$msilog" 2>/dev/null | od -An -tx1 | grep -q 'ff fe'; then
    iconv -f UTF-16 -t UTF-8 "$msilog" > "$msilog.utf8" && msilog=$msilog.utf8
  fi
  cp "$msilog" "$scratch/out" 2>/dev/null
}

msidir=$scratch/msi
rm -f "$scratch/err" "$scratch/out"
built_msi=0
build_msi "$msidir" manifests/contoso-web-filter.xml || built_msi=1
check $built_msi "wsinstall-wixl.py builds the example MSI with deferred, rollback and commit custom actions"

if [ "$built_msi" = 0 ]; then
  # The case of issue 12 itself: a deferred action that fails before it
  # journals anything (a CE manifest on x64 Windows), whose rollback action
  # used to find the CLI's committed journal in live.journal and undo it.
  rm -f "$scratch/err" "$scratch/out"
  journals_before=$(count_journals)
  if build_msi "$scratch/msi-ce" manifests/adatum-ce-transport.xml; then
    install_msi "$scratch/msi-ce"
    printf '%s\n' "msiexec exit $rc; journals: $journals_before -> $(count_journals);" \
      "CLI journal ends: $(tail -1 "$cli_journal"); WSH helper: $(wsh_installed && echo installed || echo removed)" \
      > "$scratch/err"
    grep "wsinstall:" "$msilog" > "$scratch/out"
    { [ "$rc" = 67 ] || [ "$rc" = 1603 ]; } && grep -q "\[profile-mismatch\]" "$msilog" &&
      grep -q "wsinstall: rollback: nothing to undo (not started)" "$msilog" &&
      [ "$(count_journals)" = "$journals_before" ] && tail -1 "$cli_journal" | grep -q '"committed"' && wsh_installed
    check $? "msiexec /i failing before it journals: its rollback undoes nothing, the CLI install stays"
  else
    not_ok "msiexec /i failing before it journals: its rollback undoes nothing, the CLI install stays (MSI not built)"
  fi

  journals_before=$(count_journals)
  install_msi "$msidir"
  # 1603 (ERROR_INSTALL_FAILURE) as an exit status: 1603 & 0xff = 67.
  [ "$rc" = 67 ] || [ "$rc" = 1603 ]
  ok_rc=$?
  grep -q "wsinstall: scheduled WsinstallInstall of Filter: manifest C:.*web-filter.xml" "$msilog" &&
    grep -q "wsinstall: apply: 16 steps" "$msilog" &&
    grep -q "wsinstall: apply: error \[wsc-no-effect\]" "$msilog" &&
    grep -q "wsinstall: apply: failed and rolled back" "$msilog" &&
    grep -q "wsinstall: rollback: started" "$msilog" &&
    grep -q "wsinstall: rollback: nothing to undo (rolled back)" "$msilog" &&
    [ "$ok_rc" = 0 ]
  check $? "msiexec /i: the deferred action logs its steps and wsc-no-effect, fails (1603), and the rollback action runs"
  # The MSI's journal is a new file of its own in the journal folder, named
  # by the immediate action; the CLI's committed journal is untouched.
  msi_journal=$(sed -n 's/.*wsinstall: scheduled WsinstallInstall of Filter: manifest .*, journal \(.*\.journal\).*/\1/p' "$msilog" | head -1)
  # printf, not echo: dash's echo reads "\2026..." as an octal escape.
  printf '%s\n' "MSI journal: $msi_journal; journals: $journals_before -> $(count_journals);" \
    "CLI journal ends: $(tail -1 "$cli_journal")" > "$scratch/err"
  grep "wsinstall:" "$msilog" > "$scratch/out"
  printf '%s\n' "$msi_journal" | grep -q 'ProgramData\\wsinstall\\journals\\[0-9]\{8\}T[0-9]\{6\}Z-[0-9]*-[0-9a-f]\{8\}\.journal$' &&
    [ "$(count_journals)" = $((journals_before + 1)) ] && tail -1 "$cli_journal" | grep -q '"committed"' &&
    wsh_installed
  check $? "msiexec /i: the MSI journals to its own file; its rollback leaves the committed CLI install and journal alone"
else
  skip "msiexec /i failing before it journals: its rollback undoes nothing, the CLI install stays" \
       "the MSI was not built"
  skip "msiexec /i: the deferred action logs its steps and wsc-no-effect, fails (1603), and the rollback action runs" \
       "the MSI was not built"
  skip "msiexec /i: the MSI journals to its own file; its rollback leaves the committed CLI install and journal alone" \
       "the MSI was not built"
fi

# The release bundle (reproducible, checked, signed): its own TAP, indented.
"$here/release-test.sh" > "$scratch/release.tap" || failed=$((failed + 1)); sed 's/^/    /' "$scratch/release.tap"

ended=$(date +%s)
log "install+build $((built - started)) s, tests $((ended - built)) s, total $((ended - started)) s"
echo "wine-tests: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$n" = "$total" ] || { echo "wine-tests: ran $n cases of $total"; exit 1; }
[ "$failed" = 0 ]
