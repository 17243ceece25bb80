/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest.h: the manifest model. A manifest (XML, namespace
 * urn:wsinstall:manifest:1, schema/manifest.xsd) declares what a vendor
 * installs: base and SAN providers, layered providers (LSPs), the chains
 * that put each layer over its targets, and WSH helper registrations.
 *
 * The model is plain data: structs with public fields, children in
 * GPtrArrays (element pointers owned by the array), every item with the
 * 1-based source line of its element. A model returned by the loader has
 * passed the XSD and every semantic check (no error diagnostics), so every
 * reference in it is resolved (the pointer fields below are non-NULL where
 * documented) and every value is in range. Items are kept in document
 * order; the planner relies on that order (selectors, chains). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-catalog.h"   /* WsiBitness */
#include "wsi-diag.h"
#include "wsi-guid.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* Platform profile: what kind of machine the manifest is written for. It
 * changes what is legal (catalogs, path32, SAN, categories). Same order as
 * WsiMachineKind, so a cast maps one to the other. */
typedef enum {
  WSI_PROFILE_DESKTOP_X86,   /* "desktop-x86": one catalog (32) */
  WSI_PROFILE_DESKTOP_X64,   /* "desktop-x64": catalogs 64 and 32 (WOW64) */
  WSI_PROFILE_CE,            /* "ce": Windows CE 6.0, one catalog (32), paths like \Windows\x.dll */
} WsiProfile;

/* The catalogs a manifest targets, as a mask. On x86 and CE the one
 * catalog is WSI_MANIFEST_CATALOG_32. */
#define WSI_MANIFEST_CATALOG_32  (1u << 0)
#define WSI_MANIFEST_CATALOG_64  (1u << 1)
#define WSI_MANIFEST_CATALOG_BOTH (WSI_MANIFEST_CATALOG_32 | WSI_MANIFEST_CATALOG_64)

/* A comparable product version: 1 to 4 dot-separated decimal numbers
 * ("2.1.0"); missing trailing parts compare as 0, so 2.1 == 2.1.0. */
typedef struct {
  guint32 parts[4];
  guint   n_parts;
} WsiVersion;

/* <product id name vendor version/>: identity for upgrade and uninstall. */
typedef struct {
  int         line;
  char       *id;        /* stable machine-readable id ("contoso-filter") */
  char       *name;      /* display name */
  char       *vendor;
  char       *version_string;   /* as written */
  WsiVersion  version;
} WsiManifestProduct;

/* <target profile catalogs allow-64-32/> */
typedef struct {
  int         line;
  WsiProfile  profile;
  guint       catalogs;      /* WSI_MANIFEST_CATALOG_* mask, never 0; default BOTH on desktop-x64, 32 elsewhere */
  /* TRUE: the planner may use WSCInstallProvider64_32 (same structures in
   * both catalogs) when the catalogs are in sync. Default FALSE: per-catalog
   * installs. Only legal on desktop-x64. */
  gboolean    allow_64_32;
} WsiManifestTarget;

/* <protocol .../>: one WSAPROTOCOL_INFOW a base or SAN provider installs.
 * The catalog fills dwCatalogEntryId; ChainLen is 1; ProviderId is the
 * provider's GUID; dwServiceFlags2..4 are 0. Defaults (attribute absent):
 * version 2, byte-order big (BIGENDIAN = 0), security-scheme 0 (none),
 * message-size 0, protocol-max-offset 0, provider-flags 0 (HIDDEN for a
 * SAN provider), provider-reserved 0. */
typedef struct {
  int      line;
  char    *name;                 /* szProtocol, at most 255 UTF-16 units */
  gint32   address_family;       /* iAddressFamily */
  gint32   socket_type;          /* iSocketType */
  gint32   protocol;             /* iProtocol */
  gint32   min_sockaddr;         /* iMinSockAddr <= iMaxSockAddr */
  gint32   max_sockaddr;         /* iMaxSockAddr */
  gint32   version;              /* iVersion */
  gint32   network_byte_order;   /* iNetworkByteOrder: 0 big endian, 1 little endian */
  gint32   security_scheme;      /* iSecurityScheme: 0 = SECURITY_PROTOCOL_NONE */
  guint32  message_size;         /* dwMessageSize: 0 stream, 1 MTU-based, 0xFFFFFFFF unlimited */
  gint32   protocol_max_offset;  /* iProtocolMaxOffset */
  guint32  service_flags;        /* dwServiceFlags1, XP1_* */
  guint32  provider_flags;       /* dwProviderFlags, PFL_* */
  guint32  provider_reserved;    /* dwProviderReserved */
} WsiManifestProtocol;

