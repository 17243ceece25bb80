/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-apply.c: the commands that change a machine — apply,
 * uninstall, repair --apply — and recover. Each runs under the machine's
 * lock, first finishes what an interrupted run left (recover), then plans
 * against the machine as it is and applies the plan as a transaction.
 *
 * Exit status: 0 committed or nothing to do; 1 failed and rolled back (the
 * machine is in its old state); 2 usage or I/O; 3 failed and the rollback
 * is incomplete (the journal says what is left; `recover` continues it). */
#include "wsinstall-cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wsinstall.h"
#include "wsi-lock.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-snapshot.h"
#include "wsi-session.h"
#include "wsi-txn.h"

#define WSI_DEFAULT_LOCK_TIMEOUT_S 30

/* The exit statuses of every command that changes the machine. */
#define WSI_TXN_EXIT_STATUS_HELP \
  "Exit status: 0 committed (or nothing to do), 1 failed and rolled back\n" \
  "(the machine is in its old state; also: another wsinstall holds the\n" \
  "machine, or the plan has errors), 2 usage or I/O error before anything\n" \
  "ran (the machine is unchanged), 3 failed and the rollback is incomplete\n" \
  "(run recover)."

typedef WsiPlan *(*WsiPlanBuilder) (WsiSession *session, gpointer data, WsiDiagList *diags);

typedef struct {
  char    *machine;
  char    *journal;
  int      lock_timeout;
  gboolean quiet;
  gboolean live;
} WsiTxnOptions;

static void
wsi_txn_options_add (GOptionContext *ctx, WsiTxnOptions *o)
{
  const GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &o->machine, "The machine snapshot (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "journal", 'j', 0, G_OPTION_ARG_FILENAME, &o->journal, "The transaction journal (default: SNAPSHOT.journal)", "PATH" },
    { "lock-timeout", 0, 0, G_OPTION_ARG_INT, &o->lock_timeout, "Seconds to wait for another wsinstall on this machine (default 30)", "SECONDS" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "No progress lines, even on a terminal", NULL },
    { "live", 0, 0, G_OPTION_ARG_NONE, &o->live, "This computer's live catalogs (Windows build; administrator rights; one journal per transaction in %ProgramData%\\wsinstall\\journals)", NULL },
    { NULL }
  };
  o->lock_timeout = WSI_DEFAULT_LOCK_TIMEOUT_S;
  g_option_context_add_main_entries (ctx, entries, NULL);
}

static void
wsi_txn_options_clear (WsiTxnOptions *o)
{
  g_free (o->machine);
  g_free (o->journal);
}

/* One line per step on a terminal: what runs, and whether it worked. */
static void
wsi_progress (WsiProgressPhase phase, guint index, guint total, const char *summary, gpointer user_data)
{
  if (phase == WSI_PROGRESS_APPLY || phase == WSI_PROGRESS_UNDO)
    g_printerr ("[%u/%u] %s%s ... ", index + 1, total, phase == WSI_PROGRESS_UNDO ? "undo: " : "", summary);
  else
    g_printerr ("%s\n", wsi_progress_phase_to_string (phase));
}

static int
wsi_fail (WsiDiagList *diags, const char *file, const GError *error, int rc)
{
  wsi_diag_list_add (diags, wsi_error_to_tag (error), file, 0, "%s", error->message);
  return wsi_cli_finish_diags (diags, rc);
}

/* The exit status of a session that could not be opened: 1 when another
 * wsinstall holds the machine; 3 when a recovery ran and is still
 * incomplete; 2 when nothing was touched (usage, I/O, an unusable
 * snapshot, journal or journal folder). */
static int
wsi_open_failure_rc (WsiSession *session, const GError *error)
{
  if (g_error_matches (error, WSI_ERROR, WSI_ERROR_LOCKED))
    return WSI_EXIT_PROBLEMS;
  if (wsi_session_get_recovery_started (session))
    return WSI_EXIT_INCOMPLETE;
  return WSI_EXIT_USAGE;
}

/* Opens the machine for writing through a session: lock, backend (with
 * WSINSTALL_FAULT in test builds) and, unless @flags say otherwise, the
 * recovery of an interrupted run. NULL with *rc set. */
