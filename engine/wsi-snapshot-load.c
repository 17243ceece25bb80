/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot-load.c: snapshot XML -> WsiMachine. The reader goes through
 * the hardened loader and the embedded XSD, then checks what a schema
 * cannot say (IDs below the counter, catalogs the kind can have). */
#include "wsi-snapshot-private.h"

#include <stdarg.h>
#include <string.h>

#include "wsi-catalog-private.h"
#include "wsi-flags.h"
#include "wsi-number-private.h"
#include "wsi-xml-private.h"

typedef struct {
  const char  *name;
  WsiDiagList *diags;
  gboolean     failed;
} WsiSnapLoad;

static void wsi_snap_problem (WsiSnapLoad *load, const char *tag, xmlNode *node,
                              const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
wsi_snap_problem (WsiSnapLoad *load, const char *tag, xmlNode *node, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (load->diags, tag, load->name, node != NULL ? (int) xmlGetLineNo (node) : 0,
                            format, args);
  va_end (args);
  load->failed = TRUE;
}

static gboolean
wsi_snap_parse_i64 (const char *text, gint64 min, gint64 max, gint64 *out)
{
  if (text == NULL || g_ascii_isspace (*text))
    return FALSE;
  return wsi_number_parse_signed (text, min, max, out);
}

/* A required or optional numeric attribute; a missing optional one gives
 * @fallback. Problems are schema-invalid: the XSD admits only numbers. */
static gint64
wsi_snap_number (WsiSnapLoad *load, xmlNode *node, const char *attr, gint64 min, gint64 max,
                 gboolean required, gint64 fallback)
{
  g_autofree char *text = wsi_xml_get_prop (node, attr);
  gint64 v = fallback;

  if (text == NULL)
    {
      if (required)
        wsi_snap_problem (load, "schema-invalid", node, "<%s> lacks the attribute %s", (const char *) node->name, attr);
      return fallback;
    }
  if (!wsi_snap_parse_i64 (text, min, max, &v))
    {
      wsi_snap_problem (load, "schema-invalid", node, "attribute %s='%s' is not a number in range", attr, text);
      return fallback;
    }
  return v;
}

static GBytes *
wsi_snap_parse_hex (const char *text)
{
  gsize len = strlen (text);
  g_autofree guint8 *bytes = NULL;

  if (len % 2 != 0)
    return NULL;
  bytes = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len; i += 2)
    {
      int hi = g_ascii_xdigit_value (text[i]);
      int lo = g_ascii_xdigit_value (text[i + 1]);
      if (hi < 0 || lo < 0)
        return NULL;
      bytes[i / 2] = (guint8) (hi << 4 | lo);
    }
  return g_bytes_new_take (g_steal_pointer (&bytes), len / 2);
}

/* NAME or NAME-hex (UTF-8 bytes); NULL when neither is present or the hex
 * form is malformed (then with a problem recorded). */
static char *
wsi_snap_text (WsiSnapLoad *load, xmlNode *node, const char *attr)
{
  g_autofree char *hex_name = g_strdup_printf ("%s-hex", attr);
  g_autofree char *hex = wsi_xml_get_prop (node, hex_name);
  char *text = wsi_xml_get_prop (node, attr);
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize len;

  if (hex == NULL)
    return text;
  if (text != NULL)
    {
      wsi_snap_problem (load, "schema-invalid", node, "both %s and %s are given", attr, hex_name);
      g_free (text);
      return NULL;
    }
  bytes = wsi_snap_parse_hex (hex);
  if (bytes == NULL)
    {
      wsi_snap_problem (load, "schema-invalid", node, "%s is not hex", hex_name);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &len);
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate (data, (gssize) len, NULL))
    {
      wsi_snap_problem (load, "schema-invalid", node, "%s is not UTF-8 text", hex_name);
      return NULL;
    }
  return g_strndup (data, len);
}

static gboolean
wsi_snap_id_list (const char *text, guint32 *out, int max, int *n)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  int count = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      gint64 v;
      if (words[i][0] == '\0')
        continue;
      if (count == max || !wsi_snap_parse_i64 (words[i], 0, G_MAXUINT32, &v))
        return FALSE;
      out[count++] = (guint32) v;
    }
  *n = count;
  return TRUE;
}

