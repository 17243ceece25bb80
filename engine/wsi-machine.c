/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-machine.c: a machine: its kind, one or two catalogs, the Winsock
 * registry values, and the calls that span both catalogs of x64. */
#include "wsi-machine.h"

#include <string.h>

#include "wsi-catalog-private.h"
#include "wsi-error.h"

struct _WsiMachine {
  WsiMachineKind  kind;
  char           *description;
  WsiCatalog     *catalog32;
  WsiCatalog     *catalog64;   /* x64 only */
  WsiRegistry    *registry;
};

static const char *const wsi_machine_kind_names[] = { "x86", "x64", "ce" };

const char *
wsi_machine_kind_to_string (WsiMachineKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (wsi_machine_kind_names))
    return NULL;
  return wsi_machine_kind_names[kind];
}

gboolean
wsi_machine_kind_from_string (const char *text, WsiMachineKind *kind)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (wsi_machine_kind_names); i++)
    if (g_ascii_strcasecmp (text, wsi_machine_kind_names[i]) == 0)
      {
        if (kind != NULL)
          *kind = (WsiMachineKind) i;
        return TRUE;
      }
  return FALSE;
}

WsiMachine *
wsi_machine_new (WsiMachineKind kind)
{
  WsiMachine *self;

  g_return_val_if_fail (wsi_machine_kind_to_string (kind) != NULL, NULL);

  self = g_new0 (WsiMachine, 1);
  self->kind = kind;
  self->catalog32 = wsi_catalog_new (WSI_CATALOG_32);
  if (kind == WSI_MACHINE_X64)
    {
      self->catalog64 = wsi_catalog_new (WSI_CATALOG_64);
      wsi_catalog_link_counter (self->catalog64, self->catalog32);
    }
  self->registry = wsi_registry_new ();
  return self;
}

WsiMachine *
wsi_machine_copy (const WsiMachine *self)
{
  WsiMachine *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (WsiMachine, 1);
  copy->kind = self->kind;
  copy->description = g_strdup (self->description);
  copy->catalog32 = wsi_catalog_copy (self->catalog32);
  if (self->catalog64 != NULL)
    {
      copy->catalog64 = wsi_catalog_copy (self->catalog64);
      wsi_catalog_link_counter (copy->catalog64, copy->catalog32);
    }
  copy->registry = wsi_registry_copy (self->registry);
  return copy;
}

void
wsi_machine_free (WsiMachine *self)
{
  if (self == NULL)
    return;
  g_free (self->description);
  wsi_catalog_free (self->catalog32);
  wsi_catalog_free (self->catalog64);
  wsi_registry_free (self->registry);
  g_free (self);
}

WsiMachineKind
wsi_machine_get_kind (const WsiMachine *self)
{
  g_return_val_if_fail (self != NULL, WSI_MACHINE_X86);
  return self->kind;
}

const char *
wsi_machine_get_description (const WsiMachine *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->description;
}

void
wsi_machine_set_description (WsiMachine *self, const char *description)
{
  g_return_if_fail (self != NULL);

  if (self->description == description)
    return;
  g_free (self->description);
  self->description = g_strdup (description);
}

WsiCatalog *
wsi_machine_get_catalog (WsiMachine *self, WsiBitness bitness)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (bitness == WSI_CATALOG_32)
    return self->catalog32;
  if (bitness == WSI_CATALOG_64)
    return self->catalog64;
  return NULL;
}

const WsiCatalog *
wsi_machine_peek_catalog (const WsiMachine *self, WsiBitness bitness)
{
  return wsi_machine_get_catalog ((WsiMachine *) self, bitness);
}

WsiRegistry *
wsi_machine_get_registry (WsiMachine *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->registry;
}

const WsiRegistry *
wsi_machine_peek_registry (const WsiMachine *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->registry;
}

gboolean
wsi_machine_catalogs_in_sync (const WsiMachine *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->catalog64 == NULL)
    return TRUE;
  return wsi_catalog_same_ids (self->catalog32, self->catalog64);
}

