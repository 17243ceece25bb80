/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-install.c: installing (or upgrading to) one manifest. Its
 * GUIDs must be its product's or nobody's, the installed version no newer
 * (unless forced); the strategy is one WSCInstallProvider64_32 per
 * provider when both catalogs allow it, else each catalog on its own.
 * What an earlier version installed and this one no longer declares is
 * removed (wsi-planner-remove.c). */
#include "wsi-planner-private.h"
#include "wsi-display-name.h"

#include <string.h>

/* ---- strategy ---- */

static gboolean
wsi_paths_compatible_64_32 (const char *path, const char *path32)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GString) mapped = NULL;

  if (path32 == NULL)
    return TRUE;
  a = g_ascii_strdown (path, -1);
  b = g_ascii_strdown (path32, -1);
  if (strcmp (a, b) == 0)
    return TRUE;
  /* WOW64 redirects System32 to SysWOW64, so one path serves both catalogs
   * exactly when the 32-bit DLL sits in SysWOW64 under the same name. */
  mapped = g_string_new (a);
  g_string_replace (mapped, "\\system32\\", "\\syswow64\\", 1);
  return strcmp (mapped->str, b) == 0;
}

static const char *
wsi_strategy_blocker (const WsiManifest *m, const WsiMachine *machine)
{
  const WsiCatalog *c32 = wsi_machine_peek_catalog (machine, WSI_CATALOG_32);
  const WsiCatalog *c64 = wsi_machine_peek_catalog (machine, WSI_CATALOG_64);

  if (!m->target.allow_64_32)
    return "the manifest does not allow WSCInstallProvider64_32 (allow-64-32); each catalog is installed separately, chains built from its own IDs";
  if (!wsi_machine_catalogs_in_sync (machine) || wsi_catalog_get_next_id (c32) != wsi_catalog_get_next_id (c64))
    return "the 32-bit and 64-bit catalogs are out of sync (different IDs, order or next ID): WSCInstallProvider64_32 would write chains naming the wrong IDs; each catalog is installed separately";
  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      if (!wsi_paths_compatible_64_32 (p->path, p->path32))
        return "a provider's 32-bit DLL path is not the WOW64 mirror of its 64-bit path; WSCInstallProvider64_32 takes one path";
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      if (!wsi_paths_compatible_64_32 (l->path, l->path32))
        return "a layer's 32-bit DLL path is not the WOW64 mirror of its 64-bit path; WSCInstallProvider64_32 takes one path";
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      g_autoptr(GPtrArray) found = wsi_catalog_find_guid (c64, &l->guid);
      if (found->len > 0)
        return "the product is already installed: its entries are updated in each catalog separately";
    }
  return NULL;
}

/* What an earlier version of the product installed and this manifest no
 * longer declares (a layer or provider dropped by the upgrade) goes, its
 * dependents re-pointed as by an uninstall: left in place it would stay in
 * the catalog with no record claiming it. */
static gboolean
wsi_plan_drop_undeclared (WsiPlanner *self, const WsiManifest *m)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  g_autofree char *key = wsi_planner_product_key (m);
  g_auto(GStrv) recorded = wsi_registry_get_multi_sz (wsi_machine_peek_registry (wsi_planner_machine (self)), key,
                                                      "Providers");
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; recorded != NULL && recorded[i] != NULL; i++)
    {
      WsiGuid g;
      gboolean declared = FALSE;
      if (!wsi_guid_parse (recorded[i], &g))
        continue;
      for (guint k = 0; k < m->providers->len && !declared; k++)
        declared = wsi_guid_equal (&((WsiManifestProvider *) g_ptr_array_index (m->providers, k))->guid, &g);
      for (guint k = 0; k < m->layers->len && !declared; k++)
        declared = wsi_guid_equal (&((WsiManifestLayer *) g_ptr_array_index (m->layers, k))->guid, &g);
      if (!declared)
        g_ptr_array_add (dropped, g_memdup2 (&g, sizeof g));
    }
  if (dropped->len == 0)
    return TRUE;
  g_ptr_array_add (self->plan->notes,
                   g_strdup_printf ("%s: the installed version has %u provider%s this manifest no longer declares; "
                                    "%s removed", m->file, dropped->len, dropped->len == 1 ? "" : "s",
                                    dropped->len == 1 ? "it is" : "they are"));
  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    if (!wsi_planner_remove_guids (self, order[b], dropped, m->file, m->product.line))
      return FALSE;
  return TRUE;
}

/* ---- one manifest ---- */

