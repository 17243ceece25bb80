/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-session.c: the engine session — open, lock, recovery on open,
 * planning, applying with progress, cancellation at every step, undo, and
 * per-transaction journals. */
#include "wsi-test-util.h"
#include "wsi-plan-private.h"
#include "wsi-io-private.h"

#include <glib/gstdio.h>

#include <string.h>

typedef struct {
  char       *dir;
  char       *snapshot;
  WsiMachine *before;
} Fixture;

static Fixture *
fixture_new (const char *reference)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(GError) error = NULL;

  f->dir = wsi_test_mkdtemp ();
  f->snapshot = g_build_filename (f->dir, "machine.xml", NULL);
  f->before = wsi_test_load_reference (reference);
  ck_assert_msg (wsi_snapshot_save (f->before, f->snapshot, &error), "%s", error != NULL ? error->message : "");
  return f;
}

static void
fixture_free (Fixture *f)
{
  wsi_test_rmtree (f->dir);
  g_free (f->dir);
  g_free (f->snapshot);
  wsi_machine_free (f->before);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static WsiSession *
open_session (Fixture *f, WsiSessionOpenFlags flags)
{
  g_autoptr(WsiSession) s = wsi_session_new ();
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;

  ck_assert_msg (wsi_session_open_snapshot (s, f->snapshot, flags, diags, &error), "%s",
                 error != NULL ? error->message : "");
  ck_assert (wsi_session_is_open (s));
  return g_steal_pointer (&s);
}

static WsiPlan *
plan_install (WsiSession *s, const char *manifest, WsiPlanFlags flags)
{
  g_autoptr(WsiManifest) m = wsi_test_load_example (manifest);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiPlan *plan = wsi_session_plan (s, &m, 1, flags, diags);
  g_autofree char *text = wsi_test_diags_to_string (diags);

  ck_assert_msg (plan != NULL, "%s: no plan:\n%s", manifest, text);
  return plan;
}

static void
assert_machine (Fixture *f, const WsiMachine *want, const char *what)
{
  g_autoptr(WsiMachine) now = wsi_test_reload_snapshot (f->snapshot, what);
  g_autofree char *why = NULL;

  ck_assert_msg (wsi_test_machines_equivalent (want, now, &why), "%s:\n%s", what, why);
}

START_TEST (apply_commits_and_a_second_plan_has_nothing_to_do)
{
  g_autoptr(Fixture) f = fixture_new ("win10-x64");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMachine) after = NULL;

  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    g_autoptr(WsiPlan) plan = plan_install (s, "contoso-web-filter.xml", 0);
    const char *journal = wsi_session_get_journal (s);

    ck_assert_uint_gt (plan->steps->len, 0);
    ck_assert_int_eq (wsi_session_apply (s, plan, &error), WSI_TXN_COMMITTED);
    ck_assert (error == NULL);
    ck_assert_ptr_nonnull (journal);
    ck_assert_uint_eq (wsi_session_get_recovered (s)->len, 0);
    after = wsi_machine_copy (wsi_session_get_machine (s, NULL));
  }
  assert_machine (f, after, "after the apply");
  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    g_autoptr(WsiPlan) plan = plan_install (s, "contoso-web-filter.xml", 0);
    ck_assert_uint_eq (plan->steps->len, 0);
    /* And the uninstall gives the machine back. */
    g_autoptr(WsiPlan) removal = plan_install (s, "contoso-web-filter.xml", WSI_PLAN_FLAG_UNINSTALL);
    ck_assert_int_eq (wsi_session_apply (s, removal, &error), WSI_TXN_COMMITTED);
  }
  assert_machine (f, f->before, "after the uninstall");
}
END_TEST

/* The lock is the session's: a second writer waits, then gives up with
 * WSI_ERROR_LOCKED, touching nothing; freeing the first releases it. */
START_TEST (a_second_session_is_locked_out_until_the_first_is_freed)
{
  g_autoptr(Fixture) f = fixture_new ("win10-x64");
  g_autoptr(WsiSession) first = open_session (f, 0);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(WsiSession) second = wsi_session_new ();
    wsi_session_set_lock_timeout (second, 0);
    ck_assert (!wsi_session_open_snapshot (second, f->snapshot, 0, diags, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_LOCKED));
    ck_assert_str_eq (wsi_error_to_tag (error), "machine-locked");
    ck_assert (!wsi_session_get_recovery_started (second));
    ck_assert (!wsi_session_is_open (second));
    g_clear_error (&error);
  }
  g_clear_pointer (&first, wsi_session_free);
  {
    g_autoptr(WsiSession) again = wsi_session_new ();
    wsi_session_set_lock_timeout (again, 0);
    ck_assert_msg (wsi_session_open_snapshot (again, f->snapshot, 0, diags, &error), "%s",
                   error != NULL ? error->message : "");
  }
}
END_TEST

