/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-render.c: `catalog show`, `catalog check` and `catalog
 * resolve` output. */
#include "wsi-catalog-render.h"
#include "wsi-display-name.h"
#include "wsi-json-private.h"

static char *
wsi_enum_text (WsiEnumKind kind, gint32 value)
{
  const char *name = wsi_enum_name (kind, value);
  return name != NULL ? g_strdup (name) : g_strdup_printf ("%d", value);
}

/* ---------------- catalog show ---------------- */

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
                          wsi_entry_kind_to_string (wsi_entry_get_kind (e)), af, type, e->protocol,
                          (e->provider_flags & WSI_PFL_HIDDEN) != 0 ? "hidden" : "",
                          chain->str, e->name != NULL ? wsi_display_name (e->name) : "");
}

char *
wsi_catalog_show_to_text (const WsiMachine *machine, GPtrArray *catalogs)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (machine != NULL && catalogs != NULL, NULL);

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

char *
wsi_catalog_show_to_json (const WsiMachine *machine, GPtrArray *catalogs, const WsiDiagList *diags)
{
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new (TRUE);

  wsi_json_begin_document (b, WSI_JSON_CATALOG);
  if (machine != NULL)
    {
      wsi_json_str (b, "machine_kind", wsi_machine_kind_to_string (wsi_machine_get_kind (machine)));
      wsi_json_str (b, "description", wsi_machine_get_description (machine));
      wsi_json_writer_member (b, "catalogs");
      wsi_json_writer_begin_array (b);
      for (guint c = 0; catalogs != NULL && c < catalogs->len; c++)
        {
          const WsiCatalog *catalog = g_ptr_array_index (catalogs, c);

          wsi_json_writer_begin_object (b);
          wsi_json_catalog (b, "catalog", wsi_catalog_get_bitness (catalog));
          wsi_json_int (b, "next_id", wsi_catalog_get_next_id (catalog));
          wsi_json_int (b, "serial", wsi_catalog_get_serial (catalog));
          wsi_json_writer_member (b, "entries");
          wsi_json_writer_begin_array (b);
          for (guint i = 0; i < wsi_catalog_get_size (catalog); i++)
            wsi_json_entry (b, wsi_catalog_get_entry (catalog, i));
          wsi_json_writer_end_array (b);
          wsi_json_writer_end_object (b);
        }
      wsi_json_writer_end_array (b);
    }
  wsi_json_end_document (b, diags);
  return wsi_json_to_string (b);
}

/* ---------------- catalog check ---------------- */

char *
wsi_catalog_check_render (const WsiDiagList *diags, WsiDiagFormat format, const char *display_name)
{
  if (format == WSI_DIAG_FORMAT_TEXT && wsi_diag_list_get_size (diags) == 0)
    return g_strdup_printf ("%s: healthy\n", display_name);
  return wsi_diag_render (diags, format);
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
  g_string_append_printf (out, "  %-8s %-5u %-8s %s\n", role, e->catalog_id, wsi_entry_kind_to_string (wsi_entry_get_kind (e)),
                          e->name != NULL ? wsi_display_name (e->name) : "");
  if (e->path != NULL)
    g_string_append_printf (out, "  %-8s %-5s %-8s %s\n", "", "", "", e->path);
}

char *
wsi_catalog_resolve_to_text (const WsiCatalog *catalog, gint32 af, gint32 type, gint32 protocol)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *af_name = wsi_enum_text (WSI_ENUM_ADDRESS_FAMILY, af);
  g_autofree char *type_name = wsi_enum_text (WSI_ENUM_SOCKET_TYPE, type);
  const WsiEntry *entry;

  g_return_val_if_fail (catalog != NULL, NULL);

  entry = wsi_catalog_resolve_socket (catalog, af, type, protocol);
  g_string_append_printf (out, "socket(%s, %s, %d) in the %d-bit catalog: ", af_name, type_name, protocol,
                          (int) wsi_catalog_get_bitness (catalog));
  if (entry == NULL)
    {
      g_string_append (out, "no provider (WSAEAFNOSUPPORT / WSAESOCKTNOSUPPORT / WSAEPROTONOSUPPORT)\n");
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  g_string_append_printf (out, "entry %u \"%s\"\n", entry->catalog_id,
                          entry->name != NULL ? wsi_display_name (entry->name) : "");
  if (wsi_entry_get_kind (entry) == WSI_ENTRY_CHAIN)
    for (gint32 i = 0; i < entry->chain_len; i++)
      wsi_resolve_text_line (out, i == 0 ? "top" : i == entry->chain_len - 1 ? "base" : "layer",
                             entry->chain[i], wsi_catalog_find_id (catalog, entry->chain[i]));
  else
    wsi_resolve_text_line (out, "base", entry->catalog_id, entry);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
wsi_catalog_resolve_to_json (const WsiCatalog *catalog, gint32 af, gint32 type, gint32 protocol,
                             const WsiDiagList *diags)
{
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new (TRUE);

  wsi_json_begin_document (b, WSI_JSON_RESOLVE);
  if (catalog != NULL)
    {
      const WsiEntry *entry = wsi_catalog_resolve_socket (catalog, af, type, protocol);

      wsi_json_catalog (b, "catalog", wsi_catalog_get_bitness (catalog));
      wsi_json_int (b, "af", af);
      wsi_json_int (b, "type", type);
      wsi_json_int (b, "protocol", protocol);
      wsi_json_writer_member (b, "entry");
      if (entry != NULL)
        wsi_json_entry (b, entry);
      else
        wsi_json_writer_null (b);
      /* The providers the socket passes through, top first; null for an ID
       * missing from the catalog (the entry's chain names it). */
      wsi_json_writer_member (b, "providers");
      wsi_json_writer_begin_array (b);
      if (entry != NULL && wsi_entry_get_kind (entry) == WSI_ENTRY_CHAIN)
        for (gint32 i = 0; i < entry->chain_len; i++)
          {
            const WsiEntry *link = wsi_catalog_find_id (catalog, entry->chain[i]);
            if (link != NULL)
              wsi_json_entry (b, link);
            else
              wsi_json_writer_null (b);
          }
      else if (entry != NULL)
        wsi_json_entry (b, entry);
      wsi_json_writer_end_array (b);
    }
  wsi_json_end_document (b, diags);
  return wsi_json_to_string (b);
}
