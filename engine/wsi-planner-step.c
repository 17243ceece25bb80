/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-step.c: the bottom of the planner: its working state's
 * simulated machine, and adding one step to the plan. Every step is run
 * on an in-memory copy of the machine as it is planned, so later steps see
 * the IDs earlier ones got, exactly as on Windows; its inverse is computed
 * against that machine right before it, as the executor does.
 *
 * A step that makes IDs disappear is preceded by checkpoints (the first
 * half of "no step leaves an ID behind"; wsi-planner-repoint.c has the
 * second): a symbolic ref of every removed ID is kept, and every chain
 * naming one is checkpointed with an update to itself, whose inverse a
 * rollback runs last. */
#include "wsi-planner-private.h"
#include "wsi-policy.h"

WsiMachine *
wsi_planner_machine (WsiPlanner *self)
{
  return wsi_backend_memory_get_machine (self->sim);
}

WsiPlanStep *
wsi_planner_step_new (WsiStepOp op, WsiBitness bitness, const WsiMachine *machine, const char *file, int line)
{
  WsiPlanStep *step = g_new0 (WsiPlanStep, 1);

  step->op = op;
  step->bitness = bitness;
  step->needs_32bit_process = wsi_step_needs_32bit_process (wsi_machine_get_kind (machine), op, bitness);
  step->source_file = g_strdup (file);
  step->source_line = line;
  return step;
}

gboolean
wsi_planner_check_policy (WsiPlanner *self, const WsiManifest *m, int line, const char *key, const char *name)
{
  g_autoptr(GError) error = NULL;

  /* The engine runs as SYSTEM: a manifest writes only the values it may
   * own, whatever the planner computed. */
  if (wsi_policy_check_registry_write (m, key, name, &error))
    return TRUE;
  wsi_diag_list_add (self->diags, "registry-write-denied", m != NULL ? m->file : NULL, line, "%s", error->message);
  self->failed = TRUE;
  return FALSE;
}

gboolean
wsi_planner_check_unique_ids (WsiPlanner *self, WsiBitness bitness, const char *file, int line)
{
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);

  /* WSC calls name entries by ID: with an ID used twice no call can say
   * which entry it means, so nothing can be planned there. */
  for (guint i = 0; c != NULL && i < wsi_catalog_get_size (c); i++)
    {
      guint32 id = wsi_catalog_get_entry (c, i)->catalog_id;
      if (wsi_catalog_find_position (c, id) != (int) i)
        {
          WsiDiag *d = wsi_diag_list_add (self->diags, "duplicate-catalog-id", file, line,
                                          "%d-bit catalog: ID %u is used by more than one entry; the WSC API cannot address either",
                                          (int) bitness, id);
          wsi_diag_set_hint (d, "Reset the catalog on the machine (netsh winsock reset) and reinstall the providers.");
          self->failed = TRUE;
          return FALSE;
        }
    }
  return TRUE;
}

/* A step touches only what its product owns, or a chain of someone else
 * that names IDs the plan removes (re-pointed, foreign_ok). The manifest's
 * own GUIDs were checked up front with their lines; this catches every
 * other path (a selector, an upgrade's stale chains, a bug). */
static gboolean
wsi_planner_check_owner (WsiPlanner *self, const WsiPlanStep *step)
{
  const char *owner = NULL;
  WsiOwnerKind kind;
  g_autofree char *who = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];

  if (self->product == NULL || self->foreign_ok > 0 || step->op == WSI_STEP_WRITE_ORDER ||
      step->op == WSI_STEP_SET_REGISTRY_VALUE)
    return TRUE;
  kind = wsi_ownership_lookup (self->owners, &step->guid, &owner);
  if (kind == WSI_OWNER_NONE || (kind == WSI_OWNER_PRODUCT && g_strcmp0 (owner, self->product) == 0) ||
      (kind == WSI_OWNER_UNKNOWN && self->adopt))
    return TRUE;
  wsi_guid_format (&step->guid, buf);
  who = wsi_ownership_describe (self->owners, &step->guid);
  wsi_diag_list_add (self->diags, "guid-owned-elsewhere", step->source_file, step->source_line,
                     "%s: provider %s belongs to %s, not to product '%s'",
                     step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op), buf, who,
                     self->product);
  self->failed = TRUE;
  return FALSE;
}