/* <base-provider> or <san-provider>: one provider GUID with one or more
 * protocol entries, installed with one WSCInstallProvider call per catalog. */
typedef struct {
  int        line;
  char      *id;            /* unique among all ids of the manifest */
  WsiGuid    guid;          /* ProviderId */
  /* The DLL for the native catalog: the 64-bit catalog on desktop-x64, the
   * only catalog on desktop-x86 and CE. Absolute, at most 259 characters,
   * environment variables (%SystemRoot%) kept unexpanded as Windows stores
   * them. Use wsi_manifest_get_path() rather than choosing yourself. */
  char      *path;
  char      *path32;        /* desktop-x64 only: the DLL for the 32-bit catalog; NULL if not given */
  GPtrArray *protocols;     /* WsiManifestProtocol*, at least one */
  /* SAN provider (seed 002): every protocol has PFL_HIDDEN, and the GUID
   * is registered as a REG_BINARY value named @san_registration under
   * HKLM\System\CurrentControlSet\Services\Winsock\Parameters\TCP on SAN. */
  gboolean   san;
  char      *san_registration;   /* NULL unless @san */
} WsiManifestProvider;

/* <layered-provider>: an LSP. Its layered (ChainLen 0, "dummy") entry has
 * the LSP's GUID and name; chains are declared by <chain>. */
typedef struct {
  int        line;
  char      *id;
  WsiGuid    guid;          /* ProviderId of the layered entry; default namespace of its chain-entry GUIDs */
  char      *name;          /* the LSP name: the layered entry's szProtocol, {layer} in name templates */
  char      *path;          /* as WsiManifestProvider.path */
  char      *path32;
  /* IFS LSP: passes the base provider's handles through, so its chains may
   * keep XP1_IFS_HANDLES; a non-IFS layer's chains clear it. */
  gboolean   ifs;
  guint32    categories;    /* LSP_* mask for WSCSetProviderInfo; 0 = none declared */
} WsiManifestLayer;

/* How an <over> selector chooses the entries a layer goes over. Each
 * selector is resolved against each target catalog separately. */
typedef enum {
  /* <over af type protocol [match]/>: entries with that (af, type, protocol)
   * triple, narrowed by @match (below). */
  WSI_SELECTOR_TRIPLE,
  /* <over guid="{...}"/>: every entry on the machine whose ProviderId is
   * @guid (a base provider's entries, or one chain entry of another LSP),
   * in catalog order. Layered (ChainLen 0) entries never match. */
  WSI_SELECTOR_GUID,
  /* <over name-pattern="MSAFD Tcpip [*"/>: every base or chain entry whose
   * szProtocol matches the glob (only * and ? are special, case sensitive,
   * GLib GPatternSpec), in catalog order. */
  WSI_SELECTOR_NAME_PATTERN,
  /* <over all-base="true"/>: every base protocol entry (ChainLen 1) that is
   * not PFL_HIDDEN, in catalog order. */
  WSI_SELECTOR_ALL_BASE,
  /* <over provider="id"/>: every protocol entry of a base or SAN provider
   * this manifest declares (@provider). */
  WSI_SELECTOR_PROVIDER,
  /* <over chains-of="id"/>: every chain entry another layer of this
   * manifest creates (@layer): stacking. */
  WSI_SELECTOR_CHAINS_OF,
} WsiSelectorKind;

/* For WSI_SELECTOR_TRIPLE. */
typedef enum {
  /* "base" (default): the first base protocol entry (ChainLen 1) in catalog
   * order with the triple, as WSCInstallProviderAndChains does with NULL
   * infos. At most one entry per catalog. */
  WSI_SELECTOR_MATCH_BASE,
  /* "top-most": the first entry in catalog order with the triple, chains
   * included (what sockets currently get), as WSCInstallProviderAndChains
   * does with explicit infos. At most one entry per catalog. */
  WSI_SELECTOR_MATCH_TOP_MOST,
  /* "all-base": every base protocol entry with the triple, in catalog order. */
  WSI_SELECTOR_MATCH_ALL_BASE,
} WsiSelectorMatch;

