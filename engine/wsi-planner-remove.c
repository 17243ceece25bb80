/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-remove.c: removal planning, shared by uninstall
 * (wsi-planner-uninstall.c), an upgrade that drops a provider
 * (wsi-planner-install.c) and remove by provider GUID. Removing an LSP
 * must not cut other vendors' chains: every chain that names a removed ID
 * is rewritten without it (WSCUpdateProvider, as the SDK sample does before
 * it deinstalls), and a chain whose base protocol goes away is removed
 * with it, so no orphan and no dangling entry is left. */
#include "wsi-planner-private.h"
#include "wsi-policy.h"

#include <string.h>

gboolean
wsi_planner_guids_contain (GPtrArray *guids, const WsiGuid *guid)
{
  for (guint i = 0; i < guids->len; i++)
    if (wsi_guid_equal (g_ptr_array_index (guids, i), guid))
      return TRUE;
  return FALSE;
}

void
wsi_planner_guids_add (GPtrArray *guids, const WsiGuid *guid)
{
  if (!wsi_planner_guids_contain (guids, guid))
    g_ptr_array_add (guids, g_memdup2 (guid, sizeof *guid));
}

gboolean
wsi_planner_remove_guids (WsiPlanner *self, WsiBitness bitness, GPtrArray *guids, const char *file, int line)
{
  WsiMachine *machine = wsi_planner_machine (self);
  WsiCatalog *cat = wsi_machine_get_catalog (machine, bitness);
  g_autoptr(GHashTable) removed = g_hash_table_new (NULL, NULL);   /* IDs */
  g_autoptr(GHashTable) layered = g_hash_table_new (NULL, NULL);   /* IDs of removed layered entries */
  g_autoptr(GPtrArray) chain_guids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) layer_guids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) base_guids = g_ptr_array_new_with_free_func (g_free);
  WsiPlanStep *step;
  guint size;

  if (cat == NULL)
    return TRUE;
  if (!wsi_planner_check_unique_ids (self, bitness, file, line))
    return FALSE;
  size = wsi_catalog_get_size (cat);
  /* What goes: the named GUIDs, and every chain led by a removed layer. */
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (cat, i);
      if (!wsi_planner_guids_contain (guids, &e->provider_id))
        continue;
      g_hash_table_add (removed, GUINT_TO_POINTER (e->catalog_id));
      if (wsi_entry_get_kind (e) == WSI_ENTRY_LAYERED)
        {
          g_hash_table_add (layered, GUINT_TO_POINTER (e->catalog_id));
          wsi_planner_guids_add (layer_guids, &e->provider_id);
        }
    }
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (cat, i);
      if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && g_hash_table_contains (layered, GUINT_TO_POINTER (e->chain[0])))
        {
          g_hash_table_add (removed, GUINT_TO_POINTER (e->catalog_id));
          wsi_planner_guids_add (chain_guids, &e->provider_id);
        }
      else if (wsi_planner_guids_contain (guids, &e->provider_id) && wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
        wsi_planner_guids_add (chain_guids, &e->provider_id);
    }
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (cat, i);
      if (wsi_planner_guids_contain (guids, &e->provider_id) && wsi_entry_get_kind (e) == WSI_ENTRY_BASE &&
          !wsi_planner_guids_contain (chain_guids, &e->provider_id) && !wsi_planner_guids_contain (layer_guids, &e->provider_id))
        wsi_planner_guids_add (base_guids, &e->provider_id);
    }
  if (g_hash_table_size (removed) == 0)
    return TRUE;

  /* A checkpoint of the order: its inverse puts re-installed entries back
   * where they were when a rollback undoes the removal. */
  if (!wsi_planner_checkpoint_order (self, bitness, file, line))
    return FALSE;

  /* Chains of others that name a removed ID are rewritten without it (or
   * go, when it was their base protocol) before anything is removed, so
   * that no chain names a missing ID even between two steps. */
  if (!wsi_planner_repoint_chains (self, bitness, removed, file, line))
    return FALSE;

  {
    GPtrArray *lists[] = { chain_guids, layer_guids, base_guids };
    const char *kinds[] = { "chain", "layered entry", "provider" };
    for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
      for (guint i = 0; i < lists[l]->len; i++)
        {
          char buf[WSI_GUID_STRING_LEN + 1];
          g_autoptr(GPtrArray) live = NULL;
          const WsiGuid *guid = g_ptr_array_index (lists[l], i);

          cat = wsi_machine_get_catalog (machine, bitness);
          live = wsi_catalog_find_guid (cat, guid);
          if (live->len == 0)
            continue;
          wsi_guid_format (guid, buf);
          step = wsi_planner_step_new (WSI_STEP_DEINSTALL_PROVIDER, bitness, machine, file, line);
          step->guid = *guid;
          step->summary = g_strdup_printf ("deinstall %s '%s' (%s)", kinds[l],
                                           ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
          if (!wsi_planner_add_step (self, step))
            return FALSE;
        }
  }
  return TRUE;
}