typedef struct {
  int         cancel_at;      /* the APPLY index that cancels, -1 never */
  GString    *trace;
  WsiSession *session;
} Watch;

static void
watch_progress (WsiProgressPhase phase, guint index, guint total, const char *summary, gpointer user_data)
{
  Watch *w = user_data;

  ck_assert_uint_lt (index, total);
  ck_assert (summary != NULL && summary[0] != '\0');
  g_string_append_printf (w->trace, "%s%u ", wsi_progress_phase_to_string (phase), index);
  if (phase == WSI_PROGRESS_APPLY && (int) index == w->cancel_at)
    g_cancellable_cancel (wsi_session_get_cancellable (w->session));
}

/* For every step k of the plan, cancelling when k is announced stops the
 * run before k changes anything and rolls back the k steps before it:
 * the machine is exactly as before, the error is WSI_ERROR_CANCELLED, and
 * the progress shows k APPLY/ok pairs, k's failure, then k inverses. */
START_TEST (cancelling_at_every_step_leaves_the_old_machine)
{
  g_autoptr(Fixture) f = fixture_new ("win10-x64");
  guint n;

  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    g_autoptr(WsiPlan) plan = plan_install (s, "woodgrove-stacked-layers.xml", 0);
    n = plan->steps->len;
  }
  ck_assert_uint_gt (n, 2);
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(WsiSession) s = open_session (f, 0);
      g_autoptr(WsiPlan) plan = plan_install (s, "woodgrove-stacked-layers.xml", 0);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      Watch w = { (int) k, g_string_new (NULL), s };
      guint applies = 0;
      guint undos = 0;

      wsi_session_set_cancellable (s, cancellable);
      wsi_session_set_progress (s, watch_progress, &w, NULL);
      ck_assert_int_eq (wsi_session_apply (s, plan, &error), WSI_TXN_ROLLED_BACK);
      ck_assert_msg (g_error_matches (error, WSI_ERROR, WSI_ERROR_CANCELLED), "step %u: %s", k, error->message);
      ck_assert_str_eq (wsi_error_to_tag (error), "cancelled");
      for (const char *p = w.trace->str; (p = strstr (p, "apply")) != NULL; p++)
        applies++;
      for (const char *p = w.trace->str; (p = strstr (p, "undo")) != NULL; p++)
        undos++;
      ck_assert_msg (applies == k + 1, "step %u: %s", k, w.trace->str);
      /* The cancelled step was journaled before it was announced, so its
       * (idempotent) inverse runs too. */
      ck_assert_msg (undos == k + 1, "step %u: %s", k, w.trace->str);
      g_string_free (w.trace, TRUE);
      g_clear_pointer (&s, wsi_session_free);
      assert_machine (f, f->before, "after a cancelled apply");
    }
}
END_TEST

/* A run killed after some steps leaves its journal in progress; the next
 * session's open rolls it back before anything is planned. */
START_TEST (opening_rolls_back_an_interrupted_run)
{
  g_autoptr(Fixture) f = fixture_new ("win7-x86");
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = g_strconcat (f->snapshot, ".journal", NULL);

  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    g_autoptr(WsiPlan) plan = plan_install (s, "contoso-parental-x86.xml", 0);
    g_autoptr(WsiJournal) j = wsi_journal_create (journal, "install", plan->steps->len, &error);
    g_autoptr(WsiDiagList) sim_diags = wsi_diag_list_new ();
    g_autoptr(WsiBackend) sim = wsi_backend_sim_new (f->snapshot, sim_diags);

    ck_assert (j != NULL && sim != NULL && plan->steps->len >= 2);
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(WsiPlanStep) step = wsi_plan_step_copy (g_ptr_array_index (plan->steps, i));
        wsi_plan_step_free (step->undo);
        step->undo = wsi_plan_step_make_inverse (step, wsi_backend_peek (sim, NULL), &error);
        ck_assert (step->undo != NULL);
        ck_assert (wsi_journal_intent (j, step, &error));
        ck_assert_msg (wsi_plan_step_execute (step, sim, FALSE, NULL, &error), "%s", error->message);
      }
  }
  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    ck_assert (wsi_session_get_recovery_started (s));
    ck_assert_int_eq (wsi_session_get_recovery_state (s), WSI_JOURNAL_IN_PROGRESS);
    ck_assert_uint_eq (wsi_session_get_recovered (s)->len, 1);
    ck_assert_str_eq (g_ptr_array_index (wsi_session_get_recovered (s), 0), journal);
  }
  assert_machine (f, f->before, "after the recovery on open");
  /* Opened again: nothing left. */
  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    ck_assert (!wsi_session_get_recovery_started (s));
    ck_assert_uint_eq (wsi_session_get_recovered (s)->len, 0);
  }
}
END_TEST

