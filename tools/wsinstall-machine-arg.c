/* wsinstall-machine-arg.c: how every command finds the machine it works on:
 * --machine SNAPSHOT, else $WSINSTALL_MACHINE, else the embedded default. */
#include "wsinstall-cli.h"

#include "wsinstall.h"
#include "wsi-snapshot.h"

WsiMachine *
wsi_cli_load_machine (const char *path, WsiDiagList *diags, int *rc)
{
  WsiMachine *machine;
  guint before = wsi_diag_list_get_size (diags);

  if (path == NULL)
    path = g_getenv ("WSINSTALL_MACHINE");
  if (path == NULL)
    {
      *rc = wsi_cli_usage_error ("no machine: pass --machine SNAPSHOT");
      return NULL;
    }
  machine = wsi_snapshot_load_file (path, diags);
  if (machine != NULL)
    return machine;
  *rc = WSI_EXIT_PROBLEMS;
  for (guint k = before; k < wsi_diag_list_get_size (diags); k++)
    if (g_strcmp0 (wsi_diag_list_get (diags, k)->tag, "file-unreadable") == 0)
      *rc = WSI_EXIT_USAGE;
  return NULL;
}