static WsiSession *
wsi_open_session (WsiTxnOptions *o, WsiSessionOpenFlags flags, WsiDiagList *diags, int *rc)
{
  g_autoptr(WsiSession) session = wsi_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok;

  if (!wsi_cli_live_usage (o->live, o->machine, rc))
    return NULL;
  if (o->journal != NULL)
    wsi_session_set_journal (session, o->journal);
  wsi_session_set_lock_timeout (session, (guint) MAX (o->lock_timeout, 0) * 1000u);
  if (!o->quiet && isatty (2))
    wsi_session_set_progress (session, wsi_progress, NULL, NULL);
  if (o->live)
    ok = wsi_session_open_live (session, flags, diags, &error);
  else
    {
      path = wsi_cli_machine_path (o->machine, diags, rc);
      if (path == NULL)
        return NULL;
      ok = wsi_session_open_snapshot (session, path, flags, diags, &error);
    }
  if (!ok)
    {
      /* A fault spec that does not parse is the caller's mistake. */
      if (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT))
        *rc = wsi_cli_usage_error ("%s", error->message);
      /* The snapshot's own diagnostics say why it cannot be used. */
      else if (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE) && !wsi_session_is_open (session) &&
               wsi_diag_list_has_errors (diags))
        *rc = wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
      else
        *rc = wsi_fail (diags, wsi_session_get_failed_file (session), error, wsi_open_failure_rc (session, error));
      return NULL;
    }
  return g_steal_pointer (&session);
}

static void
wsi_report_recovered_first (WsiSession *session)
{
  GPtrArray *recovered = wsi_session_get_recovered (session);

  for (guint i = 0; i < recovered->len; i++)
    g_printerr ("wsinstall: an interrupted run was rolled back first (journal %s)\n",
                (const char *) g_ptr_array_index (recovered, i));
}

static int
wsi_run_transaction (WsiTxnOptions *o, WsiPlanBuilder build, gpointer data, const char *verb)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiSession) session = NULL;
  g_autoptr(WsiPlan) plan = NULL;
  WsiTxnOutcome outcome;
  int rc = WSI_EXIT_OK;

  session = wsi_open_session (o, WSI_SESSION_OPEN_DEFAULT, diags, &rc);
  if (session == NULL)
    return rc;
  wsi_report_recovered_first (session);
  plan = build (session, data, diags);
  if (plan == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_PROBLEMS);
  /* Warnings of the planning go out now; the list is reused for failures. */
  wsi_cli_finish_diags (diags, WSI_EXIT_OK);
  g_clear_pointer (&diags, wsi_diag_list_free);
  diags = wsi_diag_list_new ();
  if (plan->steps->len == 0)
    {
      g_print ("%s: nothing to do\n", verb);
      return WSI_EXIT_OK;
    }
  outcome = wsi_session_apply (session, plan, &error);
  switch (outcome)
    {
    case WSI_TXN_COMMITTED:
      g_print ("%s: committed (%u steps) on %s\n", verb, plan->steps->len, wsi_session_get_display_name (session));
      return WSI_EXIT_OK;
    case WSI_TXN_ROLLED_BACK:
      g_print ("%s: failed and rolled back; the machine is in its old state\n", verb);
      return wsi_fail (diags, wsi_session_get_display_name (session), error, WSI_EXIT_PROBLEMS);
    case WSI_TXN_NOT_STARTED:
      /* The journal could not be started: nothing ran. */
      return wsi_fail (diags, wsi_session_get_journal (session), error, WSI_EXIT_USAGE);
    case WSI_TXN_ROLLBACK_INCOMPLETE:
    default:
      g_print ("%s: failed; the rollback is incomplete: run `wsinstall recover`\n", verb);
      wsi_diag_list_add (diags, "rollback-incomplete", wsi_session_get_journal (session), 0, "%s", error->message);
      return wsi_cli_finish_diags (diags, WSI_EXIT_INCOMPLETE);
    }
}

/* ---- manifests ---- */

typedef struct {
  GPtrArray    *manifests;
  WsiPlanFlags  flags;
} WsiManifestJob;

static WsiPlan *
wsi_build_from_manifests (WsiSession *session, gpointer data, WsiDiagList *diags)
{
  WsiManifestJob *job = data;
  return wsi_session_plan (session, (WsiManifest *const *) job->manifests->pdata, job->manifests->len, job->flags,
                           diags);
}

static int
wsi_load_manifest_args (int argc, char **argv, GPtrArray *out)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  int rc = wsi_cli_load_manifests (argc, argv, out, diags);

  return rc != WSI_EXIT_OK ? wsi_cli_finish_diags (diags, rc) : rc;
}