static gboolean
wsi_profile_fits (const WsiManifest *m, WsiMachineKind kind)
{
  switch (m->target.profile)
    {
    case WSI_PROFILE_DESKTOP_X64: return kind == WSI_MACHINE_X64;
    /* A 32-bit product on 64-bit Windows lives in the WOW64 catalog. */
    case WSI_PROFILE_DESKTOP_X86: return kind == WSI_MACHINE_X86 || kind == WSI_MACHINE_X64;
    case WSI_PROFILE_CE: return kind == WSI_MACHINE_CE;
    default: return FALSE;
    }
}

static gboolean
wsi_plan_in_catalog (WsiPlanner *self, const WsiManifest *m, WsiBitness bitness, gboolean dual, GArray *triples)
{
  WsiCatalogPlan cp = {
    .planner = self,
    .manifest = m,
    .bitness = bitness,
    .dual = dual,
    .triples = triples,
  };
  g_autoptr(GPtrArray) layers = wsi_manifest_get_layers_sorted (m);
  gboolean ok = TRUE;

  if (!wsi_planner_check_unique_ids (self, bitness, m->file, m->target.line) ||
      (dual && !wsi_planner_check_unique_ids (self, WSI_CATALOG_32, m->file, m->target.line)))
    return FALSE;
  cp.pre = wsi_catalog_copy (wsi_machine_get_catalog (wsi_planner_machine (self), bitness));
  cp.own_guids = g_hash_table_new ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal);
  cp.layer_ids = g_hash_table_new (NULL, NULL);
  cp.groups = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_planner_placed_group_free);
  for (guint i = 0; i < m->providers->len; i++)
    g_hash_table_add (cp.own_guids, &((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid);
  for (guint i = 0; i < m->layers->len; i++)
    g_hash_table_add (cp.own_guids, &((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid);

  ok = wsi_planner_plan_providers (&cp);
  for (guint i = 0; ok && i < layers->len; i++)
    ok = wsi_planner_plan_layer (&cp, g_ptr_array_index (layers, i));
  if (ok)
    {
      ok = wsi_planner_plan_order (&cp, bitness);
      /* 64_32 wrote both catalogs with the same IDs: give the 32-bit catalog
       * the same order. */
      if (ok && dual)
        ok = wsi_planner_plan_order (&cp, WSI_CATALOG_32);
    }

  wsi_catalog_free (cp.pre);
  g_hash_table_unref (cp.own_guids);
  g_hash_table_unref (cp.layer_ids);
  g_ptr_array_unref (cp.groups);
  return ok && !self->failed;
}

/* "6 entries in the 64-bit catalog (IDs 1006, 1007, ...)" for messages. */
static char *
wsi_describe_entries (const WsiMachine *machine, const WsiGuid *guid)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (machine, order[b]);
      g_autoptr(GPtrArray) found = c != NULL ? wsi_catalog_find_guid (c, guid) : NULL;
      if (found == NULL || found->len == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, " and ");
      g_string_append_printf (out, "%u %s in the %d-bit catalog (ID", found->len, found->len == 1 ? "entry" : "entries",
                              (int) order[b]);
      for (guint i = 0; i < found->len && i < 6; i++)
        g_string_append_printf (out, "%s %u", i == 0 ? (found->len > 1 ? "s" : "") : ",",
                                ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
      g_string_append (out, found->len > 6 ? ", ...)" : ")");
      if (((const WsiEntry *) g_ptr_array_index (found, 0))->name != NULL)
        g_string_append_printf (out, " '%s'",
                                wsi_display_name (((const WsiEntry *) g_ptr_array_index (found, 0))->name));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Is @guid, declared at @line of @m, someone else's on the machine? Then
 * the manifest may not install, update or remove it: Windows refuses an
 * installed GUID (WSCInstallProvider: WSANO_RECOVERY), and an "upgrade"
 * of another owner's entries would deinstall them. */
static gboolean
wsi_check_declared_guid (WsiPlanner *self, const WsiManifest *m, const WsiGuid *guid, int line, const char *what)
{
  const char *owner = NULL;
  WsiOwnerKind kind = wsi_ownership_lookup (self->owners, guid, &owner);
  g_autofree char *who = NULL;
  g_autofree char *held = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];
  WsiDiag *d;

  if (kind == WSI_OWNER_NONE || (kind == WSI_OWNER_PRODUCT && g_strcmp0 (owner, m->product.id) == 0) ||
      (kind == WSI_OWNER_UNKNOWN && self->adopt))
    return TRUE;
  wsi_guid_format (guid, buf);
  who = wsi_ownership_describe (self->owners, guid);
  held = wsi_describe_entries (self->plan->before, guid);
  d = wsi_diag_list_add (self->diags, "guid-owned-elsewhere", m->file, line,
                         "%s %s is already installed and belongs to %s, not to product '%s': %s",
                         what, buf, who, m->product.id, held);
  if (kind == WSI_OWNER_UNKNOWN)
    wsi_diag_set_hint (d, "Give your provider its own GUID. If these entries are your product's, installed by another "
                          "installer or on a machine without wsinstall's install record, plan with --adopt.");
  self->failed = TRUE;
  return FALSE;
}

/* Every GUID the manifest declares: providers (SAN ones included), layers
 * and the explicit <entry-guid>s of its chains. All are checked, so that
 * a vendor sees every conflict at once. */
static gboolean
wsi_check_manifest_guids (WsiPlanner *self, const WsiManifest *m)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      ok &= wsi_check_declared_guid (self, m, &p->guid, p->line, p->san ? "SAN provider" : "provider");
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      ok &= wsi_check_declared_guid (self, m, &l->guid, l->line, "layered provider");
    }
  for (guint i = 0; i < m->chains->len; i++)
    {
      const WsiManifestChain *c = g_ptr_array_index (m->chains, i);
      for (guint k = 0; c->guid_rule == WSI_GUID_RULE_EXPLICIT && k < c->entry_guids->len; k++)
        {
          const WsiManifestEntryGuid *eg = g_ptr_array_index (c->entry_guids, k);
          ok &= wsi_check_declared_guid (self, m, &eg->guid, eg->line > 0 ? eg->line : c->line, "chain entry GUID");
        }
    }
  return ok;
}

gboolean
wsi_planner_install_manifest (WsiPlanner *self, const WsiManifest *m, WsiPlanFlags flags, GArray *triples)
{
  WsiMachine *machine = wsi_planner_machine (self);
  WsiMachineKind kind = wsi_machine_get_kind (machine);
  g_autofree char *key = wsi_planner_product_key (m);
  g_autofree char *installed = wsi_registry_get_string (wsi_machine_peek_registry (machine), key, "Version");
  gboolean want64, want32;

  if (!wsi_profile_fits (m, kind))
    {
      wsi_diag_list_add (self->diags, "profile-mismatch", m->file, m->target.line,
                         "the manifest is for %s; the machine is %s", wsi_profile_to_string (m->target.profile),
                         wsi_machine_kind_to_string (kind));
      self->failed = TRUE;
      return FALSE;
    }
  if (!wsi_check_manifest_guids (self, m))
    return FALSE;
  if (installed != NULL)
    {
      WsiVersion have;
      if (wsi_version_parse (installed, &have))
        {
          int cmp = wsi_version_compare (&m->product.version, &have);
          if (cmp < 0 && !(flags & WSI_PLAN_FLAG_FORCE))
            {
              wsi_diag_list_add (self->diags, "downgrade-refused", m->file, m->product.line,
                                 "%s %s is installed; the manifest declares %s", m->product.id, installed,
                                 m->product.version_string);
              self->failed = TRUE;
              return FALSE;
            }
          g_ptr_array_add (self->plan->notes,
                           g_strdup_printf ("%s: %s %s is installed; %s", m->file, m->product.id, installed,
                                            cmp == 0 ? "same version: only what differs from the manifest is planned"
                                            : cmp > 0 ? "upgrade: entries are updated in place where their count is unchanged, re-installed otherwise"
                                                      : "forced downgrade"));
        }
    }

  want64 = kind == WSI_MACHINE_X64 && m->target.profile == WSI_PROFILE_DESKTOP_X64 &&
           wsi_manifest_targets_catalog (m, WSI_CATALOG_64);
  want32 = wsi_manifest_targets_catalog (m, WSI_CATALOG_32) || m->target.profile != WSI_PROFILE_DESKTOP_X64;

  if (want64 && want32)
    {
      const char *blocker = wsi_strategy_blocker (m, machine);
      if (blocker == NULL)
        {
          wsi_plan_add_strategy (self->plan, "64+32", "64_32",
                                 "the manifest allows it and both catalogs hold the same IDs in the same order: one WSCInstallProvider64_32 call per provider");
          if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_64, TRUE, triples))
            return FALSE;
        }
      else
        {
          wsi_plan_add_strategy (self->plan, "64+32", "per-catalog", blocker);
          if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_64, FALSE, triples) ||
              !wsi_plan_in_catalog (self, m, WSI_CATALOG_32, FALSE, triples))
            return FALSE;
        }
    }
  else if (want64)
    {
      wsi_plan_add_strategy (self->plan, "64", "single", "the manifest targets the 64-bit catalog only");
      if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_64, FALSE, triples))
        return FALSE;
    }
  else
    {
      wsi_plan_add_strategy (self->plan, "32", "single",
                             kind == WSI_MACHINE_X64 ? "the manifest targets the 32-bit (WOW64) catalog only"
                                                     : "the machine has one catalog");
      if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_32, FALSE, triples))
        return FALSE;
    }
  return wsi_plan_drop_undeclared (self, m) && wsi_planner_plan_registry (self, m) && wsi_planner_plan_product_record (self, m);
}
