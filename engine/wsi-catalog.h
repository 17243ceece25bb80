/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog.h: one Winsock protocol catalog (the 32-bit or the 64-bit one)
 * and the WSC* operations on it, with the semantics and error codes of
 * ws2_32. This is the simulated machine's heart and the model the planner
 * reads; the Windows backend produces the same model from WSCEnumProtocols. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-entry.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_CATALOG_32 = 32,   /* Catalog_Entries: the only catalog on x86 and CE */
  WSI_CATALOG_64 = 64,   /* Catalog_Entries64 */
} WsiBitness;

typedef struct _WsiCatalog WsiCatalog;

WsiCatalog     *wsi_catalog_new               (WsiBitness         bitness);
WsiCatalog     *wsi_catalog_copy              (const WsiCatalog  *self);
void            wsi_catalog_free              (WsiCatalog        *self);

WsiBitness      wsi_catalog_get_bitness       (const WsiCatalog  *self);
/* Next_Catalog_Entry_ID: the ID the next installed entry gets (1001 in a
 * new catalog). IDs are never reused. */
guint32         wsi_catalog_get_next_id       (const WsiCatalog  *self);
void            wsi_catalog_set_next_id       (WsiCatalog        *self,
                                               guint32            next_id);
/* Serial_Access_Num: bumped by every successful change. */
guint32         wsi_catalog_get_serial        (const WsiCatalog  *self);
void            wsi_catalog_set_serial        (WsiCatalog        *self,
                                               guint32            serial);

/* Models another installer holding the catalog (Windows serialises WSC
 * writers): while busy, WSCInstallProviderAndChains fails with
 * WSAEINPROGRESS. Not saved in snapshots. */
gboolean        wsi_catalog_get_busy          (const WsiCatalog  *self);
void            wsi_catalog_set_busy          (WsiCatalog        *self,
                                               gboolean           busy);

guint           wsi_catalog_get_size          (const WsiCatalog  *self);
/* The entry at @position in catalog (enumeration) order. */
const WsiEntry *wsi_catalog_get_entry         (const WsiCatalog  *self,
                                               guint              position);
/* O(1) lookups. With duplicate IDs (corrupt input) the first wins. */
const WsiEntry *wsi_catalog_find_id           (const WsiCatalog  *self,
                                               guint32            id);
int             wsi_catalog_find_position     (const WsiCatalog  *self,
                                               guint32            id);
/* Entries with @guid, in catalog order (borrowed pointers). */
GPtrArray      *wsi_catalog_find_guid         (const WsiCatalog  *self,
                                               const WsiGuid     *guid);

/* Loading from a snapshot or an import: appends @entry (taken) as it is,
 * keeping its ID, without any WSC checks, so damaged catalogs can be loaded
 * and diagnosed. Does not touch the counter or the serial. */
void            wsi_catalog_append_loaded     (WsiCatalog        *self,
                                               WsiEntry          *entry);

/* --- WSC semantics. Each returns FALSE with a WSI_WSA_ERROR error whose
 * code is the WSA code Windows gives in that case. --- */

/* WSCInstallProvider: appends @n copies of @infos at the end of the order,
 * each with ProviderId = @guid and path @path, IDs from the counter.
 * WSAEINVAL: n == 0, a ChainLen outside 0..7, a name over 255 characters,
 * a path over MAX_PATH. WSANO_RECOVERY: @guid is already installed. Like
 * Windows, chain members are not checked for existence. */
gboolean  wsi_catalog_install_provider        (WsiCatalog            *self,
                                               const WsiGuid         *guid,
                                               const char            *path,
                                               const WsiEntry *const *infos,
                                               guint                  n,
                                               GError               **error);
/* WSCDeinstallProvider: removes every entry with @guid. WSAEINVAL if none. */
gboolean  wsi_catalog_deinstall_provider      (WsiCatalog            *self,
                                               const WsiGuid         *guid,
                                               GError               **error);
/* WSCUpdateProvider: rewrites the entries with @guid in place, in order,
 * keeping their IDs and positions. WSAEINVAL: @guid not installed, or @n
 * differs from the number of its entries. */
