/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-txn.c */
#include "wsi-txn.h"
#include "wsi-error.h"
#include "wsi-io-private.h"
#include "wsi-policy.h"

const char *
wsi_progress_phase_to_string (WsiProgressPhase phase)
{
  switch (phase)
    {
    case WSI_PROGRESS_APPLY: return "apply";
    case WSI_PROGRESS_UNDO: return "undo";
    case WSI_PROGRESS_DONE: return "ok";
    case WSI_PROGRESS_FAILED: return "failed";
    default: return "unknown";
    }
}

static void
wsi_txn_report (WsiTxnProgress progress, gpointer user_data, const WsiPlanStep *step, guint index, guint total,
                WsiProgressPhase phase)
{
  if (progress != NULL)
    progress (step, index, total, phase, user_data);
}

/* A cancellation between steps is a failure of the step about to run: the
 * run stops there and what was done is rolled back. */
static gboolean
wsi_txn_check_cancelled (GCancellable *cancellable, guint index, GError **error)
{
  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return TRUE;
  g_set_error (error, WSI_ERROR, WSI_ERROR_CANCELLED, "cancelled before step %u", index + 1);
  return FALSE;
}

/* Runs the inverses of @done (steps with their journaled undo) in reverse
 * order. Every inverse is tried even when one fails, so as much as possible
 * is restored; FALSE when any failed. */
static gboolean
wsi_txn_rollback (WsiBackend *backend, WsiJournal *journal, GPtrArray *done, WsiTxnProgress progress,
                  gpointer user_data, GError **error)
{
  gboolean all_ok = TRUE;

  for (guint i = done->len; i-- > 0;)
    {
      const WsiPlanStep *step = g_ptr_array_index (done, i);
      g_autoptr(GError) local = NULL;
      gboolean ok;

      wsi_txn_report (progress, user_data, step->undo, i, done->len, WSI_PROGRESS_UNDO);
      ok = wsi_plan_step_execute (step->undo, backend, TRUE, NULL, &local);
      wsi_txn_report (progress, user_data, step->undo, i, done->len, ok ? WSI_PROGRESS_DONE : WSI_PROGRESS_FAILED);
      if (journal != NULL)
        wsi_journal_undone (journal, step->index, ok, NULL);
      if (!ok)
        {
          if (all_ok)
            g_propagate_prefixed_error (error, g_steal_pointer (&local), "undoing step %u (%s): ", step->index + 1,
                                        step->undo->summary != NULL ? step->undo->summary : "");
          all_ok = FALSE;
        }
    }
  return all_ok;
}

/* Can @step's inverse be carried out at all? Not when it re-installs an
 * entry no WSC call accepts (a ChainLen outside 0..7: a damaged entry that
 * repair removes). The repair planner makes such a step the last of its
 * plan, and makes only one, so once it has run the only way to old-or-new
 * is forward. */
static gboolean
wsi_txn_step_is_irreversible (const WsiPlanStep *step)
{
  const WsiPlanStep *undo = step->undo;

  if (step->op != WSI_STEP_DEINSTALL_PROVIDER || undo == NULL || undo->entries == NULL)
    return FALSE;
  for (guint i = 0; i < undo->entries->len; i++)
    {
      const WsiPlanEntry *pe = g_ptr_array_index (undo->entries, i);
      if (pe->entry->chain_len < 0 || pe->entry->chain_len > WSI_MAX_PROTOCOL_CHAIN)
        return TRUE;
    }
  return FALSE;
}

/* Has the irreversible @step taken effect (its entries are gone)? */
static gboolean
wsi_txn_irreversible_done (WsiBackend *backend, const WsiPlanStep *step)
{
  const WsiMachine *machine = wsi_backend_peek (backend, NULL);
  const WsiCatalog *c = machine != NULL && step->bitness != 0 ? wsi_machine_peek_catalog (machine, step->bitness) : NULL;
  g_autoptr(GPtrArray) still = c != NULL ? wsi_catalog_find_guid (c, &step->guid) : NULL;

  return still != NULL && still->len == 0;
}

WsiTxnOutcome
wsi_txn_apply (WsiBackend *backend, const WsiPlan *plan, const char *journal_path, WsiTxnProgress progress,
               gpointer user_data, GError **error)
{
  return wsi_txn_apply_cancellable (backend, plan, journal_path, NULL, progress, user_data, error);
}

