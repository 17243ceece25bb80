/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend-sim.c: the simulated machine: a snapshot file. Every
 * operation runs on a copy of the machine, the copy is written atomically
 * (temporary file, fsync, rename), and only then becomes the machine: like
 * a WSC call, an operation has happened or it has not, even if the process
 * dies in the middle. The rename is made durable by sync(), once per
 * transaction: the journal's intent records are durable before every step
 * and every inverse is idempotent, so a step whose rename a power cut lost
 * is simply one that did not happen (two fsyncs per step, not three). */
#include "wsi-backend-private.h"
#include "wsi-error.h"
#include "wsi-snapshot.h"

#include <glib/gstdio.h>

#include "wsi-io-private.h"

typedef struct {
  WsiBackend  parent;
  char       *path;
  WsiMachine *machine;
} WsiSimBackend;

static const WsiMachine *
wsi_sim_peek (WsiBackend *self, GError **error)
{
  return ((WsiSimBackend *) self)->machine;
}

/* Runs @op on a copy, saves it, and commits it. */
typedef gboolean (*WsiSimOp) (WsiMachine *machine, gpointer data, GError **error);

static gboolean
wsi_sim_commit (WsiBackend *backend, WsiSimOp op, gpointer data, GError **error)
{
  WsiSimBackend *self = (WsiSimBackend *) backend;
  g_autoptr(WsiMachine) work = wsi_machine_copy (self->machine);

  if (!op (work, data, error))
    return FALSE;
  if (!wsi_snapshot_save_full (work, self->path, FALSE, error))
    return FALSE;
  wsi_machine_free (self->machine);
  self->machine = g_steal_pointer (&work);
  return TRUE;
}

typedef struct {
  WsiBitness             bitness;
  const WsiGuid         *guid;
  const char            *path;
  const WsiEntry *const *infos;
  guint                  n;
  const guint32         *ids;
  guint32                categories;
  const char            *key;
  const char            *name;
  WsiRegType             type;
  GBytes                *value;
} WsiSimArgs;

static WsiCatalog *
wsi_sim_catalog (WsiMachine *machine, WsiBitness bitness, GError **error)
{
  WsiCatalog *c = wsi_machine_get_catalog (machine, bitness);
  if (c == NULL)
    wsi_set_wsa_error (error, WSI_WSAEINVAL, "the machine has no %d-bit catalog", (int) bitness);
  return c;
}

static gboolean
wsi_sim_do_install (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  WsiCatalog *c = wsi_sim_catalog (m, a->bitness, error);
  return c != NULL && wsi_catalog_install_provider (c, a->guid, a->path, a->infos, a->n, error);
}

static gboolean
wsi_sim_do_install_64_32 (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  return wsi_machine_install_provider_64_32 (m, a->guid, a->path, a->infos, a->n, error);
}

static gboolean
wsi_sim_do_deinstall (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  WsiCatalog *c = wsi_sim_catalog (m, a->bitness, error);
  return c != NULL && wsi_catalog_deinstall_provider (c, a->guid, error);
}

static gboolean
wsi_sim_do_update (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  WsiCatalog *c = wsi_sim_catalog (m, a->bitness, error);
  return c != NULL && wsi_catalog_update_provider (c, a->guid, a->path, a->infos, a->n, error);
}

static gboolean
wsi_sim_do_order (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  WsiCatalog *c = wsi_sim_catalog (m, a->bitness, error);
  return c != NULL && wsi_catalog_write_order (c, a->ids, a->n, error);
}

static gboolean
wsi_sim_do_categories (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  WsiCatalog *c = wsi_sim_catalog (m, a->bitness, error);
  return c != NULL && wsi_catalog_set_lsp_categories (c, a->guid, a->categories, error);
}

static gboolean
wsi_sim_do_registry (WsiMachine *m, gpointer data, GError **error)
{
  WsiSimArgs *a = data;
  WsiRegistry *reg = wsi_machine_get_registry (m);

  if (a->value == NULL)
    wsi_registry_delete (reg, a->key, a->name);
  else
    wsi_registry_set (reg, a->key, a->name, a->type, a->value);
  return TRUE;
}

