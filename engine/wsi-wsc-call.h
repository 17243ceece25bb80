/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-wsc-call.h: one WSC call as data. A WsiWscCall is exactly one call
 * of the backend interface (wsi-backend.h) that changes a catalog:
 * WSCInstallProvider, WSCInstallProvider64_32, WSCDeinstallProvider,
 * WSCUpdateProvider, WSCWriteProviderOrder or WSCSetProviderInfo
 * (ProviderInfoLspCategories), with its arguments as the API takes them:
 * literal catalog IDs, WSAPROTOCOL_INFOW structures, no references to
 * resolve, no inverse, no registry. It is what the x64 backend sends the x86
 * helper (wsi-win32-helper.h), which makes the call on its own backend: the
 * helper is a remote backend.
 *
 * Its JSON form, one object, members in this order:
 *   {"call":"WSCInstallProvider","catalog":32,"guid":"{...}","path":"...","entries":[E,...]}
 *   {"call":"WSCInstallProvider64_32","guid":"{...}","path":"...","entries":[E,...]}
 *   {"call":"WSCDeinstallProvider","catalog":32,"guid":"{...}"}
 *   {"call":"WSCUpdateProvider","catalog":32,"guid":"{...}","path":"...","entries":[E,...]}
 *   {"call":"WSCWriteProviderOrder","catalog":32,"order":[1003,1001,...]}
 *   {"call":"WSCSetProviderInfo","catalog":32,"guid":"{...}","lsp_categories":N}
 * where "catalog" is 32 or 64 (WSCInstallProvider64_32 writes both and has
 * none) and each E is one WSAPROTOCOL_INFOW, field for field:
 *   {"service_flags":[F1,F2,F3,F4],"provider_flags":N,"chain_len":N,
 *    "chain":[7 IDs],"version":N,"af":N,"max_sockaddr":N,"min_sockaddr":N,
 *    "type":N,"protocol":N,"protocol_max_offset":N,"byte_order":N,
 *    "security_scheme":N,"message_size":N,"provider_reserved":N,"name":"..."}
 * ProviderId and dwCatalogEntryId are not sent: the catalog assigns them
 * (the call's GUID, a new ID). ChainEntries travel verbatim, all seven.
 *
 * Reading is strict, for the helper runs as an administrator on what
 * another process wrote: exactly the members above with their JSON types,
 * every integer in its C type's range, ChainLen 0..7, names of at most 255
 * UTF-16 units (WSAPROTOCOL_LEN), paths shorter than MAX_PATH, 1 to
 * WSI_WSC_CALL_MAX_ENTRIES entries, an order of 1 to WSI_WSC_CALL_MAX_ORDER
 * distinct non-zero IDs; and the text must be the one spelling
 * wsi_wsc_call_to_json writes for the call it describes (white space at the
 * end aside): no duplicate or reordered members, no escapes or number forms
 * of its own. */
#pragma once

#include <glib.h>

#include "wsi-backend.h"

G_BEGIN_DECLS

/* Bounds of a call's JSON form. */
#define WSI_WSC_CALL_MAX_JSON     (1024 * 1024)
#define WSI_WSC_CALL_MAX_ENTRIES  1024   /* entries of one install/update */
#define WSI_WSC_CALL_MAX_ORDER    8192   /* IDs of one write order */

typedef enum {
  WSI_WSC_INSTALL_PROVIDER,
  WSI_WSC_INSTALL_PROVIDER_64_32,
  WSI_WSC_DEINSTALL_PROVIDER,
  WSI_WSC_UPDATE_PROVIDER,
  WSI_WSC_WRITE_PROVIDER_ORDER,
  WSI_WSC_SET_PROVIDER_INFO,     /* ProviderInfoLspCategories */
} WsiWscOp;

typedef struct {
  WsiWscOp    op;
  WsiBitness  catalog;      /* 32 or 64; 0 for WSCInstallProvider64_32 */
  WsiGuid     guid;         /* all but the order */
  char       *path;         /* install, update */
  GPtrArray  *entries;      /* WsiEntry: install, update */
  GArray     *order;        /* guint32 catalog IDs: write order */
  guint32     categories;   /* set provider info */
} WsiWscCall;

/* The calls, as the backend interface names them. The entries are copied
 * as a WSAPROTOCOL_INFOW carries them: ProviderId @guid, no catalog ID, no
 * path, no categories, a NULL name as "". */
WsiWscCall *wsi_wsc_call_new_install          (WsiBitness             catalog,
                                               const WsiGuid         *guid,
                                               const char            *path,
                                               const WsiEntry *const *infos,
                                               guint                  n);
WsiWscCall *wsi_wsc_call_new_install_64_32    (const WsiGuid         *guid,
                                               const char            *path,
                                               const WsiEntry *const *infos,
                                               guint                  n);
WsiWscCall *wsi_wsc_call_new_deinstall        (WsiBitness             catalog,
                                               const WsiGuid         *guid);
WsiWscCall *wsi_wsc_call_new_update           (WsiBitness             catalog,
                                               const WsiGuid         *guid,
                                               const char            *path,
                                               const WsiEntry *const *infos,
                                               guint                  n);
WsiWscCall *wsi_wsc_call_new_write_order      (WsiBitness             catalog,
                                               const guint32         *ids,
                                               guint                  n);
WsiWscCall *wsi_wsc_call_new_set_lsp_categories (WsiBitness           catalog,
                                               const WsiGuid         *guid,
                                               guint32                categories);
void        wsi_wsc_call_free                 (WsiWscCall            *call);
gboolean    wsi_wsc_call_equal                (const WsiWscCall      *a,
                                               const WsiWscCall      *b);

/* "WSCInstallProvider", ...: the "call" member. */
const char *wsi_wsc_op_to_string              (WsiWscOp               op);

/* The JSON form (see above), without a trailing newline. */
char       *wsi_wsc_call_to_json              (const WsiWscCall      *call);
/* Reads @json (@len bytes, not necessarily NUL-terminated) strictly (see
 * above). The x86 helper is its reader: anything else is
 * WSI_ERROR_HELPER_REQUEST_INVALID. */
WsiWscCall *wsi_wsc_call_from_json            (const char            *json,
                                               gsize                  len,
                                               GError               **error);

/* Makes exactly the one backend call @call describes, and nothing else: no
 * enumeration before or after (the caller checks the effect). */
gboolean    wsi_wsc_call_execute              (const WsiWscCall      *call,
                                               WsiBackend            *backend,
                                               GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiWscCall, wsi_wsc_call_free)

G_END_DECLS