gboolean  wsi_catalog_update_provider         (WsiCatalog            *self,
                                               const WsiGuid         *guid,
                                               const char            *path,
                                               const WsiEntry *const *infos,
                                               guint                  n,
                                               GError               **error);
/* WSCWriteProviderOrder: @ids must be a permutation of every installed ID.
 * WSAEINVAL (nothing changed) otherwise. */
gboolean  wsi_catalog_write_order             (WsiCatalog            *self,
                                               const guint32         *ids,
                                               guint                  n,
                                               GError               **error);
/* WSCEnumProtocols: packs the entries (hidden ones included) that match
 * @protocols (a 0-terminated list of iProtocol values, NULL for all; an
 * entry matches a value in [iProtocol, iProtocol + iProtocolMaxOffset])
 * into @buf as WSAPROTOCOL_INFOW, in catalog order. When *@len is too
 * small: WSAENOBUFS with *@len set to the size needed. @buf NULL with
 * *@len 0 asks for the size. WSAEFAULT: @len NULL, or @buf NULL with
 * *@len > 0. On success *@count receives the number of structures and
 * *@len is left as it was. */
gboolean  wsi_catalog_enum_protocols          (const WsiCatalog      *self,
                                               const gint32          *protocols,
                                               guint8                *buf,
                                               gsize                 *len,
                                               guint                 *count,
                                               GError               **error);
/* WSCSetProviderInfo (ProviderInfoLspCategories) on the entries of @guid.
 * WSAEINVAL: @guid not installed. */
gboolean  wsi_catalog_set_lsp_categories      (WsiCatalog            *self,
                                               const WsiGuid         *guid,
                                               guint32                categories,
                                               GError               **error);
/* WSCInstallProviderAndChains (one catalog): installs the layered entry
 * named @lsp_name under @guid, then one chain per unique (af, type,
 * protocol) of @infos (NULL: of every base protocol) over the top-most
 * matching entry, each chain under a fresh GUID derived from @guid, and
 * moves the chains to the top. *@layered_id receives the layered entry's ID.
 * WSAEINVAL: duplicate GUID or LSP name, name > 255, path > MAX_PATH, a
 * triple with no match. WSANO_RECOVERY: a chain would exceed 7. Nothing is
 * changed on failure. */
gboolean  wsi_catalog_install_provider_and_chains (WsiCatalog            *self,
                                                   const WsiGuid         *guid,
                                                   const char            *path,
                                                   const char            *lsp_name,
                                                   guint32                service_flags,
                                                   const WsiEntry *const *infos,
                                                   guint                  n,
                                                   guint32               *layered_id,
                                                   GError               **error);

/* Which entry socket(@af, @type, @protocol) gets in an application: the
 * first entry in order that serves the triple (below), hidden entries
 * included: PFL_HIDDEN only keeps an entry out of WSAEnumProtocols. NULL:
 * none (WSAEAFNOSUPPORT / WSAESOCKTNOSUPPORT / WSAEPROTONOSUPPORT). */
const WsiEntry *wsi_catalog_resolve_socket    (const WsiCatalog  *self,
                                               gint32             af,
                                               gint32             type,
                                               gint32             protocol);
/* Does @entry serve socket(@af, @type, @protocol)? A base or chain entry
 * (never a ChainLen 0 layered entry) of that family and type whose protocol
 * range [iProtocol, iProtocol + iProtocolMaxOffset] holds @protocol, or
 * with PFL_MATCHES_PROTOCOL_ZERO when @protocol is 0. */
gboolean  wsi_entry_serves_socket             (const WsiEntry    *entry,
                                               gint32             af,
                                               gint32             type,
                                               gint32             protocol);

/* Same IDs in the same order (what WSCInstallProvider64_32 requires). */
gboolean  wsi_catalog_same_ids                (const WsiCatalog  *a,
                                               const WsiCatalog  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiCatalog, wsi_catalog_free)

WSI_END_PUBLIC
G_END_DECLS
