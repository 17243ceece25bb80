#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""SARIF output as code scanning services read it (TAP).

Runs the real CLI (validate, catalog check, catalog import) with
--format=sarif on files with awkward names (a space, a '%', a non-ASCII
letter), in and outside the source root, and checks each document for
what SARIF 2.1.0 requires and what the SARIF multitool's rules ask for:

- version "2.1.0", a $schema URI, runs[].tool.driver.name, an absolute
  informationUri, version and semanticVersion (the project's version);
- one rule per registered tag with a real shortDescription (the first
  sentence of the explanation, not the id), fullDescription and help;
- every result: a message text, a ruleId whose ruleIndex names that rule;
- artifact URIs: relative references with uriBaseId %SRCROOT% under the
  root, absolute file:/// URIs outside it, percent-encoded (RFC 3986),
  and decoding back to the very file the diagnostic names;
  originalUriBaseIds gives %SRCROOT% as an absolute file URI ending in '/';
- a region with the diagnostic's line wherever it has one, and none for
  a whole-file result (line 0), whose location still names the file.

The same command's --format=json output is the reference for which file
and line each result must carry. No SARIF schema or validator is packaged
for Debian 12, so the properties are checked directly.

Usage: check-sarif.py WSINSTALL SOURCE_ROOT VERSION
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

exe, source_root, version = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]

checks = []      # (ok, description, details)


def check(ok, description, details=""):
    checks.append((bool(ok), description, details))
    return ok


def run(args, cwd):
    p = subprocess.run([exe] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~/:@]|%[0-9A-F]{2})*$")


def uri_to_path(uri, base_ids):
    """The absolute file system path an artifactLocation names, or raises."""
    if "uriBaseId" in uri:
        base = base_ids[uri["uriBaseId"]]["uri"]
        full = urllib.parse.urljoin(base, uri["uri"])
    else:
        full = uri["uri"]
    parts = urllib.parse.urlsplit(full)
    if parts.scheme != "file" or parts.netloc not in ("",):
        raise ValueError("not a local file URI: " + full)
    return urllib.parse.unquote(parts.path, encoding="utf-8", errors="strict")


