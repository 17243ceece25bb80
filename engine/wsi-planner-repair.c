/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-repair.c: the fix for what `catalog check` finds, touching
 * nothing healthy: orphan chains (position 0 names no layered entry) and
 * chains over a missing base protocol are removed; chains that name a
 * missing layer are rewritten without it; layered entries no chain uses
 * are removed. A GUID that also has healthy entries is left alone (a
 * deinstall would take them too) and reported. */
#include "wsi-planner-private.h"
#include "wsi-error.h"

typedef enum {
  WSI_REPAIR_NONE,
  WSI_REPAIR_REMOVE,
  WSI_REPAIR_REWRITE,
} WsiRepairKind;

static WsiRepairKind
wsi_entry_repair_kind (const WsiCatalog *c, const WsiEntry *e, GHashTable *used_layers)
{
  WsiEntryKind kind = wsi_entry_get_kind (e);
  const WsiEntry *head;
  gboolean missing_middle = FALSE;

  if (kind == WSI_ENTRY_LAYERED)
    return g_hash_table_contains (used_layers, GUINT_TO_POINTER (e->catalog_id)) ? WSI_REPAIR_NONE : WSI_REPAIR_REMOVE;
  /* A ChainLen outside 0..7 cannot be loaded by ws2_32 at all. */
  if (kind == WSI_ENTRY_INVALID)
    return WSI_REPAIR_REMOVE;
  if (kind != WSI_ENTRY_CHAIN)
    return WSI_REPAIR_NONE;
  head = wsi_catalog_find_id (c, e->chain[0]);
  if (head == NULL || wsi_entry_get_kind (head) != WSI_ENTRY_LAYERED)
    return WSI_REPAIR_REMOVE;                                   /* orphan */
  if (wsi_catalog_find_id (c, e->chain[e->chain_len - 1]) == NULL)
    return WSI_REPAIR_REMOVE;                                   /* its base is gone */
  for (gint32 k = 1; k < e->chain_len - 1; k++)
    {
      if (wsi_catalog_find_id (c, e->chain[k]) == NULL)
        missing_middle = TRUE;
      /* The same layer twice: Windows refuses such a chain; keep one. */
      for (gint32 j = 0; j < k; j++)
        if (e->chain[j] == e->chain[k])
          missing_middle = TRUE;
    }
  return missing_middle ? WSI_REPAIR_REWRITE : WSI_REPAIR_NONE;
}

/* An entry no WSC call can re-create (ChainLen over 7): removed after
 * everything else, in every catalog, because a rollback cannot put it
 * back; once the first such removal has run, recovery finishes the plan
 * instead (wsi-txn.c). */
typedef struct {
  WsiBitness bitness;
  WsiGuid    guid;
} WsiDeferredRemoval;

static gboolean
wsi_repair_remove (WsiPlanner *self, WsiBitness bitness, const WsiGuid *guid)
{
  WsiMachine *machine = wsi_planner_machine (self);
  g_autoptr(GPtrArray) live = wsi_catalog_find_guid (wsi_machine_peek_catalog (machine, bitness), guid);
  WsiPlanStep *step;
  const WsiEntry *first;
  char buf[WSI_GUID_STRING_LEN + 1];

  if (live->len == 0)
    return TRUE;
  first = g_ptr_array_index (live, 0);
  wsi_guid_format (guid, buf);
  step = wsi_planner_step_new (WSI_STEP_DEINSTALL_PROVIDER, bitness, machine, NULL, 0);
  step->guid = *guid;
  step->summary = g_strdup_printf ("remove %s '%s' (%s)",
                                   wsi_entry_get_kind (first) == WSI_ENTRY_LAYERED ? "the unused layered entry"
                                                                                    : "the broken chain",
                                   first->name, buf);
  return wsi_planner_add_step (self, step);
}