WsiTxnOutcome
wsi_txn_apply_cancellable (WsiBackend *backend, const WsiPlan *plan, const char *journal_path,
                           GCancellable *cancellable, WsiTxnProgress progress, gpointer user_data, GError **error)
{
  g_autoptr(WsiJournal) journal = NULL;
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_step_free);
  g_autoptr(GError) failure = NULL;
  g_autoptr(GError) rollback_error = NULL;
  guint total = plan->steps->len;

  journal = wsi_journal_create (journal_path, plan->uninstall ? "uninstall" : "install", total, error);
  if (journal == NULL)
    return WSI_TXN_NOT_STARTED;

  for (guint i = 0; i < total && failure == NULL; i++)
    {
      const WsiPlanStep *planned = g_ptr_array_index (plan->steps, i);
      g_autoptr(WsiPlanStep) step = wsi_plan_step_copy (planned);
      g_autoptr(GArray) assigned = g_array_new (FALSE, FALSE, sizeof (guint32));
      const WsiMachine *live;

      if (!wsi_txn_check_cancelled (cancellable, i, &failure))
        break;
      live = wsi_backend_peek (backend, &failure);
      if (live == NULL)
        break;
      /* The inverse is taken from the machine as it is now, not as it was
       * planned: this is what the rollback will restore. */
      wsi_plan_step_free (step->undo);
      step->undo = wsi_plan_step_make_inverse (step, live, &failure);
      if (step->undo == NULL)
        break;
      if (!wsi_journal_intent (journal, step, &failure))
        break;
      g_ptr_array_add (done, wsi_plan_step_copy (step));
      wsi_txn_report (progress, user_data, step, i, total, WSI_PROGRESS_APPLY);
      if (!wsi_txn_check_cancelled (cancellable, i, &failure) ||
          !wsi_plan_step_execute (step, backend, FALSE, assigned, &failure))
        {
          wsi_txn_report (progress, user_data, step, i, total, WSI_PROGRESS_FAILED);
          g_prefix_error (&failure, "step %u (%s): ", i + 1, step->summary != NULL ? step->summary : "");
          break;
        }
      wsi_txn_report (progress, user_data, step, i, total, WSI_PROGRESS_DONE);
      /* A "done" record only informs (recovery needs the intents), but a
       * disk that refuses it will refuse the end record too: stop now. */
      if (!wsi_journal_done (journal, i, assigned, &failure))
        break;
    }

  /* The machine's changes reach the disk before the journal says so. */
  if (failure == NULL && !wsi_backend_sync (backend, &failure))
    g_prefix_error (&failure, "making the changes durable: ");
  /* Committed is what the journal says durably, nothing less: when the end
   * record cannot be written and synced (it is cut back off the journal
   * then), the transaction is not committed and is rolled back here, or
   * the next recover would roll back what was reported as done. */
  if (failure == NULL && !wsi_journal_end (journal, WSI_JOURNAL_COMMITTED, &failure))
    g_prefix_error (&failure, "committing: ");
  if (failure == NULL)
    return WSI_TXN_COMMITTED;

  /* The last step cannot be undone (repair's removal of an entry no WSC
   * call accepts) and took effect, so every step did: the way to old-or-new
   * is forward. A disk that refused a record may take the end record now;
   * if not, the journal stays in progress and `recover` finishes it. */
  if (done->len == total && total > 0 &&
      wsi_txn_step_is_irreversible (g_ptr_array_index (done, total - 1)) &&
      wsi_txn_irreversible_done (backend, g_ptr_array_index (done, total - 1)))
    {
      g_autoptr(GError) end_error = NULL;
      if (wsi_backend_sync (backend, &end_error) && wsi_journal_end (journal, WSI_JOURNAL_COMMITTED, &end_error))
        return WSI_TXN_COMMITTED;
      g_set_error (error, failure->domain, failure->code,
                   "%s; the last step cannot be undone and took effect, but its end could not be recorded (%s): "
                   "`wsinstall recover` finishes the run", failure->message, end_error->message);
      return WSI_TXN_ROLLBACK_INCOMPLETE;
    }

  /* The failed step is among @done: its inverse is idempotent, so undoing
   * it is right whether or not it took effect. */
  if (wsi_txn_rollback (backend, journal, done, progress, user_data, &rollback_error) &&
      wsi_backend_sync (backend, &rollback_error))
    {
      wsi_journal_end (journal, WSI_JOURNAL_ROLLED_BACK, NULL);
      g_propagate_error (error, g_steal_pointer (&failure));
      return WSI_TXN_ROLLED_BACK;
    }
  wsi_journal_end (journal, WSI_JOURNAL_ROLLBACK_INCOMPLETE, NULL);
  g_set_error (error, failure->domain, failure->code, "%s; the rollback is incomplete: %s", failure->message,
               rollback_error->message);
  return WSI_TXN_ROLLBACK_INCOMPLETE;
}

/* A journal is untrusted input (anyone who can write its folder can plant
 * one): every inverse recovery would run is held to the write policy a
 * manifest is held to, before any call is made. */
