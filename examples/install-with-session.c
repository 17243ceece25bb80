/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* install-with-session.c: a vendor's own installer on libwsinstall.
 *
 *   install-with-session [--uninstall] SNAPSHOT MANIFEST...
 *
 * Opens the machine (here a snapshot file; WsiSession's open_live is the
 * same on Windows), which first finishes whatever an interrupted run left,
 * plans the manifests against the machine as it is, and applies the plan
 * as one transaction: on any failure every step is rolled back. Ctrl+C
 * cancels between two steps and rolls back too.
 *
 * Build it against an installed libwsinstall:
 *   cc install-with-session.c $(pkg-config --cflags --libs wsinstall)
 *
 * Exit status: 0 committed or nothing to do, 1 failed and rolled back,
 * 2 bad arguments or the machine cannot be opened, 3 the rollback is
 * incomplete (the next run finishes it). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <wsinstall.h>

#if !WSI_CHECK_VERSION (0, 1, 0)
#error "this example needs libwsinstall 0.1.0 or newer"
#endif

static GCancellable *cancellable;

static void
on_interrupt (int signum)
{
  (void) signum;
  /* Safe from a signal handler: it sets an atomic flag (and wakes no
   * one here, as the example has no main loop). */
  g_cancellable_cancel (cancellable);
}

static void
on_progress (WsiProgressPhase phase, guint index, guint total, const char *summary, gpointer user_data)
{
  (void) user_data;
  if (phase == WSI_PROGRESS_APPLY || phase == WSI_PROGRESS_UNDO)
    printf ("[%u/%u] %s%s\n", index + 1, total, phase == WSI_PROGRESS_UNDO ? "undo: " : "", summary);
}

static void
print_diags (const WsiDiagList *diags)
{
  g_autofree char *text = wsi_diag_render (diags, WSI_DIAG_FORMAT_TEXT);
  fputs (text, stderr);
}

int
main (int argc, char **argv)
{
  g_autoptr(WsiSession) session = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  WsiPlanFlags flags = 0;
  int first = 1;

  if (argc > 1 && strcmp (argv[1], "--uninstall") == 0)
    {
      flags |= WSI_PLAN_FLAG_UNINSTALL;
      first = 2;
    }
  if (argc - first < 2)
    {
      fprintf (stderr, "usage: %s [--uninstall] SNAPSHOT MANIFEST...\n", argv[0]);
      return 2;
    }
  printf ("libwsinstall %s (built against %d.%d.%d)\n", wsi_version_string (), WSI_MAJOR_VERSION,
          WSI_MINOR_VERSION, WSI_MICRO_VERSION);

  for (int i = first + 1; i < argc; i++)
    {
      WsiManifest *m = wsi_manifest_load_file (argv[i], diags);
      if (m == NULL)
        {
          print_diags (diags);
          return 2;
        }
      g_ptr_array_add (manifests, m);
    }

  cancellable = g_cancellable_new ();
  signal (SIGINT, on_interrupt);
  session = wsi_session_new ();
  wsi_session_set_progress (session, on_progress, NULL, NULL);
  wsi_session_set_cancellable (session, cancellable);
  if (!wsi_session_open_snapshot (session, argv[first], WSI_SESSION_OPEN_DEFAULT, diags, &error))
    {
      print_diags (diags);
      fprintf (stderr, "error [%s]: %s\n", wsi_error_to_tag (error), error->message);
      return wsi_session_get_recovery_started (session) ? 3 : 2;
    }
  for (guint i = 0; i < wsi_session_get_recovered (session)->len; i++)
    printf ("an interrupted run was rolled back first (%s)\n",
            (const char *) g_ptr_array_index (wsi_session_get_recovered (session), i));

  plan = wsi_session_plan (session, (WsiManifest *const *) manifests->pdata, manifests->len, flags, diags);
  print_diags (diags);
  if (plan == NULL)
    return 1;
  if (wsi_plan_get_n_steps (plan) == 0)
    {
      printf ("nothing to do\n");
      return 0;
    }
  switch (wsi_session_apply (session, plan, &error))
    {
    case WSI_TXN_COMMITTED:
      printf ("committed: %u steps\n", wsi_plan_get_n_steps (plan));
      return 0;
    case WSI_TXN_ROLLED_BACK:
      fprintf (stderr, "error [%s]: %s\nrolled back: the machine is as it was\n", wsi_error_to_tag (error),
               error->message);
      return 1;
    case WSI_TXN_NOT_STARTED:
      fprintf (stderr, "error [%s]: %s\nnothing was changed\n", wsi_error_to_tag (error), error->message);
      return 2;
    case WSI_TXN_ROLLBACK_INCOMPLETE:
    default:
      fprintf (stderr, "error [rollback-incomplete]: %s\n", error->message);
      return 3;
    }
}
