/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot-write.c: WsiMachine -> snapshot XML text. The writer is
 * hand-rolled so the bytes are fixed by this file alone (attribute order,
 * escaping, indentation): the same machine always gives the same file.
 * Putting the text on disk is wsi-snapshot-save.c's job. */
#include "wsi-snapshot-private.h"

#include <string.h>

#include "wsi-flags.h"
#include "wsi-schema.h"

/* XML 1.0 cannot carry C0 controls other than TAB, LF, CR, nor U+FFFE and
 * U+FFFF, even escaped. */
static gboolean
wsi_snap_is_xml_safe (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        return FALSE;
    }
  return TRUE;
}

static void
wsi_snap_escape (GString *out, const char *text, gboolean attribute)
{
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, attribute ? "&quot;" : "\""); break;
      /* Parsers normalise raw TAB/LF/CR in attributes (and CR in text):
       * character references survive. */
      case '\t': g_string_append (out, attribute ? "&#9;" : "\t"); break;
      case '\n': g_string_append (out, attribute ? "&#10;" : "\n"); break;
      case '\r': g_string_append (out, "&#13;"); break;
      default: g_string_append_c (out, *p); break;
      }
}

static void
wsi_snap_append_hex (GString *out, const guint8 *data, gsize len)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      g_string_append_c (out, digits[data[i] >> 4]);
      g_string_append_c (out, digits[data[i] & 0xf]);
    }
}

static void
wsi_snap_attr (GString *out, const char *name, const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  wsi_snap_escape (out, value, TRUE);
  g_string_append_c (out, '"');
}

/* NAME="text", or NAME-hex="utf-8 bytes" when XML cannot carry the text. */
static void
wsi_snap_text_attr (GString *out, const char *name, const char *value)
{
  if (wsi_snap_is_xml_safe (value))
    {
      wsi_snap_attr (out, name, value);
      return;
    }
  g_string_append_printf (out, " %s-hex=\"", name);
  wsi_snap_append_hex (out, (const guint8 *) value, strlen (value));
  g_string_append_c (out, '"');
}

static void
wsi_snap_int_attr (GString *out, const char *name, gint64 value)
{
  g_string_append_printf (out, " %s=\"%" G_GINT64_FORMAT "\"", name, value);
}

static void
wsi_snap_flags_attr (GString *out, const char *name, WsiFlagSet set, guint32 value)
{
  g_autofree char *text = wsi_flags_format (set, value);
  wsi_snap_attr (out, name, text);
}

static void
wsi_snap_enum_attr (GString *out, const char *name, WsiEnumKind kind, gint32 value)
{
  const char *symbol = wsi_enum_name (kind, value);

  if (symbol != NULL)
    wsi_snap_attr (out, name, symbol);
  else
    wsi_snap_int_attr (out, name, value);
}

static void
wsi_snap_append_id_list (GString *out, const char *name, const guint32 *ids, int n)
{
  g_string_append_printf (out, " %s=\"", name);
  for (int i = 0; i < n; i++)
    g_string_append_printf (out, i > 0 ? " %u" : "%u", ids[i]);
  g_string_append_c (out, '"');
}

