/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-session.c: the session's life cycle, recovery, planning and
 * applying; opening a live machine is in wsi-session-live.c. */
#include "wsi-session-private.h"

#include <stdlib.h>

#include "wsi-error.h"
#include "wsi-snapshot.h"

WsiSession *
wsi_session_new (void)
{
  WsiSession *self = g_new0 (WsiSession, 1);

  self->lock_timeout_ms = WSI_SESSION_DEFAULT_LOCK_TIMEOUT_MS;
  self->recovered = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
wsi_session_free (WsiSession *self)
{
  if (self == NULL)
    return;
  /* The backend goes before the lock: nothing may change the machine
   * once another writer can hold it. */
  g_clear_pointer (&self->backend, wsi_backend_free);
  g_clear_pointer (&self->lock, wsi_lock_release);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->recovered);
  g_free (self->journal_opt);
  g_free (self->folder_opt);
  g_free (self->helper32);
  g_free (self->display);
  g_free (self->journal);
  g_free (self->recover_dir);
  g_free (self->failed_file);
  g_free (self);
}

void
wsi_session_set_journal (WsiSession *self, const char *path)
{
  g_return_if_fail (self != NULL && self->backend == NULL);
  g_free (self->journal_opt);
  self->journal_opt = g_strdup (path);
}

void
wsi_session_set_journal_folder (WsiSession *self, const char *dir, WsiLiveJournalCheck check)
{
  g_return_if_fail (self != NULL && self->backend == NULL);
  g_free (self->folder_opt);
  self->folder_opt = g_strdup (dir);
  self->journal_check = check;
}

void
wsi_session_set_lock_timeout (WsiSession *self, guint timeout_ms)
{
  g_return_if_fail (self != NULL);
  self->lock_timeout_ms = timeout_ms;
}

void
wsi_session_set_helper32 (WsiSession *self, const char *path)
{
  g_return_if_fail (self != NULL && self->backend == NULL);
  g_free (self->helper32);
  self->helper32 = g_strdup (path);
}

void
wsi_session_set_progress (WsiSession *self, WsiSessionProgress progress, gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (self != NULL);
  if (self->progress_destroy != NULL)
    self->progress_destroy (self->progress_data);
  self->progress = progress;
  self->progress_data = user_data;
  self->progress_destroy = destroy;
}

void
wsi_session_set_cancellable (WsiSession *self, GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);
  g_set_object (&self->cancellable, cancellable);
}

GCancellable *
wsi_session_get_cancellable (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cancellable;
}

/* ---- progress ---- */

static void
wsi_session_txn_progress (const WsiPlanStep *step, guint index, guint total, WsiProgressPhase phase,
                          gpointer user_data)
{
  WsiSession *self = user_data;

  if (self->progress != NULL)
    self->progress (phase, index, total, step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op),
                    self->progress_data);
}

/* ---- opening ---- */

void
wsi_session_set_failed_file (WsiSession *self, const char *file)
{
  g_free (self->failed_file);
  self->failed_file = g_strdup (file);
}

/* The snapshot's path with every symbolic link resolved, once: the lock,
 * the default journal and the atomic rename all use it, so a link to the
 * snapshot shares the real file's lock (two writers through two names
 * would each commit into their own copy) and the rename replaces the file,
 * not the link. A path that does not exist yet stays as it is. */
static char *
wsi_session_resolve_path (const char *path)
{
#ifndef G_OS_WIN32
  char *real = realpath (path, NULL);
  if (real != NULL)
    {
      char *copy = g_strdup (real);
      free (real);
      return copy;
    }
#endif
  return g_strdup (path);
}

/* A journal folder's errors that mean nothing was run: the journal could
 * not be listed, read, trusted or reopened. */
static gboolean
wsi_session_error_touched_nothing (const GError *error)
{
  return g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE) ||
         g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT) ||
         g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_STEP_REFUSED) ||
         g_error_matches (error, WSI_ERROR, WSI_ERROR_FILE_NOT_REGULAR) ||
         g_error_matches (error, WSI_ERROR, WSI_ERROR_IO) || g_error_matches (error, WSI_ERROR, WSI_ERROR_UNTRUSTED);
}

