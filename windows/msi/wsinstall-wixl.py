#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""wsinstall-wixl.py: build an MSI that uses windows/msi/wsinstall.wxi with
wixl (msitools), then do what wixl 0.101 cannot:

  - the WsinstallManifest table: wixl has no CustomTable, and fails on any
    element it does not know, so the wsi:Manifest elements
    (xmlns:wsi="urn:wsinstall:wix:1") are taken out of the preprocessed
    sources before wixl sees them and become the table's rows (one per
    element: its Id, the enclosing Component, its File, Helper32 and
    Attributes);
  - the CustomAction types of Execute="rollback" and "commit" actions
    (wixl writes them as immediate ones): + 0x400 in-script, + 0x100
    rollback or 0x200 commit;
  - ActionText rows for the wsinstall actions (wixl has no ProgressText).

Usage:
  wsinstall-wixl.py [-a ARCH] [-D NAME=VALUE]... [-I DIR]... -o OUT.msi FILE.wxs...

The options are wixl's; this script's folder is on the include path, so
<?include wsinstall.wxi ?> finds the piece. wsi:Manifest attributes:
  Id              the row's key (default: File); [A-Za-z0-9_.], unique
  File            the manifest's File Id (default: the Component's KeyPath
                  file, or its only file)
  Helper32        File Id of the x86 wsinstall.exe (x64 packages that
                  install into the 32-bit catalog)
  AllowDowngrade  "yes": the manifest may replace a newer installed version
Environment: WIXL, MSIBUILD, MSIINFO name the tools (default from PATH).
Exit status: 0 built, 1 a source or tool error, 2 usage.
"""

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

WIX_NS = "http://schemas.microsoft.com/wix/2006/wi"
WSI_NS = "urn:wsinstall:wix:1"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,71}$")

# (Action, Description, Template): what the progress dialog and the log
# show while each action runs; [1] is the step an ActionData message names.
ACTION_TEXT = [
    ("WsinstallScheduleUninstall", "Planning the removal of Winsock providers", ""),
    ("WsinstallScheduleInstall", "Planning the installation of Winsock providers", ""),
    ("WsinstallUninstall", "Removing Winsock providers", "[1]"),
    ("WsinstallUninstallRollback", "Restoring the Winsock catalog", "[1]"),
    ("WsinstallUninstallCommit", "Finishing the removal of Winsock providers", ""),
    ("WsinstallInstall", "Installing Winsock providers", "[1]"),
    ("WsinstallInstallRollback", "Restoring the Winsock catalog", "[1]"),
    ("WsinstallInstallCommit", "Finishing the installation of Winsock providers", ""),
]

ATTR_ALLOW_DOWNGRADE = 0x1
TYPE_IN_SCRIPT = 0x400
TYPE_ROLLBACK = 0x100
TYPE_COMMIT = 0x200


class BuildError(Exception):
    pass


def tool(name):
    return os.environ.get(name.upper(), name)


def run(argv, capture=False):
    try:
        done = subprocess.run(argv, check=False, stdout=subprocess.PIPE if capture else None,
                              stderr=None, universal_newlines=True)
    except OSError as e:
        raise BuildError("cannot run %s: %s" % (argv[0], e)) from e
    if done.returncode != 0:
        raise BuildError("%s failed (exit %d)" % (" ".join(argv[:2]), done.returncode))
    return done.stdout


def parse_args(argv):
    """wixl's options, split into those of the preprocessor and the rest."""
    pre, build, inputs, output = [], [], [], None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-D", "--define", "-I", "--includedir", "-a", "--arch", "-o", "--output", "--wxidir"):
            if i + 1 >= len(argv):
                raise SystemExit("wsinstall-wixl.py: %s needs a value" % a)
            v = argv[i + 1]
            i += 2
            if a in ("-o", "--output"):
                output = v
            elif a in ("-a", "--arch"):
                build += [a, v]
            else:
                pre += [a, v]
        elif a.startswith("-D") and len(a) > 2:
            pre.append(a)
            i += 1
        elif a in ("-v", "--verbose"):
            build.append(a)
            i += 1
        elif a.startswith("-"):
            raise SystemExit("wsinstall-wixl.py: unknown option %s (see the header)" % a)
        else:
            inputs.append(a)
            i += 1
    if output is None or not inputs:
        raise SystemExit(__doc__.split("Usage:")[1].split("The options")[0].strip())
    return pre, build, inputs, output


def defines_only(pre):
    """The -D options of @pre (its -I ones served the preprocessing)."""
    out, i = [], 0
    while i < len(pre):
        if pre[i] in ("-D", "--define"):
            out += pre[i:i + 2]
            i += 2
        elif pre[i].startswith("-D"):
            out.append(pre[i])
            i += 1
        else:
            i += 2
    return out


