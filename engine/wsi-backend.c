/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend.c: dispatch, and the in-memory backend. */
#include "wsi-backend-private.h"
#include "wsi-error.h"

const WsiMachine *
wsi_backend_peek (WsiBackend *self, GError **error)
{
  return self->klass->peek (self, error);
}

/* Every mutating call goes through here so the operation count is the same
 * for every backend: fault injection and the benchmarks rely on it. */
#define WSI_BACKEND_MUTATE(call) \
  G_STMT_START { \
    gboolean _ok = (call); \
    if (_ok) \
      self->n_operations++; \
    return _ok; \
  } G_STMT_END

gboolean
wsi_backend_install_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                              const WsiEntry *const *infos, guint n, GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->install_provider (self, bitness, guid, path, infos, n, error));
}

gboolean
wsi_backend_install_provider_64_32 (WsiBackend *self, const WsiGuid *guid, const char *path,
                                    const WsiEntry *const *infos, guint n, GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->install_provider_64_32 (self, guid, path, infos, n, error));
}

gboolean
wsi_backend_deinstall_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->deinstall_provider (self, bitness, guid, error));
}

gboolean
wsi_backend_update_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                             const WsiEntry *const *infos, guint n, GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->update_provider (self, bitness, guid, path, infos, n, error));
}

gboolean
wsi_backend_write_order (WsiBackend *self, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->write_order (self, bitness, ids, n, error));
}

gboolean
wsi_backend_set_lsp_categories (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, guint32 categories,
                                GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->set_lsp_categories (self, bitness, guid, categories, error));
}

gboolean
wsi_backend_registry_set (WsiBackend *self, const char *key, const char *name, WsiRegType type, GBytes *data,
                          GError **error)
{
  WSI_BACKEND_MUTATE (self->klass->registry_set (self, key, name, type, data, error));
}

gboolean
wsi_backend_sync (WsiBackend *self, GError **error)
{
  return self->klass->sync == NULL || self->klass->sync (self, error);
}

void
wsi_backend_free (WsiBackend *self)
{
  if (self != NULL)
    self->klass->free (self);
}

/* ---- memory backend ---- */

typedef struct {
  WsiBackend  parent;
  WsiMachine *machine;
} WsiMemoryBackend;

static WsiCatalog *
wsi_memory_catalog (WsiBackend *self, WsiBitness bitness, GError **error)
{
  WsiMachine *machine = ((WsiMemoryBackend *) self)->machine;
  WsiCatalog *catalog = wsi_machine_get_catalog (machine, bitness);

  if (catalog == NULL)
    wsi_set_wsa_error (error, WSI_WSAEINVAL, "this %s machine has no %d-bit catalog",
                       wsi_machine_kind_to_string (wsi_machine_get_kind (machine)), (int) bitness);
  return catalog;
}

static const WsiMachine *
wsi_memory_peek (WsiBackend *self, GError **error)
{
  return ((WsiMemoryBackend *) self)->machine;
}

static gboolean
wsi_memory_install_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                             const WsiEntry *const *infos, guint n, GError **error)
{
  WsiCatalog *catalog = wsi_memory_catalog (self, bitness, error);
  return catalog != NULL && wsi_catalog_install_provider (catalog, guid, path, infos, n, error);
}

static gboolean
wsi_memory_install_provider_64_32 (WsiBackend *self, const WsiGuid *guid, const char *path,
                                   const WsiEntry *const *infos, guint n, GError **error)
{
  return wsi_machine_install_provider_64_32 (((WsiMemoryBackend *) self)->machine, guid, path, infos, n, error);
}

static gboolean
wsi_memory_deinstall_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  WsiCatalog *catalog = wsi_memory_catalog (self, bitness, error);
  return catalog != NULL && wsi_catalog_deinstall_provider (catalog, guid, error);
}

static gboolean
wsi_memory_update_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                            const WsiEntry *const *infos, guint n, GError **error)
{
  WsiCatalog *catalog = wsi_memory_catalog (self, bitness, error);
  return catalog != NULL && wsi_catalog_update_provider (catalog, guid, path, infos, n, error);
}

static gboolean
wsi_memory_write_order (WsiBackend *self, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  WsiCatalog *catalog = wsi_memory_catalog (self, bitness, error);
  return catalog != NULL && wsi_catalog_write_order (catalog, ids, n, error);
}

static gboolean
wsi_memory_set_lsp_categories (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, guint32 categories,
                               GError **error)
{
  WsiCatalog *catalog = wsi_memory_catalog (self, bitness, error);
  return catalog != NULL && wsi_catalog_set_lsp_categories (catalog, guid, categories, error);
}

static gboolean
wsi_memory_registry_set (WsiBackend *self, const char *key, const char *name, WsiRegType type, GBytes *data,
                         GError **error)
{
  WsiRegistry *reg = wsi_machine_get_registry (((WsiMemoryBackend *) self)->machine);

  if (data == NULL)
    wsi_registry_delete (reg, key, name);
  else
    wsi_registry_set (reg, key, name, type, data);
  return TRUE;
}

static void
wsi_memory_free (WsiBackend *self)
{
  wsi_machine_free (((WsiMemoryBackend *) self)->machine);
  g_free (self);
}

static const WsiBackendClass wsi_memory_class = {
  .name = "memory",
  .peek = wsi_memory_peek,
  .install_provider = wsi_memory_install_provider,
  .install_provider_64_32 = wsi_memory_install_provider_64_32,
  .deinstall_provider = wsi_memory_deinstall_provider,
  .update_provider = wsi_memory_update_provider,
  .write_order = wsi_memory_write_order,
  .set_lsp_categories = wsi_memory_set_lsp_categories,
  .registry_set = wsi_memory_registry_set,
  .free = wsi_memory_free,
};

WsiBackend *
wsi_backend_memory_new (const WsiMachine *machine)
{
  WsiMemoryBackend *self = g_new0 (WsiMemoryBackend, 1);

  self->parent.klass = &wsi_memory_class;
  self->machine = wsi_machine_copy (machine);
  return &self->parent;
}

WsiMachine *
wsi_backend_memory_get_machine (WsiBackend *self)
{
  g_return_val_if_fail (self->klass == &wsi_memory_class, NULL);
  return ((WsiMemoryBackend *) self)->machine;
}

WsiMachine *
wsi_backend_memory_take_machine (WsiBackend *self)
{
  g_return_val_if_fail (self->klass == &wsi_memory_class, NULL);
  return g_steal_pointer (&((WsiMemoryBackend *) self)->machine);
}
