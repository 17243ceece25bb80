#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tests/fuzz/run.sh: builds the libFuzzer targets with clang (ASan + UBSan,
# every report fatal) and runs each for N seconds on a corpus seeded from
# the project's own fixtures. Exits non-zero when a target crashes, leaks,
# times out, runs out of memory or reports undefined behaviour; the input
# that did it is left in BUILD/artifacts/. Prints each target's execution
# count, and keeps a running total per target in BUILD/exec-counts.txt.
#
#   tests/fuzz/run.sh --seconds 60            # CI: every target, 60 s each
#   tests/fuzz/run.sh --seconds 3600 --jobs 2 # release campaign (README)
#   tests/fuzz/run.sh --targets "reg plan" --seconds 30
#   tests/fuzz/run.sh --fast --seconds 3600   # long campaign, UBSan only
#   tests/fuzz/run.sh --replay                # every corpus input under ASan
#   tests/fuzz/run.sh --build-only
#
# Options: --seconds N (per target, default 60), --jobs N (targets run at
# once, default: the number of cores, at most 2), --targets "a b",
# --fast (a build without ASan, about twice the executions per second, for
# long campaigns; follow it with --replay), --replay (run each corpus input
# once and stop), --build DIR (default build-fuzz, build-fuzz-fast with
# --fast), --max-len N (default 65536), --build-only, --no-install.
# The corpus (build-fuzz/corpus/TARGET, or $WSI_FUZZ_CORPUS) is shared by
# both builds and grows from run to run.
set -euo pipefail
# The whole script is one block: bash reads it completely before running,
# so editing this file cannot derail a campaign that is running it.
{

cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=60
jobs=$(( $(nproc) < 2 ? 1 : 2 ))
targets=""
build=""
build_only=0
install=1
fast=0
replay=0
max_len=65536

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --fast) fast=1; shift ;;
    --replay) replay=1; shift ;;
    --max-len) max_len=$2; shift 2 ;;
    --build-only) build_only=1; shift ;;
    --no-install) install=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$seconds$max_len" in ''|*[!0-9]*) echo "run.sh: --seconds and --max-len need numbers" >&2; exit 2 ;; esac
[ -n "$build" ] || { [ "$fast" = 1 ] && build=build-fuzz-fast || build=build-fuzz; }
corpus=${WSI_FUZZ_CORPUS:-$root/build-fuzz/corpus}

# clang with its sanitizer and libFuzzer runtimes (Debian: libclang-rt-14-dev).
have_toolchain() {
  command -v clang >/dev/null 2>&1 || return 1
  echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' |
    clang -x c -fsanitize=fuzzer,address,undefined -o /dev/null - >/dev/null 2>&1
}
if ! have_toolchain; then
  if [ "$install" = 0 ]; then
    echo "run.sh: clang with libFuzzer is missing (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
  fi
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq clang libclang-rt-14-dev libhivex-dev >/dev/null
  have_toolchain || { echo "run.sh: clang cannot link libFuzzer programs" >&2; exit 2; }
fi

flags="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer -gline-tables-only"
sanitize=address,undefined
[ "$fast" = 0 ] || sanitize=undefined
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzing=true -Dtests=false -Ddefault_library=static \
    -Db_sanitize=$sanitize -Db_lundef=false -Dbuildtype=debugoptimized \
    -Dc_args="$flags" -Dc_link_args="-fno-sanitize-recover=all" >"$build.setup.log" 2>&1 ||
    { cat "$build.setup.log" >&2; rm -rf "$build"; echo "run.sh: meson setup failed" >&2; exit 2; }
  rm -f "$build.setup.log"
fi
# Several run.sh may share a build (parallel campaigns): one builds at a time.
exec 8>"$build/.build.lock"
flock 8
ninja -C "$build" >"$build/ninja.log" 2>&1 || { tail -40 "$build/ninja.log" >&2; echo "run.sh: build failed" >&2; exit 2; }
flock -u 8

all=$(find "$build/tests/fuzz" -maxdepth 1 -type f -name 'fuzz-*' -perm -u+x | sed 's,.*/fuzz-,,' | sort)
[ -n "$targets" ] || targets=$all
[ "$build_only" = 0 ] || { echo "built: $(echo $all)"; exit 0; }

