/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-tags.c: one row per diagnostic tag, kept in alphabetical order (a
 * test checks it), so `wsinstall explain`, SARIF rules and the README table
 * all come from here. */
#include "wsi-tags.h"

#include <stdlib.h>
#include <string.h>

#define E WSI_SEVERITY_ERROR
#define W WSI_SEVERITY_WARNING
#define I WSI_SEVERITY_INFO

static const WsiTagInfo wsi_tags[] = {
  { "cancelled", E,
    "The caller cancelled the run (the MSI user pressed Cancel, or a program's GCancellable fired) between two steps. "
    "The steps done so far were rolled back, so the machine is in its old state.",
    "Nothing to repair; run the install again when wanted." },
  { "catalog-keys-inconsistent", E,
    "The Winsock catalog keys of an import are missing or contradict each other: no Protocol_Catalog9 key, a counter "
    "(Next_Catalog_Entry_ID, Serial_Access_Num, Num_Catalog_Entries) missing, the number of entry keys differing from "
    "its counter, entry keys not numbered 000000000001..N, or an entry ID at or above Next_Catalog_Entry_ID. "
    "The export is incomplete (cut short, or of the wrong key) or the registry is damaged.",
    "Export the whole key again: `reg export HKLM\\SYSTEM\\CurrentControlSet\\Services services.reg`." },
  { "catalogs-out-of-sync", W,
    "The 32-bit and 64-bit catalogs give different IDs to the same providers, or hold them in a different order. "
    "This is the normal state after separate installs into each catalog (Windows has one ID counter for both, so "
    "WSCInstallProviderAndChains64_32 itself leaves them so), not damage; but chains must then be built per catalog, "
    "and WSCInstallProvider64_32 fails with WSANO_RECOVERY on Windows Vista and later.",
    "Plan with the per-catalog strategy (the default); never copy one catalog's chain IDs into the other." },
  { "chain-too-long", E,
    "A protocol chain holds at most 7 entries (MAX_PROTOCOL_CHAIN), counting the base protocol. "
    "Layering over a chain of length n gives n+1.",
    "Layer over a shorter chain or over the base protocol itself." },
  { "dangling-chain-entry", E,
    "A protocol chain names a catalog ID that does not exist in its catalog. Sockets created through it fail (WSAEPROVIDERFAILEDINIT / 10107).",
    "Run `wsinstall repair` to rewrite or remove the broken chain." },
  { "dependency-cycle", E,
    "The manifest's layers depend on each other in a cycle, so no install order exists.",
    "Break the cycle: a layer may sit over another only in one direction." },
  { "downgrade-refused", E,
    "The machine has a newer version of this product installed than the manifest declares.",
    "Install the newer manifest, or pass --force to downgrade deliberately." },
  { "duplicate-catalog-id", E,
    "Two entries of one catalog carry the same catalog entry ID. Windows never assigns an ID twice, so the catalog is corrupt.",
    "Run `netsh winsock reset` on the machine, or `wsinstall repair`." },
  { "duplicate-guid", E,
    "Two items in the manifest declare the same provider GUID. WSCInstallProvider refuses a GUID that is already installed, "
    "and every chain entry needs its own GUID.",
    "Give each provider, layer and chain entry its own GUID (uuidgen), or let wsinstall derive chain GUIDs." },
  { "duplicate-id", E,
    "Two items in the manifest use the same id attribute, so references to it are ambiguous.",
    "Rename one of them." },
  { "duplicate-layer-in-chain", E,
    "A protocol chain contains the same layered protocol twice; Windows rejects such a chain.",
    "Do not layer a provider over a chain that already contains it (exclude such targets from the selector)." },
  { "duplicate-name", E,
    "Two layered providers of the manifest have the same name. WSCInstallProviderAndChains refuses an LSP name that is "
    "already installed (WSAEINVAL), and neither users nor support can tell the layers apart in the catalog.",
    "Give each layered-provider its own name." },
  { "empty-file", E,
    "The file is empty (no bytes, or only white space): there is no document to read.",
    "Point at the right file." },
  { "encoding-invalid", E,
    "The file is not valid in its declared encoding (manifests must be UTF-8 or declare their encoding).",
    "Save the file as UTF-8." },
  { "entry-guid-count", E,
    "A chain lists explicit <entry-guid>s, but its selectors resolve to more targets than it lists GUIDs for (each chain entry needs its own GUID).",
    "List one <entry-guid> per target, or let wsinstall derive the GUIDs (drop the <entry-guid> elements)." },
  { "file-not-regular", E,
    "A file wsinstall writes for a machine (its snapshot, journal or lock file) is a symbolic link, a directory, a "
    "device or a FIFO. wsinstall opens them without following links and writes only regular files, so a planted link "
    "cannot make it create or truncate a file elsewhere, and a device or FIFO cannot make it read without end or block "
    "while it holds the machine's lock.",
    "Point --machine and --journal at regular files (or at paths that do not exist yet); remove the link or node." },
  { "file-too-large", E,
    "The file is larger than wsinstall reads for this kind of input; it is refused without being read.",
    "Check that this is the intended file; real manifests and catalogs are far smaller." },
  { "file-unreadable", E,
    "The file could not be opened or read.",
    "Check the path and its permissions." },
  { "guid-owned-elsewhere", E,
    "A provider GUID the manifest declares (a provider, a layered provider, a SAN provider or an <entry-guid>) is "
    "already installed and belongs to someone else: Windows (its own base providers), another product (by its "
    "wsinstall install record), or an unknown third party (no install record). A plan may install, update, re-order "
    "or remove only what its own product owns; Windows itself refuses to install a GUID that is installed "
    "(WSCInstallProvider: WSANO_RECOVERY). `uninstall --provider` of a Windows base provider is refused too.",
    "Give every provider and chain entry its own GUID. Entries of your own product installed without wsinstall's "
    "record (another installer, a machine imported from a .reg export) may be taken over with --adopt; Windows' and "
    "other products' never." },
  { "helper32-failed", E,
    "The x86 helper that performs the 32-bit catalog's operations for the 64-bit wsinstall (there is no "
    "WSCInstallProvider32) could not be started, died, or answered something that is not an answer: "
    "wsinstall-x86.exe is missing from beside wsinstall.exe, or is not the same version.",
    "Install wsinstall-x86.exe next to wsinstall.exe, or name it with WSINSTALL_HELPER32 (the MSI action: helper32)." },
  { "helper32-request-invalid", E,
    "The x86 helper (`wsinstall wsc32 run`) refused its input: it makes exactly one WSC call, given as a call record in "
    "its own JSON form, on catalog 32, and only the calls a 64-bit process cannot make there (WSCInstallProvider, "
    "WSCDeinstallProvider, WSCUpdateProvider, WSCWriteProviderOrder, WSCSetProviderInfo); anything else, "
    "WSCInstallProvider64_32, registry writes, plan steps and malformed records included, is refused before a call "
    "is made.",
    "Nothing to fix by hand: the helper is for wsinstall's own use. Check that both executables are the same version." },
  { "hive-malformed", E,
    "The offline registry hive could not be read, or lacks the WinSock2 keys.",
    "Pass a SYSTEM hive (\\Windows\\System32\\config\\SYSTEM) copied from a machine that is shut down." },
  { "ifs-above-non-ifs", E,
    "An IFS layer sits above a non-IFS layer in a chain. An IFS provider must lie below every non-IFS layer, "
    "because a non-IFS layer hands out its own handles.",
    "Move the IFS layer below the non-IFS ones (or mark the layer non-IFS)." },
  { "ifs-handles-on-non-ifs-chain", W,
    "A chain that includes a non-IFS layer still advertises XP1_IFS_HANDLES; applications may treat its sockets as file handles.",
    "Clear IFS_HANDLES on chains over a non-IFS layer (wsinstall does this unless told otherwise)." },
  { "import-kind-conflict", E,
    "The machine kind asked for on import does not fit the input: a 64-bit catalog (Catalog_Entries64) cannot go into "
    "an x86 or CE machine, and an x64 machine needs one.",
    "Leave out --kind: the importer takes x64 when the input has a 64-bit catalog and x86 otherwise." },
  { "invalid-argument", E,
    "A program handed the engine something malformed: a plan or request document that wsinstall did not write, an "
    "option out of its range, a missing argument. Nothing was changed.",
    "Check the calling program or script; the message names the argument." },
  { "journal-corrupt", E,
    "The transaction journal is not one wsinstall wrote, or is damaged: a complete record (not the torn last line a "
    "crash or a full disk leaves, which is cut off) whose checksum or sequence number is wrong, so recovery cannot tell "
    "what to undo.",
    "Inspect the journal; if the machine is known to be consistent, move the journal away and run `wsinstall catalog check`." },
  { "journal-step-refused", E,
    "A step of the transaction journal that recovery would run asks for what no manifest may: a DLL path outside the "
    "path policy, or a registry value outside the registry write policy. A journal is untrusted input (anyone who can "
    "write its folder can plant one), so recovery refuses it before making any call.",
    "Find out who wrote the journal. If the machine is known to be consistent, move the journal away and run `wsinstall catalog check`." },
  { "journal-untrusted", E,
    "A live transaction journal, or the folder that holds them (%ProgramData%\\wsinstall\\journals), could have been "
    "written by someone other than SYSTEM and Administrators: its owner is another account, its ACL lets other users "
    "write, delete or re-permission it, or it is a link. wsinstall runs as SYSTEM and replays a journal's steps, so it "
    "reads no such journal: a planted one could make it install any DLL.",
    "Nothing was changed. An administrator should find out who created the file or folder, then delete "
    "%ProgramData%\\wsinstall (wsinstall recreates it with an ACL that only SYSTEM and Administrators can write) and "
    "run `wsinstall catalog check --live`." },
  { "layer-without-chain", W,
    "A layered provider of the manifest has no <chain>: only its hidden layered entry would be installed, and no socket "
    "would ever load the LSP.",
    "Add a <chain layer=\"...\"> with the targets, or remove the layered-provider." },
  { "layered-entry-unused", W,
    "A layered (ChainLen 0) entry is not used by any chain: the leftover of an unfinished install or removal.",
    "Remove it with `wsinstall repair --apply`." },
  { "machine-changed", E,
    "The machine changed between planning and applying (an entry the plan names is gone, or the catalog was rewritten by someone else).",
    "Plan again against the machine as it is now." },
  { "machine-locked", E,
    "Another wsinstall process is changing this machine; it waited and gave up.",
    "Wait for the other install to finish and run again." },
  { "manifest-invalid-value", E,
    "A value in the manifest is not acceptable for its field (out of range, unknown name).",
    "Correct the value as the message says (it lists the accepted names where there is a list); "
    "`wsinstall schema` documents every attribute." },
  { "msi-action-data-invalid", E,
    "A wsinstall MSI custom action got data it cannot use: CustomActionData not written by the wsinstall scheduling "
    "actions (an unknown or repeated key, a relative path, no manifest or journal, a journal or kept manifest outside "
    "its protected folder), or a WsinstallManifest row naming a component or file the package lacks.",
    "Declare each manifest with a wsi:Manifest element inside its Component and build with "
    "windows/msi/wsinstall-wixl.py (or the WiX 4 fragment); never set the actions' properties yourself." },
  { "msi-keep-failed", E,
    "The MSI install committed its transaction but could not keep its copy of the manifest in "
    "%ProgramData%\\wsinstall\\manifests, which the uninstall reads; the installation fails and its rollback "
    "undoes the transaction.",
    "Check that %ProgramData%\\wsinstall is writable by SYSTEM and not refused as untrusted (see journal-untrusted), "
    "then install again." },
  { "msi-test-hook-refused", E,
    "A release build of the wsinstall custom actions was given a test-only setting (WSINSTALL_TEST_SNAPSHOT as a "
    "property or in the environment, or a snapshot in CustomActionData). Only the test build (tools/win/build.sh --test) honours it; a "
    "release build never lets a property point the SYSTEM actions away from the live catalogs.",
    "Remove WSINSTALL_TEST_SNAPSHOT from the command line, package or environment, or use the test build's "
    "wsinstall-ca.dll." },
  { "name-too-long", E,
    "A protocol name holds at most 255 characters (WSAPROTOCOL_LEN).",
    "Shorten the name; derived chain names are truncated to 255 automatically." },
  { "netsh-malformed", E,
    "The text is not a `netsh winsock show catalog` listing wsinstall can read.",
    "Paste the whole output of `netsh winsock show catalog`, in English or with its original field labels." },
  { "newer-version-installed", I,
    "The manifest's product is installed in a newer version than the manifest declares, so uninstalling with this "
    "manifest changes nothing. This is an MSI major upgrade that runs the old package's uninstall after the new "
    "package's install (RemoveExistingProducts late in the sequence): the newer version stays.",
    "Nothing to do. To remove the newer version, uninstall with its own manifest, or add --force." },
  { "not-admin", E,
    "Changing the Winsock catalog needs administrator rights: every WSC install call fails with WSANO_RECOVERY "
    "otherwise, so wsinstall refuses before it starts. Under UAC an administrator's unelevated process counts as not "
    "an administrator.",
    "Run from an elevated prompt (Run as administrator), or from an MSI deferred action marked NoImpersonate." },
  { "not-supported", E,
    "The operation is not available in this build or on this machine: --live outside the Windows build, a WSC "
    "function this ws2_32.dll does not export, an importer built without its library.",
    "Use the Windows build for live catalogs, or a build with the feature enabled." },
  { "orphan-chain", E,
    "A protocol chain's first element names no layered (ChainLen 0) entry: its LSP was removed and the chain left behind. "
    "Sockets created through it fail.",
    "Run `wsinstall repair` to remove it." },
  { "packed-item-invalid", E,
    "A PackedCatalogItem is not the 888-byte structure Windows writes (260-byte path + 628-byte WSAPROTOCOL_INFOW), "
    "or its fields are out of range.",
    "Export the catalog again; the registry data is damaged." },
  { "path-encoding-unsupported", E,
    "A provider DLL path has a character that the packed catalog item cannot hold: Windows stores the path as ANSI "
    "(the system code page) in 260 bytes, and wsinstall writes Windows-1252.",
    "Install the DLL under a path made of characters of that code page (ASCII is always safe)." },
  { "path-not-absolute", E,
    "A provider DLL path must be absolute (C:\\..., or start with an environment variable such as %SystemRoot%). "
    "A relative path is searched for in the application's directory and lets any program plant a DLL.",
    "Use an absolute path or %ProgramFiles%\\Vendor\\..." },
  { "path-not-allowed", E,
    "A DLL path points where users other than administrators can write, or where wsinstall cannot tell what it names: "
    "a network (UNC \\\\server\\share) or device (\\\\?\\, \\\\.\\) path, an environment variable other than "
    "%SystemRoot%, %windir%, %ProgramFiles%, %ProgramFiles(x86)%, %ProgramW6432%, %CommonProgramFiles%, "
    "%CommonProgramFiles(x86)% or %CommonProgramW6432% (or a second one later in the path), or a directory under \\Users, "
    "\\ProgramData, \\Documents and Settings, \\$Recycle.Bin, a Temp or Tmp directory, or a user-writable directory "
    "of Windows (Temp, Tasks, Tracing, System32\\spool, ...). On Windows CE only \\Windows and \\Program Files are "
    "allowed. Every process that uses Winsock loads these DLLs: one a user can replace runs in every process, services included.",
    "Install the DLL under %ProgramFiles%\\Vendor\\ or %SystemRoot%\\System32\\ (CE: \\Windows\\)." },
  { "path-not-canonical", E,
    "A DLL path is not in the plain form wsinstall can check: it has an empty, \".\" or \"..\" segment, a segment "
    "ending in a dot or a space (Windows strips them), an 8.3 short name (PROGRA~1), a ':' after the drive (an "
    "alternate data stream), a wildcard or control character, or a reserved device name (CON, NUL, COM1, ...). Such "
    "paths can name another place than they seem to.",
    "Write the full long path without . or .. segments, e.g. %ProgramFiles%\\Vendor\\lsp.dll." },
  { "path-too-long", E,
    "A DLL path holds at most 259 characters plus NUL (MAX_PATH); the catalog stores it in a 260-byte field.",
    "Install the DLL into a shorter directory." },
  { "path32-missing", E,
    "The manifest targets the 32-bit catalog of a 64-bit machine but gives no 32-bit DLL path. "
    "32-bit processes cannot load the 64-bit DLL.",
    "Add path32=\"...\" (usually under %SystemRoot%\\SysWOW64 or Program Files (x86))." },
  { "plan-breaks-catalog", E,
    "The plan, replayed on a copy of the machine before it is printed or applied, would leave a catalog error the "
    "machine did not have: an orphan or dangling chain, a duplicate ID, a chain over 7 entries, or an IFS layer above "
    "a non-IFS one. The plan is refused; nothing ran. This is a bug in wsinstall or a request no plan can satisfy.",
    "Report the manifest and the machine (`wsinstall catalog export`) to the wsinstall maintainers; the message names "
    "the step and the chain." },
  { "plan-empty", I,
    "The manifest is already installed at this version; there is nothing to do.",
    "Nothing to do; raise the product version in the manifest to install a changed one." },
  { "position-anchor-missing", W,
    "A chain is to be placed before or after a provider that has no entries in the catalog; it goes to the top instead.",
    "Nothing to do if the other provider is simply not installed; otherwise check the relative-to GUID or id." },
  { "profile-conflict", E,
    "The manifest asks for something its platform profile cannot do: the 64-bit catalog (catalogs=\"64\" or "
    "\"both\"), path32= or allow-64-32 on an x86 or CE profile, a SAN provider or LSP categories on Windows CE.",
    "Match the manifest to the profile: x86 and CE have one catalog (catalogs=\"32\", the default), and CE has no "
    "SAN switch and no LSP categories." },
  { "profile-mismatch", E,
    "The manifest's platform profile does not fit the machine it is planned for (for example a desktop-x64 manifest on a 32-bit machine, or a desktop manifest on Windows CE).",
    "Plan against a machine of the manifest's profile, or write a manifest for this one." },
  { "provider-not-installed", E,
    "No catalog of the machine holds the provider GUID that was asked for.",
    "Check the GUID with `wsinstall catalog show`." },
  { "reference-read-only", E,
    "The machine named is a reference catalog (ref:NAME): a snapshot of a real Windows version installed with "
    "wsinstall and read in place. Commands that read a machine (plan, repair without --apply, catalog show, check, "
    "resolve, diff, export) take it; commands that change one (apply, uninstall, recover, repair --apply) refuse "
    "it before they lock or write anything.",
    "Copy the reference's file (the message names it) and name the copy: --machine m.xml." },
  { "reference-undeclared", E,
    "The manifest refers to an id that no item declares.",
    "Declare the item, or fix the reference's spelling." },
  { "reg-malformed", E,
    "The .reg file could not be parsed (bad header, line or value syntax, or an unsupported value type).",
    "Export again with `reg export HKLM\\SYSTEM\\CurrentControlSet\\Services services.reg`." },
  { "registry-value-owned-elsewhere", E,
    "The manifest would overwrite a registry value that another product or Windows set: another transport's WSH helper "
    "(Tcpip's, say) or a TCP on SAN registration naming another provider. wsinstall never takes such values over.",
    "Register your own transport name, or a SAN registration name of your own." },
  { "registry-write-denied", E,
    "A registry write falls outside the values a manifest may own: Winsock\\Parameters\\TCP on SAN\\<its SAN "
    "registration>, Winsock\\Parameters\\Transports (with a WSH helper), <its transport>\\Parameters\\Winsock "
    "(Mapping, HelperDllName, MinSockaddrLength, MaxSockaddrLength; never for a transport of Windows: AFD, Tcpip, "
    "Tcpip6, NetBIOS, Psched, afunix, irda, RFCOMM, vmbus) and HKLM\\SOFTWARE\\wsinstall\\Products\\<its "
    "product id>. Keys must be plain (no empty, . or .. segments, no '/', no control characters). wsinstall refuses "
    "the write rather than touch a key it does not own.",
    "Declare the SAN provider or WSH helper in the manifest; other registry changes are not wsinstall's to make." },
  { "rollback-incomplete", E,
    "An operation failed and not every completed step could be undone. The journal lists what is left.",
    "Run `wsinstall recover` to continue the rollback." },
  { "san-provider-not-hidden", E,
    "A SAN service provider is reached only through the Winsock switch and must set PFL_HIDDEN.",
    "Add HIDDEN to the provider flags (wsinstall does it when the provider is declared as <san-provider>)." },
  { "schema-invalid", E,
    "The document does not follow the XML schema (wsinstall schema prints it).",
    "Compare the element with the schema; editors show the documentation of each element." },
  { "selector-invalid", E,
    "An <over> selector must choose its targets in exactly one way: a complete af+type+protocol triple (with match=), "
    "guid=, name-pattern=, all-base=\"true\", provider= or chains-of=. A guid= naming a layer of the same manifest "
    "selects its hidden layered entry, which is never a target.",
    "Split the selector into one <over> per way of choosing; stack on a layer of this manifest with chains-of=." },
  { "selector-unresolved", E,
    "A selector matches nothing in the catalog it is resolved against, so the layer has nothing to go over.",
    "Check the selector against `wsinstall catalog show`, or mark it optional=\"true\"." },
  { "snapshot-inconsistent", E,
    "The machine snapshot contradicts itself (IDs at or above the next-ID counter, entry counts, catalogs a machine kind cannot have).",
    "Regenerate the snapshot with `wsinstall catalog import`." },
  { "sockaddr-range-invalid", E,
    "The minimum sockaddr length is larger than the maximum.",
    "Swap or fix min-sockaddr and max-sockaddr." },
  { "too-many-elements", E,
    "The manifest has more elements than any real manifest needs (at most 2000). wsinstall refuses it unchecked rather "
    "than spend unbounded time and stack on untrusted input.",
    "Split the product into several manifests, or check that the file is the intended one." },
  { "uncategorized-lsp", W,
    "A layered provider has no LSP category; since Windows Vista such an LSP is not loaded into categorised (system) processes.",
    "Declare its categories (inspector, firewall, ...) in the manifest." },
  { "unsupported-version", E,
    "The document's namespace names a version of the format this wsinstall does not know.",
    "Use urn:wsinstall:manifest:1 or upgrade wsinstall." },
  { "wow64-refused", E,
    "A 32-bit wsinstall (wsinstall.exe --live, or the x86 custom action DLL) runs on 64-bit Windows. Through WOW64 it "
    "reaches only the 32-bit catalog and cannot even enumerate the 64-bit one, so it cannot plan for the machine.",
    "Run the 64-bit wsinstall.exe; ship the x64 wsinstall-ca.dll in an x64 package (with wsinstall-x86.exe beside it "
    "for the 32-bit catalog)." },
  { "wsc-call-failed", E,
    "A Winsock catalog call (WSC*) returned an error.",
    "Look up the WSA code in the message (WSANO_RECOVERY: not elevated, or the GUID is installed); the change was "
    "rolled back, so fix the cause and run again." },
  { "wsc-no-effect", E,
    "A Winsock catalog call reported success, but re-enumerating the catalog shows it had no effect (Wine's stubs do this; so can a broken ws2_32). The change is rolled back.",
    "Run on a real Windows machine; check that nothing else rewrites the catalog." },
  { "xml-entities-refused", E,
    "The document declares a DTD or entities. Manifests are untrusted input: wsinstall refuses DTDs, entities and XInclude, "
    "and never opens a file or a network connection on a document's behalf.",
    "Remove the <!DOCTYPE ...> declaration and write the text out." },
  { "xml-malformed", E,
    "The document is not well-formed XML.",
    "Fix the XML at the line given (an unclosed tag, an unescaped & or <, a stray quote); "
    "`xmllint --noout FILE` shows the same." },
  { "xml-too-deep", E,
    "The document nests elements deeper than any valid document can.",
    "Check the file is the manifest or snapshot you meant; no valid one nests more than a few levels." },
};

const WsiTagInfo *
wsi_tags_get_all (guint *n_tags)
{
  *n_tags = G_N_ELEMENTS (wsi_tags);
  return wsi_tags;
}

static int
wsi_tag_compare (const void *key, const void *item)
{
  return strcmp (key, ((const WsiTagInfo *) item)->tag);
}

const WsiTagInfo *
wsi_tag_lookup (const char *tag)
{
  if (tag == NULL)
    return NULL;
  return bsearch (tag, wsi_tags, G_N_ELEMENTS (wsi_tags), sizeof wsi_tags[0], wsi_tag_compare);
}