gboolean
wsi_session_recover (WsiSession *self, GError **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  if (self->backend == NULL)
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "the session has no open machine");
      return FALSE;
    }

  self->recovery_state = WSI_JOURNAL_NONE;
  self->recovery_started = FALSE;
  self->recovery_forward = FALSE;
  g_ptr_array_set_size (self->recovered, 0);
  if (self->recover_dir != NULL)
    {
      /* One journal per transaction: only what was left in progress is
       * rolled back, never a committed one. */
      if (!wsi_live_journal_recover_all (self->backend, self->recover_dir, self->journal_check, NULL,
                                         wsi_session_txn_progress, self, self->recovered, &local))
        {
          self->recovery_started = !wsi_session_error_touched_nothing (local);
          wsi_session_set_failed_file (self, self->recover_dir);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      self->recovery_started = self->recovered->len > 0;
      return TRUE;
    }
  if (!wsi_txn_recover_full (self->backend, self->journal, &self->recovery_state, &self->recovery_started,
                             wsi_session_txn_progress, self, &local))
    {
      wsi_session_set_failed_file (self, self->journal);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (self->recovery_started && self->recovery_state == WSI_JOURNAL_COMMITTED)
    self->recovery_forward = TRUE;
  else if (wsi_live_journal_needs_recovery (self->recovery_state))
    g_ptr_array_add (self->recovered, g_strdup (self->journal));
  return TRUE;
}

/* The backend is in place: wraps it for fault injection (test builds),
 * then recovers unless told not to. */
gboolean
wsi_session_finish_open (WsiSession *self, WsiBackend *backend, WsiSessionOpenFlags flags, GError **error)
{
  WsiBackend *wrapped = wsi_backend_wrap_from_env (backend, error);

  if (wrapped == NULL)
    return FALSE;
  self->backend = wrapped;
  if ((flags & WSI_SESSION_OPEN_NO_RECOVERY) != 0)
    return TRUE;
  return wsi_session_recover (self, error);
}

/* The journal (and the folder of per-transaction journals) of a session on
 * a snapshot or a backend of the caller's. */
void
wsi_session_set_journals (WsiSession *self)
{
  g_clear_pointer (&self->journal, g_free);
  g_clear_pointer (&self->recover_dir, g_free);
  if (self->folder_opt != NULL)
    {
      self->recover_dir = g_strdup (self->folder_opt);
      self->journal = self->journal_opt != NULL ? g_strdup (self->journal_opt)
                                                : wsi_live_journal_new_path (self->recover_dir);
    }
  else
    self->journal = self->journal_opt != NULL ? g_strdup (self->journal_opt) : wsi_journal_default_path (self->display);
}

gboolean
wsi_session_open_backend (WsiSession *self, WsiBackend *backend, const char *display_name, WsiSessionOpenFlags flags,
                          GError **error)
{
  g_return_val_if_fail (self != NULL && backend != NULL && display_name != NULL, FALSE);
  g_return_val_if_fail (self->backend == NULL, FALSE);

  g_free (self->display);
  self->display = g_strdup (display_name);
  wsi_session_set_failed_file (self, self->display);
  wsi_session_set_journals (self);
  /* Taken as it is: no fault wrapper, the caller chose the backend. */
  self->backend = backend;
  if ((flags & WSI_SESSION_OPEN_NO_RECOVERY) != 0)
    return TRUE;
  return wsi_session_recover (self, error);
}

gboolean
wsi_session_open_snapshot (WsiSession *self, const char *path, WsiSessionOpenFlags flags, WsiDiagList *diags,
                           GError **error)
{
  WsiBackend *backend;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);
  g_return_val_if_fail (self->backend == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_free (self->display);
  self->display = wsi_session_resolve_path (path);
  wsi_session_set_failed_file (self, self->display);
  wsi_session_set_journals (self);
  self->lock = wsi_lock_acquire (self->display, self->lock_timeout_ms, error);
  if (self->lock == NULL)
    return FALSE;
  /* Under the lock: the copies killed runs left are nobody's now. */
  if (!wsi_snapshot_remove_stale_copies (self->display, NULL, error))
    return FALSE;
  backend = wsi_backend_sim_new (self->display, diags);
  if (backend == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE, "the snapshot %s cannot be used (see the diagnostics)",
                   self->display);
      return FALSE;
    }
  return wsi_session_finish_open (self, backend, flags, error);
}

GPtrArray *
wsi_session_get_recovered (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->recovered;
}

WsiJournalState
wsi_session_get_recovery_state (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, WSI_JOURNAL_NONE);
  return self->recovery_state;
}

gboolean
wsi_session_get_recovery_started (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->recovery_started;
}

gboolean
wsi_session_get_recovered_forward (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->recovery_forward;
}

const char *
wsi_session_get_failed_file (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->failed_file;
}

gboolean
wsi_session_is_open (WsiSession *self)
{
  return self != NULL && self->backend != NULL;
}

const char *
wsi_session_get_display_name (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display;
}

