/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall.c: the command-line front end; dispatches to subcommands. */
#include "wsi-config.h"
#include "wsinstall-cli.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libxml/xmlversion.h>

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
  { "catalog list", "List the reference catalogs of real Windows versions (--machine ref:NAME)", wsi_cmd_catalog_list },
  { "wsc32 run", "x86 helper: make one WSC call on the 32-bit catalog (used by the x64 wsinstall)", wsi_cmd_wsc32_run },
  { "wsc32 enum", "x86 helper: print the 32-bit catalog (used by the x64 wsinstall)", wsi_cmd_wsc32_enum },
};

static gboolean wsi_verbose = FALSE;

void
wsi_cli_set_verbose (gboolean verbose)
{
  wsi_verbose = verbose;
}

gboolean
wsi_cli_get_verbose (void)
{
  return wsi_verbose;
}

void
wsi_cli_verbose (const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  if (!wsi_verbose)
    return;
  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("wsinstall: %s\n", msg);
}

static gboolean
wsi_parse_color_option (const char *name, const char *value, gpointer data, GError **error)
{
  if (wsi_cli_set_color_mode (value))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--color takes auto, always or never, not '%s'", value);
  return FALSE;
}

/* The options of every command, after the command's own in its --help. */
static const GOptionEntry wsi_common_entries[] = {
  { "verbose", 0, 0, G_OPTION_ARG_NONE, &wsi_verbose,
    "Say on stderr which machine file is used and how long the command took", NULL },
  { "color", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) wsi_parse_color_option,
    "Colour diagnostics: auto (default: on a terminal, unless NO_COLOR is set), always, never", "WHEN" },
  { NULL }
};

gboolean
wsi_cli_parse (GOptionContext *ctx, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (ctx, wsi_common_entries, NULL);
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

void
wsi_cli_document_output (void)
{
#ifdef G_OS_WIN32
  /* JSON and SARIF are the same bytes on every system: the C runtime's
   * text mode would turn each \n into \r\n. Text stays text. */
  fflush (stdout);
  _setmode (_fileno (stdout), _O_BINARY);
#endif
}

gboolean
wsi_cli_print_format (const char *text, WsiDiagFormat format)
{
  gsize len = strlen (text);

  if (format == WSI_DIAG_FORMAT_JSON || format == WSI_DIAG_FORMAT_SARIF)
    wsi_cli_document_output ();
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
                "Options (before the command; --verbose and --color also after it):\n"
                "  -V, --version      Print the version (with --verbose: libraries and paths too)\n"
                "  --verbose          Say which machine file is used and how long the command took\n"
                "  --color=WHEN       Colour diagnostics: auto (on a terminal), always, never\n"
                "  -h, --help         Show this help\n");
}

/* -V with --verbose: what a bug report needs. */
static void
wsi_print_version (void)
{
  g_autofree char *looked = NULL;
  g_autofree char *refdir = NULL;
  const char *origin = NULL;
#ifdef JSON_MAJOR_VERSION
  g_autofree char *json = g_strdup_printf ("json-glib %d.%d.%d", JSON_MAJOR_VERSION, JSON_MINOR_VERSION,
                                           JSON_MICRO_VERSION);
#else
  /* The Windows builds link tools/win/json-glib-lite, which has no version. */
  g_autofree char *json = g_strdup ("json-glib-lite");
#endif

  printf ("wsinstall %s\n", WSI_VERSION);
  if (!wsi_cli_get_verbose ())
    return;
  refdir = wsi_cli_reference_dir (&origin, &looked);
  printf ("libwsinstall %s\n"
          "GLib %u.%u.%u, libxml2 %s, %s\n"
          "offline hive import: %s\n"
          "fault injection (WSINSTALL_FAULT): %s\n",
          wsi_version_string (), glib_major_version, glib_minor_version, glib_micro_version,
          LIBXML_DOTTED_VERSION, json,
          WSI_HAVE_HIVEX ? "yes" : "no (built without libhivex)",
          WSI_FAULT_INJECTION ? "yes (a debug build)" : "no");
  if (refdir != NULL)
    printf ("reference catalogs: %s (%s)\n", refdir, origin);
  else
    printf ("reference catalogs: none (looked in %s)\n", looked);
}

/* The options that may come before the command. Returns the index of the
 * command's first word, or -1 after printing the version or the help
 * (*@rc set), or after a usage error. */
static int
wsi_parse_leading_options (int argc, char **argv, int *rc)
{
  gboolean version = FALSE;
  int i;

  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char *arg = argv[i];

      if (strcmp (arg, "-V") == 0 || strcmp (arg, "--version") == 0)
        version = TRUE;
      else if (strcmp (arg, "--verbose") == 0)
        wsi_cli_set_verbose (TRUE);
      else if (g_str_has_prefix (arg, "--color=") || strcmp (arg, "--color") == 0)
        {
          const char *when = arg[7] == '=' ? arg + 8 : (i + 1 < argc ? argv[++i] : "");
          if (!wsi_cli_set_color_mode (when))
            {
              *rc = wsi_cli_usage_error ("--color takes auto, always or never, not '%s'", when);
              return -1;
            }
        }
      else if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0)
        {
          wsi_print_usage (stdout);
          *rc = WSI_EXIT_OK;
          return -1;
        }
      else
        {
          g_printerr ("wsinstall: unknown option '%s'\n\n", arg);
          wsi_print_usage (stderr);
          *rc = WSI_EXIT_USAGE;
          return -1;
        }
    }
  if (version)
    {
      wsi_print_version ();
      *rc = WSI_EXIT_OK;
      return -1;
    }
  return i;
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
  int first;
  int rc = WSI_EXIT_OK;
  gint64 start;

  setlocale (LC_ALL, "");
  first = wsi_parse_leading_options (argc, argv, &rc);
  if (first < 0)
    return rc;
  if (first >= argc)
    {
      wsi_print_usage (stderr);
      return WSI_EXIT_USAGE;
    }
  if (strcmp (argv[first], "help") == 0)
    {
      wsi_print_usage (stdout);
      return WSI_EXIT_OK;
    }
  /* The command's words start at argv[first]: match as if they were at
   * argv[1]. */
  words = wsi_match_command (argc - first + 1, argv + first - 1, &cmd);
  if (words == 0)
    {
      g_printerr ("wsinstall: unknown command '%s'\n\n", argv[first]);
      wsi_print_usage (stderr);
      return WSI_EXIT_USAGE;
    }

  /* The subcommand sees its full name as argv[0] so GOption's help reads
   * "wsinstall catalog show [OPTION…]". */
  name = g_strdup_printf ("wsinstall %s", cmd->name);
  sub_argc = argc - (first - 1) - (int) words;
  sub_argv = g_new0 (char *, sub_argc + 1);
  sub_argv[0] = name;
  for (int i = 1; i < sub_argc; i++)
    sub_argv[i] = argv[i + (first - 1) + (int) words];
  g_set_prgname (name);
  start = g_get_monotonic_time ();
  rc = cmd->run (sub_argc, sub_argv);
  wsi_cli_verbose ("%s: exit %d after %.1f ms", cmd->name, rc, (double) (g_get_monotonic_time () - start) / 1000.0);
  return rc;
}
