/* wsi-planner-remove.c: removal planning (uninstall by manifest, remove by
 * provider GUID, repair). Removing an LSP must not cut other vendors'
 * chains: every chain that names a removed ID is rewritten without it
 * (WSCUpdateProvider, as the SDK sample does before it deinstalls), and a
 * chain whose base protocol goes away is removed with it, so no orphan and
 * no dangling entry is left. */
#include "wsi-planner-private.h"
#include "wsi-error.h"
#include "wsi-policy.h"

#include <string.h>

static WsiPlanStep *
wsi_remove_step_new (WsiStepOp op, WsiBitness bitness, const WsiMachine *machine, const char *file, int line)
{
  WsiPlanStep *step = g_new0 (WsiPlanStep, 1);

  step->op = op;
  step->bitness = bitness;
  step->needs_32bit_process = wsi_step_needs_32bit_process (wsi_machine_get_kind (machine), op, bitness);
  step->source_file = g_strdup (file);
  step->source_line = line;
  return step;
}

static gboolean
wsi_guid_in (GPtrArray *guids, const WsiGuid *guid)
{
  for (guint i = 0; i < guids->len; i++)
    if (wsi_guid_equal (g_ptr_array_index (guids, i), guid))
      return TRUE;
  return FALSE;
}

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

static void
wsi_guid_add_unique (GPtrArray *guids, const WsiGuid *guid)
{
  if (!wsi_guid_in (guids, guid))
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
      if (!wsi_guid_in (guids, &e->provider_id))
        continue;
      g_hash_table_add (removed, GUINT_TO_POINTER (e->catalog_id));
      if (wsi_entry_get_kind (e) == WSI_ENTRY_LAYERED)
        {
          g_hash_table_add (layered, GUINT_TO_POINTER (e->catalog_id));
          wsi_guid_add_unique (layer_guids, &e->provider_id);
        }
    }
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (cat, i);
      if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && g_hash_table_contains (layered, GUINT_TO_POINTER (e->chain[0])))
        {
          g_hash_table_add (removed, GUINT_TO_POINTER (e->catalog_id));
          wsi_guid_add_unique (chain_guids, &e->provider_id);
        }
      else if (wsi_guid_in (guids, &e->provider_id) && wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
        wsi_guid_add_unique (chain_guids, &e->provider_id);
    }
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (cat, i);
      if (wsi_guid_in (guids, &e->provider_id) && wsi_entry_get_kind (e) == WSI_ENTRY_BASE &&
          !wsi_guid_in (chain_guids, &e->provider_id) && !wsi_guid_in (layer_guids, &e->provider_id))
        wsi_guid_add_unique (base_guids, &e->provider_id);
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
          step = wsi_remove_step_new (WSI_STEP_DEINSTALL_PROVIDER, bitness, machine, file, line);
          step->guid = *guid;
          step->summary = g_strdup_printf ("deinstall %s '%s' (%s)", kinds[l],
                                           ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
          if (!wsi_planner_add_step (self, step))
            return FALSE;
        }
  }
  return TRUE;
}

static gboolean
wsi_plan_delete_value (WsiPlanner *self, const WsiManifest *m, const char *file, int line, const char *key,
                       const char *name)
{
  WsiPlanStep *step;

  if (!wsi_registry_get (wsi_machine_peek_registry (wsi_planner_machine (self)), key, name, NULL, NULL))
    return TRUE;
  /* SAN registrations are removed by what they hold (checked by the
   * caller); everything else only when the manifest owns it. */
  if (m != NULL && !wsi_planner_check_policy (self, m, line, key, name))
    return FALSE;
  step = wsi_remove_step_new (WSI_STEP_SET_REGISTRY_VALUE, 0, wsi_planner_machine (self), file, line);
  step->reg_key = g_strdup (key);
  step->reg_name = g_strdup (name);
  step->summary = g_strdup_printf ("delete %s\\%s", key, name);
  return wsi_planner_add_step (self, step);
}

