/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-export-reg.c: the machine model as a REGEDIT5 file. */
#include "wsi-export-reg.h"

#include <stdlib.h>
#include <string.h>

#include "wsi-entry.h"
#include "wsi-error.h"
#include "wsi-registry.h"

#define SERVICES_ROOT   "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services"
#define PROTOCOL_CATALOG "WinSock2\\Parameters\\Protocol_Catalog9"
#define LINE_WIDTH      77   /* regedit wraps hex data before column 80 */

typedef struct {
  char    *name;
  guint32  type;
  GBytes  *data;
} ExportValue;

typedef struct {
  char      *path;       /* below Services */
  GPtrArray *values;     /* ExportValue, in writing order */
} ExportKey;

static void
export_value_free (gpointer data)
{
  ExportValue *v = data;

  g_free (v->name);
  g_bytes_unref (v->data);
  g_free (v);
}

static void
export_key_free (gpointer data)
{
  ExportKey *k = data;

  g_free (k->path);
  g_ptr_array_unref (k->values);
  g_free (k);
}

static ExportKey *
get_key (GPtrArray *keys, GHashTable *index, const char *path)
{
  g_autofree char *folded = wsi_registry_fold_name (path);
  ExportKey *k = g_hash_table_lookup (index, folded);

  if (k != NULL)
    return k;
  k = g_new0 (ExportKey, 1);
  k->path = g_strdup (path);
  k->values = g_ptr_array_new_with_free_func (export_value_free);
  g_ptr_array_add (keys, k);
  g_hash_table_insert (index, g_steal_pointer (&folded), k);
  return k;
}

static void
add_value (ExportKey *k, const char *name, guint32 type, GBytes *data)
{
  ExportValue *v = g_new0 (ExportValue, 1);

  v->name = g_strdup (name);
  v->type = type;
  v->data = g_bytes_ref (data);
  g_ptr_array_add (k->values, v);
}

static void
add_dword (ExportKey *k, const char *name, guint32 value)
{
  guint8 le[4] = { (guint8) value, (guint8) (value >> 8), (guint8) (value >> 16), (guint8) (value >> 24) };
  g_autoptr(GBytes) data = g_bytes_new (le, sizeof le);

  add_value (k, name, WSI_REG_DWORD, data);
}

static GBytes *
string_bytes (const char *text)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (text != NULL ? text : "", -1, NULL, &n, NULL);
  guint8 *buf;

  if (units == NULL)
    n = 0;
  buf = g_malloc0 ((gsize) (n + 1) * 2);
  for (glong i = 0; i < n; i++)
    {
      buf[2 * i] = (guint8) units[i];
      buf[2 * i + 1] = (guint8) (units[i] >> 8);
    }
  return g_bytes_new_take (buf, (gsize) (n + 1) * 2);
}

/* Windows orders subkeys by their upper-cased names. */
static int
compare_names (const char *a, const char *b)
{
  for (;; a++, b++)
    {
      int ca = g_ascii_toupper (*a), cb = g_ascii_toupper (*b);

      if (ca != cb || ca == 0)
        return ca - cb;
    }
}

/* Model keys starting with "HKLM\\" are absolute (wsinstall's own records,
 * HKLM\SOFTWARE\wsinstall); all others are below Services. */
static gboolean
is_absolute (const char *path)
{
  return g_ascii_strncasecmp (path, "HKLM\\", 5) == 0;
}

/* Depth first, siblings in registry order: compare segment by segment.
 * The absolute keys come after the Services tree, as a second export
 * appended to the first would. */
static gint
compare_keys (gconstpointer pa, gconstpointer pb)
{
  const ExportKey *a = *(const ExportKey * const *) pa;
  const ExportKey *b = *(const ExportKey * const *) pb;
  g_auto(GStrv) sa = NULL;
  g_auto(GStrv) sb = NULL;

  if (is_absolute (a->path) != is_absolute (b->path))
    return is_absolute (a->path) ? 1 : -1;
  sa = g_strsplit (a->path, "\\", -1);
  sb = g_strsplit (b->path, "\\", -1);
  for (guint i = 0;; i++)
    {
      int c;

      if (sa[i] == NULL || sb[i] == NULL)
        return sa[i] == NULL ? (sb[i] == NULL ? 0 : -1) : 1;
      c = compare_names (sa[i], sb[i]);
      if (c != 0)
        return c;
    }
}

static gint
compare_value_names (gconstpointer pa, gconstpointer pb)
{
  const char *a = *(const char * const *) pa;
  const char *b = *(const char * const *) pb;

  return compare_names (a, b);
}

