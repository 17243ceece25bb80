/* wsi-planner-repoint.c: no step leaves an ID behind. Several steps make
 * catalog IDs disappear: an uninstall, the deinstall half of a re-install
 * (a base provider whose upgrade adds a protocol gets new IDs), a repair.
 * Chains of any owner may name those IDs (another vendor's LSP layered over
 * the re-installed provider). One path serves them all:
 *
 *  1. before the removal (wsi_planner_before_removal): a symbolic ref of
 *     every removed ID is kept, and every chain naming one is checkpointed
 *     with an update to itself, whose inverse a rollback runs last;
 *  2. once the plan's removals and re-installs are done
 *     (wsi_planner_repoint_chains): each such chain is pointed at the entry
 *     that now carries the removed one's identity, or loses the link (a
 *     removed layer), or goes (its base or its own layer is gone).
 *
 * Uninstall calls (2) before its deinstalls, with the IDs about to go, so
 * that other vendors' chains never name a missing ID even for a moment. */
#include "wsi-planner-private.h"
#include "wsi-error.h"

#include <string.h>

static guint
wsi_catalog_slot (WsiBitness bitness)
{
  return bitness == WSI_CATALOG_64 ? 0 : 1;
}

static GHashTable *
wsi_vanished (WsiPlanner *self, WsiBitness bitness)
{
  guint slot = wsi_catalog_slot (bitness);

  if (self->vanished[slot] == NULL)
    self->vanished[slot] = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return self->vanished[slot];
}

static GHashTable *
wsi_checkpointed (WsiPlanner *self, WsiBitness bitness)
{
  guint slot = wsi_catalog_slot (bitness);

  if (self->checkpointed[slot] == NULL)
    self->checkpointed[slot] = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free,
                                                      NULL);
  return self->checkpointed[slot];
}

static WsiPlanStep *
wsi_repoint_step_new (WsiPlanner *self, WsiStepOp op, WsiBitness bitness, const WsiGuid *guid, const char *file,
                      int line)
{
  WsiPlanStep *step = g_new0 (WsiPlanStep, 1);

  step->op = op;
  step->bitness = bitness;
  step->needs_32bit_process = wsi_step_needs_32bit_process (wsi_machine_get_kind (wsi_planner_machine (self)), op,
                                                            bitness);
  step->guid = *guid;
  step->source_file = g_strdup (file);
  step->source_line = line;
  return step;
}

/* The update that rewrites @guid's entries with @chains (guint32 arrays,
 * one per entry, in the order wsi_catalog_find_guid gives). */
static WsiPlanStep *
wsi_rewrite_step (WsiPlanner *self, WsiBitness bitness, const WsiGuid *guid, GPtrArray *chains, const char *file,
                  int line)
{
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
  g_autoptr(GPtrArray) live = wsi_catalog_find_guid (c, guid);
  WsiPlanStep *step = wsi_repoint_step_new (self, WSI_STEP_UPDATE_PROVIDER, bitness, guid, file, line);

  step->path = g_strdup (((const WsiEntry *) g_ptr_array_index (live, 0))->path);
  step->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
  for (guint i = 0; i < live->len; i++)
    {
      const WsiEntry *e = g_ptr_array_index (live, i);
      GArray *chain = g_ptr_array_index (chains, i);
      WsiPlanEntry *pe = g_new0 (WsiPlanEntry, 1);

      pe->entry = wsi_entry_copy (e);
      if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
        {
          pe->n_refs = chain->len;
          pe->entry->chain_len = (gint32) chain->len;
          /* An ID that names nothing stays a literal: damage that was
           * there before the plan is not this plan's to touch. */
          for (guint k = 0; k < chain->len; k++)
            wsi_entry_ref_from_id (c, g_array_index (chain, guint32, k), &pe->refs[k]);
        }
      g_ptr_array_add (step->entries, pe);
    }
  return step;
}

static void
wsi_chain_array_free (gpointer data)
{
  g_array_unref (data);
}

static GPtrArray *
wsi_live_chains (const WsiCatalog *c, const WsiGuid *guid)
{
  g_autoptr(GPtrArray) live = wsi_catalog_find_guid (c, guid);
  GPtrArray *chains = g_ptr_array_new_with_free_func (wsi_chain_array_free);

  for (guint i = 0; i < live->len; i++)
    {
      const WsiEntry *e = g_ptr_array_index (live, i);
      GArray *chain = g_array_new (FALSE, FALSE, sizeof (guint32));
      if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
        g_array_append_vals (chain, e->chain, (guint) e->chain_len);
      g_ptr_array_add (chains, chain);
    }
  return chains;
}