/* Values under TCP on SAN that register @guid, whatever their name. */
static gboolean
wsi_plan_unregister_san (WsiPlanner *self, const char *file, int line, const WsiGuid *guid)
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
      if (!wsi_plan_delete_value (self, NULL, file, line, WSI_REG_KEY_TCP_ON_SAN, names[i]))
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

  /* An older package's uninstall after a newer one's install (an MSI
   * major upgrade that runs RemoveExistingProducts late) must not strip
   * the newer version: the record says what is installed. */
  {
    g_autofree char *installed = wsi_registry_get_string (wsi_machine_peek_registry (machine), product_key, "Version");
    WsiVersion have;
    if (installed != NULL && wsi_version_parse (installed, &have) &&
        wsi_version_compare (&m->product.version, &have) < 0 && !self->force)
      {
        wsi_diag_list_add (self->diags, "newer-version-installed", m->file, m->product.line,
                           "%s %s is installed; this manifest is version %s, so its uninstall changes nothing",
                           m->product.id, installed, m->product.version_string);
        g_ptr_array_add (self->plan->notes,
                         g_strdup_printf ("%s: %s %s is installed, newer than the manifest's %s: nothing is removed (--force removes it)",
                                          m->file, m->product.id, installed, m->product.version_string));
        return TRUE;
      }
  }

  for (guint i = 0; i < m->providers->len; i++)
    wsi_guid_add_unique (guids, &((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid);
  for (guint i = 0; i < m->layers->len; i++)
    wsi_guid_add_unique (guids, &((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid);
  /* A manifest names GUIDs; only those its product owns are removed. A
   * manifest declaring MSAFD's GUID must not take Windows' TCP with it. */
  {
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
      {
        self->failed = TRUE;
        return FALSE;
      }
  }
  /* GUIDs an earlier version of the product installed. */
  for (guint i = 0; recorded != NULL && recorded[i] != NULL; i++)
    {
      WsiGuid g;
      if (wsi_guid_parse (recorded[i], &g))
        wsi_guid_add_unique (guids, &g);
    }

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *before = wsi_machine_peek_catalog (machine, order[b]);
      if (before == NULL)
        continue;
      /* The preview shows what sockets of the removed triples get afterwards. */
      for (guint i = 0; i < wsi_catalog_get_size (before); i++)
        {
          const WsiEntry *e = wsi_catalog_get_entry (before, i);
          if (wsi_guid_in (guids, &e->provider_id) && wsi_entry_get_kind (e) == WSI_ENTRY_BASE)
            {
              gint32 t[3] = { e->address_family, e->socket_type, e->protocol };
              gboolean dup = FALSE;
              for (guint k = 0; k + 2 < triples->len && !dup; k += 3)
                dup = memcmp (&g_array_index (triples, gint32, k), t, sizeof t) == 0;
              if (!dup)
                g_array_append_vals (triples, t, 3);
            }
        }
      if (!wsi_planner_remove_guids (self, order[b], guids, m->file, m->product.line))
        return FALSE;
    }

  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      if (p->san && !wsi_plan_unregister_san (self, m->file, p->line, &p->guid))
        return FALSE;
    }
  for (guint i = 0; i < m->wsh_helpers->len; i++)
    {
      const WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, i);
      g_autofree char *key = g_strdup_printf ("%s\\Parameters\\Winsock", h->transport);
      static const char *const names[] = { "Mapping", "HelperDllName", "MinSockaddrLength", "MaxSockaddrLength" };
      g_auto(GStrv) transports = wsi_registry_get_multi_sz (wsi_machine_peek_registry (wsi_planner_machine (self)),
                                                           WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
      g_autoptr(GStrvBuilder) keep = g_strv_builder_new ();
      gboolean listed = FALSE;

      for (gsize k = 0; k < G_N_ELEMENTS (names); k++)
        if (!wsi_plan_delete_value (self, m, m->file, h->line, key, names[k]))
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
          WsiPlanStep *step = wsi_remove_step_new (WSI_STEP_SET_REGISTRY_VALUE, 0, wsi_planner_machine (self),
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
    }
  for (gsize k = 0; k < G_N_ELEMENTS (product_values); k++)
    if (!wsi_plan_delete_value (self, m, m->file, m->product.line, product_key, product_values[k]))
      return FALSE;
  return TRUE;
}

WsiPlan *
wsi_plan_build_remove_guid (const WsiMachine *machine, const WsiGuid *guid, WsiPlanFlags flags, WsiDiagList *diags)
{
  g_autoptr(WsiPlan) plan = wsi_plan_new (machine);
  g_autoptr(WsiBackend) sim = wsi_backend_memory_new (machine);
  g_autoptr(GPtrArray) guids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) triples = g_array_new (FALSE, FALSE, sizeof (gint32));
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  WsiPlanner self;
  gboolean found = FALSE, ok = TRUE;
  char buf[WSI_GUID_STRING_LEN + 1];

  plan->uninstall = TRUE;
  wsi_planner_init (&self, plan, sim, diags, flags);
  g_ptr_array_add (guids, g_memdup2 (guid, sizeof *guid));
  wsi_guid_format (guid, buf);
  /* The explicit repair of a leftover may remove anybody's entries, but
   * removing Windows' own TCP/IP takes the network away: only on request. */
  if (wsi_ownership_lookup (self.owners, guid, NULL) == WSI_OWNER_WINDOWS && !self.force)
    {
      WsiDiag *d = wsi_diag_list_add (diags, "guid-owned-elsewhere", NULL, 0,
                                      "provider %s is one of Windows' own base providers; removing it takes the network away from every program that uses it",
                                      buf);
      wsi_diag_set_hint (d, "Windows' providers are restored with `netsh winsock reset`; if you really mean to remove this one, add --force.");
      wsi_planner_clear (&self);
      return NULL;
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
      ok = wsi_planner_remove_guids (&self, order[b], guids, NULL, 0);
    }
  if (ok && !found)
    {
      wsi_diag_list_add (diags, "provider-not-installed", NULL, 0, "no catalog holds provider %s", buf);
      ok = FALSE;
    }
  ok = ok && wsi_plan_unregister_san (&self, NULL, 0, guid) && wsi_planner_finish (&self);
  wsi_planner_clear (&self);
  if (!ok)
    return NULL;
  wsi_plan_compute_preview (plan, triples);
  return g_steal_pointer (&plan);
}