def check_document(name, sarif_text, json_text, cwd, root):
    """Checks one SARIF document against the JSON diagnostics of the same run."""
    try:
        doc = json.loads(sarif_text)
        diags = json.loads(json_text)["diagnostics"]
    except ValueError as e:
        check(False, f"{name}: SARIF and JSON outputs parse", str(e))
        return {}
    check(doc.get("version") == "2.1.0", f"{name}: version is 2.1.0")
    check(isinstance(doc.get("$schema"), str) and urllib.parse.urlsplit(doc["$schema"]).scheme == "https",
          f"{name}: $schema is a https URI")
    runs = doc.get("runs")
    if not check(isinstance(runs, list) and len(runs) == 1, f"{name}: one run"):
        return doc
    run0 = runs[0]
    driver = run0.get("tool", {}).get("driver", {})
    check(driver.get("name") == "wsinstall", f"{name}: tool.driver.name")
    info = driver.get("informationUri", "")
    check(urllib.parse.urlsplit(info).scheme != "", f"{name}: informationUri is an absolute URI", info)
    check(driver.get("version") == version and driver.get("semanticVersion") == version,
          f"{name}: driver version and semanticVersion are {version}")

    rules = driver.get("rules", [])
    ids = [r.get("id") for r in rules]
    check(len(ids) == len(set(ids)) and len(ids) > 0, f"{name}: rule ids are unique")
    bad_rules = []
    for r in rules:
        short = r.get("shortDescription", {}).get("text", "")
        full = r.get("fullDescription", {}).get("text", "")
        helptext = r.get("help", {}).get("text", "")
        if (not short or short == r.get("id") or not full.startswith(short) or not short.endswith(".")
                or not helptext or r.get("defaultConfiguration", {}).get("level") not in ("error", "warning", "note")):
            bad_rules.append(r.get("id"))
    check(not bad_rules, f"{name}: every rule has a one-sentence shortDescription, a fullDescription and help",
          " ".join(map(str, bad_rules)))

    base_ids = run0.get("originalUriBaseIds", {})
    srcroot = base_ids.get("%SRCROOT%", {}).get("uri", "")
    check(srcroot.startswith("file:///") and srcroot.endswith("/") and URI_CHARS.match(srcroot),
          f"{name}: %SRCROOT% is an absolute, encoded file URI ending in /", srcroot)
    try:
        root_path = uri_to_path({"uri": srcroot}, {})
        check(os.path.realpath(root_path) == os.path.realpath(root), f"{name}: %SRCROOT% is the root",
              f"{root_path} != {root}")
    except ValueError as e:
        check(False, f"{name}: %SRCROOT% decodes", str(e))

    results = run0.get("results", [])
    if not check(len(results) == len(diags), f"{name}: one result per diagnostic",
                 f"{len(results)} results, {len(diags)} diagnostics"):
        return doc
    problems = []
    for i, (res, diag) in enumerate(zip(results, diags)):
        where = f"result {i} ({diag['tag']})"
        if res.get("ruleId") != diag["tag"]:
            problems.append(f"{where}: ruleId {res.get('ruleId')}")
        idx = res.get("ruleIndex")
        if not isinstance(idx, int) or not 0 <= idx < len(rules) or rules[idx]["id"] != res.get("ruleId"):
            problems.append(f"{where}: ruleIndex {idx} does not name its rule")
        if not res.get("message", {}).get("text"):
            problems.append(f"{where}: no message text")
        if res.get("level") not in ("error", "warning", "note"):
            problems.append(f"{where}: level {res.get('level')}")
        if diag["file"] is None:
            if "locations" in res:
                problems.append(f"{where}: a location without a file")
            continue
        locs = res.get("locations", [])
        if len(locs) != 1:
            problems.append(f"{where}: {len(locs)} locations")
            continue
        if diag["file"].startswith("<"):
            if "physicalLocation" in locs[0] or not locs[0].get("logicalLocations"):
                problems.append(f"{where}: {diag['file']} is not a file, wants a logical location only")
            continue
        phys = locs[0].get("physicalLocation")
        if phys is None:
            problems.append(f"{where}: no physicalLocation")
            continue
        art = phys.get("artifactLocation", {})
        uri = art.get("uri", "")
        if not URI_CHARS.match(uri):
            problems.append(f"{where}: URI not percent-encoded: {uri!r}")
        parts = urllib.parse.urlsplit(uri)
        if "uriBaseId" in art:
            if art["uriBaseId"] != "%SRCROOT%" or parts.scheme or uri.startswith("/"):
                problems.append(f"{where}: {uri} with uriBaseId {art['uriBaseId']} is not root-relative")
        elif not uri.startswith("file:///"):
            problems.append(f"{where}: {uri} has no uriBaseId and is not an absolute file URI")
        try:
            path = uri_to_path(art, base_ids)
            want = os.path.normpath(os.path.join(cwd, diag["file"]))
            if os.path.normpath(path) != want:
                problems.append(f"{where}: {uri} names {path}, the diagnostic {want}")
            inside = (want + "/").startswith(os.path.normpath(root).rstrip("/") + "/")
            if inside != ("uriBaseId" in art):
                problems.append(f"{where}: {uri}: inside the root {inside}, but uriBaseId {'uriBaseId' in art}")
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(f"{where}: {uri} does not decode: {e}")
        region = phys.get("region")
        if diag["line"] > 0:
            if not region or region.get("startLine") != diag["line"]:
                problems.append(f"{where}: line {diag['line']} but region {region}")
        elif region is not None:
            problems.append(f"{where}: a whole-file result has a region {region}")
    check(not problems, f"{name}: results, ruleIndex, URIs and regions", "\n".join(problems))
    return doc


def both_formats(name, args, cwd, root, extra=()):
    rc_s, sarif, err_s = run(args + ["--format=sarif"] + list(extra), cwd)
    rc_j, js, err_j = run(args + ["--format=json"], cwd)
    check(rc_s == rc_j and err_s == "", f"{name}: SARIF run exits as the JSON run ({rc_s}) with nothing on stderr",
          err_s)
    return check_document(name, sarif, js, cwd, root)