# Seed corpora: the project's own fixtures, as each target reads them
# (reg and netsh take an options byte first, plan a machine byte and a flags
# byte). Copies are named by content, so re-seeding is idempotent.
seed_named() {  # seed_named TARGET PREFIX FILE...: PREFIX is a printf format
  local dir="$corpus/$1" prefix=$2 tmp h; shift 2
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    tmp=$(mktemp)
    { printf "$prefix"; cat "$f"; } >"$tmp"
    h=$(sha1sum <"$tmp" | cut -c1-16)
    mv "$tmp" "$dir/seed-$h"
  done
}
manifests=(manifests/*.xml tests/data/manifests/good/*.xml tests/data/manifests/bad/*.xml tests/data/hostile/*.xml)
for t in $targets; do
  case "$t" in
    manifest) seed_named manifest "" "${manifests[@]}" ;;
    snapshot) seed_named snapshot "" tests/data/snapshots/*.xml tests/data/hostile/*.xml ;;
    reg) seed_named reg '\000' tests/data/reg/*.reg tests/data/hostile/*.reg
         seed_named reg '\004' tests/data/reg/win7-x86.reg ;;
    netsh) seed_named netsh '\000' tests/data/netsh/*.txt tests/data/hostile/*.txt
           seed_named netsh '\001' tests/data/netsh/windows-internals-*.txt ;;
    hive) seed_named hive "" tests/data/hive/*.hive tests/data/hostile/*.hive ;;
    plan) for m in 0 1 2 3 4; do
            seed_named plan "\\00$m\\000" manifests/*.xml tests/data/manifests/good/*.xml
          done
          seed_named plan '\000\001' manifests/*.xml ;;
    wsc-call) seed_named wsc-call "" tests/data/helper32/*.json ;;
  esac
done

dict_for() {
  case "$1" in
    manifest|snapshot|plan) echo "$root/tests/fuzz/xml.dict" ;;
    reg) echo "$root/tests/fuzz/reg.dict" ;;
    netsh) echo "$root/tests/fuzz/netsh.dict" ;;
    wsc-call) echo "$root/tests/fuzz/wsc-call.dict" ;;
    *) echo "" ;;
  esac
}

mkdir -p "$build/artifacts" "$build/logs"
# Several run.sh may fuzz the same target at once (one per core, sharing
# the corpus): each run keeps its own logs, or their counts would mix.
log_suffix="-$$"
# malloc_context_size=4: libxml2 allocates a lot, and full allocation stacks
# cost half the speed; reports keep enough frames to find the bug.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:allocator_may_return_null=1:malloc_context_size=4:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"

run_one() {  # run_one TARGET: runs it, prints "TARGET rc execs"
  local t=$1 dict args
  dict=$(dict_for "$t")
  # A unit takes milliseconds; 25 s catches hangs without taking a busy
  # machine's stalls for one.
  args=(-timeout=25 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1
        -artifact_prefix="$build/artifacts/$t-")
  if [ "$replay" = 1 ]; then args+=(-runs=0); else args+=(-max_total_time="$seconds"); fi
  [ -z "$dict" ] || args+=(-dict="$dict")
  local rc=0
  "$build/tests/fuzz/fuzz-$t" "${args[@]}" "$corpus/$t" >"$build/logs/$t$log_suffix.log" 2>&1 || rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/logs/$t$log_suffix.log" | tail -1)
  echo "$t $rc ${execs:-0}"
}

results=$(mktemp)
running=0
for t in $targets; do
  [ -x "$build/tests/fuzz/fuzz-$t" ] || { echo "run.sh: no target $t (have: $(echo $all))" >&2; exit 2; }
  run_one "$t" >>"$results" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=0
total_file="$(dirname "$corpus")/exec-counts.txt"   # fuzzing runs of both builds; replays not counted
touch "$total_file"
exec 9>>"$total_file.lock"
flock 9   # several run.sh may share the corpus
printf '%-10s %14s %16s  %s\n' target executions "total (all runs)" result
while read -r t rc execs; do
  prev=$(awk -v t="$t" '$1 == t { print $2 }' "$total_file")
  total=$(( ${prev:-0} + execs ))
  [ "$replay" = 0 ] || total=${prev:-0}
  awk -v t="$t" '$1 != t' "$total_file" >"$total_file.new"
  echo "$t $total" >>"$total_file.new"
  mv "$total_file.new" "$total_file"
  if [ "$rc" = 0 ]; then status=ok; else status="FAILED (exit $rc, see $build/logs/$t$log_suffix.log)"; failed=1; fi
  printf '%-10s %14s %16s  %s\n' "$t" "$execs" "$total" "$status"
done < <(sort "$results")
flock -u 9
rm -f "$results"
if [ "$failed" != 0 ]; then
  for log in "$build"/logs/*"$log_suffix".log; do
    if grep -qE '^==[0-9]+==ERROR|runtime error|deadly signal|CRITICAL|ERROR:|libFuzzer: (timeout|out-of-memory)' "$log"; then
      echo "--- $log"; grep -m1 -A30 -E '^==[0-9]+==ERROR|runtime error|deadly signal|CRITICAL|ERROR:|libFuzzer: (timeout|out-of-memory)' "$log"
    fi
  done
  ls "$build"/artifacts/ 2>/dev/null | sed 's/^/artifact: /'
  exit 1
fi
if [ "$replay" = 1 ]; then echo "fuzz: every corpus input ran without a crash"
else echo "fuzz: all targets ran ${seconds}s without a crash"; fi
exit 0
}
