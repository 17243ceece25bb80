/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