typedef struct {
  int               line;
  WsiSelectorKind   kind;
  /* TRIPLE */
  gint32            address_family;
  gint32            socket_type;
  gint32            protocol;
  WsiSelectorMatch  match;
  /* GUID */
  WsiGuid           guid;
  /* NAME_PATTERN */
  char             *name_pattern;
  /* PROVIDER, CHAINS_OF: the id as written and the item it names (borrowed
   * from the manifest; never NULL in a loaded model). */
  char             *ref;
  WsiManifestProvider *provider;   /* PROVIDER */
  WsiManifestLayer    *layer;      /* CHAINS_OF */
  /* optional="true": matching nothing is not an error at plan time. */
  gboolean          optional;
} WsiManifestSelector;

/* Where a chain's entries go in the catalog order. */
typedef enum {
  WSI_POSITION_TOP,      /* before every other entry (default; what AndChains and the SDK sample do) */
  WSI_POSITION_BOTTOM,   /* after every other entry */
  WSI_POSITION_BEFORE,   /* right before the first entry of the relative-to item */
  WSI_POSITION_AFTER,    /* right after the last entry of the relative-to item */
} WsiPosition;

/* What BEFORE/AFTER are relative to (relative-to="id" or "{GUID}"). */
typedef enum {
  WSI_RELATIVE_NONE,      /* TOP, BOTTOM */
  WSI_RELATIVE_PROVIDER,  /* a base or SAN provider of this manifest: its protocol entries */
  WSI_RELATIVE_LAYER,     /* a layer of this manifest: the chain entries it creates */
  WSI_RELATIVE_GUID,      /* entries with that ProviderId on the machine */
} WsiRelativeKind;

/* How chain entries get their GUIDs. Each chain entry needs its own GUID
 * (WSPStartup runs once per GUID). */
typedef enum {
  /* Default: wsi_guid_derive (namespace, key) with @guid_namespace (the
   * layer's GUID unless <entry-guids derive-from> says otherwise) and a key
   * the planner builds from the target (stable across runs and machines). */
  WSI_GUID_RULE_DERIVE,
  /* <entry-guid guid="..."/> children: assigned to the resolved targets in
   * target order; the planner fails when the counts differ. */
  WSI_GUID_RULE_EXPLICIT,
} WsiGuidRule;

typedef struct {
  int      line;
  WsiGuid  guid;
} WsiManifestEntryGuid;

/* <chain layer="id" position relative-to>: the layer goes over every
 * target its selectors resolve to. Targets are the selectors' matches in
 * selector order (each selector's matches in catalog order), duplicates
 * dropped. A layer may have several <chain> elements (e.g. different
 * positions for different targets). */
typedef struct {
  int               line;
  char             *layer_id;
  WsiManifestLayer *layer;             /* borrowed; never NULL in a loaded model */
  GPtrArray        *selectors;         /* WsiManifestSelector*, at least one */
  WsiPosition       position;
  WsiRelativeKind   relative_kind;
  char             *relative_to;       /* as written; NULL for TOP/BOTTOM */
  WsiManifestProvider *relative_provider;  /* WSI_RELATIVE_PROVIDER */
  WsiManifestLayer    *relative_layer;     /* WSI_RELATIVE_LAYER */
  WsiGuid           relative_guid;         /* WSI_RELATIVE_GUID */
  /* Chain entry names: placeholders {layer} (the LSP name) and {target}
   * (the target entry's szProtocol). Default WSI_MANIFEST_DEFAULT_NAME_TEMPLATE,
   * the SDK sample's rule. The planner truncates results to 255 UTF-16 units. */
  char             *name_template;
  int               name_template_line;     /* 0 when defaulted */
  WsiGuidRule       guid_rule;
  WsiGuid           guid_namespace;         /* WSI_GUID_RULE_DERIVE */
  int               guid_rule_line;         /* 0 when defaulted */
  GPtrArray        *entry_guids;            /* WsiManifestEntryGuid*, WSI_GUID_RULE_EXPLICIT; empty otherwise */
} WsiManifestChain;