int
wsi_cmd_apply (int argc, char **argv)
{
  WsiTxnOptions o = { 0 };
  gboolean force = FALSE;
  gboolean adopt = FALSE;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Allow a downgrade", NULL },
    { "adopt", 0, 0, G_OPTION_ARG_NONE, &adopt, "Take over entries with the manifests' GUIDs that no install record claims (never Windows' or another product's)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MANIFEST…");
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  WsiManifestJob job;
  int rc;

  g_option_context_set_summary (ctx,
    "Install the manifests on the machine as one transaction: every step's\n"
    "undo is journaled first; a failure rolls everything back.\n\n"
    WSI_TXN_EXIT_STATUS_HELP);
  wsi_txn_options_add (ctx, &o);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc < 2)
    {
      wsi_txn_options_clear (&o);
      return wsi_cli_usage_error ("apply needs at least one MANIFEST");
    }
  rc = wsi_load_manifest_args (argc, argv, manifests);
  if (rc == WSI_EXIT_OK)
    {
      job.manifests = manifests;
      job.flags = (force ? WSI_PLAN_FLAG_FORCE : 0) | (adopt ? WSI_PLAN_FLAG_ADOPT : 0);
      rc = wsi_run_transaction (&o, wsi_build_from_manifests, &job, "apply");
    }
  wsi_txn_options_clear (&o);
  return rc;
}

typedef struct {
  WsiGuid       guid;
  WsiPlanFlags  flags;
} WsiRemoveJob;

static WsiPlan *
wsi_build_remove_guid (WsiSession *session, gpointer data, WsiDiagList *diags)
{
  WsiRemoveJob *job = data;
  return wsi_session_plan_remove_guid (session, &job->guid, job->flags, diags);
}

int
wsi_cmd_uninstall (int argc, char **argv)
{
  WsiTxnOptions o = { 0 };
  g_autofree char *provider = NULL;
  gboolean force = FALSE;
  gboolean adopt = FALSE;
  const GOptionEntry entries[] = {
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider, "Remove the provider (or LSP) with this GUID instead", "GUID" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Remove even when a newer version of the product is installed; with --provider, even one of Windows' own providers", NULL },
    { "adopt", 0, 0, G_OPTION_ARG_NONE, &adopt, "Remove entries with the manifests' GUIDs that no install record claims (never Windows' or another product's)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MANIFEST…|--provider GUID");
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  int rc;

  g_option_context_set_summary (ctx,
    "Remove products from the machine as one transaction, repairing other\n"
    "vendors' chains that layer over them (never leaving an orphan). Only what\n"
    "the product owns is removed; a manifest older than the installed version\n"
    "changes nothing (newer-version-installed, exit 0) unless --force.\n\n"
    WSI_TXN_EXIT_STATUS_HELP);
  wsi_txn_options_add (ctx, &o);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if ((provider == NULL) == (argc < 2))
    {
      wsi_txn_options_clear (&o);
      return wsi_cli_usage_error ("uninstall takes MANIFEST… or --provider GUID (one of the two)");
    }
  if (provider != NULL)
    {
      WsiRemoveJob job = { .flags = WSI_PLAN_FLAG_UNINSTALL | (force ? WSI_PLAN_FLAG_FORCE : 0) };
      if (!wsi_guid_parse (provider, &job.guid))
        {
          wsi_txn_options_clear (&o);
          return wsi_cli_usage_error ("'%s' is not a GUID ({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX})", provider);
        }
      rc = wsi_run_transaction (&o, wsi_build_remove_guid, &job, "uninstall");
    }
  else
    {
      rc = wsi_load_manifest_args (argc, argv, manifests);
      if (rc == WSI_EXIT_OK)
        {
          WsiManifestJob job = { .manifests = manifests,
                                 .flags = WSI_PLAN_FLAG_UNINSTALL | (force ? WSI_PLAN_FLAG_FORCE : 0) |
                                          (adopt ? WSI_PLAN_FLAG_ADOPT : 0) };
          rc = wsi_run_transaction (&o, wsi_build_from_manifests, &job, "uninstall");
        }
    }
  wsi_txn_options_clear (&o);
  return rc;
}

int
wsi_cmd_recover (int argc, char **argv)
{
  WsiTxnOptions o = { 0 };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiSession) session = NULL;
  GPtrArray *recovered;
  WsiJournalState found;
  int rc = WSI_EXIT_OK;

  g_option_context_set_summary (ctx,
    "Finish what an interrupted apply, uninstall or rollback left: roll it\n"
    "back to the machine's old state. Reports the journal's state: not\n"
    "started, committed, rolled back.\n\n"
    "Exit status: 0 nothing left to do (rolled back, or nothing was\n"
    "interrupted), 1 another wsinstall holds the machine (machine-locked),\n"
    "2 usage error, or an unreadable, corrupt or refused journal or machine\n"
    "(nothing was changed), 3 the rollback is still incomplete (run recover\n"
    "again).");
  wsi_txn_options_add (ctx, &o);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 1)
    {
      wsi_txn_options_clear (&o);
      return wsi_cli_usage_error ("recover takes no arguments");
    }
  /* Opening the session is the recovery. */
  session = wsi_open_session (&o, WSI_SESSION_OPEN_DEFAULT, diags, &rc);
  wsi_txn_options_clear (&o);
  if (session == NULL)
    return rc;
  recovered = wsi_session_get_recovered (session);
  found = wsi_session_get_recovery_state (session);
  if (o.live && o.journal == NULL)
    {
      /* Live: every journal of the folder; only what was left in progress
       * is rolled back. */
      if (recovered->len == 0)
        g_print ("recover: nothing to do (no transaction left in progress)\n");
      for (guint i = 0; i < recovered->len; i++)
        g_print ("recover: the interrupted run (journal %s) was rolled back; the machine is in its old state\n",
                 (const char *) g_ptr_array_index (recovered, i));
    }
  else if (wsi_session_get_recovered_forward (session))
    g_print ("recover: the interrupted run was finished (its last steps cannot be undone); the machine is in its new state\n");
  else if (found == WSI_JOURNAL_IN_PROGRESS || found == WSI_JOURNAL_ROLLBACK_INCOMPLETE)
    g_print ("recover: the interrupted run (%s) was rolled back; the machine is in its old state\n",
             wsi_journal_state_to_string (found));
  else
    g_print ("recover: nothing to do (%s)\n", wsi_journal_state_to_string (found));
  return rc;
}

