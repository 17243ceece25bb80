/* wsinstall-catalog.c: `catalog show`, `catalog check`, `catalog diff` and
 * `catalog resolve`: reading a machine, never changing it. */
#include "wsinstall-cli.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "wsinstall.h"

/* --machine, else $WSINSTALL_MACHINE, else the default machine. Any load
 * failure is exit 2 here: for check and diff, 1 means "the catalogs have
 * problems" or "differ", which an unreadable snapshot must not look like. */
static WsiMachine *
wsi_catalog_load (const char *path, WsiDiagList *diags, char **display)
{
  WsiMachine *machine;

  if (path == NULL)
    path = g_getenv ("WSINSTALL_MACHINE");
  if (path == NULL || *path == '\0')
    {
      g_autofree char *state = NULL;
      machine = wsi_default_machine_load (&state, diags);
      *display = state != NULL ? g_steal_pointer (&state) : g_strdup ("<embedded default machine>");
      return machine;
    }
  *display = g_strdup (path);
  return wsi_snapshot_load_file (path, diags);
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

static const char *
wsi_entry_kind_name (const WsiEntry *e)
{
  switch (wsi_entry_get_kind (e))
    {
    case WSI_ENTRY_LAYERED: return "layered";
    case WSI_ENTRY_BASE: return "base";
    case WSI_ENTRY_CHAIN: return "chain";
    case WSI_ENTRY_INVALID:
    default: return "invalid";
    }
}

static char *
wsi_enum_text (WsiEnumKind kind, gint32 value)
{
  const char *name = wsi_enum_name (kind, value);
  return name != NULL ? g_strdup (name) : g_strdup_printf ("%d", value);
}

/* ---------------- catalog show ---------------- */

static void
wsi_json_flags (JsonBuilder *b, const char *member, WsiFlagSet set, guint32 value)
{
  g_autofree char *names = wsi_flags_format (set, value);
  g_auto(GStrv) parts = g_strsplit (names, "|", -1);
  g_autofree char *names_member = g_strdup_printf ("%s_names", member);

  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
  json_builder_set_member_name (b, names_member);
  json_builder_begin_array (b);
  for (guint i = 0; value != 0 && parts[i] != NULL; i++)
    json_builder_add_string_value (b, parts[i]);
  json_builder_end_array (b);
}

static void
wsi_json_member_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
wsi_json_entry (JsonBuilder *b, const WsiEntry *e)
{
  char guid[WSI_GUID_STRING_LEN + 1];
  gint32 n = wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN ? e->chain_len : 0;

  wsi_guid_format (&e->provider_id, guid);
  json_builder_begin_object (b);
  wsi_json_member_int (b, "id", e->catalog_id);
  json_builder_set_member_name (b, "guid");
  json_builder_add_string_value (b, guid);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, e->name != NULL ? e->name : "");
  /* What WSCEnumProtocols shows for Vista+ indirect names. */
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, e->name != NULL ? wsi_display_name (e->name) : "");
  json_builder_set_member_name (b, "path");
  if (e->path != NULL)
    json_builder_add_string_value (b, e->path);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, wsi_entry_kind_name (e));
  wsi_json_member_int (b, "chain_len", e->chain_len);
  json_builder_set_member_name (b, "chain");
  json_builder_begin_array (b);
  for (gint32 i = 0; i < n; i++)
    json_builder_add_int_value (b, e->chain[i]);
  json_builder_end_array (b);
  wsi_json_member_int (b, "af", e->address_family);
  wsi_json_member_int (b, "type", e->socket_type);
  wsi_json_member_int (b, "protocol", e->protocol);
  wsi_json_member_int (b, "protocol_max_offset", e->protocol_max_offset);
  wsi_json_flags (b, "service_flags", WSI_FLAG_SET_SERVICE, e->service_flags[0]);
  wsi_json_flags (b, "provider_flags", WSI_FLAG_SET_PROVIDER, e->provider_flags);
  wsi_json_flags (b, "lsp_categories", WSI_FLAG_SET_LSP_CATEGORY, e->lsp_categories);
  wsi_json_member_int (b, "version", e->version);
  wsi_json_member_int (b, "max_sockaddr", e->max_sockaddr);
  wsi_json_member_int (b, "min_sockaddr", e->min_sockaddr);
  wsi_json_member_int (b, "byte_order", e->network_byte_order);
  wsi_json_member_int (b, "security_scheme", e->security_scheme);
  wsi_json_member_int (b, "message_size", e->message_size);
  json_builder_end_object (b);
}

