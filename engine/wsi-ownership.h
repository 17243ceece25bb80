/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-ownership.h: who owns each provider GUID of a machine. Every catalog
 * entry belongs to exactly one owner:
 *
 *  - a product: its install record (HKLM\SOFTWARE\wsinstall\Products\<id>,
 *    value Providers) names the GUID (installed or not: the claim lasts
 *    until the product is uninstalled), or the entry is a chain whose
 *    top-most layer (ChainEntries[0]) is a layered entry the product owns;
 *  - Windows: a well-known Microsoft provider GUID (MSAFD Tcpip, Tcpip6,
 *    RSVP, IrDA, Bluetooth, NetBIOS, Hyper-V, AF_UNIX, ...) or a base
 *    provider of a System32 DLL named the way Windows names its own
 *    ("MSAFD ...", "RSVP ...", or an indirect "@%SystemRoot%\..." name);
 *  - an unknown third party: everything else (another installer's LSP, or
 *    a product whose record is missing, as on a machine imported from a
 *    .reg export of the Services key, which holds no SOFTWARE records).
 *
 * A plan may install, update, re-order the chains of or remove only what
 * its own product owns; it may re-point other owners' chains that name IDs
 * it removes, so that nothing is left dangling. */
#pragma once

#include <glib.h>

#include "wsi-guid.h"
#include "wsi-machine.h"

G_BEGIN_DECLS

typedef enum {
  WSI_OWNER_NONE,        /* no catalog holds the GUID */
  WSI_OWNER_PRODUCT,
  WSI_OWNER_WINDOWS,
  WSI_OWNER_UNKNOWN,
} WsiOwnerKind;

typedef struct _WsiOwnership WsiOwnership;

/* Decides the owner of every GUID in @machine's catalogs, as it is now. */
WsiOwnership *wsi_ownership_new          (const WsiMachine   *machine);
void          wsi_ownership_free         (WsiOwnership       *self);

/* The owner of @guid; for a product, *@product (may be NULL) receives its
 * id (borrowed from @self). */
WsiOwnerKind  wsi_ownership_lookup       (const WsiOwnership *self,
                                          const WsiGuid      *guid,
                                          const char        **product);
/* "Windows", "product 'ID'", "an unknown third party (no install record)"
 * or "nobody": for messages. */
char         *wsi_ownership_describe     (const WsiOwnership *self,
                                          const WsiGuid      *guid);
/* Is @guid one of Windows' own well-known providers? */
gboolean      wsi_guid_is_windows_provider (const WsiGuid    *guid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiOwnership, wsi_ownership_free)

G_END_DECLS