with tempfile.TemporaryDirectory() as tmp:
    tmp = os.path.realpath(tmp)
    root = os.path.join(tmp, "project dir")
    outside = os.path.join(tmp, "elsewhere")
    os.makedirs(os.path.join(root, "sub:dir"))
    os.makedirs(outside)
    good = open(os.path.join(source_root, "manifests", "contoso-web-filter.xml"), encoding="utf-8").read()
    bad = open(os.path.join(source_root, "tests", "data", "manifests", "bad", "duplicate-id.xml"),
               encoding="utf-8").read()
    files = {
        os.path.join(root, "my file é.xml"): bad,            # errors with lines
        os.path.join(root, "a%b.xml"): "<manifest",          # malformed, line 1
        os.path.join(root, "empty.xml"): "",                 # whole file
        os.path.join(root, "sub:dir", "ok #1?.xml"): good,  # ':' first segment, '#', '?'
        os.path.join(outside, "über%20.xml"): bad,          # outside the root
    }
    for path, text in files.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    # From the root: the working directory is %SRCROOT%; a file outside it
    # by a relative path, and one that does not exist (file-unreadable).
    doc = both_formats("validate in the root", ["validate", ".", "../elsewhere/über%20.xml", "missing file.xml"],
                       root, root)
    results = doc.get("runs", [{}])[0].get("results", [])
    uris = [loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
            for res in results for loc in res.get("locations", [])]
    check("my%20file%20%C3%A9.xml" in uris and "a%25b.xml" in uris and "missing%20file.xml" in uris,
          "validate in the root: space, % and é are percent-encoded as UTF-8", " ".join(uris))
    check(any(u.startswith("file:///") and u.endswith("/elsewhere/%C3%BCber%2520.xml") for u in uris),
          "validate in the root: the file outside is an absolute file URI", " ".join(uris))
    unreadable = [res for res in results if res.get("ruleId") in ("file-unreadable", "empty-file")]
    check(len(unreadable) == 2 and all("region" not in r["locations"][0].get("physicalLocation", {"region": 0})
                                       for r in unreadable),
          "validate in the root: file-unreadable and empty-file point at the whole file (no region)")

    # --sarif-root from elsewhere, absolute paths on the command line.
    both_formats("validate --sarif-root", ["validate", root, os.path.join(outside, "über%20.xml")],
                 outside, root, ["--sarif-root", root])
    # --sarif-root as a relative path.
    both_formats("validate --sarif-root relative", ["validate", "project dir/a%b.xml"], tmp, root,
                 ["--sarif-root=project dir"])
    rc, _, err = run(["validate", "--format=sarif", "--sarif-root", "nonexistent", "."], root)
    check(rc == 2 and "sarif-root" in err, "--sarif-root that is not a directory is a usage error", err)

    # catalog check: a damaged snapshot, from the source root; and the
    # embedded default machine, which is no file.
    both_formats("catalog check", ["catalog", "check", "--machine", "tests/data/snapshots/broken-x64.xml"],
                 source_root, source_root)
    env_missing = os.path.join(root, "no such snapshot.xml")
    both_formats("catalog check unreadable", ["catalog", "check", "--machine", env_missing], tmp, tmp)
    # catalog import of damaged input.
    with open(os.path.join(root, "bad é.reg"), "w", encoding="utf-8") as f:
        f.write("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\x]\n\"a\"=bogus\n")
    both_formats("catalog import", ["catalog", "import", "--from=reg", "bad é.reg", "-o", "out.xml"], root, root)

failed = [c for c in checks if not c[0]]
print(f"1..{len(checks)}")
for n, (ok, description, details) in enumerate(checks, 1):
    print(f"{'ok' if ok else 'not ok'} {n} - {description}")
    if not ok and details:
        for line in str(details).splitlines():
            print(f"# {line}")
sys.exit(1 if failed else 0)