/* The MSI rollback action's operation: a committed transaction is undone
 * from its own journal. */
START_TEST (undo_reverts_a_committed_transaction)
{
  g_autoptr(Fixture) f = fixture_new ("win81-x64");
  g_autoptr(GError) error = NULL;
  WsiJournalState found = WSI_JOURNAL_NONE;

  {
    g_autoptr(WsiSession) s = open_session (f, 0);
    g_autoptr(WsiPlan) plan = plan_install (s, "fabrikam-ifs-redirector.xml", 0);
    ck_assert_int_eq (wsi_session_apply (s, plan, &error), WSI_TXN_COMMITTED);
  }
  {
    g_autoptr(WsiSession) s = open_session (f, WSI_SESSION_OPEN_NO_RECOVERY);
    ck_assert_msg (wsi_session_undo (s, &found, &error), "%s", error != NULL ? error->message : "");
    ck_assert_int_eq (found, WSI_JOURNAL_COMMITTED);
  }
  assert_machine (f, f->before, "after undo");
  {
    g_autoptr(WsiSession) s = open_session (f, WSI_SESSION_OPEN_NO_RECOVERY);
    ck_assert (wsi_session_undo (s, &found, &error));
    ck_assert_int_eq (found, WSI_JOURNAL_ROLLED_BACK);
  }
}
END_TEST

/* One journal per transaction in a folder, as on a live machine: two
 * applies of one session write two journals, and a committed one is never
 * rolled back by a later open. */
START_TEST (a_journal_folder_gives_each_transaction_its_own_journal)
{
  g_autoptr(Fixture) f = fixture_new ("win10-1709-x64");
  g_autofree char *folder = g_build_filename (f->dir, "journals", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMachine) after = NULL;
  g_autofree char *first = NULL;

  ck_assert_int_eq (g_mkdir (folder, 0700), 0);
  {
    g_autoptr(WsiSession) s = wsi_session_new ();
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    g_autoptr(WsiPlan) a = NULL;
    g_autoptr(WsiPlan) b = NULL;

    wsi_session_set_journal_folder (s, folder, NULL);
    ck_assert (wsi_session_open_snapshot (s, f->snapshot, 0, diags, &error));
    first = g_strdup (wsi_session_get_journal (s));
    ck_assert (wsi_live_journal_path_is_in (folder, first));
    a = plan_install (s, "contoso-web-filter.xml", 0);
    ck_assert_int_eq (wsi_session_apply (s, a, &error), WSI_TXN_COMMITTED);
    ck_assert_str_ne (wsi_session_get_journal (s), first);
    b = plan_install (s, "litware-wsh-helper.xml", 0);
    ck_assert_int_eq (wsi_session_apply (s, b, &error), WSI_TXN_COMMITTED);
    after = wsi_machine_copy (wsi_session_get_machine (s, NULL));
  }
  {
    g_autoptr(GPtrArray) names = wsi_live_journal_list (folder, &error);
    ck_assert_uint_eq (names->len, 2);
  }
  {
    g_autoptr(WsiSession) s = wsi_session_new ();
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    wsi_session_set_journal_folder (s, folder, NULL);
    ck_assert (wsi_session_open_snapshot (s, f->snapshot, 0, diags, &error));
    ck_assert_uint_eq (wsi_session_get_recovered (s)->len, 0);
  }
  assert_machine (f, after, "committed journals are left alone");
}
END_TEST