gboolean
wsi_planner_checkpoint_order (WsiPlanner *self, WsiBitness bitness, const char *file, int line)
{
  guint slot = wsi_catalog_slot (bitness);
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
  WsiPlanStep *step;
  gboolean ok;

  if (c == NULL || self->order_checkpointed[slot])
    return TRUE;
  self->order_checkpointed[slot] = TRUE;
  step = g_new0 (WsiPlanStep, 1);
  step->op = WSI_STEP_WRITE_ORDER;
  step->bitness = bitness;
  step->needs_32bit_process = wsi_step_needs_32bit_process (wsi_machine_get_kind (wsi_planner_machine (self)),
                                                            step->op, bitness);
  step->order = wsi_order_refs_from_live (c);
  step->source_file = g_strdup (file);
  step->source_line = line;
  step->summary = g_strdup_printf ("checkpoint the %d-bit catalog order", (int) bitness);
  self->foreign_ok++;
  ok = wsi_planner_add_step (self, step);
  self->foreign_ok--;
  return ok;
}

gboolean
wsi_planner_before_removal (WsiPlanner *self, const WsiPlanStep *step)
{
  WsiBitness list[2] = { step->bitness, 0 };
  guint n = 1;

  if (step->op != WSI_STEP_DEINSTALL_PROVIDER)
    return TRUE;
  if (step->bitness == 0)
    {
      list[0] = WSI_CATALOG_64;
      list[1] = WSI_CATALOG_32;
      n = 2;
    }
  for (guint b = 0; b < n; b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), list[b]);
      g_autoptr(GPtrArray) going = NULL;
      g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
      g_autoptr(GPtrArray) dependents = g_ptr_array_new_with_free_func (g_free);
      GHashTable *vanished, *checkpointed;

      if (c == NULL)
        continue;
      /* A rollback re-installs what the removal took, at the end of the
       * order: the inverse of this checkpoint, run last, puts it back. */
      if (!wsi_planner_checkpoint_order (self, list[b], step->source_file, step->source_line))
        return FALSE;
      c = wsi_machine_peek_catalog (wsi_planner_machine (self), list[b]);
      vanished = wsi_vanished (self, list[b]);
      checkpointed = wsi_checkpointed (self, list[b]);
      going = wsi_catalog_find_guid (c, &step->guid);
      for (guint i = 0; i < going->len; i++)
        {
          guint32 id = ((const WsiEntry *) g_ptr_array_index (going, i))->catalog_id;
          WsiEntryRef *ref = g_new0 (WsiEntryRef, 1);
          g_hash_table_add (ids, GUINT_TO_POINTER (id));
          wsi_entry_ref_from_id (c, id, ref);
          if (!g_hash_table_contains (vanished, GUINT_TO_POINTER (id)))
            g_hash_table_insert (vanished, GUINT_TO_POINTER (id), ref);
          else
            g_free (ref);
        }
      for (guint i = 0; i < wsi_catalog_get_size (c); i++)
        {
          const WsiEntry *e = wsi_catalog_get_entry (c, i);
          if (wsi_entry_get_kind (e) != WSI_ENTRY_CHAIN || wsi_guid_equal (&e->provider_id, &step->guid) ||
              g_hash_table_contains (checkpointed, &e->provider_id))
            continue;
          for (gint32 k = 0; k < e->chain_len; k++)
            if (g_hash_table_contains (ids, GUINT_TO_POINTER (e->chain[k])))
              {
                g_hash_table_add (checkpointed, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
                g_ptr_array_add (dependents, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
                break;
              }
        }
      for (guint d = 0; d < dependents->len; d++)
        {
          const WsiGuid *guid = g_ptr_array_index (dependents, d);
          g_autoptr(GPtrArray) chains = wsi_live_chains (c, guid);
          g_autoptr(GPtrArray) live = wsi_catalog_find_guid (c, guid);
          WsiPlanStep *checkpoint = wsi_rewrite_step (self, list[b], guid, chains, step->source_file,
                                                      step->source_line);
          char buf[WSI_GUID_STRING_LEN + 1];
          gboolean ok;

          wsi_guid_format (guid, buf);
          checkpoint->summary = g_strdup_printf ("checkpoint the chain of '%s' (%s), which names IDs the next step removes",
                                                 ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
          self->foreign_ok++;
          ok = wsi_planner_add_step (self, checkpoint);
          self->foreign_ok--;
          if (!ok)
            return FALSE;
          c = wsi_machine_peek_catalog (wsi_planner_machine (self), list[b]);
        }
    }
  return TRUE;
}

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
  GHashTable *vanished = self->vanished[wsi_catalog_slot (bitness)];
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
      chains = wsi_live_chains (c, guid);
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
      step = wsi_rewrite_step (self, bitness, guid, chains, file, line);
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
      step = wsi_repoint_step_new (self, WSI_STEP_DEINSTALL_PROVIDER, bitness, guid, file, line);
      step->summary = g_strdup_printf ("deinstall the chain '%s' (%s): what it layers over is removed",
                                       ((const WsiEntry *) g_ptr_array_index (live, 0))->name, buf);
      wsi_planner_add_step (self, step);
    }
  self->foreign_ok--;
  return !self->failed;
}
