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
  { "catalogs-out-of-sync", E,
    "The 32-bit and 64-bit catalogs give different IDs to the same providers, or hold them in a different order. "
    "Chains must then be built per catalog; WSCInstallProvider64_32 fails with WSANO_RECOVERY on Windows Vista and later.",
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
  { "empty-file", E,
    "The file is empty (no bytes, or only white space): there is no document to read.",
    "Point at the right file." },
  { "encoding-invalid", E,
    "The file is not valid in its declared encoding (manifests must be UTF-8 or declare their encoding).",
    "Save the file as UTF-8." },
  { "file-too-large", E,
    "The file is larger than wsinstall reads for this kind of input; it is refused without being read.",
    "Check that this is the intended file; real manifests and catalogs are far smaller." },
  { "file-unreadable", E,
    "The file could not be opened or read.",
    "Check the path and its permissions." },
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
  { "layered-entry-unused", W,
    "A layered (ChainLen 0) entry is not used by any chain: the leftover of an unfinished install or removal.",
    "Remove it with `wsinstall repair --apply`." },
  { "machine-locked", E,
    "Another wsinstall process is changing this machine; it waited and gave up.",
    "Wait for the other install to finish and run again." },
  { "manifest-invalid-value", E,
    "A value in the manifest is not acceptable for its field (out of range, unknown name).",
    NULL },
  { "name-too-long", E,
    "A protocol name holds at most 255 characters (WSAPROTOCOL_LEN).",
    "Shorten the name; derived chain names are truncated to 255 automatically." },
  { "netsh-malformed", E,
    "The text is not a `netsh winsock show catalog` listing wsinstall can read.",
    "Paste the whole output of `netsh winsock show catalog`, in English or with its original field labels." },
  { "orphan-chain", E,
    "A protocol chain's first element names no layered (ChainLen 0) entry: its LSP was removed and the chain left behind. "
    "Sockets created through it fail.",
    "Run `wsinstall repair` to remove it." },
  { "packed-item-invalid", E,
    "A PackedCatalogItem is not the 888-byte structure Windows writes (260-byte path + 628-byte WSAPROTOCOL_INFOW), "
    "or its fields are out of range.",
    "Export the catalog again; the registry data is damaged." },
  { "path-not-absolute", E,
    "A provider DLL path must be absolute (C:\\..., or start with an environment variable such as %SystemRoot%). "
    "A relative path is searched for in the application's directory and lets any program plant a DLL.",
    "Use an absolute path or %ProgramFiles%\\Vendor\\..." },
  { "path-too-long", E,
    "A DLL path holds at most 259 characters plus NUL (MAX_PATH); the catalog stores it in a 260-byte field.",
    "Install the DLL into a shorter directory." },
  { "path32-missing", E,
    "The manifest targets the 32-bit catalog of a 64-bit machine but gives no 32-bit DLL path. "
    "32-bit processes cannot load the 64-bit DLL.",
    "Add path32=\"...\" (usually under %SystemRoot%\\SysWOW64 or Program Files (x86))." },
  { "plan-empty", I,
    "The manifest is already installed at this version; there is nothing to do.",
    NULL },
  { "profile-conflict", E,
    "The manifest asks for something its platform profile cannot do (for example a 32-bit catalog on Windows CE, "
    "or 64-bit on an x86 profile).",
    "Match the catalogs to the profile: x86 and CE have one catalog." },
  { "reference-undeclared", E,
    "The manifest refers to an id that no item declares.",
    "Declare the item, or fix the reference's spelling." },
  { "reg-malformed", E,
    "The .reg file could not be parsed (bad header, line or value syntax, or an unsupported value type).",
    "Export again with `reg export HKLM\\SYSTEM\\CurrentControlSet\\Services services.reg`." },
  { "rollback-incomplete", E,
    "An operation failed and not every completed step could be undone. The journal lists what is left.",
    "Run `wsinstall recover` to continue the rollback." },
  { "san-provider-not-hidden", E,
    "A SAN service provider is reached only through the Winsock switch and must set PFL_HIDDEN.",
    "Add HIDDEN to the provider flags (wsinstall does it when the provider is declared as <san-provider>)." },
  { "schema-invalid", E,
    "The document does not follow the XML schema (wsinstall schema prints it).",
    "Compare the element with the schema; editors show the documentation of each element." },
  { "selector-unresolved", E,
    "A selector matches nothing in the catalog it is resolved against, so the layer has nothing to go over.",
    "Check the selector against `wsinstall catalog show`, or mark it optional=\"true\"." },
  { "snapshot-inconsistent", E,
    "The machine snapshot contradicts itself (IDs at or above the next-ID counter, entry counts, catalogs a machine kind cannot have).",
    "Regenerate the snapshot with `wsinstall catalog import`." },
  { "sockaddr-range-invalid", E,
    "The minimum sockaddr length is larger than the maximum.",
    "Swap or fix min-sockaddr and max-sockaddr." },
  { "uncategorized-lsp", W,
    "A layered provider has no LSP category; since Windows Vista such an LSP is not loaded into categorised (system) processes.",
    "Declare its categories (inspector, firewall, ...) in the manifest." },
  { "unsupported-version", E,
    "The document's namespace names a version of the format this wsinstall does not know.",
    "Use urn:wsinstall:manifest:1 or upgrade wsinstall." },
  { "wsc-call-failed", E,
    "A Winsock catalog call (WSC*) returned an error.",
    NULL },
  { "xml-entities-refused", E,
    "The document declares a DTD or entities. Manifests are untrusted input: wsinstall refuses DTDs, entities and XInclude, "
    "and never opens a file or a network connection on a document's behalf.",
    "Remove the <!DOCTYPE ...> declaration and write the text out." },
  { "xml-malformed", E,
    "The document is not well-formed XML.",
    NULL },
  { "xml-too-deep", E,
    "The document nests elements deeper than any valid document can.",
    NULL },
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
