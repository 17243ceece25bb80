/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-catalog.c: `catalog show`, `catalog check`, `catalog diff` and
 * `catalog resolve`: reading a machine, never changing it. */
#include "wsinstall-cli.h"

#include <string.h>

#include "wsinstall.h"

/* --machine (a snapshot or ref:NAME), else $WSINSTALL_MACHINE, else the
 * default machine. Any load failure is exit 2 here: for check and diff, 1
 * means "the catalogs have problems" or "differ", which an unreadable
 * snapshot must not look like. */
static WsiMachine *
wsi_catalog_load (const char *path, WsiDiagList *diags, char **display)
{
  int rc;

  return wsi_cli_load_machine_display (path, diags, display, &rc);
}

/* --live (this computer's catalogs, Windows builds), else as
 * wsi_catalog_load. *@usage: --live cannot be used here (already said). */
static WsiMachine *
wsi_catalog_load_or_live (gboolean live, const char *path, WsiDiagList *diags, char **display, gboolean *usage)
{
  int rc = WSI_EXIT_OK;

  *usage = FALSE;
  if (!live)
    return wsi_catalog_load (path, diags, display);
  if (!wsi_cli_live_usage (live, path, &rc))
    {
      *usage = TRUE;
      return NULL;
    }
  return wsi_cli_load_live (diags, display, &rc);
}

static gboolean
wsi_parse_catalog_option (const char *text, WsiBitness *out)
{
  if (g_strcmp0 (text, "32") == 0)
    *out = WSI_CATALOG_32;
  else if (g_strcmp0 (text, "64") == 0)
    *out = WSI_CATALOG_64;
  else
    return FALSE;
  return TRUE;
}

/* The catalogs to show: the one asked for, or every one the machine has
 * (native first). FALSE when the machine has no such catalog. */
static gboolean
wsi_pick_catalogs (const WsiMachine *machine, const char *option, GPtrArray *out)
{
  WsiBitness bitness;

  if (option != NULL)
    {
      if (!wsi_parse_catalog_option (option, &bitness) || wsi_machine_peek_catalog (machine, bitness) == NULL)
        return FALSE;
      g_ptr_array_add (out, (gpointer) wsi_machine_peek_catalog (machine, bitness));
      return TRUE;
    }
  if (wsi_machine_peek_catalog (machine, WSI_CATALOG_64) != NULL)
    g_ptr_array_add (out, (gpointer) wsi_machine_peek_catalog (machine, WSI_CATALOG_64));
  g_ptr_array_add (out, (gpointer) wsi_machine_peek_catalog (machine, WSI_CATALOG_32));
  return TRUE;
}

/* ---------------- catalog show ---------------- */

