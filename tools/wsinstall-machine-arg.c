/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-machine-arg.c: how every command finds the machine it works on:
 * --machine SNAPSHOT, else $WSINSTALL_MACHINE, else the embedded default
 * machine (a copy kept in the user's state directory). */
#include "wsinstall-cli.h"

#include "wsinstall.h"
#include "wsi-default-machine.h"
#include "wsi-snapshot.h"

static const char *
wsi_cli_named_machine (const char *path)
{
  if (path == NULL)
    path = g_getenv ("WSINSTALL_MACHINE");
  return path != NULL && *path != '\0' ? path : NULL;
}

static int
wsi_cli_load_rc (WsiDiagList *diags, guint before)
{
  for (guint k = before; k < wsi_diag_list_get_size (diags); k++)
    if (g_strcmp0 (wsi_diag_list_get (diags, k)->tag, "file-unreadable") == 0)
      return WSI_EXIT_USAGE;
  return WSI_EXIT_PROBLEMS;
}

WsiMachine *
wsi_cli_load_machine (const char *path, WsiDiagList *diags, int *rc)
{
  WsiMachine *machine;
  guint before = wsi_diag_list_get_size (diags);
  const char *named = wsi_cli_named_machine (path);

  if (named != NULL)
    machine = wsi_snapshot_load_file (named, diags);
  else
    {
      g_autofree char *state = NULL;
      machine = wsi_default_machine_load (&state, diags);
    }
  if (machine == NULL)
    *rc = wsi_cli_load_rc (diags, before);
  return machine;
}

char *
wsi_cli_machine_path (const char *path, WsiDiagList *diags, int *rc)
{
  const char *named = wsi_cli_named_machine (path);
  g_autofree char *state = NULL;
  g_autoptr(WsiMachine) machine = NULL;
  guint before = wsi_diag_list_get_size (diags);

  if (named != NULL)
    return g_strdup (named);
  /* Make sure the default machine's file exists before anyone locks it. */
  machine = wsi_default_machine_load (&state, diags);
  if (machine == NULL)
    {
      *rc = wsi_cli_load_rc (diags, before);
      return NULL;
    }
  if (state == NULL)
    {
      *rc = wsi_cli_usage_error ("the state directory cannot be written: name a snapshot with --machine");
      return NULL;
    }
  return g_steal_pointer (&state);
}
