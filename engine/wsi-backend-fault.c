/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend-fault.c: WSINSTALL_FAULT, the failure injector the fault
 * matrix drives: fail an operation with the error Windows would give, or
 * kill the process right before or right after it takes effect. Compiled
 * in only when the build enables fault injection (never in release builds,
 * see meson_options.txt), so it cannot change a shipped binary. */
#include "wsi-config.h"
#include "wsi-backend-private.h"
#include "wsi-error.h"
#include "wsi-io-private.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
  WSI_FAULT_FAIL,
  WSI_FAULT_CRASH_AFTER,
  WSI_FAULT_CRASH_BEFORE,
} WsiFaultKind;

typedef struct {
  WsiFaultKind kind;
  guint        op;
} WsiFault;

typedef struct {
  WsiBackend  parent;
  WsiBackend *inner;
  GArray     *faults;   /* WsiFault */
  guint       count;    /* mutating operations attempted so far */
} WsiFaultBackend;

gboolean
wsi_fault_injection_available (void)
{
  return WSI_FAULT_INJECTION != 0;
}

/* Counts the operation; returns FALSE with the injected error for fail:N;
 * dies for crash-before:N. *crash_after says whether to die after it. */
static gboolean
wsi_fault_before (WsiFaultBackend *self, int wsa, gboolean *crash_after, GError **error)
{
  self->count++;
  *crash_after = FALSE;
  for (guint i = 0; i < self->faults->len; i++)
    {
      const WsiFault *f = &g_array_index (self->faults, WsiFault, i);
      if (f->op != self->count)
        continue;
      switch (f->kind)
        {
        case WSI_FAULT_FAIL:
          return wsi_set_wsa_error (error, wsa, "injected failure of operation %u (WSINSTALL_FAULT)", self->count);
        case WSI_FAULT_CRASH_BEFORE:
          wsi_io_die ();
        case WSI_FAULT_CRASH_AFTER:
          *crash_after = TRUE;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

static gboolean
wsi_fault_after (gboolean ok, gboolean crash_after)
{
  if (ok && crash_after)
    wsi_io_die ();
  return ok;
}

static const WsiMachine *
wsi_fault_peek (WsiBackend *self, GError **error)
{
  return wsi_backend_peek (((WsiFaultBackend *) self)->inner, error);
}

#define WSI_FAULT_WRAP(wsa, call) \
  G_STMT_START { \
    WsiFaultBackend *f = (WsiFaultBackend *) self; \
    gboolean crash = FALSE; \
    if (!wsi_fault_before (f, (wsa), &crash, error)) \
      return FALSE; \
    return wsi_fault_after ((call), crash); \
  } G_STMT_END

/* The codes follow what ws2_32 returns when the catalog cannot be written
 * (WSANO_RECOVERY); WSCWriteProviderOrder reports WSAEINVAL. */
static gboolean
wsi_fault_install_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                            const WsiEntry *const *infos, guint n, GError **error)
{
  WSI_FAULT_WRAP (WSI_WSANO_RECOVERY,
                  wsi_backend_install_provider (f->inner, bitness, guid, path, infos, n, error));
}

static gboolean
wsi_fault_install_provider_64_32 (WsiBackend *self, const WsiGuid *guid, const char *path,
                                  const WsiEntry *const *infos, guint n, GError **error)
{
  WSI_FAULT_WRAP (WSI_WSANO_RECOVERY, wsi_backend_install_provider_64_32 (f->inner, guid, path, infos, n, error));
}

static gboolean
wsi_fault_deinstall_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  WSI_FAULT_WRAP (WSI_WSANO_RECOVERY, wsi_backend_deinstall_provider (f->inner, bitness, guid, error));
}

static gboolean
wsi_fault_update_provider (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
                           const WsiEntry *const *infos, guint n, GError **error)
{
  WSI_FAULT_WRAP (WSI_WSANO_RECOVERY, wsi_backend_update_provider (f->inner, bitness, guid, path, infos, n, error));
}

static gboolean
wsi_fault_write_order (WsiBackend *self, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  WSI_FAULT_WRAP (WSI_WSAEINVAL, wsi_backend_write_order (f->inner, bitness, ids, n, error));
}

static gboolean
wsi_fault_set_lsp_categories (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, guint32 categories,
                              GError **error)
{
  WSI_FAULT_WRAP (WSI_WSANO_RECOVERY, wsi_backend_set_lsp_categories (f->inner, bitness, guid, categories, error));
}

static gboolean
wsi_fault_registry_set (WsiBackend *self, const char *key, const char *name, WsiRegType type, GBytes *data,
                        GError **error)
{
  WSI_FAULT_WRAP (WSI_WSANO_RECOVERY, wsi_backend_registry_set (f->inner, key, name, type, data, error));
}

static gboolean
wsi_fault_sync (WsiBackend *self, GError **error)
{
  return wsi_backend_sync (((WsiFaultBackend *) self)->inner, error);
}

static void
wsi_fault_free (WsiBackend *backend)
{
  WsiFaultBackend *self = (WsiFaultBackend *) backend;
  wsi_backend_free (self->inner);
  g_array_unref (self->faults);
  g_free (self);
}

static const WsiBackendClass wsi_fault_class = {
  .name = "fault",
  .peek = wsi_fault_peek,
  .install_provider = wsi_fault_install_provider,
  .install_provider_64_32 = wsi_fault_install_provider_64_32,
  .deinstall_provider = wsi_fault_deinstall_provider,
  .update_provider = wsi_fault_update_provider,
  .write_order = wsi_fault_write_order,
  .set_lsp_categories = wsi_fault_set_lsp_categories,
  .registry_set = wsi_fault_registry_set,
  .sync = wsi_fault_sync,
  .free = wsi_fault_free,
};

WsiBackend *
wsi_backend_fault_new (WsiBackend *inner, const char *spec, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  g_autoptr(GArray) faults = g_array_new (FALSE, FALSE, sizeof (WsiFault));
  WsiFaultBackend *self;

  /* The io- items belong to the I/O layer (wsi-io.c), which reads the same
   * variable; here they are only checked. */
  if (!wsi_io_faults_validate (spec, error))
    {
      wsi_backend_free (inner);
      return NULL;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      static const struct { const char *prefix; WsiFaultKind kind; } kinds[] = {
        { "fail:", WSI_FAULT_FAIL },
        { "crash-before:", WSI_FAULT_CRASH_BEFORE },
        { "crash:", WSI_FAULT_CRASH_AFTER },
      };
      const char *p = g_strstrip (parts[i]);
      gboolean ok = wsi_io_fault_item_is_io (p);

      for (gsize k = 0; k < G_N_ELEMENTS (kinds) && !ok; k++)
        if (g_str_has_prefix (p, kinds[k].prefix))
          {
            guint64 n = 0;
            WsiFault f = { .kind = kinds[k].kind };
            if (!g_ascii_string_to_unsigned (p + strlen (kinds[k].prefix), 10, 1, G_MAXUINT, &n, NULL))
              break;
            f.op = (guint) n;
            g_array_append_val (faults, f);
            ok = TRUE;
          }
      if (!ok)
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT,
                       "WSINSTALL_FAULT: '%s' is not fail:N, crash:N, crash-before:N or an io- fault", p);
          wsi_backend_free (inner);
          return NULL;
        }
    }
  self = g_new0 (WsiFaultBackend, 1);
  self->parent.klass = &wsi_fault_class;
  self->inner = inner;
  self->faults = g_steal_pointer (&faults);
  return &self->parent;
}

guint
wsi_backend_fault_get_attempts (WsiBackend *backend)
{
  g_return_val_if_fail (backend != NULL && backend->klass == &wsi_fault_class, 0);
  return ((WsiFaultBackend *) backend)->count;
}

WsiBackend *
wsi_backend_wrap_from_env (WsiBackend *backend, GError **error)
{
  const char *spec = g_getenv ("WSINSTALL_FAULT");

  if (!wsi_fault_injection_available () || spec == NULL || *spec == '\0')
    return backend;
  return wsi_backend_fault_new (backend, spec, error);
}
