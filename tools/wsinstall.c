/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall.c: the command-line front end; dispatches to subcommands. */
#include "wsi-config.h"
#include "wsinstall-cli.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wsinstall.h"

#ifdef G_OS_WIN32
#include <fcntl.h>
#include <io.h>
#endif

static const WsiCommand wsi_commands[] = {
  { "validate", "Check manifests against the schema and the semantic rules", wsi_cmd_validate },
  { "plan", "Compute the steps that install or remove manifests on a machine", wsi_cmd_plan },
  { "apply", "Install manifests on a machine as one transaction", wsi_cmd_apply },
  { "uninstall", "Remove products (by manifest or provider GUID), repairing other chains", wsi_cmd_uninstall },
  { "recover", "Roll back what an interrupted apply left", wsi_cmd_recover },
  { "repair", "Plan (and with --apply, run) the fix for what `catalog check` finds", wsi_cmd_repair },
  { "explain", "Explain a diagnostic tag", wsi_cmd_explain },
  { "schema", "Print the manifest (or snapshot) XML schema", wsi_cmd_schema },
  { "catalog import", "Read a real machine's catalogs (reg export, hive, netsh) into a snapshot", wsi_cmd_catalog_import },
  { "catalog export", "Write a snapshot as a .reg file of the Winsock keys", wsi_cmd_catalog_export },
  { "catalog show", "Print a machine's catalogs in order", wsi_cmd_catalog_show },
  { "catalog check", "Find orphan chains, out-of-sync catalogs and other damage", wsi_cmd_catalog_check },
  { "catalog diff", "Compare two machine snapshots by provider identity", wsi_cmd_catalog_diff },
  { "catalog resolve", "Tell which entry and chain a socket(af, type, protocol) gets", wsi_cmd_catalog_resolve },
  { "wsc32 run", "x86 helper: make one WSC call on the 32-bit catalog (used by the x64 wsinstall)", wsi_cmd_wsc32_run },
  { "wsc32 enum", "x86 helper: print the 32-bit catalog (used by the x64 wsinstall)", wsi_cmd_wsc32_enum },
};

gboolean
wsi_cli_parse (GOptionContext *ctx, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      g_printerr ("wsinstall: %s (see --help)\n", error->message);
      return FALSE;
    }
  return TRUE;
}

int
wsi_cli_usage_error (const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("wsinstall: %s\n", msg);
  return WSI_EXIT_USAGE;
}

gboolean
wsi_cli_print (const char *text)
{
  return wsi_cli_print_format (text, WSI_DIAG_FORMAT_TEXT);
}

gboolean
wsi_cli_print_format (const char *text, WsiDiagFormat format)
{
  gsize len = strlen (text);

#ifdef G_OS_WIN32
  /* JSON and SARIF are the same bytes on every system: the C runtime's
   * text mode would turn each \n into \r\n. Text stays text. */
  if (format == WSI_DIAG_FORMAT_JSON || format == WSI_DIAG_FORMAT_SARIF)
    {
      fflush (stdout);
      _setmode (_fileno (stdout), _O_BINARY);
    }
#endif
  if (len > 0 && fwrite (text, 1, len, stdout) != len)
    {
      g_printerr ("wsinstall: writing the output failed\n");
      return FALSE;
    }
  if (fflush (stdout) != 0)
    {
      g_printerr ("wsinstall: writing the output failed\n");
      return FALSE;
    }
  return TRUE;
}

gboolean
wsi_cli_parse_text_or_json (const char *name, WsiDiagFormat *format)
{
  *format = WSI_DIAG_FORMAT_TEXT;
  if (name == NULL || g_strcmp0 (name, "text") == 0)
    return TRUE;
  if (g_strcmp0 (name, "json") == 0)
    {
      *format = WSI_DIAG_FORMAT_JSON;
      return TRUE;
    }
  return FALSE;
}

int
wsi_cli_finish_document (const char *document, int rc)
{
  return wsi_cli_print_format (document, WSI_DIAG_FORMAT_JSON) ? rc : WSI_EXIT_USAGE;
}

static void
wsi_print_usage (FILE *out)
{
  fprintf (out, "Usage: wsinstall COMMAND [OPTION…]\n\n"
                "Manifest-driven installer engine for Winsock 2 service providers.\n\n"
                "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (wsi_commands); i++)
    fprintf (out, "  %-18s %s\n", wsi_commands[i].name, wsi_commands[i].summary);
  fprintf (out, "\nRun `wsinstall COMMAND --help` for a command's options.\n"
                "Options:\n  --version          Print the version\n  -h, --help         Show this help\n");
}

/* Matches the longest command name made of the first words of argv, so
 * "catalog show" and "catalog" can both exist. Returns the number of words
 * consumed, 0 for no match. */
static guint
wsi_match_command (int argc, char **argv, const WsiCommand **out)
{
  guint best = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (wsi_commands); i++)
    {
      g_auto(GStrv) words = g_strsplit (wsi_commands[i].name, " ", -1);
      guint n = g_strv_length (words);
      gboolean ok = n < (guint) argc && n > best;
      for (guint w = 0; ok && w < n; w++)
        ok = strcmp (argv[1 + w], words[w]) == 0;
      if (ok)
        {
          best = n;
          *out = &wsi_commands[i];
        }
    }
  return best;
}

int
main (int argc, char **argv)
{
  const WsiCommand *cmd = NULL;
  guint words;
  g_autofree char *name = NULL;
  g_autofree char **sub_argv = NULL;
  int sub_argc;

  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      wsi_print_usage (stderr);
      return WSI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("wsinstall %s\n", WSI_VERSION);
      return WSI_EXIT_OK;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      wsi_print_usage (stdout);
      return WSI_EXIT_OK;
    }
  words = wsi_match_command (argc, argv, &cmd);
  if (words == 0)
    {
      g_printerr ("wsinstall: unknown command '%s'\n\n", argv[1]);
      wsi_print_usage (stderr);
      return WSI_EXIT_USAGE;
    }

  /* The subcommand sees its full name as argv[0] so GOption's help reads
   * "wsinstall catalog show [OPTION…]". */
  name = g_strdup_printf ("wsinstall %s", cmd->name);
  sub_argc = argc - (int) words;
  sub_argv = g_new0 (char *, sub_argc + 1);
  sub_argv[0] = name;
  for (int i = 1; i < sub_argc; i++)
    sub_argv[i] = argv[i + (int) words];
  g_set_prgname (name);
  return cmd->run (sub_argc, sub_argv);
}