static gboolean
wsi_repair_catalog (WsiPlanner *self, WsiBitness bitness, GArray *deferred)
{
  WsiMachine *machine = wsi_planner_machine (self);
  const WsiCatalog *c = wsi_machine_peek_catalog (machine, bitness);
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free, NULL);
  g_autoptr(GPtrArray) remove = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rewrite = g_ptr_array_new_with_free_func (g_free);
  char buf[WSI_GUID_STRING_LEN + 1];

  if (c == NULL)
    return TRUE;
  /* WSC calls name entries by ID: with an ID used twice no call can say
   * which entry it means, so only a catalog reset helps. */
  for (guint i = 0; i < wsi_catalog_get_size (c); i++)
    {
      guint32 id = wsi_catalog_get_entry (c, i)->catalog_id;
      if (wsi_catalog_find_position (c, id) != (int) i)
        {
          WsiDiag *d = wsi_diag_list_add (self->diags, "duplicate-catalog-id", NULL, 0,
                                          "%d-bit catalog: ID %u is used by more than one entry; the WSC API cannot address either",
                                          (int) bitness, id);
          wsi_diag_set_hint (d, "Reset the catalog on the machine (netsh winsock reset) and reinstall the providers.");
          self->failed = TRUE;
          return FALSE;
        }
    }
  for (guint i = 0; i < wsi_catalog_get_size (c); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (c, i);
      if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
        g_hash_table_add (used, GUINT_TO_POINTER (e->chain[0]));
    }
  for (guint i = 0; i < wsi_catalog_get_size (c); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (c, i);
      g_autoptr(GPtrArray) same = NULL;
      WsiRepairKind want, all;
      gboolean mixed = FALSE;

      if (g_hash_table_contains (seen, &e->provider_id))
        continue;
      g_hash_table_add (seen, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
      same = wsi_catalog_find_guid (c, &e->provider_id);
      all = WSI_REPAIR_NONE;
      for (guint k = 0; k < same->len; k++)
        {
          want = wsi_entry_repair_kind (c, g_ptr_array_index (same, k), used);
          if (k > 0 && (want == WSI_REPAIR_NONE) != (all == WSI_REPAIR_NONE))
            mixed = TRUE;
          all = MAX (all, want);
        }
      if (all == WSI_REPAIR_NONE)
        continue;
      wsi_guid_format (&e->provider_id, buf);
      if (mixed && all == WSI_REPAIR_REMOVE)
        {
          g_ptr_array_add (self->plan->notes,
                           g_strdup_printf ("%d-bit catalog: provider %s has damaged and healthy entries; removing it would take the healthy ones too, so it is left as it is",
                                            (int) bitness, buf));
          continue;
        }
      g_ptr_array_add (all == WSI_REPAIR_REMOVE ? remove : rewrite, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
    }
  /* An entry the WSC API cannot re-create goes after everything else. */
  for (guint i = 0, n = remove->len; i < n; i++)
    {
      g_autoptr(GPtrArray) same = wsi_catalog_find_guid (c, g_ptr_array_index (remove, i));
      gboolean invalid = FALSE;
      for (guint k = 0; k < same->len; k++)
        invalid |= wsi_entry_get_kind (g_ptr_array_index (same, k)) == WSI_ENTRY_INVALID;
      if (invalid)
        {
          WsiDeferredRemoval d = { .bitness = bitness, .guid = *(const WsiGuid *) g_ptr_array_index (remove, i) };
          g_array_append_val (deferred, d);
          g_ptr_array_remove_index (remove, i);
          i--;
          n--;
        }
    }

  for (guint i = 0; i < rewrite->len; i++)
    {
      const WsiGuid *guid = g_ptr_array_index (rewrite, i);
      WsiPlanStep probe = { .op = WSI_STEP_UPDATE_PROVIDER, .bitness = bitness, .guid = *guid };
      g_autoptr(GError) error = NULL;
      g_autoptr(WsiPlanStep) shape = wsi_plan_step_make_inverse (&probe, machine, &error);
      g_autoptr(GPtrArray) live = wsi_catalog_find_guid (c, guid);
      WsiPlanStep *step;

      if (shape == NULL)
        {
          wsi_diag_list_add (self->diags, "wsc-call-failed", NULL, 0, "%s", error->message);
          self->failed = TRUE;
          return FALSE;
        }
      /* Drop the IDs that name nothing (literal refs) and repeated layers. */
      for (guint k = 0; k < shape->entries->len; k++)
        {
          WsiPlanEntry *pe = g_ptr_array_index (shape->entries, k);
          guint w = 0;
          for (guint r = 0; r < pe->n_refs; r++)
            {
              gboolean repeated = FALSE;
              for (guint j = 0; j < w && !repeated; j++)
                repeated = pe->refs[j].predicted_id == pe->refs[r].predicted_id;
              if (!wsi_guid_is_nil (&pe->refs[r].guid) && !repeated)
                pe->refs[w++] = pe->refs[r];
            }
          pe->n_refs = w;
          if (pe->entry->chain_len > 1)
            pe->entry->chain_len = (gint32) w;
        }
      wsi_guid_format (guid, buf);
      step = wsi_planner_step_new (WSI_STEP_UPDATE_PROVIDER, bitness, machine, NULL, 0);
      step->guid = *guid;
      step->path = g_strdup (((const WsiEntry *) g_ptr_array_index (live, 0))->path);
      step->entries = g_steal_pointer (&shape->entries);
      step->summary = g_strdup_printf ("rewrite the chain of '%s' (%s) without its broken links",
                                       ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
      if (!wsi_planner_add_step (self, step))
        return FALSE;
      c = wsi_machine_peek_catalog (machine, bitness);
    }
  if (remove->len > 0 && !wsi_planner_checkpoint_order (self, bitness, NULL, 0))
    return FALSE;
  for (guint i = 0; i < remove->len; i++)
    if (!wsi_repair_remove (self, bitness, g_ptr_array_index (remove, i)))
      return FALSE;
  return TRUE;
}

gboolean
wsi_planner_repair (WsiPlanner *self)
{
  g_autoptr(GArray) deferred = g_array_new (FALSE, FALSE, sizeof (WsiDeferredRemoval));
  const WsiDeferredRemoval *d;
  gboolean ok;

  if (!wsi_repair_catalog (self, WSI_CATALOG_64, deferred) || !wsi_repair_catalog (self, WSI_CATALOG_32, deferred))
    return FALSE;
  if (deferred->len == 0)
    return TRUE;
  /* One of them, last: a transaction can finish an irreversible last step
   * after a crash (every step before it is done), not two. */
  d = &g_array_index (deferred, WsiDeferredRemoval, 0);
  ok = wsi_planner_checkpoint_order (self, d->bitness, NULL, 0) && wsi_repair_remove (self, d->bitness, &d->guid);
  if (deferred->len > 1)
    g_ptr_array_add (self->plan->notes,
                     g_strdup_printf ("%u more entries that no WSC call can re-create (ChainLen over 7) are left for "
                                      "the next repair: a transaction can remove only one such entry, as its last step",
                                      deferred->len - 1));
  return ok;
}
