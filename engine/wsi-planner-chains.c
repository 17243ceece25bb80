/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-chains.c: one chain entry per target of a layer: the
 * layered entry, then the target's own chain (or the target itself, a
 * base provider). Every target is checked before anything is planned for
 * it, and the checks go on after a failure, so that a vendor sees every
 * problem at once: a chain over seven entries, a layer twice in one chain,
 * a dangling ID, an IFS layer above a non-IFS one. */
#include "wsi-planner-private.h"
#include "wsi-display-name.h"
#include "wsi-flags.h"

static char *
wsi_expand_name (const char *template, const char *layer, const char *target)
{
  g_autoptr(GString) s = g_string_new (template);
  glong len;

  g_string_replace (s, "{layer}", layer != NULL ? layer : "", 0);
  g_string_replace (s, "{target}", target != NULL ? target : "", 0);
  /* szProtocol holds 255 UTF-16 units; cut at a character boundary. */
  len = g_utf8_strlen (s->str, -1);
  while (len > 0)
    {
      glong units = 0;
      g_autofree gunichar2 *u16 = g_utf8_to_utf16 (s->str, -1, NULL, &units, NULL);
      if (u16 == NULL || units <= WSI_PROTOCOL_LEN)
        break;
      g_string_truncate (s, (gsize) (g_utf8_offset_to_pointer (s->str, len - 1) - s->str));
      len--;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Is the layered entry with @id a non-IFS layer? A non-IFS LSP clears
 * XP1_IFS_HANDLES on its layered entry (the SDK sample's rule). */
static gboolean
wsi_layer_id_is_non_ifs (const WsiCatalog *catalog, guint32 id)
{
  const WsiEntry *e = wsi_catalog_find_id (catalog, id);
  return e != NULL && wsi_entry_get_kind (e) == WSI_ENTRY_LAYERED && !(e->service_flags[0] & WSI_XP1_IFS_HANDLES);
}

static void
wsi_chain_key (const WsiCatalog *catalog, const WsiEntry *target, GString *key)
{
  WsiEntryRef ref;
  char buf[WSI_GUID_STRING_LEN + 1];

  wsi_entry_ref_from_id (catalog, target->catalog_id, &ref);
  wsi_guid_format (&ref.guid, buf);
  g_string_append_printf (key, "chain:%s/%d/%d/%d/%u", buf, ref.address_family, ref.socket_type, ref.protocol,
                          ref.occurrence);
}

/* The refs of the chain entry over @target: the layered entry, then the
 * target's chain. FALSE, with diagnostics, when that chain is not one a
 * layer may go over. */
static gboolean
wsi_chain_entry_refs (WsiLayerPlan *lp, const WsiCatalog *cur, const WsiEntry *target,
                      const WsiManifestSelector *sel, WsiPlanEntry *pe)
{
  WsiCatalogPlan *cp = lp->cp;
  WsiDiagList *diags = cp->planner->diags;
  const WsiManifest *m = cp->manifest;
  const WsiManifestLayer *layer = lp->layer;
  gboolean good = TRUE, below_non_ifs = FALSE;

  if (wsi_entry_get_kind (target) == WSI_ENTRY_BASE)
    {
      pe->n_refs = 2;
      pe->refs[0] = lp->dummy_ref;
      wsi_entry_ref_from_id (cur, target->catalog_id, &pe->refs[1]);
    }
  else
    {
      if (target->chain_len + 1 > WSI_MAX_PROTOCOL_CHAIN)
        {
          wsi_diag_list_add (diags, "chain-too-long", m->file, sel->line,
                             "layer '%s' over '%s' (ID %u) in the %d-bit catalog gives a chain of %d entries",
                             layer->id, target->name, target->catalog_id, (int) cp->bitness, target->chain_len + 1);
          return FALSE;
        }
      pe->n_refs = (guint) target->chain_len + 1;
      pe->refs[0] = lp->dummy_ref;
      for (gint32 k = 0; k < target->chain_len; k++)
        {
          if (target->chain[k] == lp->dummy_id)
            {
              wsi_diag_list_add (diags, "duplicate-layer-in-chain", m->file, sel->line,
                                 "layer '%s' is already in the chain of '%s' (ID %u, %d-bit catalog)",
                                 layer->id, target->name, target->catalog_id, (int) cp->bitness);
              good = FALSE;
            }
          if (!wsi_entry_ref_from_id (cur, target->chain[k], &pe->refs[k + 1]))
            {
              wsi_diag_list_add (diags, "dangling-chain-entry", m->file, sel->line,
                                 "target '%s' (ID %u, %d-bit catalog) names ID %u, which does not exist",
                                 target->name, target->catalog_id, (int) cp->bitness, target->chain[k]);
              good = FALSE;
            }
          if (k < target->chain_len - 1 && wsi_layer_id_is_non_ifs (cur, target->chain[k]))
            below_non_ifs = TRUE;
        }
    }
  if (layer->ifs && below_non_ifs)
    {
      wsi_diag_list_add (diags, "ifs-above-non-ifs", m->file, sel->line,
                         "IFS layer '%s' would sit above a non-IFS layer in the chain of '%s' (%d-bit catalog)",
                         layer->id, target->name, (int) cp->bitness);
      good = FALSE;
    }
  return good;
}

/* The GUID of the chain entry over target @t. FALSE (entry-guid-count)
 * when the chain lists fewer <entry-guid>s than it has targets. */
static gboolean
wsi_chain_entry_guid (WsiLayerPlan *lp, guint t, const WsiCatalog *cur, const WsiEntry *target, WsiGuid *guid)
{
  WsiCatalogPlan *cp = lp->cp;
  const WsiManifestChain *chain = g_ptr_array_index (lp->target_chain, t);
  g_autoptr(GString) key = NULL;
  guint n = 0;

  if (chain->guid_rule != WSI_GUID_RULE_EXPLICIT)
    {
      /* From the target's identity, not its ID: the same chain entry gets
       * the same GUID in both catalogs and on every machine. */
      key = g_string_new (NULL);
      wsi_chain_key (cur, target, key);
      wsi_guid_derive (&chain->guid_namespace, key->str, guid);
      return TRUE;
    }
  for (guint k = 0; k < t; k++)
    if (g_ptr_array_index (lp->target_chain, k) == chain)
      n++;
  if (n >= chain->entry_guids->len)
    {
      wsi_diag_list_add (cp->planner->diags, "entry-guid-count", cp->manifest->file, chain->line,
                         "the chain resolves to more targets in the %d-bit catalog than it lists <entry-guid>s (%u)",
                         (int) cp->bitness, chain->entry_guids->len);
      return FALSE;
    }
  *guid = ((const WsiManifestEntryGuid *) g_ptr_array_index (chain->entry_guids, n))->guid;
  return TRUE;
}

/* Records the entries of @guid as placed by @chain, for the order. */
static void
wsi_chain_entry_place (WsiCatalogPlan *cp, const WsiManifestChain *chain, const WsiGuid *guid)
{
  WsiCatalog *cur = wsi_planner_sim_catalog (cp);
  g_autoptr(GPtrArray) mine = NULL;
  WsiPlacedGroup *group = NULL;

  for (guint gi = 0; gi < cp->groups->len; gi++)
    if (((WsiPlacedGroup *) g_ptr_array_index (cp->groups, gi))->chain == chain)
      group = g_ptr_array_index (cp->groups, gi);
  if (group == NULL)
    {
      group = g_new0 (WsiPlacedGroup, 1);
      group->chain = chain;
      group->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_ptr_array_add (cp->groups, group);
    }
  mine = wsi_catalog_find_guid (cur, guid);
  for (guint k = 0; k < mine->len; k++)
    g_array_append_val (group->ids, ((const WsiEntry *) g_ptr_array_index (mine, k))->catalog_id);
}

/* The chain entry over target @t. @ok is FALSE once an earlier target
 * failed: this target is still checked, but nothing more is planned.
 * Returns @ok for the next target. */
static gboolean
wsi_chain_entry_plan (WsiLayerPlan *lp, guint t, gboolean ok)
{
  WsiCatalogPlan *cp = lp->cp;
  const WsiManifestChain *chain = g_ptr_array_index (lp->target_chain, t);
  const WsiManifestSelector *sel = g_ptr_array_index (lp->target_sel, t);
  WsiCatalog *cur = wsi_planner_sim_catalog (cp);
  const WsiEntry *target = wsi_catalog_find_id (cur, g_array_index (lp->targets, guint32, t));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) had = NULL;
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;
  WsiPlanEntry *pe;
  WsiEntry *e;
  WsiGuid guid;

  if (target == NULL)
    return ok;
  e = wsi_entry_copy (target);
  pe = wsi_plan_entry_new (e);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
  g_ptr_array_add (entries, pe);
  e->catalog_id = 0;
  e->lsp_categories = 0;
  g_free (e->path);
  e->path = NULL;

  if (!wsi_chain_entry_refs (lp, cur, target, sel, pe) || !ok)
    return FALSE;
  e->chain_len = (gint32) pe->n_refs;
  if (!lp->layer->ifs)
    e->service_flags[0] &= ~WSI_XP1_IFS_HANDLES;
  name = wsi_expand_name (chain->name_template, lp->layer->name, wsi_display_name (target->name));
  wsi_entry_set_name (e, name);
  if (!wsi_chain_entry_guid (lp, t, cur, target, &guid))
    return FALSE;
  g_hash_table_add (lp->wanted_guids, g_memdup2 (&guid, sizeof guid));
  wsi_planner_note_triple (cp->triples, e->address_family, e->socket_type, e->protocol);

  what = g_strdup_printf ("chain entry '%s'", e->name);
  had = wsi_catalog_find_guid (cur, &guid);
  if (had->len == 0)
    cp->new_chain_entries++;
  if (!wsi_planner_ensure_provider (cp, &guid, lp->path, entries, 0, sel->line, what))
    return FALSE;
  wsi_chain_entry_place (cp, chain, &guid);
  return TRUE;
}

gboolean
wsi_planner_layer_chains (WsiLayerPlan *lp)
{
  gboolean ok = TRUE;

  for (guint t = 0; t < lp->targets->len; t++)
    ok = wsi_chain_entry_plan (lp, t, ok);
  if (!ok)
    lp->cp->planner->failed = TRUE;
  return ok;
}
