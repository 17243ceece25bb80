/* wsinstall-live.c: --live, the commands on this computer's own Winsock
 * catalogs through ws2_32 (Windows builds). Elsewhere --live is a usage
 * error: a Linux host works on snapshots (--machine). */
#include "wsinstall-cli.h"

#include <string.h>

#include "wsinstall.h"
#include "wsi-error.h"
#include "wsi-live-journal.h"
#ifdef G_OS_WIN32
#include "wsi-backend-win32.h"
#endif

#define WSI_LIVE_DISPLAY "<live machine>"

#ifndef G_OS_WIN32
static int
wsi_live_unavailable (void)
{
  return wsi_cli_usage_error ("--live works only in the Windows build of wsinstall; "
                              "here, work on a snapshot (--machine SNAPSHOT, see `catalog import`)");
}
#endif

gboolean
wsi_cli_live_usage (gboolean live, const char *machine, int *rc)
{
  if (!live)
    return TRUE;
  if (machine != NULL)
    {
      *rc = wsi_cli_usage_error ("--live and --machine exclude each other");
      return FALSE;
    }
#ifndef G_OS_WIN32
  *rc = wsi_live_unavailable ();
  return FALSE;
#else
  return TRUE;
#endif
}


WsiMachine *
wsi_cli_load_live (WsiDiagList *diags, char **display, int *rc)
{
#ifdef G_OS_WIN32
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiBackend) backend = wsi_backend_win32_new (WSI_WIN32_READ_ONLY, NULL, &error);
  const WsiMachine *machine = backend != NULL ? wsi_backend_peek (backend, &error) : NULL;

  if (machine == NULL)
    {
      wsi_diag_list_add (diags, wsi_error_to_tag (error), WSI_LIVE_DISPLAY, 0, "%s", error->message);
      *rc = WSI_EXIT_USAGE;
      return NULL;
    }
  *display = g_strdup (WSI_LIVE_DISPLAY);
  return wsi_machine_copy (machine);
#else
  *rc = wsi_live_unavailable ();
  return NULL;
#endif
}

WsiBackend *
wsi_cli_open_live (const char *journal_opt, guint lock_timeout_ms, char **display, char **journal,
                   char **recover_dir, WsiLock **lock, WsiDiagList *diags, int *rc)
{
#ifdef G_OS_WIN32
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(WsiLock) held = NULL;
  g_autoptr(WsiBackend) backend = NULL;

  /* A 32-bit process on 64-bit Windows cannot enumerate the 64-bit catalog:
   * planning from it would ignore half the machine. */
  if (wsi_win32_is_wow64 ())
    {
      wsi_diag_list_add (diags, "wow64-refused", WSI_LIVE_DISPLAY, 0,
                         "this is the 32-bit wsinstall on 64-bit Windows: it sees only the 32-bit catalog");
      *rc = wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
      return NULL;
    }
  /* Checked before waiting for the lock: a plain user learns it at once. */
  backend = wsi_backend_win32_new (WSI_WIN32_FOR_WRITING, NULL, &error);
  if (backend == NULL)
    {
      wsi_diag_list_add (diags, wsi_error_to_tag (error), WSI_LIVE_DISPLAY, 0, "%s", error->message);
      *rc = wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
      return NULL;
    }
  /* NULL: the machine-wide named mutex every wsinstall (and the MSI
   * custom action) takes for the live catalogs. */
  held = wsi_lock_acquire (NULL, lock_timeout_ms, &error);
  if (held == NULL)
    {
      wsi_diag_list_add (diags, wsi_error_to_tag (error), WSI_LIVE_DISPLAY, 0, "%s", error->message);
      *rc = wsi_cli_finish_diags (diags, g_error_matches (error, WSI_ERROR, WSI_ERROR_LOCKED) ? WSI_EXIT_PROBLEMS
                                                                                            : WSI_EXIT_USAGE);
      return NULL;
    }
  if (journal_opt != NULL)
    path = g_strdup (journal_opt);
  else
    {
      /* Under the lock: two writers never create the folder at once. Each
       * transaction gets a journal of its own (wsi-live-journal.h). */
      dir = wsi_win32_journal_dir_open (&error);
      if (dir == NULL)
        {
          wsi_diag_list_add (diags, wsi_error_to_tag (error), WSI_LIVE_DISPLAY, 0, "%s", error->message);
          *rc = wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
          return NULL;
        }
      path = wsi_live_journal_new_path (dir);
    }
  *display = g_strdup (WSI_LIVE_DISPLAY);
  *journal = g_steal_pointer (&path);
  *recover_dir = g_steal_pointer (&dir);
  *lock = g_steal_pointer (&held);
  return g_steal_pointer (&backend);
#else
  *rc = wsi_live_unavailable ();
  return NULL;
#endif
}

gboolean
wsi_cli_recover_live (WsiBackend *backend, const char *dir, WsiTxnProgress progress, GPtrArray *recovered,
                      GError **error)
{
#ifdef G_OS_WIN32
  return wsi_live_journal_recover_all (backend, dir, wsi_win32_journal_check, NULL, progress, NULL, recovered, error);
#else
  /* --live is refused before this on other systems; the check exists on
   * Windows only. */
  g_set_error (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED, "--live works only in the Windows build of wsinstall");
  return FALSE;
#endif
}