gboolean
wsi_planner_delete_value (WsiPlanner *self, const WsiManifest *m, const char *file, int line, const char *key,
                          const char *name)
{
  WsiPlanStep *step;

  if (!wsi_registry_get (wsi_machine_peek_registry (wsi_planner_machine (self)), key, name, NULL, NULL))
    return TRUE;
  /* SAN registrations are removed by what they hold (checked by the
   * caller); everything else only when the manifest owns it. */
  if (m != NULL && !wsi_planner_check_policy (self, m, line, key, name))
    return FALSE;
  step = wsi_planner_step_new (WSI_STEP_SET_REGISTRY_VALUE, 0, wsi_planner_machine (self), file, line);
  step->reg_key = g_strdup (key);
  step->reg_name = g_strdup (name);
  step->summary = g_strdup_printf ("delete %s\\%s", key, name);
  return wsi_planner_add_step (self, step);
}

gboolean
wsi_planner_unregister_san (WsiPlanner *self, const char *file, int line, const WsiGuid *guid)
{
  const WsiRegistry *reg = wsi_machine_peek_registry (wsi_planner_machine (self));
  g_auto(GStrv) names = wsi_registry_list_values (reg, WSI_REG_KEY_TCP_ON_SAN);
  guint8 raw[16];

  wsi_guid_to_bytes (guid, raw);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(GBytes) data = NULL;
      WsiRegType type = 0;
      gsize len = 0;
      const guint8 *bytes;
      if (!wsi_registry_get (reg, WSI_REG_KEY_TCP_ON_SAN, names[i], &type, &data))
        continue;
      bytes = g_bytes_get_data (data, &len);
      if (len != 16 || memcmp (bytes, raw, 16) != 0)
        continue;
      {
        g_autoptr(GError) error = NULL;
        if (!wsi_policy_check_san_unregister (reg, names[i], guid, &error))
          {
            wsi_diag_list_add (self->diags, "registry-write-denied", file, line, "%s", error->message);
            self->failed = TRUE;
            return FALSE;
          }
      }
      if (!wsi_planner_delete_value (self, NULL, file, line, WSI_REG_KEY_TCP_ON_SAN, names[i]))
        return FALSE;
    }
  return TRUE;
}

gboolean
wsi_planner_remove_provider (WsiPlanner *self, const WsiGuid *guid, GArray *triples)
{
  const WsiMachine *machine = self->plan->before;
  g_autoptr(GPtrArray) guids = g_ptr_array_new_with_free_func (g_free);
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  gboolean found = FALSE, ok = TRUE;
  char buf[WSI_GUID_STRING_LEN + 1];

  g_ptr_array_add (guids, g_memdup2 (guid, sizeof *guid));
  wsi_guid_format (guid, buf);
  /* The explicit repair of a leftover may remove anybody's entries, but
   * removing Windows' own TCP/IP takes the network away: only on request. */
  if (wsi_ownership_lookup (self->owners, guid, NULL) == WSI_OWNER_WINDOWS && !self->force)
    {
      WsiDiag *d = wsi_diag_list_add (self->diags, "guid-owned-elsewhere", NULL, 0,
                                      "provider %s is one of Windows' own base providers; removing it takes the network away from every program that uses it",
                                      buf);
      wsi_diag_set_hint (d, "Windows' providers are restored with `netsh winsock reset`; if you really mean to remove this one, add --force.");
      return FALSE;
    }
  for (gsize b = 0; ok && b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (machine, order[b]);
      g_autoptr(GPtrArray) live = NULL;
      if (c == NULL)
        continue;
      live = wsi_catalog_find_guid (c, guid);
      found |= live->len > 0;
      for (guint i = 0; i < live->len; i++)
        {
          const WsiEntry *e = g_ptr_array_index (live, i);
          gint32 t[3] = { e->address_family, e->socket_type, e->protocol };
          if (wsi_entry_get_kind (e) != WSI_ENTRY_LAYERED)
            g_array_append_vals (triples, t, 3);
        }
      ok = wsi_planner_remove_guids (self, order[b], guids, NULL, 0);
    }
  if (ok && !found)
    {
      wsi_diag_list_add (self->diags, "provider-not-installed", NULL, 0, "no catalog holds provider %s", buf);
      ok = FALSE;
    }
  return ok && wsi_planner_unregister_san (self, NULL, 0, guid);
}
