/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-diag-output.c: diagnostics in the format a command was asked
 * for, and the --sarif-root option of the commands that print SARIF. */
#include "wsinstall-cli.h"

gboolean
wsi_cli_check_sarif_root (const char *sarif_root)
{
  if (sarif_root == NULL || g_file_test (sarif_root, G_FILE_TEST_IS_DIR))
    return TRUE;
  wsi_cli_usage_error ("--sarif-root: '%s' is not a directory", sarif_root);
  return FALSE;
}

char *
wsi_cli_render_diags (const WsiDiagList *diags, WsiDiagFormat format, const char *sarif_root)
{
  if (format == WSI_DIAG_FORMAT_SARIF)
    return wsi_diag_render_sarif (diags, sarif_root);
  return wsi_diag_render (diags, format);
}