static gboolean
wsi_sim_install_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                          const WsiEntry *const *infos, guint n, GError **error)
{
  WsiSimArgs a = { .bitness = bitness, .guid = guid, .path = path, .infos = infos, .n = n };
  return wsi_sim_commit (self, wsi_sim_do_install, &a, error);
}

static gboolean
wsi_sim_install_provider_64_32 (WsiBackend *self, const WsiGuid *guid, const char *path,
                                const WsiEntry *const *infos, guint n, GError **error)
{
  WsiSimArgs a = { .guid = guid, .path = path, .infos = infos, .n = n };
  return wsi_sim_commit (self, wsi_sim_do_install_64_32, &a, error);
}

static gboolean
wsi_sim_deinstall_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  WsiSimArgs a = { .bitness = bitness, .guid = guid };
  return wsi_sim_commit (self, wsi_sim_do_deinstall, &a, error);
}

static gboolean
wsi_sim_update_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                         const WsiEntry *const *infos, guint n, GError **error)
{
  WsiSimArgs a = { .bitness = bitness, .guid = guid, .path = path, .infos = infos, .n = n };
  return wsi_sim_commit (self, wsi_sim_do_update, &a, error);
}

static gboolean
wsi_sim_write_order (WsiBackend *self, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  WsiSimArgs a = { .bitness = bitness, .ids = ids, .n = n };
  return wsi_sim_commit (self, wsi_sim_do_order, &a, error);
}

static gboolean
wsi_sim_set_lsp_categories (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, guint32 categories,
                            GError **error)
{
  WsiSimArgs a = { .bitness = bitness, .guid = guid, .categories = categories };
  return wsi_sim_commit (self, wsi_sim_do_categories, &a, error);
}

static gboolean
wsi_sim_registry_set (WsiBackend *self, const char *key, const char *name, WsiRegType type, GBytes *data,
                      GError **error)
{
  WsiSimArgs a = { .key = key, .name = name, .type = type, .value = data };
  return wsi_sim_commit (self, wsi_sim_do_registry, &a, error);
}

static gboolean
wsi_sim_sync (WsiBackend *backend, GError **error)
{
  WsiSimBackend *self = (WsiSimBackend *) backend;

  if (wsi_io_fsync_dir (self->path) != 0)
    return wsi_io_set_error (error, "syncing the directory of", self->path);
  return TRUE;
}

static void
wsi_sim_free (WsiBackend *backend)
{
  WsiSimBackend *self = (WsiSimBackend *) backend;
  g_free (self->path);
  wsi_machine_free (self->machine);
  g_free (self);
}

static const WsiBackendClass wsi_sim_class = {
  .name = "sim",
  .peek = wsi_sim_peek,
  .install_provider = wsi_sim_install_provider,
  .install_provider_64_32 = wsi_sim_install_provider_64_32,
  .deinstall_provider = wsi_sim_deinstall_provider,
  .update_provider = wsi_sim_update_provider,
  .write_order = wsi_sim_write_order,
  .set_lsp_categories = wsi_sim_set_lsp_categories,
  .registry_set = wsi_sim_registry_set,
  .sync = wsi_sim_sync,
  .free = wsi_sim_free,
};

WsiBackend *
wsi_backend_sim_new (const char *path, WsiDiagList *diags)
{
  WsiSimBackend *self;
  WsiMachine *machine;
  GStatBuf st;

  /* The machine is replaced by rename: it must be a regular file (and
   * reading a FIFO would block while the caller holds the lock). */
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      wsi_diag_list_add (diags, "file-not-regular", path, 0, "the snapshot is not a regular file");
      return NULL;
    }
  machine = wsi_snapshot_load_file (path, diags);
  if (machine == NULL)
    return NULL;
  self = g_new0 (WsiSimBackend, 1);
  self->parent.klass = &wsi_sim_class;
  self->path = g_strdup (path);
  self->machine = machine;
  return &self->parent;
}