const char *
wsi_session_get_journal (WsiSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->journal;
}

const WsiMachine *
wsi_session_get_machine (WsiSession *self, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (self->backend == NULL)
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "the session has no open machine");
      return NULL;
    }
  return wsi_backend_peek (self->backend, error);
}

/* ---- planning ---- */

static const WsiMachine *
wsi_session_machine_for_plan (WsiSession *self, WsiDiagList *diags)
{
  g_autoptr(GError) error = NULL;
  const WsiMachine *machine = wsi_session_get_machine (self, &error);

  if (machine == NULL)
    wsi_diag_list_add (diags, wsi_error_to_tag (error), self->display, 0, "%s", error->message);
  return machine;
}

WsiPlan *
wsi_session_plan (WsiSession *self, WsiManifest *const *manifests, guint n_manifests, WsiPlanFlags flags,
                  WsiDiagList *diags)
{
  const WsiMachine *machine;

  g_return_val_if_fail (self != NULL && diags != NULL, NULL);
  machine = wsi_session_machine_for_plan (self, diags);
  return machine != NULL ? wsi_plan_build (machine, manifests, n_manifests, flags, diags) : NULL;
}

WsiPlan *
wsi_session_plan_remove_guid (WsiSession *self, const WsiGuid *guid, WsiPlanFlags flags, WsiDiagList *diags)
{
  const WsiMachine *machine;

  g_return_val_if_fail (self != NULL && guid != NULL && diags != NULL, NULL);
  machine = wsi_session_machine_for_plan (self, diags);
  return machine != NULL ? wsi_plan_build_remove_guid (machine, guid, flags, diags) : NULL;
}

WsiPlan *
wsi_session_plan_repair (WsiSession *self, WsiDiagList *diags)
{
  const WsiMachine *machine;

  g_return_val_if_fail (self != NULL && diags != NULL, NULL);
  machine = wsi_session_machine_for_plan (self, diags);
  return machine != NULL ? wsi_plan_build_repair (machine, diags) : NULL;
}

/* ---- changing ---- */

WsiTxnOutcome
wsi_session_apply (WsiSession *self, const WsiPlan *plan, GError **error)
{
  WsiTxnOutcome outcome;

  g_return_val_if_fail (self != NULL && plan != NULL, WSI_TXN_NOT_STARTED);
  g_return_val_if_fail (error == NULL || *error == NULL, WSI_TXN_NOT_STARTED);

  if (self->backend == NULL)
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "the session has no open machine");
      return WSI_TXN_NOT_STARTED;
    }
  outcome = wsi_txn_apply_cancellable (self->backend, plan, self->journal, self->cancellable,
                                       wsi_session_txn_progress, self, error);
  /* In folder mode a journal belongs to one transaction: the next apply
   * of this session gets its own (unless the caller named it). */
  if (self->recover_dir != NULL && self->journal_opt == NULL && outcome != WSI_TXN_NOT_STARTED)
    {
      g_free (self->journal);
      self->journal = wsi_live_journal_new_path (self->recover_dir);
    }
  return outcome;
}

gboolean
wsi_session_undo (WsiSession *self, WsiJournalState *found, GError **error)
{
  g_autoptr(GPtrArray) intents = NULL;
  WsiJournalState state = WSI_JOURNAL_NONE;
  WsiJournalState after = WSI_JOURNAL_NONE;

  g_return_val_if_fail (self != NULL && found != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *found = WSI_JOURNAL_NONE;
  if (self->backend == NULL)
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "the session has no open machine");
      return FALSE;
    }
  /* A journal is untrusted input: checked before it is read. */
  if (self->journal_check != NULL && g_file_test (self->journal, G_FILE_TEST_EXISTS) &&
      !self->journal_check (self->journal, NULL, error))
    return FALSE;
  if (!wsi_journal_read (self->journal, &state, &intents, error))
    return FALSE;
  *found = state;
  if (state == WSI_JOURNAL_NONE || state == WSI_JOURNAL_ROLLED_BACK)
    return TRUE;
  if (state == WSI_JOURNAL_COMMITTED)
    {
      /* Marked incomplete first, so a crash in the middle leaves a journal
       * that recovery finishes. */
      g_autoptr(WsiJournal) j = wsi_journal_open_append (self->journal, error);
      if (j == NULL || !wsi_journal_end (j, WSI_JOURNAL_ROLLBACK_INCOMPLETE, error))
        return FALSE;
    }
  return wsi_txn_recover (self->backend, self->journal, &after, wsi_session_txn_progress, self, error);
}
