/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-stale.c: chains of a layer that the manifest no longer
 * wants. An upgrade whose selectors no longer pick a target (or that
 * changed a chain's GUIDs) leaves chain entries led by the layer that no
 * <chain> declares: they are removed, or they would stay in the catalog
 * with no record claiming them. */
#include "wsi-planner-private.h"

gboolean
wsi_planner_layer_stale (WsiLayerPlan *lp)
{
  WsiCatalogPlan *cp = lp->cp;
  WsiPlanner *self = cp->planner;
  const WsiManifest *m = cp->manifest;
  const WsiManifestLayer *layer = lp->layer;
  WsiCatalog *cur = wsi_planner_sim_catalog (cp);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < wsi_catalog_get_size (cur); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (cur, i);
      if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && e->chain[0] == lp->dummy_id &&
          !g_hash_table_contains (lp->wanted_guids, &e->provider_id))
        wsi_planner_guids_add (stale, &e->provider_id);
    }
  for (guint i = 0; i < stale->len; i++)
    {
      WsiPlanStep *step = wsi_planner_step_new (WSI_STEP_DEINSTALL_PROVIDER, cp->bitness, wsi_planner_machine (self),
                                                m->file, layer->line);
      char buf[WSI_GUID_STRING_LEN + 1];
      wsi_guid_format (g_ptr_array_index (stale, i), buf);
      step->guid = *(const WsiGuid *) g_ptr_array_index (stale, i);
      step->summary = g_strdup_printf ("deinstall a chain of '%s' the manifest no longer declares (%s)", layer->id, buf);
      if (cp->dual)
        step->bitness = cp->bitness;
      if (!wsi_planner_add_step (self, step))
        return FALSE;
    }
  return TRUE;
}
