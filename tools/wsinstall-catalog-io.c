/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-catalog-io.c: `catalog import` (a real machine's catalogs into a
 * snapshot) and `catalog export` (a snapshot as a .reg file). */
#include "wsi-config.h"
#include "wsinstall-cli.h"

#include <string.h>

#include "wsinstall.h"

/* For a failed load: an input that cannot be read at all is exit 2, a
 * damaged one exit 1. */
static int
wsi_exit_for_failure (const WsiDiagList *diags)
{
  return wsi_diag_list_has_tag (diags, "file-unreadable") ? WSI_EXIT_USAGE : WSI_EXIT_PROBLEMS;
}

static gboolean
wsi_print_diags (WsiDiagList *diags, WsiDiagFormat format, const char *sarif_root)
{
  g_autofree char *out = NULL;

  wsi_diag_list_sort (diags);
  out = wsi_cli_render_diags (diags, format, sarif_root);
  return wsi_cli_print_diags (out, format);
}

static char *
wsi_machine_summary (const WsiMachine *machine)
{
  GString *s = g_string_new (wsi_machine_kind_to_string (wsi_machine_get_kind (machine)));
  const WsiBitness bitness[] = { WSI_CATALOG_64, WSI_CATALOG_32 };

  for (guint i = 0; i < G_N_ELEMENTS (bitness); i++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (machine, bitness[i]);
      if (c != NULL)
        g_string_append_printf (s, ", catalog %d: %u entries (next ID %u)", bitness[i], wsi_catalog_get_size (c),
                                wsi_catalog_get_next_id (c));
    }
  return g_string_free (s, FALSE);
}