static guint32
wsi_snap_flags (WsiSnapLoad *load, xmlNode *node, const char *attr, WsiFlagSet set, gboolean required)
{
  g_autofree char *text = wsi_xml_get_prop (node, attr);
  g_autofree char *bad = NULL;
  guint32 value = 0;

  if (text == NULL)
    {
      if (required)
        wsi_snap_problem (load, "schema-invalid", node, "<entry> lacks the attribute %s", attr);
      return 0;
    }
  if (!wsi_flags_parse (set, text, &value, &bad))
    wsi_snap_problem (load, "schema-invalid", node, "attribute %s: unknown flag '%s'", attr, bad != NULL ? bad : text);
  return value;
}

static gint32
wsi_snap_enum (WsiSnapLoad *load, xmlNode *node, const char *attr, WsiEnumKind kind)
{
  g_autofree char *text = wsi_xml_get_prop (node, attr);
  gint32 value = 0;

  if (text == NULL)
    wsi_snap_problem (load, "schema-invalid", node, "<entry> lacks the attribute %s", attr);
  else if (!wsi_enum_parse (kind, text, &value))
    wsi_snap_problem (load, "schema-invalid", node, "attribute %s: unknown value '%s'", attr, text);
  return value;
}

static glong
wsi_snap_utf16_len (const char *text)
{
  glong n = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

static WsiEntry *
wsi_snap_read_entry (WsiSnapLoad *load, xmlNode *node, int bitness)
{
  g_autoptr(WsiEntry) entry = wsi_entry_new ();
  g_autofree char *guid_text = wsi_xml_get_prop (node, "provider-id");
  g_autofree char *chain = wsi_xml_get_prop (node, "chain");
  g_autofree char *slots = wsi_xml_get_prop (node, "chain-slots");
  gboolean was_failed = load->failed;
  int m, n;

  load->failed = FALSE;
  entry->catalog_id = (guint32) wsi_snap_number (load, node, "id", 0, G_MAXUINT32, TRUE, 0);
  if (guid_text == NULL || !wsi_guid_parse (guid_text, &entry->provider_id))
    wsi_snap_problem (load, "schema-invalid", node, "entry %u: provider-id is not a GUID", entry->catalog_id);
  entry->name = wsi_snap_text (load, node, "name");
  entry->path = wsi_snap_text (load, node, "path");
  entry->chain_len = (gint32) wsi_snap_number (load, node, "chain-len", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->service_flags[0] = wsi_snap_flags (load, node, "service-flags", WSI_FLAG_SET_SERVICE, TRUE);
  entry->service_flags[1] = (guint32) wsi_snap_number (load, node, "service-flags2", 0, G_MAXUINT32, FALSE, 0);
  entry->service_flags[2] = (guint32) wsi_snap_number (load, node, "service-flags3", 0, G_MAXUINT32, FALSE, 0);
  entry->service_flags[3] = (guint32) wsi_snap_number (load, node, "service-flags4", 0, G_MAXUINT32, FALSE, 0);
  entry->provider_flags = wsi_snap_flags (load, node, "provider-flags", WSI_FLAG_SET_PROVIDER, TRUE);
  entry->version = (gint32) wsi_snap_number (load, node, "version", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->address_family = wsi_snap_enum (load, node, "af", WSI_ENUM_ADDRESS_FAMILY);
  entry->socket_type = wsi_snap_enum (load, node, "type", WSI_ENUM_SOCKET_TYPE);
  entry->protocol = (gint32) wsi_snap_number (load, node, "protocol", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->protocol_max_offset = (gint32) wsi_snap_number (load, node, "protocol-max-offset", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->max_sockaddr = (gint32) wsi_snap_number (load, node, "max-sockaddr", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->min_sockaddr = (gint32) wsi_snap_number (load, node, "min-sockaddr", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->network_byte_order = (gint32) wsi_snap_number (load, node, "byte-order", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->security_scheme = (gint32) wsi_snap_number (load, node, "security-scheme", G_MININT32, G_MAXINT32, TRUE, 0);
  entry->message_size = (guint32) wsi_snap_number (load, node, "message-size", 0, G_MAXUINT32, TRUE, 0);
  entry->provider_reserved = (guint32) wsi_snap_number (load, node, "provider-reserved", 0, G_MAXUINT32, FALSE, 0);
  entry->lsp_categories = wsi_snap_flags (load, node, "lsp-categories", WSI_FLAG_SET_LSP_CATEGORY, FALSE);

  if (entry->name != NULL && wsi_snap_utf16_len (entry->name) > WSI_PROTOCOL_LEN)
    wsi_snap_problem (load, "snapshot-inconsistent", node,
                      "%d-bit catalog, entry %u: the name is longer than %d characters",
                      bitness, entry->catalog_id, WSI_PROTOCOL_LEN);
  /* The packed catalog item holds the path in CHAR[MAX_PATH] with its NUL:
   * no real catalog has a longer one (WSCInstallProvider refuses it). */
  if (entry->path != NULL && g_utf8_strlen (entry->path, -1) > WSI_MAX_PATH - 1)
    wsi_snap_problem (load, "snapshot-inconsistent", node,
                      "%d-bit catalog, entry %u: the path is longer than %d characters",
                      bitness, entry->catalog_id, WSI_MAX_PATH - 1);

  m = wsi_snapshot_meaningful_slots (entry);
  if (slots != NULL)
    {
      if (!wsi_snap_id_list (slots, entry->chain, WSI_MAX_PROTOCOL_CHAIN, &n) || n != WSI_MAX_PROTOCOL_CHAIN)
        wsi_snap_problem (load, "snapshot-inconsistent", node,
                          "%d-bit catalog, entry %u: chain-slots must list %d IDs",
                          bitness, entry->catalog_id, WSI_MAX_PROTOCOL_CHAIN);
    }
  if (chain != NULL)
    {
      guint32 ids[WSI_MAX_PROTOCOL_CHAIN] = { 0 };

      if (!wsi_snap_id_list (chain, ids, WSI_MAX_PROTOCOL_CHAIN, &n) || n != m)
        wsi_snap_problem (load, "snapshot-inconsistent", node,
                          "%d-bit catalog, entry %u: chain lists %s IDs, ChainLen is %d",
                          bitness, entry->catalog_id, m == 0 ? "any" : "a different number of", entry->chain_len);
      else if (slots != NULL && memcmp (ids, entry->chain, sizeof (guint32) * (gsize) m) != 0)
        wsi_snap_problem (load, "snapshot-inconsistent", node,
                          "%d-bit catalog, entry %u: chain and chain-slots disagree", bitness, entry->catalog_id);
      else
        memcpy (entry->chain, ids, sizeof (guint32) * (gsize) m);
    }
  else if (m > 0 && slots == NULL)
    wsi_snap_problem (load, "snapshot-inconsistent", node,
                      "%d-bit catalog, entry %u: a chain of length %d without its chain attribute",
                      bitness, entry->catalog_id, entry->chain_len);

  if (load->failed)
    return NULL;
  load->failed = was_failed;
  return g_steal_pointer (&entry);
}

static WsiCatalog *
wsi_snap_read_catalog (WsiSnapLoad *load, xmlNode *node, int bitness)
{
  g_autoptr(WsiCatalog) catalog = wsi_catalog_new (bitness == 64 ? WSI_CATALOG_64 : WSI_CATALOG_32);
  g_autoptr(GPtrArray) entries = wsi_xml_get_children (node, "entry");
  guint32 next_id = (guint32) wsi_snap_number (load, node, "next-id", 0, G_MAXUINT32, TRUE, 0);

  wsi_catalog_set_next_id (catalog, next_id);
  wsi_catalog_set_serial (catalog, (guint32) wsi_snap_number (load, node, "serial", 0, G_MAXUINT32, TRUE, 0));
  for (guint i = 0; i < entries->len; i++)
    {
      xmlNode *child = g_ptr_array_index (entries, i);
      WsiEntry *entry = wsi_snap_read_entry (load, child, bitness);

      if (entry == NULL)
        continue;
      /* The counter only grows past every ID it handed out. */
      if (entry->catalog_id >= next_id)
        wsi_snap_problem (load, "snapshot-inconsistent", child,
                          "%d-bit catalog, entry %u: the ID is not below next-id %u", bitness, entry->catalog_id, next_id);
      wsi_catalog_append_loaded (catalog, entry);
    }
  return g_steal_pointer (&catalog);
}

static gboolean
wsi_snap_reg_type (const char *text, guint32 *type)
{
  gint64 v;

  if (wsi_snapshot_reg_type_from_name (text, type))
    return TRUE;
  if (!wsi_snap_parse_i64 (text, 0, G_MAXUINT32, &v))
    return FALSE;
  *type = (guint32) v;
  return TRUE;
}

/* The value's own text (not its children's), for hex and scalar forms. */
static char *
wsi_snap_own_text (xmlNode *node, gboolean *has_elements)
{
  g_autoptr(GString) text = g_string_new (NULL);

  *has_elements = FALSE;
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_TEXT_NODE && c->content != NULL)
      g_string_append (text, (const char *) c->content);
    else if (c->type == XML_ELEMENT_NODE)
      *has_elements = TRUE;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
wsi_snap_read_value (WsiSnapLoad *load, WsiRegistry *registry, const char *key, xmlNode *node)
{
  g_autofree char *name = wsi_snap_text (load, node, "name");
  g_autofree char *type_text = wsi_xml_get_prop (node, "type");
  g_autofree char *encoding = wsi_xml_get_prop (node, "encoding");
  gboolean has_elements = FALSE;
  g_autofree char *text = wsi_snap_own_text (node, &has_elements);
  g_autoptr(GBytes) data = NULL;
  guint32 type = 0;
  gint64 dword;

  if (name == NULL)
    {
      wsi_snap_problem (load, "schema-invalid", node, "a registry value without a name");
      return;
    }
  if (type_text == NULL || !wsi_snap_reg_type (type_text, &type))
    {
      wsi_snap_problem (load, "schema-invalid", node, "registry value '%s' has no valid type", name);
      return;
    }
  if (has_elements && type != WSI_REG_MULTI_SZ)
    {
      wsi_snap_problem (load, "schema-invalid", node, "registry value '%s': only REG_MULTI_SZ has <string> items", name);
      return;
    }

  if (g_strcmp0 (encoding, "hex") == 0 ||
      (type != WSI_REG_SZ && type != WSI_REG_EXPAND_SZ && type != WSI_REG_DWORD && type != WSI_REG_MULTI_SZ))
    {
      g_strstrip (text);
      data = has_elements ? NULL : wsi_snap_parse_hex (text);
      if (data == NULL)
        {
          wsi_snap_problem (load, "schema-invalid", node, "registry value '%s' is not hex", name);
          return;
        }
    }
  else if (type == WSI_REG_SZ || type == WSI_REG_EXPAND_SZ)
    data = wsi_reg_encode_string (text);
  else if (type == WSI_REG_DWORD)
    {
      if (!wsi_snap_parse_i64 (g_strstrip (text), 0, G_MAXUINT32, &dword))
        {
          wsi_snap_problem (load, "schema-invalid", node, "registry value '%s' is not a DWORD", name);
          return;
        }
      {
        guint32 le = GUINT32_TO_LE ((guint32) dword);
        data = g_bytes_new (&le, sizeof le);
      }
    }
  else
    {
      g_autoptr(GPtrArray) strings = wsi_xml_get_children (node, "string");
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < strings->len; i++)
        {
          char *item = wsi_xml_get_text (g_ptr_array_index (strings, i));
          if (item == NULL || item[0] == '\0')
            {
              g_free (item);
              wsi_snap_problem (load, "schema-invalid", node,
                                "registry value '%s': REG_MULTI_SZ cannot hold an empty string", name);
              return;
            }
          g_ptr_array_add (items, item);
        }
      g_ptr_array_add (items, NULL);
      data = wsi_reg_encode_multi_sz ((const char * const *) items->pdata);
    }

  if (wsi_registry_get (registry, key, name, NULL, NULL))
    {
      wsi_snap_problem (load, "snapshot-inconsistent", node, "registry value '%s' appears twice in key '%s'", name, key);
      return;
    }
  wsi_registry_set (registry, key, name, (WsiRegType) type, data);
}

static void
wsi_snap_read_registry (WsiSnapLoad *load, WsiRegistry *registry, xmlNode *node)
{
  g_autoptr(GPtrArray) keys = wsi_xml_get_children (node, "key");

  for (guint k = 0; k < keys->len; k++)
    {
      xmlNode *key_node = g_ptr_array_index (keys, k);
      g_autofree char *path = wsi_snap_text (load, key_node, "path");
      g_autoptr(GPtrArray) values = wsi_xml_get_children (key_node, "value");
      g_auto(GStrv) existing = NULL;

      if (path == NULL)
        {
          wsi_snap_problem (load, "schema-invalid", key_node, "a registry key without a path");
          continue;
        }
      existing = wsi_registry_list_values (registry, path);
      if (existing[0] != NULL)
        {
          wsi_snap_problem (load, "snapshot-inconsistent", key_node, "registry key '%s' appears twice", path);
          continue;
        }
      for (guint v = 0; v < values->len; v++)
        wsi_snap_read_value (load, registry, path, g_ptr_array_index (values, v));
    }
}

static WsiMachine *
wsi_snap_read_machine (WsiSnapLoad *load, xmlNode *root)
{
  g_autofree char *kind_text = wsi_xml_get_prop (root, "kind");
  g_autoptr(GPtrArray) catalogs = wsi_xml_get_children (root, "catalog");
  g_autoptr(GPtrArray) descriptions = wsi_xml_get_children (root, "description");
  g_autoptr(GPtrArray) registries = wsi_xml_get_children (root, "registry");
  g_autoptr(WsiMachine) machine = NULL;
  WsiMachineKind kind;
  gboolean seen32 = FALSE, seen64 = FALSE;

  if (!wsi_machine_kind_from_string (kind_text, &kind))
    {
      wsi_snap_problem (load, "schema-invalid", root, "unknown machine kind '%s'", kind_text != NULL ? kind_text : "");
      return NULL;
    }
  machine = wsi_machine_new (kind);
  if (descriptions->len > 0)
    {
      g_autofree char *text = wsi_xml_get_text (g_ptr_array_index (descriptions, 0));
      wsi_machine_set_description (machine, text);
    }

  for (guint i = 0; i < catalogs->len; i++)
    {
      xmlNode *node = g_ptr_array_index (catalogs, i);
      gint64 bitness = wsi_snap_number (load, node, "bitness", 32, 64, TRUE, 0);
      g_autoptr(WsiCatalog) loaded = NULL;
      WsiCatalog *slot;

      if (bitness != 32 && bitness != 64)
        {
          wsi_snap_problem (load, "schema-invalid", node, "bitness must be 32 or 64");
          continue;
        }
      if ((bitness == 32 && seen32) || (bitness == 64 && seen64))
        {
          wsi_snap_problem (load, "snapshot-inconsistent", node, "the %d-bit catalog appears twice", (int) bitness);
          continue;
        }
      seen32 = seen32 || bitness == 32;
      seen64 = seen64 || bitness == 64;
      slot = wsi_machine_get_catalog (machine, (WsiBitness) bitness);
      if (slot == NULL)
        {
          wsi_snap_problem (load, "snapshot-inconsistent", node, "an %s machine has no 64-bit catalog",
                            wsi_machine_kind_to_string (kind));
          continue;
        }
      loaded = wsi_snap_read_catalog (load, node, (int) bitness);
      wsi_catalog_swap_contents (slot, loaded);
    }
  /* x64 machines have one ID counter for both catalogs; a snapshot that
   * lists two values gets the larger (no ID below it was handed out). */
  if (kind == WSI_MACHINE_X64 && seen32 && seen64)
    wsi_catalog_link_counter (wsi_machine_get_catalog (machine, WSI_CATALOG_64),
                              wsi_machine_get_catalog (machine, WSI_CATALOG_32));
  if (!seen32)
    wsi_snap_problem (load, "snapshot-inconsistent", root, "the snapshot has no 32-bit catalog");
  if (kind == WSI_MACHINE_X64 && !seen64)
    wsi_snap_problem (load, "snapshot-inconsistent", root, "an x64 machine needs its 64-bit catalog too");

  if (registries->len > 0)
    wsi_snap_read_registry (load, wsi_machine_get_registry (machine), g_ptr_array_index (registries, 0));

  if (load->failed)
    return NULL;
  return g_steal_pointer (&machine);
}

static WsiMachine *
wsi_snap_from_doc (xmlDoc *doc, const char *display_name, WsiDiagList *diags)
{
  WsiSnapLoad load = { .name = display_name, .diags = diags };

  if (!wsi_xml_validate (doc, WSI_SCHEMA_SNAPSHOT, display_name, diags))
    return NULL;
  return wsi_snap_read_machine (&load, xmlDocGetRootElement (doc));
}

WsiMachine *
wsi_snapshot_load_file (const char *path, WsiDiagList *diags)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (path != NULL && diags != NULL, NULL);

  doc = wsi_xml_load_file (path, WSI_XML_MAX_SNAPSHOT_SIZE, diags);
  if (doc == NULL)
    return NULL;
  return wsi_snap_from_doc (doc, path, diags);
}

WsiMachine *
wsi_snapshot_load_memory (const char *data, gsize len, const char *display_name, WsiDiagList *diags)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (diags != NULL, NULL);

  if (display_name == NULL)
    display_name = "<snapshot>";
  doc = wsi_xml_load_memory (data, len, display_name, WSI_XML_MAX_SNAPSHOT_SIZE, diags);
  if (doc == NULL)
    return NULL;
  return wsi_snap_from_doc (doc, display_name, diags);
}
