/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-uninstall.c: uninstall by manifest. What the product's
 * manifest declares and its install record lists is removed, in every
 * catalog (wsi-planner-remove.c), then its registry values and its record.
 * Only what the product owns goes: a manifest declaring Windows' or
 * another product's GUID does not take that provider with it. */
#include "wsi-planner-private.h"

#include <string.h>

static gboolean
wsi_guid_installed (const WsiMachine *machine, const WsiGuid *guid)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (machine, order[b]);
      g_autoptr(GPtrArray) found = c != NULL ? wsi_catalog_find_guid (c, guid) : NULL;
      if (found != NULL && found->len > 0)
        return TRUE;
    }
  return FALSE;
}

/* An older package's uninstall after a newer one's install (an MSI
 * major upgrade that runs RemoveExistingProducts late) must not strip
 * the newer version: the record says what is installed. TRUE (with a
 * diagnostic and a note) when that is the case and nothing is to go. */
static gboolean
wsi_uninstall_newer_installed (WsiPlanner *self, const WsiManifest *m, const char *product_key)
{
  WsiMachine *machine = wsi_planner_machine (self);
  g_autofree char *installed = wsi_registry_get_string (wsi_machine_peek_registry (machine), product_key, "Version");
  WsiVersion have;

  if (installed == NULL || !wsi_version_parse (installed, &have) ||
      wsi_version_compare (&m->product.version, &have) >= 0 || self->force)
    return FALSE;
  wsi_diag_list_add (self->diags, "newer-version-installed", m->file, m->product.line,
                     "%s %s is installed; this manifest is version %s, so its uninstall changes nothing",
                     m->product.id, installed, m->product.version_string);
  g_ptr_array_add (self->plan->notes,
                   g_strdup_printf ("%s: %s %s is installed, newer than the manifest's %s: nothing is removed (--force removes it)",
                                    m->file, m->product.id, installed, m->product.version_string));
  return TRUE;
}

/* A manifest names GUIDs; only those its product owns are removed. A
 * manifest declaring MSAFD's GUID must not take Windows' TCP with it. */
static gboolean
wsi_uninstall_check_owners (WsiPlanner *self, const WsiManifest *m, GPtrArray *guids)
{
  WsiMachine *machine = wsi_planner_machine (self);
  gboolean ok = TRUE;

  for (guint i = 0; i < guids->len; i++)
    {
      const WsiGuid *g = g_ptr_array_index (guids, i);
      const char *owner = NULL;
      WsiOwnerKind kind = wsi_ownership_lookup (self->owners, g, &owner);
      char buf[WSI_GUID_STRING_LEN + 1];
      g_autofree char *who = NULL;
      WsiDiag *d;

      if (kind == WSI_OWNER_NONE || (kind == WSI_OWNER_PRODUCT && g_strcmp0 (owner, m->product.id) == 0) ||
          (kind == WSI_OWNER_UNKNOWN && self->adopt))
        continue;
      /* Another product's claim on a GUID that is not installed: there
       * is nothing to remove, so nothing to refuse. */
      if (!wsi_guid_installed (machine, g))
        continue;
      wsi_guid_format (g, buf);
      who = wsi_ownership_describe (self->owners, g);
      d = wsi_diag_list_add (self->diags, "guid-owned-elsewhere", m->file, m->product.line,
                             "provider %s belongs to %s, not to product '%s'; its uninstall does not remove it",
                             buf, who, m->product.id);
      if (kind == WSI_OWNER_UNKNOWN)
        wsi_diag_set_hint (d, "If these entries are your product's, installed without wsinstall's install record, "
                              "uninstall with --adopt; to remove a leftover, use uninstall --provider GUID.");
      ok = FALSE;
    }
  if (!ok)
    self->failed = TRUE;
  return ok;
}

/* The preview shows what sockets of the removed triples get afterwards:
 * those of the product's base entries (a transport going away) and of its
 * chains (a layer going away, so those sockets get a shorter stack). */
static void
wsi_uninstall_note_triples (const WsiCatalog *before, GPtrArray *guids, GArray *triples)
{
  g_autoptr(GArray) removed_ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < wsi_catalog_get_size (before); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (before, i);

      if (!wsi_planner_guids_contain (guids, &e->provider_id))
        continue;
      g_array_append_val (removed_ids, e->catalog_id);
      if (wsi_entry_get_kind (e) == WSI_ENTRY_BASE)
        wsi_planner_note_triple (triples, e->address_family, e->socket_type, e->protocol);
    }
  /* A chain through a removed entry (the product's own chains, whose GUIDs
   * are derived and not recorded, and other vendors' chains over it). */
  for (guint i = 0; i < wsi_catalog_get_size (before); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (before, i);

      if (wsi_entry_get_kind (e) != WSI_ENTRY_CHAIN)
        continue;
      for (gint k = 0; k < e->chain_len; k++)
        for (guint r = 0; r < removed_ids->len; r++)
          if (e->chain[k] == g_array_index (removed_ids, guint32, r))
            {
              wsi_planner_note_triple (triples, e->address_family, e->socket_type, e->protocol);
              k = e->chain_len;
              break;
            }
    }
}

