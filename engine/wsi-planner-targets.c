/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-targets.c: what a layer goes over in one catalog. Its
 * chains' selectors are resolved against the catalog as it was before the
 * manifest (machine selectors: a triple, a GUID, a name pattern, every
 * base provider) or as planned so far (the manifest's own providers, the
 * chains of another of its layers). */
#include "wsi-planner-private.h"
#include "wsi-display-name.h"
#include "wsi-flags.h"

/* Does @e belong to this manifest, or layer over one of its layers? Machine
 * selectors never pick those: the manifest reaches its own entries through
 * provider= and chains-of=, and layering over itself would loop. */
static gboolean
wsi_entry_is_owned (WsiCatalogPlan *cp, const WsiCatalog *catalog, const WsiEntry *e)
{
  if (g_hash_table_contains (cp->own_guids, &e->provider_id))
    return TRUE;
  for (gint32 k = 0; wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && k < e->chain_len; k++)
    {
      const WsiEntry *link = wsi_catalog_find_id (catalog, e->chain[k]);
      if (link != NULL && g_hash_table_contains (cp->own_guids, &link->provider_id))
        return TRUE;
    }
  return FALSE;
}

static gboolean
wsi_entry_usable_target (const WsiEntry *e)
{
  WsiEntryKind kind = wsi_entry_get_kind (e);
  return kind == WSI_ENTRY_BASE || kind == WSI_ENTRY_CHAIN;
}

/* IDs the selector picks in this catalog, in catalog order. */
static GArray *
wsi_resolve_selector (WsiCatalogPlan *cp, const WsiManifestSelector *sel)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  WsiCatalog *cur = wsi_planner_sim_catalog (cp);
  const WsiCatalog *pre = cp->pre;
  g_autoptr(GPatternSpec) pattern = NULL;

  switch (sel->kind)
    {
    case WSI_SELECTOR_PROVIDER:
      {
        g_autoptr(GPtrArray) found = wsi_catalog_find_guid (cur, &sel->provider->guid);
        for (guint i = 0; i < found->len; i++)
          g_array_append_val (ids, ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
        return ids;
      }
    case WSI_SELECTOR_CHAINS_OF:
      {
        gpointer dummy;
        guint32 dummy_id;
        if (!g_hash_table_lookup_extended (cp->layer_ids, sel->layer, NULL, &dummy))
          return ids;
        dummy_id = GPOINTER_TO_UINT (dummy);
        for (guint i = 0; i < wsi_catalog_get_size (cur); i++)
          {
            const WsiEntry *e = wsi_catalog_get_entry (cur, i);
            if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && e->chain[0] == dummy_id)
              g_array_append_val (ids, e->catalog_id);
          }
        return ids;
      }
    case WSI_SELECTOR_NAME_PATTERN:
      pattern = g_pattern_spec_new (sel->name_pattern);
      break;
    default:
      break;
    }

  for (guint i = 0; i < wsi_catalog_get_size (pre); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (pre, i);
      gboolean triple, take = FALSE;

      if (!wsi_entry_usable_target (e) || wsi_entry_is_owned (cp, pre, e))
        continue;
      triple = e->address_family == sel->address_family && e->socket_type == sel->socket_type &&
               e->protocol == sel->protocol;
      switch (sel->kind)
        {
        case WSI_SELECTOR_TRIPLE:
          /* top-most is the entry socket() gets for the triple (hidden or
           * not, protocol ranges and protocol 0 as ws2_32 matches them);
           * the default is the first base provider with exactly the
           * triple, whatever is layered over it. */
          if (sel->match == WSI_SELECTOR_MATCH_TOP_MOST)
            take = wsi_entry_serves_socket (e, sel->address_family, sel->socket_type, sel->protocol);
          else
            take = triple && wsi_entry_get_kind (e) == WSI_ENTRY_BASE;
          break;
        case WSI_SELECTOR_GUID:
          take = wsi_guid_equal (&e->provider_id, &sel->guid);
          break;
        case WSI_SELECTOR_NAME_PATTERN:
          take = e->name != NULL && (g_pattern_spec_match_string (pattern, wsi_display_name (e->name)) ||
                                     g_pattern_spec_match_string (pattern, e->name));
          break;
        case WSI_SELECTOR_ALL_BASE:
          take = wsi_entry_get_kind (e) == WSI_ENTRY_BASE && !(e->provider_flags & WSI_PFL_HIDDEN);
          break;
        default:
          break;
        }
      if (!take || wsi_catalog_find_id (cur, e->catalog_id) == NULL)
        continue;
      g_array_append_val (ids, e->catalog_id);
      /* base and top-most pick one entry, as WSCInstallProviderAndChains does. */
      if (sel->kind == WSI_SELECTOR_TRIPLE && sel->match != WSI_SELECTOR_MATCH_ALL_BASE)
        break;
    }
  return ids;
}

gboolean
wsi_planner_layer_targets (WsiLayerPlan *lp)
{
  WsiCatalogPlan *cp = lp->cp;
  WsiPlanner *self = cp->planner;
  const WsiManifest *m = cp->manifest;
  g_autoptr(GPtrArray) chains = wsi_manifest_get_layer_chains (m, lp->layer);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  gboolean ok = TRUE;

  for (guint c = 0; c < chains->len; c++)
    {
      const WsiManifestChain *chain = g_ptr_array_index (chains, c);
      for (guint s = 0; s < chain->selectors->len; s++)
        {
          const WsiManifestSelector *sel = g_ptr_array_index (chain->selectors, s);
          g_autoptr(GArray) ids = wsi_resolve_selector (cp, sel);
          if (ids->len == 0 && !sel->optional)
            {
              wsi_diag_list_add (self->diags, "selector-unresolved", m->file, sel->line,
                                 "layer '%s': this selector matches nothing in the %d-bit catalog",
                                 lp->layer->id, (int) cp->bitness);
              ok = FALSE;
            }
          for (guint i = 0; i < ids->len; i++)
            {
              guint32 id = g_array_index (ids, guint32, i);
              /* A target picked by two selectors gets one chain entry. */
              if (g_hash_table_contains (seen, GUINT_TO_POINTER (id)))
                continue;
              g_hash_table_add (seen, GUINT_TO_POINTER (id));
              g_array_append_val (lp->targets, id);
              g_ptr_array_add (lp->target_chain, (gpointer) chain);
              g_ptr_array_add (lp->target_sel, (gpointer) sel);
            }
        }
    }
  if (!ok)
    self->failed = TRUE;
  return ok;
}