def collect_manifests(root, source):
    """Removes the wsi:Manifest elements of @root; returns their rows."""
    parents = {child: parent for parent in root.iter() for child in parent}
    files = {f.get("Id") for f in root.iter("{%s}File" % WIX_NS)}
    rows = []
    for el in list(root.iter("{%s}Manifest" % WSI_NS)):
        comp = parents.get(el)
        where = "%s: wsi:Manifest" % source
        if comp is None or comp.tag != "{%s}Component" % WIX_NS or not comp.get("Id"):
            raise BuildError("%s must be inside a Component with an Id" % where)
        unknown = set(el.attrib) - {"Id", "File", "Helper32", "AllowDowngrade"}
        if unknown:
            raise BuildError("%s: unknown attribute(s) %s" % (where, ", ".join(sorted(unknown))))
        file_id = el.get("File")
        if file_id is None:
            own = comp.findall("{%s}File" % WIX_NS)
            keyed = [f for f in own if f.get("KeyPath") == "yes"]
            pick = keyed if keyed else own
            if len(pick) != 1:
                raise BuildError("%s in Component %s: say which File is the manifest" % (where, comp.get("Id")))
            file_id = pick[0].get("Id")
        row_id = el.get("Id", file_id)
        helper = el.get("Helper32")
        downgrade = el.get("AllowDowngrade", "no")
        if downgrade not in ("yes", "no"):
            raise BuildError("%s %s: AllowDowngrade is yes or no" % (where, row_id))
        for what, value in (("Id", row_id), ("File", file_id), ("Helper32", helper)):
            if value is not None and not IDENT.match(value):
                raise BuildError("%s: %s '%s' is not an MSI identifier" % (where, what, value))
        for what, value in (("File", file_id), ("Helper32", helper)):
            if value is not None and value not in files:
                raise BuildError("%s %s: no File with Id '%s'" % (where, row_id, value))
        rows.append((row_id, comp.get("Id"), file_id, helper,
                     ATTR_ALLOW_DOWNGRADE if downgrade == "yes" else 0))
        parents[el].remove(el)
    return rows


def custom_action_types(msi):
    """{Action: Type} of the built package."""
    out = run([tool("msiinfo"), "export", msi, "CustomAction"], capture=True)
    types = {}
    for line in out.splitlines()[3:]:
        cols = line.split("\t")
        if len(cols) >= 2 and cols[1].lstrip("-").isdigit():
            types[cols[0]] = int(cols[1])
    return types


def tables(msi):
    return set(run([tool("msiinfo"), "tables", msi], capture=True).split())


def sql(msi, query):
    run([tool("msibuild"), msi, "-q", query])


def fix_up(msi, docs, rows):
    types = custom_action_types(msi)
    for root in docs:
        for ca in root.iter("{%s}CustomAction" % WIX_NS):
            kind = {"rollback": TYPE_ROLLBACK, "commit": TYPE_COMMIT}.get(ca.get("Execute"))
            name = ca.get("Id")
            if kind is None or name not in types:
                continue
            want = types[name] | TYPE_IN_SCRIPT | kind
            if want != types[name]:
                sql(msi, "UPDATE `CustomAction` SET `Type`=%d WHERE `Action`='%s'" % (want, name))
    present = tables(msi)
    if rows:
        if "WsinstallManifest" not in present:
            sql(msi, "CREATE TABLE `WsinstallManifest` (`WsinstallManifest` CHAR(72) NOT NULL, "
                     "`Component_` CHAR(72) NOT NULL, `File_` CHAR(72) NOT NULL, `Helper32_` CHAR(72), "
                     "`Attributes` LONG PRIMARY KEY `WsinstallManifest`)")
        for row_id, comp, file_id, helper, attrs in rows:
            if helper is None:
                sql(msi, "INSERT INTO `WsinstallManifest` (`WsinstallManifest`, `Component_`, `File_`, `Attributes`) "
                         "VALUES ('%s', '%s', '%s', %d)" % (row_id, comp, file_id, attrs))
            else:
                sql(msi, "INSERT INTO `WsinstallManifest` (`WsinstallManifest`, `Component_`, `File_`, `Helper32_`, "
                         "`Attributes`) VALUES ('%s', '%s', '%s', '%s', %d)" % (row_id, comp, file_id, helper, attrs))
    if any(a in types for a, _, _ in ACTION_TEXT):
        if "ActionText" not in present:
            sql(msi, "CREATE TABLE `ActionText` (`Action` CHAR(72) NOT NULL, `Description` CHAR(0) LOCALIZABLE, "
                     "`Template` CHAR(0) LOCALIZABLE PRIMARY KEY `Action`)")
        for action, description, template in ACTION_TEXT:
            if action in types:
                sql(msi, "INSERT INTO `ActionText` (`Action`, `Description`, `Template`) VALUES ('%s', '%s', '%s')"
                         % (action, description, template))


def main(argv):
    pre, build, inputs, output = parse_args(argv)
    here = os.path.dirname(os.path.abspath(__file__))
    docs, rows, seen = [], [], set()
    ET.register_namespace("", WIX_NS)
    ET.register_namespace("wsi", WSI_NS)
    try:
        with tempfile.TemporaryDirectory(prefix="wsinstall-wixl.") as tmp:
            stripped = []
            for n, source in enumerate(inputs):
                src_dir = os.path.dirname(os.path.abspath(source))
                text = run([tool("wixl"), "-E", "-I", here, "-I", src_dir] + pre + [source], capture=True)
                try:
                    root = ET.fromstring(text)
                except ET.ParseError as e:
                    raise BuildError("%s: the preprocessed source does not parse: %s" % (source, e)) from e
                for row in collect_manifests(root, source):
                    if row[0] in seen:
                        raise BuildError("%s: two wsi:Manifest elements have the Id %s" % (source, row[0]))
                    seen.add(row[0])
                    rows.append(row)
                docs.append(root)
                path = os.path.join(tmp, "%d-%s" % (n, os.path.basename(source)))
                ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
                stripped.append(path)
            # The preprocessed sources again (their variables are already
            # substituted; -D stays for wixl's own use of them).
            run([tool("wixl")] + build + defines_only(pre) + ["-o", output] + stripped)
        fix_up(output, docs, rows)
    except BuildError as e:
        print("wsinstall-wixl.py: error: %s" % e, file=sys.stderr)
        return 1
    print("wsinstall-wixl.py: %s: %d manifest(s) in WsinstallManifest" % (output, len(rows)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
