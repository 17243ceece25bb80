#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/bench/run.sh: builds wsinstall for speed (buildtype=release, no
# sanitizers, in build-bench), generates the inputs (tools/bench/gen.py,
# into build-bench/inputs) and prints every benchmark figure of the README
# from one run (tools/bench/bench.py). Needs python3, xmllint (libxml2-utils)
# and, to count fsyncs, strace. Run on demand, not in CI.
#   tools/bench/run.sh            # WSI_BENCH_REPEAT=N for best of N (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${WSI_BENCH_BUILD:-build-bench}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=release -Dtests=false >/dev/null ||
    { rm -rf "$build"; echo "bench: meson setup failed" >&2; exit 2; }
fi
ninja -C "$build" >/dev/null || { echo "bench: build failed" >&2; exit 2; }
[ -f "$build/inputs/chains-1000.xml" ] && [ "$build/inputs/chains-1000.xml" -nt tools/bench/gen.py ] ||
  python3 tools/bench/gen.py "$build/inputs"
exec python3 tools/bench/bench.py "$build/tools/wsinstall" "$build/inputs"
