/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-repoint.c: no step leaves an ID behind. Several steps make
 * catalog IDs disappear: an uninstall, the deinstall half of a re-install
 * (a base provider whose upgrade adds a protocol gets new IDs), a repair.
 * Chains of any owner may name those IDs (another vendor's LSP layered over
 * the re-installed provider). One path serves them all:
 *
 *  1. before the removal (wsi-planner-step.c, as part of adding the step):
 *     a symbolic ref of every removed ID is kept, and every chain naming
 *     one is checkpointed with an update to itself, whose inverse a
 *     rollback runs last;
 *  2. once the plan's removals and re-installs are done
 *     (wsi_planner_repoint_chains, here): each such chain is pointed at the
 *     entry that now carries the removed one's identity, or loses the link
 *     (a removed layer), or goes (its base or its own layer is gone).
 *
 * Uninstall calls (2) before its deinstalls, with the IDs about to go, so
 * that other vendors' chains never name a missing ID even for a moment. */
#include "wsi-planner-private.h"

typedef enum {
  WSI_LINK_KEEP,
  WSI_LINK_MOVED,
  WSI_LINK_GONE,
} WsiLinkFate;

/* What becomes of chain element @id: kept, moved to *@to (the entry that
 * now carries the identity of the removed one), or gone. */
static WsiLinkFate
wsi_link_fate (const WsiCatalog *c, GHashTable *vanished, GHashTable *going, guint32 id, guint32 *to)
{
  const WsiEntryRef *ref;
  guint32 now;

  if (going != NULL && g_hash_table_contains (going, GUINT_TO_POINTER (id)))
    return WSI_LINK_GONE;
  if (wsi_catalog_find_id (c, id) != NULL)
    return WSI_LINK_KEEP;
  ref = vanished != NULL ? g_hash_table_lookup (vanished, GUINT_TO_POINTER (id)) : NULL;
  if (ref == NULL)
    return WSI_LINK_KEEP;     /* dangling before the plan: not ours to touch */
  now = wsi_entry_ref_resolve (c, ref);
  if (now == 0 || wsi_catalog_find_id (c, now) == NULL ||
      (going != NULL && g_hash_table_contains (going, GUINT_TO_POINTER (now))))
    return WSI_LINK_GONE;
  *to = now;
  return WSI_LINK_MOVED;
}

gboolean
wsi_planner_repoint_chains (WsiPlanner *self, WsiBitness bitness, GHashTable *going, const char *file, int line)
{
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
  GHashTable *vanished = self->vanished[wsi_planner_catalog_slot (bitness)];
  g_autoptr(GHashTable) seen = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free,
                                                      NULL);
  g_autoptr(GPtrArray) rewrite = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) remove = g_ptr_array_new_with_free_func (g_free);

  if (c == NULL || ((vanished == NULL || g_hash_table_size (vanished) == 0) &&
                    (going == NULL || g_hash_table_size (going) == 0)))
    return TRUE;

  /* Decide per GUID first: the steps change the catalog under us. */
  for (guint i = 0; i < wsi_catalog_get_size (c); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (c, i);
      g_autoptr(GPtrArray) same = NULL;
      gboolean changed = FALSE, lost = FALSE;

      if (wsi_entry_get_kind (e) != WSI_ENTRY_CHAIN || g_hash_table_contains (seen, &e->provider_id))
        continue;
      g_hash_table_add (seen, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
      /* A chain being removed itself needs no repair. */
      if (going != NULL && g_hash_table_contains (going, GUINT_TO_POINTER (e->catalog_id)))
        continue;
      same = wsi_catalog_find_guid (c, &e->provider_id);
      for (guint s = 0; s < same->len; s++)
        {
          const WsiEntry *x = g_ptr_array_index (same, s);
          for (gint32 k = 0; wsi_entry_get_kind (x) == WSI_ENTRY_CHAIN && k < x->chain_len; k++)
            {
              guint32 to = 0;
              WsiLinkFate fate = wsi_link_fate (c, vanished, going, x->chain[k], &to);
              if (fate == WSI_LINK_KEEP)
                continue;
              changed = TRUE;
              /* Without its own layer (position 0) or its base protocol
               * (the last) a chain cannot be repaired. */
              if (fate == WSI_LINK_GONE && (k == 0 || k == x->chain_len - 1))
                lost = TRUE;
            }
        }
      if (lost)
        g_ptr_array_add (remove, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
      else if (changed)
        g_ptr_array_add (rewrite, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
    }

  self->foreign_ok++;
  for (guint r = 0; r < rewrite->len && !self->failed; r++)
    {
      const WsiGuid *guid = g_ptr_array_index (rewrite, r);
      g_autoptr(GPtrArray) chains = NULL;
      g_autoptr(GPtrArray) live = NULL;
      WsiPlanStep *step;
      char buf[WSI_GUID_STRING_LEN + 1];

      c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
      chains = wsi_planner_live_chains (c, guid);
      live = wsi_catalog_find_guid (c, guid);
      for (guint s = 0; s < chains->len; s++)
        {
          GArray *chain = g_ptr_array_index (chains, s);
          guint w = 0;
          for (guint k = 0; k < chain->len; k++)
            {
              guint32 id = g_array_index (chain, guint32, k), to = id;
              WsiLinkFate fate = wsi_link_fate (c, vanished, going, id, &to);
              if (fate == WSI_LINK_GONE)
                continue;
              g_array_index (chain, guint32, w++) = fate == WSI_LINK_MOVED ? to : id;
            }
          g_array_set_size (chain, w);
        }
      wsi_guid_format (guid, buf);
      step = wsi_planner_rewrite_step (self, bitness, guid, chains, file, line);
      step->summary = g_strdup_printf ("re-point the chain of '%s' (%s) at the IDs it names now",
                                       ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
      wsi_planner_add_step (self, step);
    }
  for (guint r = 0; r < remove->len && !self->failed; r++)
    {
      const WsiGuid *guid = g_ptr_array_index (remove, r);
      g_autoptr(GPtrArray) live = NULL;
      WsiPlanStep *step;
      char buf[WSI_GUID_STRING_LEN + 1];

      c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
      live = wsi_catalog_find_guid (c, guid);
      if (live->len == 0)
        continue;
      wsi_guid_format (guid, buf);
      g_ptr_array_add (self->plan->notes,
                       g_strdup_printf ("the %d-bit chain '%s' (ID %u) loses its base protocol or its own layer and is removed with it",
                                        (int) bitness, ((const WsiEntry *) g_ptr_array_index (live, 0))->name,
                                        ((const WsiEntry *) g_ptr_array_index (live, 0))->catalog_id));
      step = wsi_planner_step_new (WSI_STEP_DEINSTALL_PROVIDER, bitness, wsi_planner_machine (self), file, line);
      step->guid = *guid;
      step->summary = g_strdup_printf ("deinstall the chain '%s' (%s): what it layers over is removed",
                                       ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
      wsi_planner_add_step (self, step);
    }
  self->foreign_ok--;
  return !self->failed;
}
