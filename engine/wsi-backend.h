/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend.h: the only code with effects. A backend mirrors the WSC API
 * (one call per operation, each with Windows' error codes) plus the
 * registry values wsinstall may own. Implementations: memory (planning),
 * sim (a snapshot file, the default on Linux), win32 (ws2_32, Windows).
 * One catalog-changing call as data is a WsiWscCall (wsi-wsc-call.h): the
 * win32 backend of a 64-bit process sends those it cannot make on the
 * 32-bit catalog to the x86 helper, which makes them on its own win32
 * backend (a remote backend). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef struct _WsiBackend WsiBackend;

typedef struct {
  const char *name;   /* "memory", "sim", "win32" */
  /* The machine as it is now. The backend keeps ownership; the pointer is
   * valid until the next call. */
  const WsiMachine *(*peek)       (WsiBackend *self, GError **error);
  gboolean (*install_provider)    (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                                   const WsiEntry *const *infos, guint n, GError **error);
  gboolean (*install_provider_64_32) (WsiBackend *self, const WsiGuid *guid, const char *path,
                                   const WsiEntry *const *infos, guint n, GError **error);
  gboolean (*deinstall_provider)  (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, GError **error);
  gboolean (*update_provider)     (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                                   const WsiEntry *const *infos, guint n, GError **error);
  gboolean (*write_order)         (WsiBackend *self, WsiBitness bitness, const guint32 *ids, guint n, GError **error);
  gboolean (*set_lsp_categories)  (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, guint32 categories,
                                   GError **error);
  /* @data NULL deletes the value (no error when absent). */
  gboolean (*registry_set)        (WsiBackend *self, const char *key, const char *name, WsiRegType type,
                                   GBytes *data, GError **error);
  /* Optional: makes every change so far durable (the executor calls it
   * before it records a transaction's end). NULL: every call already is. */
  gboolean (*sync)                (WsiBackend *self, GError **error);
  void     (*free)                (WsiBackend *self);
} WsiBackendClass;

struct _WsiBackend {
  const WsiBackendClass *klass;
  /* Operations that changed the machine so far (fault injection counts
   * these; benchmarks report them). */
  guint n_operations;
};

const WsiMachine *wsi_backend_peek                (WsiBackend *self, GError **error);
gboolean wsi_backend_install_provider              (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid,
                                                    const char *path, const WsiEntry *const *infos, guint n,
                                                    GError **error);
gboolean wsi_backend_install_provider_64_32        (WsiBackend *self, const WsiGuid *guid, const char *path,
                                                    const WsiEntry *const *infos, guint n, GError **error);
gboolean wsi_backend_deinstall_provider            (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid,
                                                    GError **error);
gboolean wsi_backend_update_provider               (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid,
                                                    const char *path, const WsiEntry *const *infos, guint n,
                                                    GError **error);
gboolean wsi_backend_write_order                   (WsiBackend *self, WsiBitness bitness, const guint32 *ids,
                                                    guint n, GError **error);
gboolean wsi_backend_set_lsp_categories            (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid,
                                                    guint32 categories, GError **error);
gboolean wsi_backend_registry_set                  (WsiBackend *self, const char *key, const char *name,
                                                    WsiRegType type, GBytes *data, GError **error);
gboolean wsi_backend_sync                          (WsiBackend *self, GError **error);
void     wsi_backend_free                          (WsiBackend *self);

/* An in-memory machine (a copy of @machine): what the planner runs its
 * steps on to predict IDs, with exactly the executor's code path. */
WsiBackend *wsi_backend_memory_new                 (const WsiMachine *machine);
/* The memory backend's machine (borrowed). */
WsiMachine *wsi_backend_memory_get_machine         (WsiBackend *self);

/* The simulated machine kept in the snapshot file @path: every operation
 * rewrites the file atomically and durably before it counts as done. NULL
 * with diagnostics when the snapshot cannot be loaded. */
WsiBackend *wsi_backend_sim_new                    (const char  *path,
                                                    WsiDiagList *diags);

/* Fault injection (test builds only; see wsi_fault_injection_available()):
 * wraps @inner so that mutating operation N (1-based, counted from the
 * wrapper's creation, rollback included) fails or kills the process.
 * @spec: comma-separated "fail:N", "crash:N" (SIGKILL right after N took
 * effect), "crash-before:N" (SIGKILL before N). Takes @inner. NULL with
 * @error for a malformed spec. */
WsiBackend *wsi_backend_fault_new                  (WsiBackend  *inner,
                                                    const char  *spec,
                                                    GError     **error);
/* Mutating operations a fault backend was asked for so far (failed ones
 * included): the fault matrix uses it to tell when N has passed the last. */
guint       wsi_backend_fault_get_attempts         (WsiBackend  *self);
/* Whether this build honours WSINSTALL_FAULT (never in release builds). */
gboolean    wsi_fault_injection_available          (void);
/* @backend wrapped per $WSINSTALL_FAULT when set and available; @backend
 * itself otherwise. */
WsiBackend *wsi_backend_wrap_from_env              (WsiBackend  *backend,
                                                    GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiBackend, wsi_backend_free)

WSI_END_PUBLIC
G_END_DECLS