static void
wsi_snap_write_entry (GString *out, const WsiEntry *entry)
{
  char guid[WSI_GUID_STRING_LEN + 1];
  int m = wsi_snapshot_meaningful_slots (entry);
  gboolean raw_slots = FALSE;

  for (int i = m; i < WSI_MAX_PROTOCOL_CHAIN; i++)
    raw_slots = raw_slots || entry->chain[i] != 0;

  wsi_guid_format (&entry->provider_id, guid);
  g_string_append (out, "    <entry");
  wsi_snap_int_attr (out, "id", entry->catalog_id);
  wsi_snap_attr (out, "provider-id", guid);
  if (entry->name != NULL)
    wsi_snap_text_attr (out, "name", entry->name);
  if (entry->path != NULL)
    wsi_snap_text_attr (out, "path", entry->path);
  wsi_snap_int_attr (out, "chain-len", entry->chain_len);
  if (m > 0)
    wsi_snap_append_id_list (out, "chain", entry->chain, m);
  if (raw_slots)
    wsi_snap_append_id_list (out, "chain-slots", entry->chain, WSI_MAX_PROTOCOL_CHAIN);
  wsi_snap_flags_attr (out, "service-flags", WSI_FLAG_SET_SERVICE, entry->service_flags[0]);
  for (int i = 1; i < 4; i++)
    if (entry->service_flags[i] != 0)
      {
        char name[32];
        g_snprintf (name, sizeof name, "service-flags%d", i + 1);
        wsi_snap_int_attr (out, name, entry->service_flags[i]);
      }
  wsi_snap_flags_attr (out, "provider-flags", WSI_FLAG_SET_PROVIDER, entry->provider_flags);
  wsi_snap_int_attr (out, "version", entry->version);
  wsi_snap_enum_attr (out, "af", WSI_ENUM_ADDRESS_FAMILY, entry->address_family);
  wsi_snap_enum_attr (out, "type", WSI_ENUM_SOCKET_TYPE, entry->socket_type);
  wsi_snap_int_attr (out, "protocol", entry->protocol);
  wsi_snap_int_attr (out, "protocol-max-offset", entry->protocol_max_offset);
  wsi_snap_int_attr (out, "max-sockaddr", entry->max_sockaddr);
  wsi_snap_int_attr (out, "min-sockaddr", entry->min_sockaddr);
  wsi_snap_int_attr (out, "byte-order", entry->network_byte_order);
  wsi_snap_int_attr (out, "security-scheme", entry->security_scheme);
  wsi_snap_int_attr (out, "message-size", entry->message_size);
  if (entry->provider_reserved != 0)
    wsi_snap_int_attr (out, "provider-reserved", entry->provider_reserved);
  if (entry->lsp_categories != 0)
    wsi_snap_flags_attr (out, "lsp-categories", WSI_FLAG_SET_LSP_CATEGORY, entry->lsp_categories);
  g_string_append (out, "/>\n");
}

static void
wsi_snap_write_catalog (GString *out, const WsiCatalog *catalog)
{
  guint n = wsi_catalog_get_size (catalog);

  g_string_append_printf (out, "  <catalog bitness=\"%d\" next-id=\"%u\" serial=\"%u\"%s\n",
                          (int) wsi_catalog_get_bitness (catalog), wsi_catalog_get_next_id (catalog),
                          wsi_catalog_get_serial (catalog), n > 0 ? ">" : "/>");
  for (guint i = 0; i < n; i++)
    wsi_snap_write_entry (out, wsi_catalog_get_entry (catalog, i));
  if (n > 0)
    g_string_append (out, "  </catalog>\n");
}

/* The readable form of string data, or NULL when the bytes are not exactly
 * what that form would give back (no NUL, bytes after it, odd length...). */
static char *
wsi_snap_canonical_string (GBytes *data)
{
  g_autofree char *text = wsi_reg_decode_string (data);
  g_autoptr(GBytes) again = NULL;

  if (text == NULL || !wsi_snap_is_xml_safe (text))
    return NULL;
  again = wsi_reg_encode_string (text);
  if (!g_bytes_equal (again, data))
    return NULL;
  return g_steal_pointer (&text);
}

static GStrv
wsi_snap_canonical_multi_sz (GBytes *data)
{
  g_auto(GStrv) items = wsi_reg_decode_multi_sz (data);
  g_autoptr(GBytes) again = NULL;

  if (items == NULL)
    return NULL;
  for (guint i = 0; items[i] != NULL; i++)
    if (!wsi_snap_is_xml_safe (items[i]))
      return NULL;
  again = wsi_reg_encode_multi_sz ((const char * const *) items);
  if (!g_bytes_equal (again, data))
    return NULL;
  return g_steal_pointer (&items);
}

