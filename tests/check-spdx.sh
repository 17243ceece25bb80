#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every source file of the project (C, headers, scripts, build files) says
# its licence in an SPDX line, the one COPYING and meson.build declare.
# TAP output.
set -u
cd "${1:-.}" || exit 1
echo "1..1"
missing=$(git ls-files 2>/dev/null | grep -E '\.(c|h|in|sh|py)$|meson\.build$|^tools/dev$|^tools/main-job$|^\.ci/run$' |
  grep -v '^tests/data/' | while read -r f; do
    head -n 3 "$f" | grep -q 'SPDX-License-Identifier: LGPL-2.1-or-later' || echo "$f"
  done)
if [ -z "$missing" ]; then
  echo "ok 1 - every source file carries SPDX-License-Identifier: LGPL-2.1-or-later"
else
  echo "not ok 1 - files without the SPDX line:"
  printf '%s\n' "$missing" | sed 's/^/# /'
  exit 1
fi