/* ---- checkpoints before a removal ---- */

guint
wsi_planner_catalog_slot (WsiBitness bitness)
{
  return bitness == WSI_CATALOG_64 ? 0 : 1;
}

static GHashTable *
wsi_vanished (WsiPlanner *self, WsiBitness bitness)
{
  guint slot = wsi_planner_catalog_slot (bitness);

  if (self->vanished[slot] == NULL)
    self->vanished[slot] = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return self->vanished[slot];
}

static GHashTable *
wsi_checkpointed (WsiPlanner *self, WsiBitness bitness)
{
  guint slot = wsi_planner_catalog_slot (bitness);

  if (self->checkpointed[slot] == NULL)
    self->checkpointed[slot] = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free,
                                                      NULL);
  return self->checkpointed[slot];
}

/* The update that rewrites @guid's entries with @chains (guint32 arrays,
 * one per entry, in the order wsi_catalog_find_guid gives). */
WsiPlanStep *
wsi_planner_rewrite_step (WsiPlanner *self, WsiBitness bitness, const WsiGuid *guid, GPtrArray *chains,
                          const char *file, int line)
{
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
  g_autoptr(GPtrArray) live = wsi_catalog_find_guid (c, guid);
  WsiPlanStep *step = wsi_planner_step_new (WSI_STEP_UPDATE_PROVIDER, bitness, wsi_planner_machine (self), file, line);

  step->guid = *guid;
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

GPtrArray *
wsi_planner_live_chains (const WsiCatalog *c, const WsiGuid *guid)
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
  guint slot = wsi_planner_catalog_slot (bitness);
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);
  WsiPlanStep *step;
  gboolean ok;

  if (c == NULL || self->order_checkpointed[slot])
    return TRUE;
  self->order_checkpointed[slot] = TRUE;
  step = wsi_planner_step_new (WSI_STEP_WRITE_ORDER, bitness, wsi_planner_machine (self), file, line);
  step->order = wsi_order_refs_from_live (c);
  step->summary = g_strdup_printf ("checkpoint the %d-bit catalog order", (int) bitness);
  self->foreign_ok++;
  ok = wsi_planner_add_step (self, step);
  self->foreign_ok--;
  return ok;
}

/* Called for every step that makes IDs disappear (a deinstall, the first
 * half of a re-install), before it runs on the simulated machine: keeps a
 * symbolic ref of every ID it removes and adds a checkpoint step (an
 * update to itself) for every chain of another GUID that names one, so
 * that a rollback, which re-installs the removed entries under new IDs,
 * ends by pointing that chain at them again. Its checkpoints go through
 * wsi_planner_add_step, hence one file for both. */
static gboolean
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
          g_autoptr(GPtrArray) chains = wsi_planner_live_chains (c, guid);
          g_autoptr(GPtrArray) live = wsi_catalog_find_guid (c, guid);
          WsiPlanStep *checkpoint = wsi_planner_rewrite_step (self, list[b], guid, chains, step->source_file,
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

gboolean
wsi_planner_add_step (WsiPlanner *self, WsiPlanStep *step_in)
{
  g_autoptr(WsiPlanStep) step = step_in;
  g_autoptr(GError) error = NULL;
  WsiMachine *machine;

  if (self->failed || !wsi_planner_check_owner (self, step))
    return FALSE;
  /* IDs are about to disappear: remember who they were, and checkpoint
   * the chains that name them (wsi_planner_before_removal). */
  if (step->op == WSI_STEP_DEINSTALL_PROVIDER && !wsi_planner_before_removal (self, step))
    return FALSE;
  machine = wsi_planner_machine (self);
  step->index = self->plan->steps->len;
  step->undo = wsi_plan_step_make_inverse (step, machine, &error);
  if (step->undo != NULL)
    {
      step->undo->index = step->index;
      step->predicted_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      if (wsi_plan_step_execute (step, self->sim, FALSE, step->predicted_ids, &error))
        {
          g_ptr_array_add (self->plan->steps, g_steal_pointer (&step));
          return TRUE;
        }
    }
  wsi_diag_list_add (self->diags, "wsc-call-failed", step->source_file, step->source_line,
                     "%s: %s", step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op),
                     error->message);
  self->failed = TRUE;
  return FALSE;
}