int
wsi_cmd_catalog_import (int argc, char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *output = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *description = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *sarif_root = NULL;
  gboolean allow_partial = FALSE;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "What INPUT is: reg, hive or netsh", "KIND" },
    { "allow-partial", 0, 0, G_OPTION_ARG_NONE, &allow_partial,
      "netsh: accept a listing without its name space providers (an excerpt)", NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The snapshot to write", "SNAPSHOT" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name, "Force the machine kind: x86, x64 or ce", "KIND" },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "The machine's description", "TEXT" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Diagnostics format: text, json, sarif, github", "FORMAT" },
    WSI_CLI_SARIF_ROOT_ENTRY (sarif_root),
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("INPUT [INPUT32] -o SNAPSHOT");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  WsiImportOptions options = { FALSE, WSI_MACHINE_X86, NULL, FALSE };
  WsiDiagFormat format = WSI_DIAG_FORMAT_TEXT;
  int max_inputs;

  g_option_context_set_summary (ctx,
    "Read a real machine's Winsock catalogs into a snapshot (written atomically).\n\n"
    "  --from=reg    a `reg export HKLM\\SYSTEM\\CurrentControlSet\\Services` file\n"
    "                (REGEDIT4 or 5; the WinSock2 and Winsock keys alone will do)\n"
    "  --from=hive   an offline SYSTEM hive (\\Windows\\System32\\config\\SYSTEM)\n"
    "  --from=netsh  the text of `netsh winsock show catalog`; INPUT32, a listing\n"
    "                taken by a 32-bit process, makes an x64 machine\n\n"
    "Exit status: 0 written, 1 the input is damaged (see the diagnostics),\n"
    "2 usage error, unreadable input or the snapshot cannot be written.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (format_name != NULL && !wsi_diag_format_from_string (format_name, &format))
    return wsi_cli_usage_error ("unknown format '%s' (text, json, sarif, github)", format_name);
  if (!wsi_cli_check_sarif_root (sarif_root))
    return WSI_EXIT_USAGE;
  if (from == NULL)
    return wsi_cli_usage_error ("catalog import needs --from=reg|hive|netsh");
  if (strcmp (from, "reg") != 0 && strcmp (from, "hive") != 0 && strcmp (from, "netsh") != 0)
    return wsi_cli_usage_error ("unknown --from '%s' (reg, hive, netsh)", from);
  if (output == NULL)
    return wsi_cli_usage_error ("catalog import needs -o SNAPSHOT");
  /* ref:NAME names an installed reference catalog, never a file to write. */
  if (wsi_cli_is_reference (output))
    return wsi_cli_usage_error ("-o %s: reference catalogs are read-only; write the snapshot to a file", output);
  max_inputs = strcmp (from, "netsh") == 0 ? 2 : 1;
  if (argc < 2 || argc - 1 > max_inputs)
    return wsi_cli_usage_error ("catalog import --from=%s takes %s", from,
                                max_inputs == 2 ? "INPUT and optionally INPUT32" : "exactly one INPUT");
  if (kind_name != NULL)
    {
      if (!wsi_machine_kind_from_string (kind_name, &options.kind))
        return wsi_cli_usage_error ("unknown --kind '%s' (x86, x64, ce)", kind_name);
      options.force_kind = TRUE;
    }
  options.description = description;
  options.allow_partial = allow_partial;

  if (strcmp (from, "reg") == 0)
    machine = wsi_import_reg_file (argv[1], &options, diags);
  else if (strcmp (from, "hive") == 0)
    {
      machine = wsi_import_hive_file (argv[1], &options, diags, &error);
      if (error != NULL)
        return wsi_cli_usage_error ("%s", error->message);
    }
  else
    machine = wsi_import_netsh_file (argv[1], argc > 2 ? argv[2] : NULL, &options, diags);

  if (!wsi_print_diags (diags, format, sarif_root))
    return WSI_EXIT_USAGE;
  if (machine == NULL)
    return wsi_exit_for_failure (diags);
  if (!wsi_snapshot_save (machine, output, &error))
    return wsi_cli_usage_error ("%s", error->message);
  summary = wsi_machine_summary (machine);
  if (format == WSI_DIAG_FORMAT_TEXT)
    g_printerr ("wsinstall: wrote %s (%s)\n", output, summary);
  return WSI_EXIT_OK;
}

/* What the snapshot holds that a .reg file cannot: a problem of the
 * snapshot (exit 1), not of the output file (exit 2). */
static gboolean
wsi_export_error_is_content (const GError *error)
{
  return g_error_matches (error, WSI_ERROR, WSI_ERROR_PATH_TOO_LONG) ||
         g_error_matches (error, WSI_ERROR, WSI_ERROR_PATH_ENCODING) ||
         g_error_matches (error, WSI_ERROR, WSI_ERROR_POLICY);
}

int
wsi_cmd_catalog_export (int argc, char **argv)
{
  g_autofree char *to = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *sarif_root = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The output format: reg", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The file to write", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Diagnostics format: text, json, sarif, github", "FORMAT" },
    WSI_CLI_SARIF_ROOT_ENTRY (sarif_root),
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SNAPSHOT -o FILE");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = NULL;
  g_autoptr(GError) error = NULL;
  WsiDiagFormat format = WSI_DIAG_FORMAT_TEXT;

  g_option_context_set_summary (ctx,
    "Write a snapshot (or a reference catalog, ref:NAME) as a .reg file (REGEDIT5,\n"
    "UTF-16LE) of the Winsock keys, to set a planned state beside a real machine's\n"
    "`reg export`. Written atomically;\n"
    "`catalog import --from=reg` reads it back to the same machine.\n\n"
    "Exit status: 0 written, 1 the snapshot is damaged or cannot be written as .reg,\n"
    "2 usage error, unreadable snapshot or the file cannot be written.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (format_name != NULL && !wsi_diag_format_from_string (format_name, &format))
    return wsi_cli_usage_error ("unknown format '%s' (text, json, sarif, github)", format_name);
  if (!wsi_cli_check_sarif_root (sarif_root))
    return WSI_EXIT_USAGE;
  if (to == NULL || strcmp (to, "reg") != 0)
    return wsi_cli_usage_error ("catalog export needs --to=reg");
  if (output == NULL)
    return wsi_cli_usage_error ("catalog export needs -o FILE");
  if (argc != 2)
    return wsi_cli_usage_error ("catalog export takes exactly one SNAPSHOT");

  machine = wsi_cli_load_snapshot (argv[1], diags);
  if (machine != NULL && !wsi_export_reg_file (machine, output, &error))
    {
      if (!wsi_export_error_is_content (error))
        return wsi_cli_usage_error ("%s", error->message);
      wsi_diag_list_add (diags, wsi_error_to_tag (error), argv[1], 0, "%s", error->message);
    }
  if (!wsi_print_diags (diags, format, sarif_root))
    return WSI_EXIT_USAGE;
  if (machine == NULL)
    return wsi_exit_for_failure (diags);
  return wsi_diag_list_has_errors (diags) ? WSI_EXIT_PROBLEMS : WSI_EXIT_OK;
}
