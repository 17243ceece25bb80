/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-verify.c: the plan checks its own end state. Before a plan
 * is printed or applied, its steps are replayed on a fresh in-memory copy
 * of the machine, through the same wsi_plan_step_execute the executor
 * uses, and `catalog check` runs on the result. An error the machine did
 * not have before (an orphan or dangling chain, a duplicate, a chain over
 * seven entries, an IFS layer above a non-IFS one) means the plan would
 * break a network: it is a bug in wsinstall or an impossible request, and
 * is refused as plan-breaks-catalog naming the step and the chain, never
 * emitted. Damage that was there before is reported by `catalog check`
 * and does not block. */
#include "wsi-planner-private.h"
#include "wsi-catalog-check.h"
#include "wsi-catalog-diff.h"
#include "wsi-error.h"

/* The errors `catalog check` finds on @machine, as "tag: message" keys. */
static GHashTable *
wsi_check_errors (const WsiMachine *machine)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  wsi_catalog_check_machine (machine, NULL, diags);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      if (d->severity == WSI_SEVERITY_ERROR)
        g_hash_table_add (keys, g_strdup_printf ("%s: %s", d->tag, d->message));
    }
  return keys;
}

/* The first error key of @after that @before lacks, or NULL. */
static const char *
wsi_new_error (GHashTable *before, GHashTable *after)
{
  GHashTableIter it;
  gpointer key;
  const char *first = NULL;

  /* The smallest key, so that the report does not depend on hashing. */
  g_hash_table_iter_init (&it, after);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (!g_hash_table_contains (before, key) && (first == NULL || g_strcmp0 (key, first) < 0))
      first = key;
  return first;
}

static void
wsi_report_break (WsiPlanner *self, const WsiPlanStep *step, const char *what)
{
  wsi_diag_list_add (self->diags, "plan-breaks-catalog", step != NULL ? step->source_file : NULL,
                     step != NULL ? step->source_line : 0, "step %u (%s) would leave the catalog broken: %s",
                     step != NULL ? step->index + 1 : 0,
                     step != NULL && step->summary != NULL ? step->summary
                                                           : step != NULL ? wsi_step_op_to_string (step->op) : "",
                     what);
  self->failed = TRUE;
}

/* Replays the steps one by one on a fresh copy and checks after each, to
 * name the step that introduced @key. Only runs when the end state failed. */
static const WsiPlanStep *
wsi_find_breaking_step (WsiPlanner *self, GHashTable *before, const char *key)
{
  g_autoptr(WsiBackend) replay = wsi_backend_memory_new (self->plan->before);

  for (guint i = 0; i < self->plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (self->plan->steps, i);
      g_autoptr(GHashTable) now = NULL;

      if (!wsi_plan_step_execute (step, replay, FALSE, NULL, NULL))
        return step;
      now = wsi_check_errors (wsi_backend_memory_get_machine (replay));
      if (g_hash_table_contains (now, key) && !g_hash_table_contains (before, key))
        return step;
    }
  return NULL;
}

gboolean
wsi_planner_verify (WsiPlanner *self)
{
  /* What the machine before has wrong is found first, and the diff and
   * the replay are freed as soon as they are used: at 10,000 entries a
   * catalog each is megabytes, and the caller's machine and the predicted
   * one are held all along. */
  g_autoptr(GHashTable) before = wsi_check_errors (self->plan->before);
  g_autoptr(WsiBackend) replay = wsi_backend_memory_new (self->plan->before);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(WsiDiff) diff = NULL;
  gboolean equivalent;
  const char *broken;

  for (guint i = 0; i < self->plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (self->plan->steps, i);
      g_autoptr(GError) error = NULL;

      if (!wsi_plan_step_execute (step, replay, FALSE, NULL, &error))
        {
          g_autofree char *what = g_strdup_printf ("it fails when the plan is replayed on a copy of the machine: %s",
                                                   error->message);
          wsi_report_break (self, step, what);
          return FALSE;
        }
    }
  /* The replay must reach what the planner predicted: the preview and the
   * predicted IDs come from the prediction. */
  diff = wsi_machine_diff (self->plan->after, wsi_backend_memory_get_machine (replay));
  equivalent = wsi_diff_is_equivalent (diff);
  g_clear_pointer (&diff, wsi_diff_free);
  if (!equivalent)
    {
      wsi_report_break (self, NULL, "replaying the plan does not give the machine the planner predicted");
      return FALSE;
    }
  after = wsi_check_errors (wsi_backend_memory_get_machine (replay));
  g_clear_pointer (&replay, wsi_backend_free);
  broken = wsi_new_error (before, after);
  if (broken == NULL)
    {
      /* Damage the machine already had is said, not fixed: that is
       * `repair`'s job, and it does not block the plan. */
      guint kept = 0;
      GHashTableIter it;
      gpointer key;

      g_hash_table_iter_init (&it, before);
      while (g_hash_table_iter_next (&it, &key, NULL))
        kept += g_hash_table_contains (after, key);
      if (kept > 0 && !self->plan->repair)
        g_ptr_array_add (self->plan->notes,
                         g_strdup_printf ("the machine already has %u catalog error%s that this plan leaves as %s "
                                          "(`wsinstall catalog check` lists them, `wsinstall repair` fixes them)",
                                          kept, kept == 1 ? "" : "s", kept == 1 ? "it is" : "they are"));
      return TRUE;
    }
  wsi_report_break (self, wsi_find_breaking_step (self, before, broken), broken);
  return FALSE;
}
