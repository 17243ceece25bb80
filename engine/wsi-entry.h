/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-entry.h: one catalog entry: a WSAPROTOCOL_INFOW plus its provider DLL
 * path, and the two binary forms Windows stores (628-byte WSAPROTOCOL_INFOW,
 * 888-byte PackedCatalogItem). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-guid.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

#define WSI_MAX_PROTOCOL_CHAIN    7     /* MAX_PROTOCOL_CHAIN */
#define WSI_PROTOCOL_LEN          255   /* WSAPROTOCOL_LEN: characters, NUL not counted */
#define WSI_MAX_PATH              260   /* MAX_PATH: bytes of the packed path, NUL included */
#define WSI_PROTOCOL_INFO_SIZE    628   /* sizeof (WSAPROTOCOL_INFOW) */
#define WSI_PACKED_ITEM_SIZE      888   /* WSI_MAX_PATH + WSI_PROTOCOL_INFO_SIZE */
#define WSI_FIRST_CATALOG_ID      1001  /* first value of Next_Catalog_Entry_ID */

typedef enum {
  WSI_ENTRY_LAYERED,   /* ChainLen 0: an LSP's hidden placeholder */
  WSI_ENTRY_BASE,      /* ChainLen 1: a transport provider */
  WSI_ENTRY_CHAIN,     /* ChainLen 2..7: a protocol chain */
  WSI_ENTRY_INVALID,   /* ChainLen < 0 or > 7 (only from corrupt input) */
} WsiEntryKind;

typedef struct {
  guint32  service_flags[4];     /* dwServiceFlags1..4 (XP1_* in [0]) */
  guint32  provider_flags;       /* PFL_* */
  WsiGuid  provider_id;
  guint32  catalog_id;           /* dwCatalogEntryId: assigned by the catalog */
  gint32   chain_len;
  guint32  chain[WSI_MAX_PROTOCOL_CHAIN];  /* kept verbatim, even unused slots */
  gint32   version;
  gint32   address_family;
  gint32   max_sockaddr;
  gint32   min_sockaddr;
  gint32   socket_type;
  gint32   protocol;
  gint32   protocol_max_offset;
  gint32   network_byte_order;
  gint32   security_scheme;
  guint32  message_size;
  guint32  provider_reserved;
  char    *name;                 /* szProtocol, UTF-8; at most 255 UTF-16 units */
  char    *path;                 /* provider DLL path, UTF-8; NULL when not known */
  guint32  lsp_categories;       /* ProviderInfoLspCategories; not in the packed item */
} WsiEntry;

/* Every field zero (ChainLen 0), name and path NULL. */
WsiEntry     *wsi_entry_new                  (void);
WsiEntry     *wsi_entry_copy                 (const WsiEntry *entry);
void          wsi_entry_free                 (WsiEntry       *entry);
void          wsi_entry_set_name             (WsiEntry       *entry,
                                              const char     *name);
void          wsi_entry_set_path             (WsiEntry       *entry,
                                              const char     *path);

WsiEntryKind  wsi_entry_get_kind             (const WsiEntry *entry);
/* "layered", "base", "chain", "invalid". */
const char   *wsi_entry_kind_to_string       (WsiEntryKind    kind);
/* Every field, the catalog ID and the path included. */
gboolean      wsi_entry_equal                (const WsiEntry *a,
                                              const WsiEntry *b);

/* WSAPROTOCOL_INFOW, little endian. The name is written as UTF-16LE,
 * truncated to 255 units; pack never fails. */
void          wsi_entry_pack_protocol_info   (const WsiEntry *entry,
                                              guint8          out[WSI_PROTOCOL_INFO_SIZE]);
/* Fails (WSI_ERROR_INVALID_MACHINE, message starting "packed-item-invalid:")
 * when @len is not 628 or the name is not NUL-terminated UTF-16. */
WsiEntry     *wsi_entry_unpack_protocol_info (const guint8   *data,
                                              gsize           len,
                                              GError        **error);

/* PackedCatalogItem: CHAR path[260] (ANSI, NUL-terminated; bytes after the
 * NUL are ignored on read: older Windows leaves garbage there) followed by
 * the WSAPROTOCOL_INFOW. The path is stored as Windows-1252 (the ANSI code
 * page of the reference machines); pack fails with WSI_ERROR_INVALID_ARGUMENT
 * for a path that does not fit 259 bytes in that code page. */
gboolean      wsi_entry_pack_catalog_item    (const WsiEntry *entry,
                                              guint8          out[WSI_PACKED_ITEM_SIZE],
                                              GError        **error);
WsiEntry     *wsi_entry_unpack_catalog_item  (const guint8   *data,
                                              gsize           len,
                                              GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiEntry, wsi_entry_free)

WSI_END_PUBLIC
G_END_DECLS
