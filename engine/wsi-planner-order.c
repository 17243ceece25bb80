/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-order.c: where a manifest's chain entries go in the catalog
 * order (top, bottom, before or after another provider or layer), as one
 * write of the whole order, and only when the plan adds chain entries. */
#include "wsi-planner-private.h"

static int
wsi_index_of (GArray *ids, guint32 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint32, i) == id)
      return (int) i;
  return -1;
}

/* Anchor of a before/after placement: the IDs it names in @list. */
static GArray *
wsi_anchor_ids (WsiCatalogPlan *cp, const WsiManifestChain *chain)
{
  WsiCatalog *cur = wsi_planner_sim_catalog (cp);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) found = NULL;

  switch (chain->relative_kind)
    {
    case WSI_RELATIVE_PROVIDER:
      found = wsi_catalog_find_guid (cur, &chain->relative_provider->guid);
      break;
    case WSI_RELATIVE_GUID:
      found = wsi_catalog_find_guid (cur, &chain->relative_guid);
      break;
    case WSI_RELATIVE_LAYER:
      for (guint g = 0; g < cp->groups->len; g++)
        {
          WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
          if (group->chain->layer == chain->relative_layer)
            g_array_append_vals (out, group->ids->data, group->ids->len);
        }
      return out;
    default:
      return out;
    }
  for (guint i = 0; i < found->len; i++)
    g_array_append_val (out, ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
  return out;
}

/* Puts @group's entries into @list before or after its anchor: the first
 * anchor entry for "before", the last for "after". Groups at the top or
 * the bottom are placed by the caller. */
static void
wsi_order_place_relative (WsiCatalogPlan *cp, WsiPlacedGroup *group, GArray *list, WsiBitness bitness)
{
  g_autoptr(GArray) anchor = NULL;
  int at = -1;

  if (group->chain->position != WSI_POSITION_BEFORE && group->chain->position != WSI_POSITION_AFTER)
    return;
  anchor = wsi_anchor_ids (cp, group->chain);
  for (guint a = 0; a < anchor->len; a++)
    {
      int idx = wsi_index_of (list, g_array_index (anchor, guint32, a));
      if (idx < 0)
        continue;
      if (at < 0 || (group->chain->position == WSI_POSITION_BEFORE ? idx < at : idx > at))
        at = idx;
    }
  if (at < 0)
    {
      /* "After vendor X's LSP" is how installers coexist; without X the
       * chain simply goes to the top. */
      wsi_diag_list_add (cp->planner->diags, "position-anchor-missing", cp->manifest->file, group->chain->line,
                         "'%s' has no entries in the %d-bit catalog to place this chain %s; it goes to the top",
                         group->chain->relative_to, (int) bitness,
                         group->chain->position == WSI_POSITION_BEFORE ? "before" : "after");
      g_array_insert_vals (list, 0, group->ids->data, group->ids->len);
      return;
    }
  g_array_insert_vals (list, (guint) (group->chain->position == WSI_POSITION_BEFORE ? at : at + 1),
                       group->ids->data, group->ids->len);
}

/* The order the manifest asks for, from the current one: its chain entries
 * taken out, then put back where their <chain> says; everything else keeps
 * its relative order (other vendors' LSPs included). Later layers go above
 * earlier ones at the top, as each SDK-style install moves its own chains to
 * the top when it runs. */
gboolean
wsi_planner_plan_order (WsiCatalogPlan *cp, WsiBitness bitness)
{
  WsiPlanner *self = cp->planner;
  WsiCatalog *cur = wsi_machine_get_catalog (wsi_planner_machine (self), bitness);
  g_autoptr(GHashTable) ours = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) top = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) layer_top = g_array_new (FALSE, FALSE, sizeof (guint32));
  const WsiManifestLayer *current_layer = NULL;
  gboolean same = TRUE;
  WsiPlanStep *step;

  /* Only a plan that adds chain entries places them. An installed product
   * keeps the place it has: if another vendor layered above it since,
   * re-applying must not fight that vendor for the top. */
  if (cp->groups->len == 0 || cp->new_chain_entries == 0)
    return TRUE;
  for (guint g = 0; g < cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
      for (guint i = 0; i < group->ids->len; i++)
        g_hash_table_add (ours, GUINT_TO_POINTER (g_array_index (group->ids, guint32, i)));
    }
  /* TOP: a block per layer (its chains in document order), later layers first. */
  for (guint g = 0; g <= cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g < cp->groups->len ? g_ptr_array_index (cp->groups, g) : NULL;
      if (group == NULL || group->chain->layer != current_layer)
        {
          g_array_prepend_vals (top, layer_top->data, layer_top->len);
          g_array_set_size (layer_top, 0);
          if (group == NULL)
            break;
          current_layer = group->chain->layer;
        }
      if (group->chain->position == WSI_POSITION_TOP)
        g_array_append_vals (layer_top, group->ids->data, group->ids->len);
    }
  g_array_append_vals (list, top->data, top->len);
  for (guint i = 0; i < wsi_catalog_get_size (cur); i++)
    {
      guint32 id = wsi_catalog_get_entry (cur, i)->catalog_id;
      if (!g_hash_table_contains (ours, GUINT_TO_POINTER (id)))
        g_array_append_val (list, id);
    }
  for (guint g = 0; g < cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
      if (group->chain->position == WSI_POSITION_BOTTOM)
        g_array_append_vals (list, group->ids->data, group->ids->len);
    }
  for (guint g = 0; g < cp->groups->len; g++)
    wsi_order_place_relative (cp, g_ptr_array_index (cp->groups, g), list, bitness);

  g_assert (list->len == wsi_catalog_get_size (cur));
  for (guint i = 0; i < list->len && same; i++)
    same = g_array_index (list, guint32, i) == wsi_catalog_get_entry (cur, i)->catalog_id;
  if (same)
    return TRUE;

  step = wsi_planner_step_new (WSI_STEP_WRITE_ORDER, bitness, wsi_planner_machine (self), cp->manifest->file,
                               ((WsiPlacedGroup *) g_ptr_array_index (cp->groups, 0))->chain->line);
  step->order = g_array_sized_new (FALSE, FALSE, sizeof (WsiEntryRef), list->len);
  for (guint i = 0; i < list->len; i++)
    {
      WsiEntryRef ref;
      wsi_entry_ref_from_id (cur, g_array_index (list, guint32, i), &ref);
      g_array_append_val (step->order, ref);
    }
  step->summary = g_strdup_printf ("write the %d-bit catalog order (%u entries)", (int) bitness, list->len);
  return wsi_planner_add_step (self, step);
}