static char *
wsi_json_finish (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

static char *
wsi_show_json (const WsiMachine *machine, GPtrArray *catalogs)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, wsi_machine_kind_to_string (wsi_machine_get_kind (machine)));
  json_builder_set_member_name (b, "description");
  if (wsi_machine_get_description (machine) != NULL)
    json_builder_add_string_value (b, wsi_machine_get_description (machine));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "catalogs");
  json_builder_begin_array (b);
  for (guint c = 0; c < catalogs->len; c++)
    {
      const WsiCatalog *catalog = g_ptr_array_index (catalogs, c);

      json_builder_begin_object (b);
      wsi_json_member_int (b, "bitness", wsi_catalog_get_bitness (catalog));
      wsi_json_member_int (b, "next_id", wsi_catalog_get_next_id (catalog));
      wsi_json_member_int (b, "serial", wsi_catalog_get_serial (catalog));
      json_builder_set_member_name (b, "entries");
      json_builder_begin_array (b);
      for (guint i = 0; i < wsi_catalog_get_size (catalog); i++)
        wsi_json_entry (b, wsi_catalog_get_entry (catalog, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return wsi_json_finish (b);
}

static void
wsi_show_text_entry (GString *out, guint position, const WsiEntry *e)
{
  g_autofree char *af = wsi_enum_text (WSI_ENUM_ADDRESS_FAMILY, e->address_family);
  g_autofree char *type = wsi_enum_text (WSI_ENUM_SOCKET_TYPE, e->socket_type);
  g_autoptr(GString) chain = g_string_new (NULL);
  gint32 n = wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN ? e->chain_len : 0;

  for (gint32 i = 0; i < n; i++)
    g_string_append_printf (chain, i > 0 ? ">%u" : "%u", e->chain[i]);
  g_string_append_printf (out, "%4u  %-5u %-8s %-8s %-9s %6d  %-6s %-20s %s\n", position, e->catalog_id,
                          wsi_entry_kind_name (e), af, type, e->protocol,
                          (e->provider_flags & WSI_PFL_HIDDEN) != 0 ? "hidden" : "",
                          chain->str, e->name != NULL ? wsi_display_name (e->name) : "");
}

static char *
wsi_show_text (const WsiMachine *machine, GPtrArray *catalogs)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "%s machine", wsi_machine_kind_to_string (wsi_machine_get_kind (machine)));
  if (wsi_machine_get_description (machine) != NULL)
    g_string_append_printf (out, ": %s", wsi_machine_get_description (machine));
  g_string_append_c (out, '\n');
  for (guint c = 0; c < catalogs->len; c++)
    {
      const WsiCatalog *catalog = g_ptr_array_index (catalogs, c);
      guint n = wsi_catalog_get_size (catalog);

      g_string_append_printf (out, "\n%d-bit catalog: %u entr%s, next ID %u, serial %u\n",
                              (int) wsi_catalog_get_bitness (catalog), n, n == 1 ? "y" : "ies",
                              wsi_catalog_get_next_id (catalog), wsi_catalog_get_serial (catalog));
      if (n == 0)
        continue;
      g_string_append (out, " Pos  ID    Kind     Family   Type       Proto  Flags  Chain                Name\n");
      for (guint i = 0; i < n; i++)
        wsi_show_text_entry (out, i + 1, wsi_catalog_get_entry (catalog, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

int
wsi_cmd_catalog_show (int argc, char **argv)
{
  g_autofree char *machine_path = NULL;
  gboolean live = FALSE;
  gboolean usage = FALSE;
  g_autofree char *catalog_name = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
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

  g_option_context_set_summary (ctx,
    "Print a machine's catalogs, entries in catalog (enumeration) order.\n\n"
    "Exit status: 0 shown, 2 usage error or unreadable snapshot.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc > 1)
    return wsi_cli_usage_error ("catalog show takes no arguments (use --machine SNAPSHOT)");
  if (format != NULL && g_strcmp0 (format, "text") != 0 && g_strcmp0 (format, "json") != 0)
    return wsi_cli_usage_error ("unknown format '%s' (text, json)", format);
  if (catalog_name != NULL && g_strcmp0 (catalog_name, "32") != 0 && g_strcmp0 (catalog_name, "64") != 0)
    return wsi_cli_usage_error ("--catalog must be 32 or 64, not '%s'", catalog_name);

  machine = wsi_catalog_load_or_live (live, machine_path, diags, &display, &usage);
  if (usage)
    return WSI_EXIT_USAGE;
  if (machine == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  if (!wsi_pick_catalogs (machine, catalog_name, catalogs))
    return wsi_cli_usage_error ("an %s machine has no %s-bit catalog",
                                wsi_machine_kind_to_string (wsi_machine_get_kind (machine)), catalog_name);
  out = g_strcmp0 (format, "json") == 0 ? wsi_show_json (machine, catalogs) : wsi_show_text (machine, catalogs);
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
  const GOptionEntry entries[] = {
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "This computer's live catalogs (Windows build)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Output format: text, json, sarif, github", "FORMAT" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Fail on warnings too", NULL },
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

  machine = wsi_catalog_load_or_live (live, machine_path, load_diags, &display, &usage);
  if (usage)
    return WSI_EXIT_USAGE;
  if (machine == NULL)
    {
      /* The load problems are the findings: in the format asked for. */
      wsi_diag_list_sort (load_diags);
      out = wsi_diag_render (load_diags, format);
      wsi_cli_print (out);
      return WSI_EXIT_USAGE;
    }
  wsi_catalog_check_machine (machine, display, diags);
  failed = wsi_diag_list_has_errors (diags) || (strict && wsi_diag_list_get_size (diags) > 0);
  out = wsi_diag_render (diags, format);
  if (format == WSI_DIAG_FORMAT_TEXT && wsi_diag_list_get_size (diags) == 0)
    {
      g_free (out);
      out = g_strdup_printf ("%s: healthy\n", display);
    }
  if (!wsi_cli_print (out))
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

  g_option_context_set_summary (ctx,
    "Compare two machine snapshots. Entries are matched by provider GUID,\n"
    "(af, type, protocol) and kind, not by catalog ID, and chains by what\n"
    "their IDs name, so a reinstall is no difference; ID counters and serials\n"
    "are shown but do not count.\n\n"
    "Exit status: 0 equivalent, 1 different, 2 usage error or unreadable snapshot.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 3)
    return wsi_cli_usage_error ("catalog diff needs two snapshots: A B");
  if (format != NULL && g_strcmp0 (format, "text") != 0 && g_strcmp0 (format, "json") != 0)
    return wsi_cli_usage_error ("unknown format '%s' (text, json)", format);

  a = wsi_snapshot_load_file (argv[1], diags);
  b = wsi_snapshot_load_file (argv[2], diags);
  if (a == NULL || b == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  diff = wsi_machine_diff (a, b);
  out = g_strcmp0 (format, "json") == 0 ? wsi_diff_to_json (diff) : wsi_diff_to_text (diff);
  if (!wsi_cli_print (out))
    return WSI_EXIT_USAGE;
  return wsi_diff_is_equivalent (diff) ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS;
}

/* ---------------- catalog resolve ---------------- */

static void
wsi_resolve_text_line (GString *out, const char *role, guint32 id, const WsiEntry *e)
{
  if (e == NULL)
    {
      g_string_append_printf (out, "  %-8s %-5u (missing from the catalog)\n", role, id);
      return;
    }
  g_string_append_printf (out, "  %-8s %-5u %-8s %s\n", role, e->catalog_id, wsi_entry_kind_name (e),
                          e->name != NULL ? wsi_display_name (e->name) : "");
  if (e->path != NULL)
    g_string_append_printf (out, "  %-8s %-5s %-8s %s\n", "", "", "", e->path);
}

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
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "This computer's live catalogs (Windows build)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = NULL;
  g_autofree char *display = NULL;
  const WsiCatalog *catalog;
  const WsiEntry *entry;
  WsiBitness bitness = WSI_CATALOG_32;
  gint32 af, type, protocol = 0;
  g_autofree char *af_name = NULL;
  g_autofree char *type_name = NULL;

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
  if (format != NULL && g_strcmp0 (format, "text") != 0 && g_strcmp0 (format, "json") != 0)
    return wsi_cli_usage_error ("unknown format '%s' (text, json)", format);

  machine = wsi_catalog_load_or_live (live, machine_path, diags, &display, &usage);
  if (usage)
    return WSI_EXIT_USAGE;
  if (machine == NULL)
    return wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  if (catalog_name == NULL)
    bitness = wsi_machine_peek_catalog (machine, WSI_CATALOG_64) != NULL ? WSI_CATALOG_64 : WSI_CATALOG_32;
  catalog = wsi_machine_peek_catalog (machine, bitness);
  if (catalog == NULL)
    return wsi_cli_usage_error ("an %s machine has no %d-bit catalog",
                                wsi_machine_kind_to_string (wsi_machine_get_kind (machine)), (int) bitness);

  entry = wsi_catalog_resolve_socket (catalog, af, type, protocol);
  af_name = wsi_enum_text (WSI_ENUM_ADDRESS_FAMILY, af);
  type_name = wsi_enum_text (WSI_ENUM_SOCKET_TYPE, type);

  if (g_strcmp0 (format, "json") == 0)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *out = NULL;

      json_builder_begin_object (b);
      wsi_json_member_int (b, "catalog", bitness);
      wsi_json_member_int (b, "af", af);
      wsi_json_member_int (b, "type", type);
      wsi_json_member_int (b, "protocol", protocol);
      json_builder_set_member_name (b, "entry");
      if (entry != NULL)
        wsi_json_entry (b, entry);
      else
        json_builder_add_null_value (b);
      /* The providers the socket passes through, top first. */
      json_builder_set_member_name (b, "providers");
      json_builder_begin_array (b);
      if (entry != NULL && wsi_entry_get_kind (entry) == WSI_ENTRY_CHAIN)
        for (gint32 i = 0; i < entry->chain_len; i++)
          {
            const WsiEntry *link = wsi_catalog_find_id (catalog, entry->chain[i]);
            if (link != NULL)
              wsi_json_entry (b, link);
            else
              json_builder_add_null_value (b);
          }
      else if (entry != NULL)
        wsi_json_entry (b, entry);
      json_builder_end_array (b);
      json_builder_end_object (b);
      out = wsi_json_finish (b);
      if (!wsi_cli_print (out))
        return WSI_EXIT_USAGE;
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      g_string_append_printf (out, "socket(%s, %s, %d) in the %d-bit catalog: ", af_name, type_name, protocol, (int) bitness);
      if (entry == NULL)
        g_string_append (out, "no provider (WSAEAFNOSUPPORT / WSAESOCKTNOSUPPORT / WSAEPROTONOSUPPORT)\n");
      else
        {
          g_string_append_printf (out, "entry %u \"%s\"\n", entry->catalog_id,
                                  entry->name != NULL ? wsi_display_name (entry->name) : "");
          if (wsi_entry_get_kind (entry) == WSI_ENTRY_CHAIN)
            for (gint32 i = 0; i < entry->chain_len; i++)
              wsi_resolve_text_line (out, i == 0 ? "top" : i == entry->chain_len - 1 ? "base" : "layer",
                                     entry->chain[i], wsi_catalog_find_id (catalog, entry->chain[i]));
          else
            wsi_resolve_text_line (out, "base", entry->catalog_id, entry);
        }
      if (!wsi_cli_print (out->str))
        return WSI_EXIT_USAGE;
    }
  return entry != NULL ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS;
}