static gboolean
add_catalog (GPtrArray *keys, GHashTable *index, const WsiCatalog *catalog, const char *subkey, GError **error)
{
  g_autofree char *path = g_strconcat (PROTOCOL_CATALOG "\\", subkey, NULL);

  get_key (keys, index, path);
  for (guint i = 0; i < wsi_catalog_get_size (catalog); i++)
    {
      const WsiEntry *entry = wsi_catalog_get_entry (catalog, i);
      g_autofree char *child = g_strdup_printf ("%s\\%012u", path, i + 1);
      guint8 packed[WSI_PACKED_ITEM_SIZE];
      g_autoptr(GBytes) data = NULL;
      g_autoptr(GBytes) name = NULL;
      ExportKey *k;

      if (!wsi_entry_pack_catalog_item (entry, packed, error))
        {
          g_prefix_error (error, "catalog %d, entry %u: ", wsi_catalog_get_bitness (catalog), entry->catalog_id);
          return FALSE;
        }
      data = g_bytes_new (packed, sizeof packed);
      name = string_bytes (entry->name);
      k = get_key (keys, index, child);
      add_value (k, "PackedCatalogItem", WSI_REG_BINARY, data);
      add_value (k, "ProtocolName", WSI_REG_SZ, name);
      /* Where ws2_32 keeps what WSCSetProviderInfo sets is not documented,
       * so the categories travel in a value of wsinstall's own, which
       * Windows ignores and the importer reads back. */
      if (entry->lsp_categories != 0)
        {
          guint32 v = entry->lsp_categories;
          guint8 le[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 & 0xff };
          g_autoptr(GBytes) categories = g_bytes_new (le, sizeof le);
          add_value (k, WSI_REG_VALUE_LSP_CATEGORIES, WSI_REG_DWORD, categories);
        }
    }
  return TRUE;
}

/* A .reg file is line based: a name with a line break cannot be written so
 * that regedit (or wsinstall) reads it back. */
static gboolean
check_name (const char *key, const char *name, GError **error)
{
  if (strpbrk (name != NULL ? name : key, "\r\n") == NULL)
    return TRUE;
  g_set_error (error, WSI_ERROR, WSI_ERROR_POLICY,
               "the registry %s '%s%s%s' has a line break; a .reg file cannot hold it",
               name != NULL ? "value" : "key", key, name != NULL ? "\\" : "", name != NULL ? name : "");
  return FALSE;
}

static gboolean
add_registry (GPtrArray *keys, GHashTable *index, const WsiRegistry *registry, GError **error)
{
  g_auto(GStrv) names = wsi_registry_list_keys (registry);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_auto(GStrv) values = wsi_registry_list_values (registry, names[i]);
      guint n = values != NULL ? g_strv_length (values) : 0;
      ExportKey *k;

      if (!check_name (names[i], NULL, error))
        return FALSE;
      k = get_key (keys, index, names[i]);
      if (n > 0)
        qsort (values, n, sizeof (char *), compare_value_names);
      for (guint j = 0; j < n; j++)
        {
          WsiRegType type = 0;
          g_autoptr(GBytes) data = NULL;

          if (!check_name (names[i], values[j], error))
            return FALSE;
          if (wsi_registry_get (registry, names[i], values[j], &type, &data))
            add_value (k, values[j], (guint32) type, data);
        }
    }
  return TRUE;
}

static guint
count_segments (const char *path)
{
  guint n = 1;

  for (const char *p = path; *p != '\0'; p++)
    n += *p == '\\';
  return n;
}

/* Keys between Services and the ones with values, as reg export lists
 * every key on the way down; for an absolute key, down from the key
 * exported (HKLM\SOFTWARE\wsinstall). */
static void
add_parents (GPtrArray *keys, GHashTable *index)
{
  guint n = keys->len;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup (((ExportKey *) g_ptr_array_index (keys, i))->path);
      guint top = is_absolute (path) ? 3 : 1;   /* segments of the topmost key written */
      char *sep;

      while ((sep = strrchr (path, '\\')) != NULL)
        {
          *sep = '\0';
          if (count_segments (path) < top)
            break;
          get_key (keys, index, path);
        }
    }
}

static void
append_quoted (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The text of a REG_SZ that can be written as "..." (UTF-16LE, one NUL at
 * the end, no line breaks), or NULL: then it is written as hex(1). */
static char *
plain_string (GBytes *data)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (data, &len);
  g_autofree gunichar2 *units = NULL;
  char *text;

  if (len < 2 || len % 2 != 0 || p[len - 1] != 0 || p[len - 2] != 0)
    return NULL;
  units = g_new (gunichar2, len / 2);
  for (gsize i = 0; i < len / 2; i++)
    {
      units[i] = (gunichar2) (p[2 * i] | p[2 * i + 1] << 8);
      if (units[i] == 0 && i + 1 < len / 2)
        return NULL;
    }
  text = g_utf16_to_utf8 (units, (glong) (len / 2 - 1), NULL, NULL, NULL);
  if (text != NULL && strpbrk (text, "\r\n") != NULL)
    g_clear_pointer (&text, g_free);
  return text;
}