static gboolean
wsi_txn_check_replay (WsiBackend *backend, GPtrArray *intents, GError **error)
{
  const WsiMachine *machine = wsi_backend_peek (backend, error);
  WsiProfile profile;

  if (machine == NULL)
    return FALSE;
  switch (wsi_machine_get_kind (machine))
    {
    case WSI_MACHINE_CE: profile = WSI_PROFILE_CE; break;
    case WSI_MACHINE_X86: profile = WSI_PROFILE_DESKTOP_X86; break;
    default: profile = WSI_PROFILE_DESKTOP_X64; break;
    }
  for (guint i = 0; i < intents->len; i++)
    {
      const WsiPlanStep *undo = ((const WsiPlanStep *) g_ptr_array_index (intents, i))->undo;
      g_autoptr(GError) refusal = NULL;
      gboolean ok = TRUE;

      switch (undo->op)
        {
        case WSI_STEP_INSTALL_PROVIDER:
        case WSI_STEP_INSTALL_PROVIDER_64_32:
        case WSI_STEP_UPDATE_PROVIDER:
          ok = wsi_policy_check_dll_path (profile, undo->path, &refusal);
          break;
        case WSI_STEP_SET_REGISTRY_VALUE:
          ok = wsi_policy_check_registry_replay (undo->reg_key, undo->reg_name, &refusal);
          break;
        default:
          break;
        }
      if (!ok)
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_JOURNAL_STEP_REFUSED, "the journal's step %u: %s", i + 1,
                       refusal->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* An interrupted run whose last step cannot be undone and took effect is
 * finished instead of rolled back: every step before it ran (a step's
 * intent is written only once the one before it is done), so the run is
 * complete but for its end record. Returns TRUE with *@forward set when it
 * recorded that end. */
static gboolean
wsi_txn_roll_forward (WsiBackend *backend, WsiJournal *journal, GPtrArray *intents, gboolean *forward,
                      GError **error)
{
  const WsiPlanStep *last;

  *forward = FALSE;
  if (intents->len == 0)
    return TRUE;
  last = g_ptr_array_index (intents, intents->len - 1);
  if (!wsi_txn_step_is_irreversible (last) || !wsi_txn_irreversible_done (backend, last))
    return TRUE;
  if (!wsi_backend_sync (backend, error) || !wsi_journal_end (journal, WSI_JOURNAL_COMMITTED, error))
    return FALSE;
  *forward = TRUE;
  return TRUE;
}

gboolean
wsi_txn_recover_full (WsiBackend *backend, const char *journal_path, WsiJournalState *found, gboolean *started,
                      WsiTxnProgress progress, gpointer user_data, GError **error)
{
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(WsiJournal) journal = NULL;
  WsiJournalState state = WSI_JOURNAL_NONE;

  *started = FALSE;
  *found = WSI_JOURNAL_NONE;
  if (!wsi_journal_read (journal_path, &state, &intents, error))
    return FALSE;
  *found = state;
  /* Never started (empty, or the begin record is torn): nothing to undo;
   * the file goes, or every later run would have to look at it again. */
  if (state == WSI_JOURNAL_NONE && wsi_journal_is_stale (journal_path) && wsi_io_unlink (journal_path) != 0)
    return wsi_io_set_error (error, "removing the journal that was never started", journal_path);
  if (state != WSI_JOURNAL_IN_PROGRESS && state != WSI_JOURNAL_ROLLBACK_INCOMPLETE)
    return TRUE;
  if (!wsi_txn_check_replay (backend, intents, error))
    return FALSE;
  journal = wsi_journal_open_append (journal_path, error);
  if (journal == NULL)
    return FALSE;
  *started = TRUE;
  if (state == WSI_JOURNAL_IN_PROGRESS)
    {
      gboolean forward = FALSE;
      if (!wsi_txn_roll_forward (backend, journal, intents, &forward, error))
        return FALSE;
      /* Finished: the machine is in its new state, as if the run had
       * committed. */
      if (forward)
        {
          *found = WSI_JOURNAL_COMMITTED;
          return TRUE;
        }
    }
  if (!wsi_txn_rollback (backend, journal, intents, progress, user_data, error) ||
      !wsi_backend_sync (backend, error))
    {
      wsi_journal_end (journal, WSI_JOURNAL_ROLLBACK_INCOMPLETE, NULL);
      return FALSE;
    }
  return wsi_journal_end (journal, WSI_JOURNAL_ROLLED_BACK, error);
}

gboolean
wsi_txn_recover (WsiBackend *backend, const char *journal_path, WsiJournalState *found, WsiTxnProgress progress,
                 gpointer user_data, GError **error)
{
  gboolean started;
  return wsi_txn_recover_full (backend, journal_path, found, &started, progress, user_data, error);
}