/* A WSH helper's values, and its transport out of Winsock's list. */
static gboolean
wsi_uninstall_wsh_helper (WsiPlanner *self, const WsiManifest *m, const WsiManifestWshHelper *h)
{
  g_autofree char *key = g_strdup_printf ("%s\\Parameters\\Winsock", h->transport);
  static const char *const names[] = { "Mapping", "HelperDllName", "MinSockaddrLength", "MaxSockaddrLength" };
  g_auto(GStrv) transports = wsi_registry_get_multi_sz (wsi_machine_peek_registry (wsi_planner_machine (self)),
                                                        WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
  g_autoptr(GStrvBuilder) keep = g_strv_builder_new ();
  gboolean listed = FALSE;

  for (gsize k = 0; k < G_N_ELEMENTS (names); k++)
    if (!wsi_planner_delete_value (self, m, m->file, h->line, key, names[k]))
      return FALSE;
  for (guint k = 0; transports != NULL && transports[k] != NULL; k++)
    {
      if (g_ascii_strcasecmp (transports[k], h->transport) == 0)
        listed = TRUE;
      else
        g_strv_builder_add (keep, transports[k]);
    }
  if (listed)
    {
      g_auto(GStrv) rest = g_strv_builder_end (keep);
      WsiPlanStep *step = wsi_planner_step_new (WSI_STEP_SET_REGISTRY_VALUE, 0, wsi_planner_machine (self),
                                                m->file, h->line);
      if (!wsi_planner_check_policy (self, m, h->line, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports"))
        {
          wsi_plan_step_free (step);
          return FALSE;
        }
      step->reg_key = g_strdup (WSI_REG_KEY_WINSOCK_PARAMETERS);
      step->reg_name = g_strdup ("Transports");
      step->reg_type = WSI_REG_MULTI_SZ;
      step->reg_data = wsi_reg_encode_multi_sz ((const char * const *) rest);
      step->summary = g_strdup_printf ("take %s out of Winsock\\Parameters\\Transports", h->transport);
      if (!wsi_planner_add_step (self, step))
        return FALSE;
    }
  return TRUE;
}

gboolean
wsi_planner_uninstall_manifest (WsiPlanner *self, const WsiManifest *m, GArray *triples)
{
  WsiMachine *machine = wsi_planner_machine (self);
  g_autoptr(GPtrArray) guids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *product_key = g_strdup_printf ("%s\\%s", WSI_REG_KEY_PRODUCTS, m->product.id);
  g_auto(GStrv) recorded = wsi_registry_get_multi_sz (wsi_machine_peek_registry (machine), product_key, "Providers");
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  static const char *const product_values[] = { "Version", "Name", "Vendor", "Providers", "Transports" };

  if (wsi_uninstall_newer_installed (self, m, product_key))
    return TRUE;
  for (guint i = 0; i < m->providers->len; i++)
    wsi_planner_guids_add (guids, &((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid);
  for (guint i = 0; i < m->layers->len; i++)
    wsi_planner_guids_add (guids, &((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid);
  if (!wsi_uninstall_check_owners (self, m, guids))
    return FALSE;
  /* GUIDs an earlier version of the product installed. */
  for (guint i = 0; recorded != NULL && recorded[i] != NULL; i++)
    {
      WsiGuid g;
      if (wsi_guid_parse (recorded[i], &g))
        wsi_planner_guids_add (guids, &g);
    }

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *before = wsi_machine_peek_catalog (machine, order[b]);
      if (before == NULL)
        continue;
      wsi_uninstall_note_triples (before, guids, triples);
      if (!wsi_planner_remove_guids (self, order[b], guids, m->file, m->product.line))
        return FALSE;
    }

  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      if (p->san && !wsi_planner_unregister_san (self, m->file, p->line, &p->guid))
        return FALSE;
    }
  for (guint i = 0; i < m->wsh_helpers->len; i++)
    if (!wsi_uninstall_wsh_helper (self, m, g_ptr_array_index (m->wsh_helpers, i)))
      return FALSE;
  for (gsize k = 0; k < G_N_ELEMENTS (product_values); k++)
    if (!wsi_planner_delete_value (self, m, m->file, m->product.line, product_key, product_values[k]))
      return FALSE;
  return TRUE;
}
