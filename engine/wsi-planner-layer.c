/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-layer.c: one layer in one catalog. Its targets come first
 * (wsi-planner-targets.c): a layer over nothing is not installed. Then its
 * layered entry, the placeholder the chains name first; then one chain
 * entry per target (wsi-planner-chains.c); last, the chains an earlier
 * version had and this one no longer declares (wsi-planner-stale.c). */
#include "wsi-planner-private.h"
#include "wsi-flags.h"

#include <string.h>

/* The layered entry: a copy of the first target, made a placeholder the
 * way the SDK sample makes it (type and protocol 0, hidden, ChainLen 0). */
static gboolean
wsi_layer_plan_layered_entry (WsiLayerPlan *lp)
{
  WsiCatalogPlan *cp = lp->cp;
  const WsiManifestLayer *layer = lp->layer;
  const WsiManifest *m = cp->manifest;
  WsiCatalog *cur = wsi_planner_sim_catalog (cp);
  g_autoptr(GPtrArray) dummy_entries = NULL;
  g_autoptr(GPtrArray) layer_found = NULL;
  g_autofree char *what = NULL;
  const WsiEntry *first;
  WsiEntry *dummy;
  guint32 categories;

  first = wsi_catalog_find_id (cur, g_array_index (lp->targets, guint32, 0));
  dummy = wsi_entry_copy (first);
  dummy->catalog_id = 0;
  dummy->provider_id = layer->guid;
  dummy->chain_len = 0;
  memset (dummy->chain, 0, sizeof dummy->chain);
  dummy->socket_type = 0;
  dummy->protocol = 0;
  dummy->provider_flags = (dummy->provider_flags | WSI_PFL_HIDDEN) & ~WSI_PFL_MATCHES_PROTOCOL_ZERO;
  if (!layer->ifs)
    dummy->service_flags[0] &= ~WSI_XP1_IFS_HANDLES;
  else
    dummy->service_flags[0] |= WSI_XP1_IFS_HANDLES;
  wsi_entry_set_name (dummy, layer->name);
  g_free (dummy->path);
  dummy->path = NULL;
  dummy->lsp_categories = 0;
  dummy_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
  g_ptr_array_add (dummy_entries, wsi_plan_entry_new (dummy));
  what = g_strdup_printf ("layered entry '%s'", layer->name);
  categories = m->target.profile == WSI_PROFILE_CE ? 0 : layer->categories;
  if (!wsi_planner_ensure_provider (cp, &layer->guid, lp->path, dummy_entries, categories, layer->line, what))
    return FALSE;
  cur = wsi_planner_sim_catalog (cp);
  layer_found = wsi_catalog_find_guid (cur, &layer->guid);
  lp->dummy_id = ((const WsiEntry *) g_ptr_array_index (layer_found, 0))->catalog_id;
  g_hash_table_insert (cp->layer_ids, (gpointer) layer, GUINT_TO_POINTER (lp->dummy_id));
  wsi_entry_ref_from_id (cur, lp->dummy_id, &lp->dummy_ref);
  return TRUE;
}

gboolean
wsi_planner_plan_layer (WsiCatalogPlan *cp, const WsiManifestLayer *layer)
{
  const WsiManifest *m = cp->manifest;
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) target_chain = g_ptr_array_new ();
  g_autoptr(GPtrArray) target_sel = g_ptr_array_new ();
  g_autoptr(GHashTable) wanted_guids = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal,
                                                              g_free, NULL);
  WsiLayerPlan lp = {
    .cp = cp,
    .layer = layer,
    .path = wsi_manifest_get_path (m, layer->path, layer->path32, cp->bitness),
    .targets = targets,
    .target_chain = target_chain,
    .target_sel = target_sel,
    .wanted_guids = wanted_guids,
  };

  if (!wsi_planner_layer_targets (&lp))
    return FALSE;
  if (targets->len == 0)
    {
      g_ptr_array_add (cp->planner->plan->notes,
                       g_strdup_printf ("%s: layer '%s' has nothing to go over in the %d-bit catalog (every selector is optional); not installed there",
                                        m->file, layer->id, (int) cp->bitness));
      return TRUE;
    }
  return wsi_layer_plan_layered_entry (&lp) && wsi_planner_layer_chains (&lp) && wsi_planner_layer_stale (&lp);
}