static WsiPlan *
wsi_build_repair (WsiSession *session, gpointer data, WsiDiagList *diags)
{
  return wsi_session_plan_repair (session, diags);
}

int
wsi_cmd_repair (int argc, char **argv)
{
  WsiTxnOptions o = { 0 };
  gboolean apply = FALSE;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "apply", 'a', 0, G_OPTION_ARG_NONE, &apply, "Run the repair (as a transaction) instead of printing it", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Plan output: text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  int rc = WSI_EXIT_OK;

  g_option_context_set_summary (ctx,
    "Plan the fix for what `catalog check` finds — orphan chains, chains naming\n"
    "IDs that do not exist, layered entries no chain uses — touching no\n"
    "healthy entry. With --apply, run it as a transaction.\n\n"
    "Without --apply: 0 plan printed, 1 errors, 2 usage or I/O error.\n"
    WSI_TXN_EXIT_STATUS_HELP);
  wsi_txn_options_add (ctx, &o);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 1 || (format != NULL && g_strcmp0 (format, "text") != 0 && g_strcmp0 (format, "json") != 0))
    rc = wsi_cli_usage_error ("repair takes no arguments; --format is text or json");
  else if (apply)
    rc = wsi_run_transaction (&o, wsi_build_repair, NULL, "repair");
  else
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autofree char *display = NULL;
      g_autoptr(WsiMachine) machine = NULL;
      g_autoptr(WsiPlan) plan = NULL;
      g_autofree char *out = NULL;
      if (!wsi_cli_live_usage (o.live, o.machine, &rc))
        {
          wsi_txn_options_clear (&o);
          return rc;
        }
      machine = o.live ? wsi_cli_load_live (diags, &display, &rc) : wsi_cli_load_machine (o.machine, diags, &rc);
      if (machine != NULL)
        {
          plan = wsi_plan_build_repair (machine, diags);
          rc = plan != NULL ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS;
        }
      wsi_diag_list_sort (diags);
      /* Under --format=json stdout carries one document, failures
       * included, with the diagnostics inside. */
      if (g_strcmp0 (format, "json") == 0)
        {
          rc = wsi_cli_finish_plan_document (plan, diags, rc);
        }
      else if (plan == NULL)
        rc = wsi_cli_finish_diags (diags, rc);
      else
        {
          wsi_cli_finish_diags (diags, rc);
          out = wsi_plan_to_text (plan);
          rc = wsi_cli_print (out) ? WSI_EXIT_OK : WSI_EXIT_USAGE;
        }
    }
  wsi_txn_options_clear (&o);
  return rc;
}