static void
append_hex (GString *out, gsize line_start, const guint8 *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      char piece[4];

      g_snprintf (piece, sizeof piece, i + 1 < len ? "%02x," : "%02x", p[i]);
      if (out->len - line_start + strlen (piece) > LINE_WIDTH)
        {
          g_string_append (out, "\\\r\n  ");
          line_start = out->len - 2;
        }
      g_string_append (out, piece);
    }
}

static void
append_value (GString *out, const ExportValue *v)
{
  gsize line_start = out->len;
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (v->data, &len);
  g_autofree char *text = NULL;

  if (v->name[0] == '\0')
    g_string_append_c (out, '@');
  else
    append_quoted (out, v->name);
  g_string_append_c (out, '=');
  if (v->type == WSI_REG_SZ && (text = plain_string (v->data)) != NULL)
    append_quoted (out, text);
  else if (v->type == WSI_REG_DWORD && len == 4)
    g_string_append_printf (out, "dword:%08x", (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 |
                                               (guint32) p[3] << 24);
  else
    {
      if (v->type == WSI_REG_BINARY)
        g_string_append (out, "hex:");
      else
        g_string_append_printf (out, "hex(%x):", v->type);
      append_hex (out, line_start, p, len);
    }
  g_string_append (out, "\r\n");
}

GBytes *
wsi_export_reg_to_bytes (const WsiMachine *machine, GError **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (export_key_free);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const WsiCatalog *c32, *c64;
  g_autoptr(GString) text = g_string_new ("Windows Registry Editor Version 5.00\r\n\r\n");
  g_autofree gunichar2 *units = NULL;
  glong n_units = 0;
  guint8 *buf;
  ExportKey *pc9;

  g_return_val_if_fail (machine != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  c32 = wsi_machine_peek_catalog (machine, WSI_CATALOG_32);
  c64 = wsi_machine_peek_catalog (machine, WSI_CATALOG_64);
  pc9 = get_key (keys, index, PROTOCOL_CATALOG);
  add_dword (pc9, "Next_Catalog_Entry_ID", MAX (wsi_catalog_get_next_id (c32),
                                                c64 != NULL ? wsi_catalog_get_next_id (c64) : 0));
  add_dword (pc9, "Num_Catalog_Entries", wsi_catalog_get_size (c32));
  if (c64 != NULL)
    add_dword (pc9, "Num_Catalog_Entries64", wsi_catalog_get_size (c64));
  add_dword (pc9, "Serial_Access_Num", MAX (wsi_catalog_get_serial (c32),
                                            c64 != NULL ? wsi_catalog_get_serial (c64) : 0));
  if (!add_catalog (keys, index, c32, "Catalog_Entries", error))
    return NULL;
  if (c64 != NULL && !add_catalog (keys, index, c64, "Catalog_Entries64", error))
    return NULL;
  if (!add_registry (keys, index, wsi_machine_peek_registry (machine), error))
    return NULL;
  add_parents (keys, index);
  g_ptr_array_sort (keys, compare_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      const ExportKey *k = g_ptr_array_index (keys, i);

      /* An absolute key where it lives, not below Services. */
      if (is_absolute (k->path))
        g_string_append_printf (text, "[HKEY_LOCAL_MACHINE\\%s]\r\n", k->path + 5);
      else
        g_string_append_printf (text, "[" SERVICES_ROOT "\\%s]\r\n", k->path);
      for (guint j = 0; j < k->values->len; j++)
        append_value (text, g_ptr_array_index (k->values, j));
      g_string_append (text, "\r\n");
    }

  units = g_utf8_to_utf16 (text->str, (glong) text->len, NULL, &n_units, error);
  if (units == NULL)
    return NULL;
  buf = g_malloc ((gsize) n_units * 2 + 2);
  buf[0] = 0xFF;
  buf[1] = 0xFE;
  for (glong i = 0; i < n_units; i++)
    {
      buf[2 + 2 * i] = (guint8) units[i];
      buf[3 + 2 * i] = (guint8) (units[i] >> 8);
    }
  return g_bytes_new_take (buf, (gsize) n_units * 2 + 2);
}

gboolean
wsi_export_reg_file (const WsiMachine *machine, const char *path, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (machine != NULL && path != NULL, FALSE);

  bytes = wsi_export_reg_to_bytes (machine, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  if (!g_file_set_contents_full (path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &local))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}