int
wsi_cmd_catalog_show (int argc, char **argv)
{
  g_autofree char *machine_path = NULL;
  gboolean live = FALSE;
  gboolean usage = FALSE;
  g_autofree char *catalog_name = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot, or ref:NAME, a reference catalog (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "This computer's live catalogs (Windows build)", NULL },
    { "catalog", 'c', 0, G_OPTION_ARG_STRING, &catalog_name, "Only this catalog: 32 or 64", "BITS" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = NULL;
  g_autoptr(GPtrArray) catalogs = g_ptr_array_new ();
  g_autofree char *display = NULL;
  g_autofree char *out = NULL;
  WsiDiagFormat format_id;

  g_option_context_set_summary (ctx,
    "Print a machine's catalogs, entries in catalog (enumeration) order.\n\n"
    "Exit status: 0 shown, 2 usage error or unreadable snapshot.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc > 1)
    return wsi_cli_usage_error ("catalog show takes no arguments (use --machine SNAPSHOT)");
  if (!wsi_cli_parse_text_or_json (format, &format_id))
    return wsi_cli_usage_error ("unknown format '%s' (text, json)", format);
  if (catalog_name != NULL && g_strcmp0 (catalog_name, "32") != 0 && g_strcmp0 (catalog_name, "64") != 0)
    return wsi_cli_usage_error ("--catalog must be 32 or 64, not '%s'", catalog_name);

  machine = wsi_catalog_load_or_live (live, machine_path, diags, &display, &usage);
  if (usage)
    return WSI_EXIT_USAGE;
  wsi_diag_list_sort (diags);
  if (machine == NULL && format_id == WSI_DIAG_FORMAT_JSON)
    {
      out = wsi_catalog_show_to_json (NULL, NULL, diags);
      return wsi_cli_finish_document (out, WSI_EXIT_USAGE);
    }
  if (machine == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  if (!wsi_pick_catalogs (machine, catalog_name, catalogs))
    return wsi_cli_usage_error ("an %s machine has no %s-bit catalog",
                                wsi_machine_kind_to_string (wsi_machine_get_kind (machine)), catalog_name);
  if (format_id == WSI_DIAG_FORMAT_JSON)
    {
      out = wsi_catalog_show_to_json (machine, catalogs, diags);
      return wsi_cli_finish_document (out, WSI_EXIT_OK);
    }
  out = wsi_catalog_show_to_text (machine, catalogs);
  return wsi_cli_print (out) ? WSI_EXIT_OK : WSI_EXIT_USAGE;
}

/* ---------------- catalog check ---------------- */

int
wsi_cmd_catalog_check (int argc, char **argv)
{
  g_autofree char *machine_path = NULL;
  gboolean live = FALSE;
  gboolean usage = FALSE;
  g_autofree char *format_name = NULL;
  gboolean strict = FALSE;
  g_autofree char *sarif_root = NULL;
  const GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot, or ref:NAME, a reference catalog (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "This computer's live catalogs (Windows build)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Output format: text, json, sarif, github", "FORMAT" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Fail on warnings too", NULL },
    WSI_CLI_SARIF_ROOT_ENTRY (sarif_root),
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) load_diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = NULL;
  g_autofree char *display = NULL;
  g_autofree char *out = NULL;
  WsiDiagFormat format = WSI_DIAG_FORMAT_TEXT;
  gboolean failed;

  g_option_context_set_summary (ctx,
    "Look for the damage bad installs and removals leave: orphan and dangling\n"
    "chains, duplicate IDs, 32/64-bit catalogs out of sync, IFS layers above\n"
    "non-IFS ones, unused or uncategorised LSPs.\n\n"
    "Exit status: 0 healthy (warnings allowed unless --strict), 1 problems\n"
    "found, 2 usage error or unreadable snapshot.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc > 1)
    return wsi_cli_usage_error ("catalog check takes no arguments (use --machine SNAPSHOT)");
  if (format_name != NULL && !wsi_diag_format_from_string (format_name, &format))
    return wsi_cli_usage_error ("unknown format '%s' (text, json, sarif, github)", format_name);
  if (!wsi_cli_check_sarif_root (sarif_root))
    return WSI_EXIT_USAGE;

  machine = wsi_catalog_load_or_live (live, machine_path, load_diags, &display, &usage);
  if (usage)
    return WSI_EXIT_USAGE;
  if (machine == NULL)
    {
      /* The load problems are the findings: in the format asked for. */
      wsi_diag_list_sort (load_diags);
      out = wsi_cli_render_diags (load_diags, format, sarif_root);
      wsi_cli_print_diags (out, format);
      return WSI_EXIT_USAGE;
    }
  wsi_catalog_check_machine (machine, display, diags);
  failed = wsi_diag_list_has_errors (diags) || (strict && wsi_diag_list_get_size (diags) > 0);
  if (format == WSI_DIAG_FORMAT_SARIF)
    out = wsi_cli_render_diags (diags, format, sarif_root);
  else
    out = wsi_catalog_check_render (diags, format, display);
  if (!wsi_cli_print_diags (out, format))
    return WSI_EXIT_USAGE;
  return failed ? WSI_EXIT_PROBLEMS : WSI_EXIT_OK;
}

/* ---------------- catalog diff ---------------- */

int
wsi_cmd_catalog_diff (int argc, char **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("A B");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) a = NULL;
  g_autoptr(WsiMachine) b = NULL;
  g_autoptr(WsiDiff) diff = NULL;
  g_autofree char *out = NULL;
  WsiDiagFormat format_id;

  g_option_context_set_summary (ctx,
    "Compare two machine snapshots. Entries are matched by provider GUID,\n"
    "(af, type, protocol) and kind, not by catalog ID, and chains by what\n"
    "their IDs name, so a reinstall is no difference; ID counters and serials\n"
    "are shown but do not count. A or B may be a reference catalog, ref:NAME\n"
    "(`wsinstall catalog list`).\n\n"
    "Exit status: 0 equivalent, 1 different, 2 usage error or unreadable snapshot.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 3)
    return wsi_cli_usage_error ("catalog diff needs two snapshots: A B");
  if (!wsi_cli_parse_text_or_json (format, &format_id))
    return wsi_cli_usage_error ("unknown format '%s' (text, json)", format);

  a = wsi_cli_load_snapshot (argv[1], diags);
  b = wsi_cli_load_snapshot (argv[2], diags);
  wsi_diag_list_sort (diags);
  if (a != NULL && b != NULL)
    diff = wsi_machine_diff (a, b);
  if (format_id == WSI_DIAG_FORMAT_JSON)
    {
      out = wsi_diff_render_json (diff, diags);
      return wsi_cli_finish_document (out, diff == NULL ? WSI_EXIT_USAGE
                                           : wsi_diff_is_equivalent (diff) ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS);
    }
  if (diff == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  out = wsi_diff_to_text (diff);
  if (!wsi_cli_print (out))
    return WSI_EXIT_USAGE;
  return wsi_diff_is_equivalent (diff) ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS;
}

/* ---------------- catalog resolve ---------------- */

int
wsi_cmd_catalog_resolve (int argc, char **argv)
{
  g_autofree char *machine_path = NULL;
  gboolean live = FALSE;
  gboolean usage = FALSE;
  g_autofree char *catalog_name = NULL;
  g_autofree char *af_text = NULL;
  g_autofree char *type_text = NULL;
  g_autofree char *protocol_text = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "af", 0, 0, G_OPTION_ARG_STRING, &af_text, "Address family: inet, inet6, ... or a number", "AF" },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type_text, "Socket type: stream, dgram, raw, ... or a number", "TYPE" },
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol_text, "Protocol: tcp, udp, ... or a number (default 0)", "PROTO" },
    { "catalog", 'c', 0, G_OPTION_ARG_STRING, &catalog_name, "The catalog: 32 or 64 (default: the native one)", "BITS" },
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot, or ref:NAME, a reference catalog (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "This computer's live catalogs (Windows build)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = NULL;
  g_autofree char *display = NULL;
  const WsiCatalog *catalog;
  WsiBitness bitness = WSI_CATALOG_32;
  gint32 af, type, protocol = 0;
  g_autofree char *out = NULL;
  WsiDiagFormat format_id;
  int rc;

  g_option_context_set_summary (ctx,
    "Tell which catalog entry, and through it which chain of providers, an\n"
    "application's socket(af, type, protocol) gets: the first matching entry\n"
    "in catalog order, as ws2_32 looks it up: hidden entries (PFL_HIDDEN only\n"
    "keeps them out of WSAEnumProtocols) serve sockets too; layered (ChainLen 0)\n"
    "entries never do.\n\n"
    "Exit status: 0 resolved, 1 no provider serves the triple, 2 usage error\n"
    "or unreadable snapshot.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc > 1)
    return wsi_cli_usage_error ("catalog resolve takes no arguments");
  if (af_text == NULL || type_text == NULL)
    return wsi_cli_usage_error ("catalog resolve needs --af and --type");
  if (!wsi_enum_parse (WSI_ENUM_ADDRESS_FAMILY, af_text, &af))
    return wsi_cli_usage_error ("unknown address family '%s'", af_text);
  if (!wsi_enum_parse (WSI_ENUM_SOCKET_TYPE, type_text, &type))
    return wsi_cli_usage_error ("unknown socket type '%s'", type_text);
  if (protocol_text != NULL && !wsi_enum_parse (WSI_ENUM_PROTOCOL, protocol_text, &protocol))
    return wsi_cli_usage_error ("unknown protocol '%s'", protocol_text);
  if (catalog_name != NULL && !wsi_parse_catalog_option (catalog_name, &bitness))
    return wsi_cli_usage_error ("--catalog must be 32 or 64, not '%s'", catalog_name);
  if (!wsi_cli_parse_text_or_json (format, &format_id))
    return wsi_cli_usage_error ("unknown format '%s' (text, json)", format);

  machine = wsi_catalog_load_or_live (live, machine_path, diags, &display, &usage);
  if (usage)
    return WSI_EXIT_USAGE;
  wsi_diag_list_sort (diags);
  if (machine == NULL && format_id == WSI_DIAG_FORMAT_JSON)
    {
      out = wsi_catalog_resolve_to_json (NULL, af, type, protocol, diags);
      return wsi_cli_finish_document (out, WSI_EXIT_USAGE);
    }
  if (machine == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  if (catalog_name == NULL)
    bitness = wsi_machine_peek_catalog (machine, WSI_CATALOG_64) != NULL ? WSI_CATALOG_64 : WSI_CATALOG_32;
  catalog = wsi_machine_peek_catalog (machine, bitness);
  if (catalog == NULL)
    return wsi_cli_usage_error ("an %s machine has no %d-bit catalog",
                                wsi_machine_kind_to_string (wsi_machine_get_kind (machine)), (int) bitness);

  /* The exit status says whether a provider serves the triple. */
  rc = wsi_catalog_resolve_socket (catalog, af, type, protocol) != NULL ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS;
  if (format_id == WSI_DIAG_FORMAT_JSON)
    {
      out = wsi_catalog_resolve_to_json (catalog, af, type, protocol, diags);
      return wsi_cli_finish_document (out, rc);
    }
  out = wsi_catalog_resolve_to_text (catalog, af, type, protocol);
  return wsi_cli_print (out) ? rc : WSI_EXIT_USAGE;
}