gboolean
wsi_machine_install_provider_64_32 (WsiMachine *self, const WsiGuid *guid, const char *path,
                                    const WsiEntry *const *infos, guint n, GError **error)
{
  guint32 next64, serial64;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Exported by the 64-bit ws2_32 only. */
  if (self->kind != WSI_MACHINE_X64)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "WSCInstallProvider64_32 needs an x64 machine, this one is %s",
                              wsi_machine_kind_to_string (self->kind));
  /* Vista and later refuse: the same ChainEntries cannot be right in both
   * catalogs once their IDs differ (the LSP64_32 problem). */
  if (!wsi_machine_catalogs_in_sync (self))
    return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY,
                              "the 32-bit and 64-bit catalogs are out of sync; install into each catalog separately");

  /* Both or neither, without copying the catalogs (installers call this
   * in loops): everything that could refuse the 32-bit half is checked
   * first; the argument checks are the same for both halves, so once the
   * 64-bit half succeeded the 32-bit one cannot fail on them. */
  if (guid != NULL)
    {
      g_autoptr(GPtrArray) present = wsi_catalog_find_guid (self->catalog32, guid);
      if (present->len > 0)
        return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY, "the provider is already installed in the 32-bit catalog");
    }
  if ((guint64) wsi_catalog_get_next_id (self->catalog32) + n > G_MAXUINT32)
    return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY, "the 32-bit catalog ID counter is exhausted");

  next64 = wsi_catalog_get_next_id (self->catalog64);
  serial64 = wsi_catalog_get_serial (self->catalog64);
  if (!wsi_catalog_install_provider (self->catalog64, guid, path, infos, n, error))
    return FALSE;
  /* One call, one set of IDs: the 32-bit half gets the IDs the 64-bit half
   * got (the shared counter already moved past them). */
  wsi_catalog_set_next_id_unshared (self->catalog32, next64);
  if (!wsi_catalog_install_provider (self->catalog32, guid, path, infos, n, error))
    {
      /* Not reachable after the checks above; undone all the same. */
      wsi_catalog_deinstall_provider (self->catalog64, guid, NULL);
      wsi_catalog_set_next_id (self->catalog64, next64);
      wsi_catalog_set_serial (self->catalog64, serial64);
      return FALSE;
    }
  return TRUE;
}

/* WOW64 redirects %windir%\system32 to SysWOW64 for 32-bit processes,
 * which is why Windows accepts no 32-bit path only for such a path. */
static gboolean
wsi_path_is_in_system32 (const char *path)
{
  static const char *const prefixes[] = { "%windir%\\system32\\", "%systemroot%\\system32\\" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (path, prefixes[i], strlen (prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

gboolean
wsi_machine_install_provider_and_chains_64_32 (WsiMachine *self, const WsiGuid *guid,
                                               const char *path64, const char *path32,
                                               const char *lsp_name, guint32 service_flags,
                                               const WsiEntry *const *infos, guint n,
                                               guint32 *layered_id64, guint32 *layered_id32,
                                               GError **error)
{
  g_autoptr(WsiCatalog) work64 = NULL;
  g_autoptr(WsiCatalog) work32 = NULL;
  guint32 id64 = 0, id32 = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->kind != WSI_MACHINE_X64)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL,
                              "WSCInstallProviderAndChains64_32 needs an x64 machine, this one is %s",
                              wsi_machine_kind_to_string (self->kind));
  if (path64 == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider DLL path");
  if (path32 == NULL)
    {
      if (!wsi_path_is_in_system32 (path64))
        return wsi_set_wsa_error (error, WSI_WSAEINVAL,
                                  "without a 32-bit path the DLL must be under %%windir%%\\system32");
      path32 = path64;
    }

  /* Each catalog gets chains computed from its own IDs; copies make the
   * pair atomic. */
  work64 = wsi_catalog_copy (self->catalog64);
  work32 = wsi_catalog_copy (self->catalog32);
  /* Two install calls on one machine counter: the 32-bit half gets IDs
   * after the 64-bit half's. */
  wsi_catalog_link_counter (work64, work32);
  if (!wsi_catalog_install_provider_and_chains (work64, guid, path64, lsp_name, service_flags,
                                                infos, n, &id64, error) ||
      !wsi_catalog_install_provider_and_chains (work32, guid, path32, lsp_name, service_flags,
                                                infos, n, &id32, error))
    return FALSE;
  wsi_catalog_swap_contents (self->catalog64, work64);
  wsi_catalog_swap_contents (self->catalog32, work32);
  if (layered_id64 != NULL)
    *layered_id64 = id64;
  if (layered_id32 != NULL)
    *layered_id32 = id32;
  return TRUE;
}
