#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Validates wsinstall's JSON outputs against the JSON Schemas in schema/,
with a real validator (python3-jsonschema, draft 2020-12). TAP output.

Documents checked:
  - every golden output tests/cli/NAME.out whose command asks for JSON
    (--format=json, --format json, -f json);
  - plan --format=json of every example manifest (manifests/*.xml) on every
    reference machine (data/reference/*.xml), planned now: stdout must be
    one document and stderr empty, whatever the plan's outcome.

Each document names its schema by its "format" member
(schema/FORMAT.schema.json) and must give the "version" the schema
describes. The $defs shared by several schemas (an entry, a diagnostic, ...)
must be the same in each, so one type keeps one shape.

usage: check-json-schemas.py WSINSTALL SOURCE_ROOT
"""
import glob
import json
import os
import shlex
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("1..0")
    print("Bail out! python3-jsonschema is missing (tools/dev deps installs it)")
    sys.exit(1)


def main():
    exe, root = sys.argv[1], sys.argv[2]
    os.chdir(root)
    schemas = {}
    for path in sorted(glob.glob("schema/wsinstall-*.schema.json")):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        name = os.path.basename(path)[: -len(".schema.json")]
        schemas[name] = jsonschema.Draft202012Validator(schema)

    results = []  # (ok, name, why)

    # One type, one shape: a $def of one name is the same in every schema.
    defs = {}
    same = True
    why = []
    for name, v in sorted(schemas.items()):
        for key, value in v.schema.get("$defs", {}).items():
            if key in defs and defs[key][1] != value:
                same = False
                why.append(f"$defs/{key} differs between {defs[key][0]} and {name}")
            defs.setdefault(key, (name, value))
    results.append((same, "shared $defs are identical in every schema", why))

    def check(label, text):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            results.append((False, label, [f"not one JSON document: {e}"]))
            return
        kind = doc.get("format") if isinstance(doc, dict) else None
        if kind not in schemas:
            results.append((False, label, [f"no schema for format {kind!r}"]))
            return
        errors = sorted(schemas[kind].iter_errors(doc), key=lambda e: list(e.absolute_path))
        # The deepest reason, not "... is not valid under any of the given schemas".
        errors = [jsonschema.exceptions.best_match([e]) for e in errors[:5]]
        results.append((not errors, f"{label} ({kind})",
                        [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors]))

    goldens = 0
    for cmd in sorted(glob.glob("tests/cli/*.cmd")):
        with open(cmd, encoding="utf-8") as f:
            words = shlex.split(f.read())
        wants_json = any(w in ("--format=json", "-fjson") for w in words) or any(
            a in ("--format", "-f") and b == "json" for a, b in zip(words, words[1:]))
        out = cmd[: -len(".cmd")] + ".out"
        if not wants_json or not os.path.exists(out):
            continue
        with open(out, encoding="utf-8") as f:
            check(out, f.read())
        goldens += 1

    planned = 0
    for machine in sorted(glob.glob("data/reference/*.xml")):
        for manifest in sorted(glob.glob("manifests/*.xml")):
            label = f"plan --format=json --machine {machine} {manifest}"
            p = subprocess.run([exe, "plan", "--format=json", "--machine", machine, manifest],
                               capture_output=True, text=True, check=False)
            planned += 1
            if p.stderr != "" or p.returncode not in (0, 1):
                results.append((False, label, [f"exit {p.returncode}, stderr: {p.stderr[:300]!r}"]))
                continue
            check(label, p.stdout)

    print(f"1..{len(results)}")
    failed = 0
    for n, (ok, name, why) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")
        for line in why:
            print(f"# {line}")
        failed += not ok
    print(f"# {goldens} golden outputs, {planned} plans (examples x reference machines)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
