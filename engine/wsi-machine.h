/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-machine.h: a whole machine as wsinstall sees it: its kind, its
 * catalogs and the Winsock registry values. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-catalog.h"
#include "wsi-registry.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_MACHINE_X86,   /* one catalog (WSI_CATALOG_32) */
  WSI_MACHINE_X64,   /* WSI_CATALOG_32 (WOW64) and WSI_CATALOG_64 */
  WSI_MACHINE_CE,    /* one catalog (WSI_CATALOG_32), no 32/64 split, no AndChains */
} WsiMachineKind;

typedef struct _WsiMachine WsiMachine;

const char     *wsi_machine_kind_to_string   (WsiMachineKind   kind);   /* "x86", "x64", "ce" */
gboolean        wsi_machine_kind_from_string (const char      *text,
                                              WsiMachineKind  *kind);

/* A machine with empty catalogs (counters at 1001) for its kind. */
WsiMachine     *wsi_machine_new              (WsiMachineKind   kind);
WsiMachine     *wsi_machine_copy             (const WsiMachine *self);
void            wsi_machine_free             (WsiMachine      *self);

WsiMachineKind  wsi_machine_get_kind         (const WsiMachine *self);
/* Free text: where the machine came from ("Windows 10 1709 x64, ..."). */
const char     *wsi_machine_get_description  (const WsiMachine *self);
void            wsi_machine_set_description  (WsiMachine      *self,
                                              const char      *description);

/* The catalog of @bitness, or NULL when the kind has none (64 on x86/CE). */
WsiCatalog     *wsi_machine_get_catalog      (WsiMachine      *self,
                                              WsiBitness       bitness);
const WsiCatalog *wsi_machine_peek_catalog   (const WsiMachine *self,
                                              WsiBitness       bitness);
WsiRegistry    *wsi_machine_get_registry     (WsiMachine      *self);
const WsiRegistry *wsi_machine_peek_registry (const WsiMachine *self);

/* TRUE on x64 when both catalogs hold the same IDs in the same order;
 * TRUE on one-catalog kinds. */
gboolean        wsi_machine_catalogs_in_sync (const WsiMachine *self);

/* WSCInstallProvider64_32 (x64 only; WSAEINVAL elsewhere): the same
 * structures, chain IDs included, into both catalogs, @path in both.
 * WSANO_RECOVERY when the catalogs are out of sync (Vista and later). */
gboolean  wsi_machine_install_provider_64_32 (WsiMachine            *self,
                                              const WsiGuid         *guid,
                                              const char            *path,
                                              const WsiEntry *const *infos,
                                              guint                  n,
                                              GError               **error);
/* WSCInstallProviderAndChains64_32: the per-catalog AndChains install into
 * each catalog, chains computed from each catalog's own IDs, @path64 and
 * @path32. Both or neither: on failure nothing is changed. */
gboolean  wsi_machine_install_provider_and_chains_64_32 (WsiMachine            *self,
                                                         const WsiGuid         *guid,
                                                         const char            *path64,
                                                         const char            *path32,
                                                         const char            *lsp_name,
                                                         guint32                service_flags,
                                                         const WsiEntry *const *infos,
                                                         guint                  n,
                                                         guint32               *layered_id64,
                                                         guint32               *layered_id32,
                                                         GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiMachine, wsi_machine_free)

WSI_END_PUBLIC
G_END_DECLS