static void
wsi_snap_write_value (GString *out, const WsiRegistry *registry, const char *key, const char *name)
{
  WsiRegType type = 0;
  g_autoptr(GBytes) data = NULL;
  const char *type_name;
  g_autofree char *text = NULL;
  g_auto(GStrv) items = NULL;
  const guint8 *bytes;
  gsize len;

  if (!wsi_registry_get (registry, key, name, &type, &data))
    return;
  bytes = g_bytes_get_data (data, &len);
  g_string_append (out, "      <value");
  wsi_snap_text_attr (out, "name", name);
  type_name = wsi_snapshot_reg_type_name (type);
  if (type_name != NULL)
    wsi_snap_attr (out, "type", type_name);
  else
    wsi_snap_int_attr (out, "type", (guint) type);

  if ((type == WSI_REG_SZ || type == WSI_REG_EXPAND_SZ) && (text = wsi_snap_canonical_string (data)) != NULL)
    {
      g_string_append_c (out, '>');
      wsi_snap_escape (out, text, FALSE);
    }
  else if (type == WSI_REG_DWORD && len == 4)
    g_string_append_printf (out, ">%u", (guint) (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | ((guint32) bytes[3] << 24)));
  else if (type == WSI_REG_MULTI_SZ && (items = wsi_snap_canonical_multi_sz (data)) != NULL)
    {
      g_string_append_c (out, '>');
      for (guint i = 0; items[i] != NULL; i++)
        {
          g_string_append (out, "<string>");
          wsi_snap_escape (out, items[i], FALSE);
          g_string_append (out, "</string>");
        }
    }
  else
    {
      if (type == WSI_REG_SZ || type == WSI_REG_EXPAND_SZ || type == WSI_REG_DWORD || type == WSI_REG_MULTI_SZ)
        g_string_append (out, " encoding=\"hex\"");
      g_string_append_c (out, '>');
      wsi_snap_append_hex (out, bytes, len);
    }
  g_string_append (out, "</value>\n");
}

static void
wsi_snap_write_registry (GString *out, const WsiRegistry *registry)
{
  g_auto(GStrv) keys = wsi_registry_list_keys (registry);

  if (keys[0] == NULL)
    return;
  g_string_append (out, "  <registry>\n");
  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_auto(GStrv) names = wsi_registry_list_values (registry, keys[k]);

      g_string_append (out, "    <key");
      wsi_snap_text_attr (out, "path", keys[k]);
      g_string_append (out, ">\n");
      for (guint v = 0; names[v] != NULL; v++)
        wsi_snap_write_value (out, registry, keys[k], names[v]);
      g_string_append (out, "    </key>\n");
    }
  g_string_append (out, "  </registry>\n");
}

char *
wsi_snapshot_to_string (const WsiMachine *machine)
{
  g_autoptr(GString) out = g_string_sized_new (4096);
  const char *description;
  const WsiCatalog *c64, *c32;

  g_return_val_if_fail (machine != NULL, NULL);

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (out, "<machine xmlns=\"%s\" kind=\"%s\">\n", WSI_SNAPSHOT_NS,
                          wsi_machine_kind_to_string (wsi_machine_get_kind (machine)));
  description = wsi_machine_get_description (machine);
  if (description != NULL)
    {
      /* Free text only: what XML cannot carry becomes U+FFFD. */
      g_autofree char *valid = g_utf8_make_valid (description, -1);
      g_autoptr(GString) clean = g_string_new (NULL);
      for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
            c = 0xFFFD;
          g_string_append_unichar (clean, c);
        }
      g_string_append (out, "  <description>");
      wsi_snap_escape (out, clean->str, FALSE);
      g_string_append (out, "</description>\n");
    }
  /* Native catalog first, as Windows enumerates it for a native process. */
  c64 = wsi_machine_peek_catalog (machine, WSI_CATALOG_64);
  c32 = wsi_machine_peek_catalog (machine, WSI_CATALOG_32);
  if (c64 != NULL)
    wsi_snap_write_catalog (out, c64);
  wsi_snap_write_catalog (out, c32);
  wsi_snap_write_registry (out, wsi_machine_peek_registry (machine));
  g_string_append (out, "</machine>\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