START_TEST (unusable_machines_and_live_elsewhere_are_typed_errors)
{
  g_autoptr(Fixture) f = fixture_new ("win10-x64");
  g_autoptr(GError) error = NULL;
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.xml", NULL);

  ck_assert (g_file_set_contents (garbage, "<machine", -1, NULL));
  {
    g_autoptr(WsiSession) s = wsi_session_new ();
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    ck_assert (!wsi_session_open_snapshot (s, garbage, 0, diags, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE));
    ck_assert (wsi_diag_list_has_errors (diags));
    g_clear_error (&error);
  }
#ifndef G_OS_WIN32
  {
    g_autoptr(WsiSession) s = wsi_session_new ();
    ck_assert (!wsi_session_open_live (s, 0, NULL, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED));
    g_clear_error (&error);
  }
#endif
  {
    g_autoptr(WsiSession) s = wsi_session_new ();
    g_autoptr(WsiPlan) plan = wsi_plan_new (f->before);
    ck_assert_int_eq (wsi_session_apply (s, plan, &error), WSI_TXN_NOT_STARTED);
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT));
  }
}
END_TEST

/* Opening is I/O before anything is planned: the lock, removing the
 * copies killed runs left, loading the snapshot, reading the journal.
 * Every I/O operation of an open that has such work to do fails once, in
 * turn: the open either copes (a failure it may ignore) or fails with a
 * typed error having run no inverse, and the machine is untouched either
 * way; a clean open afterwards finishes the work. */
START_TEST (every_io_failure_while_opening_leaves_the_machine_untouched)
{
  g_autoptr(Fixture) f = fixture_new ("win10-x64");
  g_autofree char *stale = g_strconcat (f->snapshot, ".wsi-AbC123", NULL);
  g_autofree char *journal = g_strconcat (f->snapshot, ".journal", NULL);
  guint counts[WSI_IO_N_OPS];
  guint cases = 0;

  if (!wsi_fault_injection_available ())
    return;
  for (guint op = 0; op < WSI_IO_N_OPS; op++)
    {
      /* The fault-free open: how many operations of each kind it makes. */
      ck_assert (g_file_set_contents (stale, "left by a killed run", -1, NULL));
      ck_assert (wsi_io_faults_configure ("", NULL));
      {
        g_autoptr(WsiSession) s = open_session (f, 0);
      }
      counts[op] = wsi_io_get_count (op);
      ck_assert (!g_file_test (stale, G_FILE_TEST_EXISTS));
    }
  for (guint op = 0; op < WSI_IO_N_OPS; op++)
    for (guint n = 1; n <= counts[op]; n++)
      {
        g_autofree char *spec = g_strdup_printf ("io-fail:%s:%u:EIO", wsi_io_op_to_string (op), n);
        g_autoptr(WsiSession) s = wsi_session_new ();
        g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
        g_autoptr(GError) error = NULL;

        ck_assert (g_file_set_contents (stale, "left by a killed run", -1, NULL));
        wsi_session_set_lock_timeout (s, 0);
        ck_assert (wsi_io_faults_configure (spec, NULL));
        if (!wsi_session_open_snapshot (s, f->snapshot, 0, diags, &error))
          {
            ck_assert_msg (error != NULL && error->domain == WSI_ERROR, "%s: an untyped failure", spec);
            ck_assert_msg (!wsi_session_get_recovery_started (s), "%s: an inverse ran", spec);
          }
        ck_assert (wsi_io_faults_configure ("", NULL));
        g_clear_pointer (&s, wsi_session_free);
        assert_machine (f, f->before, spec);
        ck_assert_msg (!g_file_test (journal, G_FILE_TEST_EXISTS), "%s: a journal appeared", spec);
        {
          g_autoptr(WsiSession) again = open_session (f, 0);
          ck_assert_msg (!g_file_test (stale, G_FILE_TEST_EXISTS), "%s: the stale copy stayed", spec);
        }
        cases++;
      }
  ck_assert_uint_gt (cases, 0);
  printf ("# %u I/O failures while opening\n", cases);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("session");
  TCase *tc = tcase_create ("session");

  tcase_add_test (tc, apply_commits_and_a_second_plan_has_nothing_to_do);
  tcase_add_test (tc, a_second_session_is_locked_out_until_the_first_is_freed);
  tcase_add_test (tc, cancelling_at_every_step_leaves_the_old_machine);
  tcase_add_test (tc, opening_rolls_back_an_interrupted_run);
  tcase_add_test (tc, undo_reverts_a_committed_transaction);
  tcase_add_test (tc, a_journal_folder_gives_each_transaction_its_own_journal);
  tcase_add_test (tc, unusable_machines_and_live_elsewhere_are_typed_errors);
  tcase_add_test (tc, every_io_failure_while_opening_leaves_the_machine_untouched);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