#define WSI_MANIFEST_DEFAULT_NAME_TEMPLATE "{layer} over [{target}]"

/* One WINSOCK_MAPPING row. */
typedef struct {
  int     line;
  gint32  address_family;
  gint32  socket_type;
  gint32  protocol;
} WsiManifestMapping;

/* <wsh-helper> (seed 004): the transport name is added to
 * Winsock\Parameters\Transports; Services\<transport>\Parameters\Winsock
 * gets Mapping, HelperDllName (REG_EXPAND_SZ), Min/MaxSockaddrLength. */
typedef struct {
  int        line;
  char      *transport;     /* the transport driver's service key name */
  char      *dll;           /* HelperDllName, unexpanded */
  gint32     min_sockaddr;
  gint32     max_sockaddr;
  GPtrArray *mappings;      /* WsiManifestMapping*, at least one */
} WsiManifestWshHelper;

typedef struct {
  char               *file;          /* display name used in diagnostics */
  WsiManifestProduct  product;
  WsiManifestTarget   target;
  GPtrArray          *providers;     /* WsiManifestProvider*: base and SAN, document order */
  GPtrArray          *layers;        /* WsiManifestLayer* */
  GPtrArray          *chains;        /* WsiManifestChain* */
  GPtrArray          *wsh_helpers;   /* WsiManifestWshHelper* */
} WsiManifest;

/* More elements than this and a manifest is refused (too-many-elements)
 * before validation: real manifests have tens. */
#define WSI_MANIFEST_MAX_ELEMENTS 2000u

/* Reads, parses (hardened loader: no DTD, entities, network, bounded size
 * and depth), validates against the XSD, builds the model and runs the
 * semantic checks. Every problem is added to @diags with its line. Returns
 * NULL when any error was found; warnings alone still give a model. */
WsiManifest *wsi_manifest_load_file   (const char  *path,
                                       WsiDiagList *diags);
WsiManifest *wsi_manifest_load_memory (const char  *data,
                                       gsize        len,
                                       const char  *display_name,
                                       WsiDiagList *diags);
void         wsi_manifest_free        (WsiManifest *self);

/* Lookups (NULL when absent). */
WsiManifestProvider *wsi_manifest_find_provider      (const WsiManifest *self,
                                                      const char        *id);
WsiManifestProvider *wsi_manifest_find_provider_guid (const WsiManifest *self,
                                                      const WsiGuid     *guid);
WsiManifestLayer    *wsi_manifest_find_layer         (const WsiManifest *self,
                                                      const char        *id);
WsiManifestLayer    *wsi_manifest_find_layer_guid    (const WsiManifest *self,
                                                      const WsiGuid     *guid);
/* The chains of @layer, in document order (borrowed pointers). */
GPtrArray           *wsi_manifest_get_layer_chains   (const WsiManifest      *self,
                                                      const WsiManifestLayer *layer);
/* Layers in an order where every layer comes after the layers its
 * chains-of selectors name (install order; document order otherwise). */
GPtrArray           *wsi_manifest_get_layers_sorted  (const WsiManifest *self);

/* Whether the manifest installs into the catalog of @bitness. */
gboolean     wsi_manifest_targets_catalog (const WsiManifest *self,
                                           WsiBitness         bitness);
/* The DLL path for the catalog of @bitness: path32 for the 32-bit catalog
 * on desktop-x64, path otherwise. @path and @path32 are the fields of a
 * WsiManifestProvider or WsiManifestLayer. */
const char  *wsi_manifest_get_path        (const WsiManifest *self,
                                           const char        *path,
                                           const char        *path32,
                                           WsiBitness         bitness);

/* "desktop-x86", "desktop-x64", "ce". */
const char  *wsi_profile_to_string        (WsiProfile   profile);
gboolean     wsi_profile_from_string      (const char  *text,
                                           WsiProfile  *out);

/* "1", "2.1", "2.1.0.7": 1 to 4 decimal parts, each at most 4294967295. */
gboolean     wsi_version_parse            (const char  *text,
                                           WsiVersion  *out);
/* <0, 0, >0 like strcmp; missing trailing parts are 0. */
int          wsi_version_compare          (const WsiVersion *a,
                                           const WsiVersion *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiManifest, wsi_manifest_free)

WSI_END_PUBLIC
G_END_DECLS
