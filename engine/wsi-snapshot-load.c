/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot-load.c: snapshot XML -> WsiMachine. The reader goes through
 * the hardened loader and the embedded XSD, then checks what a schema
 * cannot say (IDs below the counter, catalogs the kind can have).
 *
 * A snapshot is first streamed (wsi_xml_stream_file()): the machine is
 * built as its elements go by, with no document tree, whose size was most
 * of `plan`'s memory at 10,000 entries a catalog. A stream makes no
 * diagnostics: at the first problem it stops, and the snapshot is loaded
 * again as a tree, which reports every problem with its line. Both ways
 * build the machine with the same functions below, on an element seen
 * either as a tree's node or as a stream's start tag. */
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
  gboolean     seen32;
  gboolean     seen64;
} WsiSnapLoad;

/* An element, from a tree or from a stream. */
typedef struct {
  const char     *name;      /* local name */
  xmlNode        *node;      /* the tree's element; NULL in a stream */
  int             n_attrs;   /* in a stream: its attributes (SAX2 layout) */
  const xmlChar **attrs;
} WsiSnapElement;

static WsiSnapElement
wsi_snap_tree_element (xmlNode *node)
{
  return (WsiSnapElement) { .name = (const char *) node->name, .node = node };
}

static char *
wsi_snap_attr (const WsiSnapElement *el, const char *name)
{
  if (el->node != NULL)
    return wsi_xml_get_prop (el->node, name);
  return wsi_xml_stream_attr (el->n_attrs, el->attrs, name);
}

static void wsi_snap_problem (WsiSnapLoad *load, const char *tag, const WsiSnapElement *el,
                              const char *format, ...) G_GNUC_PRINTF (4, 5);

/* In a stream the problem stops the load (its diagnostics are dropped and
 * the tree's reported): no line is needed there. */
static void
wsi_snap_problem (WsiSnapLoad *load, const char *tag, const WsiSnapElement *el, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (load->diags, tag, load->name, el->node != NULL ? (int) xmlGetLineNo (el->node) : 0,
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
wsi_snap_number (WsiSnapLoad *load, const WsiSnapElement *node, const char *attr, gint64 min, gint64 max,
                 gboolean required, gint64 fallback)
{
  g_autofree char *text = wsi_snap_attr (node, attr);
  gint64 v = fallback;

  if (text == NULL)
    {
      if (required)
        wsi_snap_problem (load, "schema-invalid", node, "<%s> lacks the attribute %s", node->name, attr);
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
wsi_snap_text (WsiSnapLoad *load, const WsiSnapElement *node, const char *attr)
{
  g_autofree char *hex_name = g_strdup_printf ("%s-hex", attr);
  g_autofree char *hex = wsi_snap_attr (node, hex_name);
  char *text = wsi_snap_attr (node, attr);
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
wsi_snap_flags (WsiSnapLoad *load, const WsiSnapElement *node, const char *attr, WsiFlagSet set, gboolean required)
{
  g_autofree char *text = wsi_snap_attr (node, attr);
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
wsi_snap_enum (WsiSnapLoad *load, const WsiSnapElement *node, const char *attr, WsiEnumKind kind)
{
  g_autofree char *text = wsi_snap_attr (node, attr);
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
wsi_snap_read_entry (WsiSnapLoad *load, const WsiSnapElement *node, int bitness)
{
  g_autoptr(WsiEntry) entry = wsi_entry_new ();
  g_autofree char *guid_text = wsi_snap_attr (node, "provider-id");
  g_autofree char *chain = wsi_snap_attr (node, "chain");
  g_autofree char *slots = wsi_snap_attr (node, "chain-slots");
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

/* A <catalog>'s start: the catalog its entries go into, NULL when it is
 * refused (its entries are then not read). */
static WsiCatalog *
wsi_snap_begin_catalog (WsiSnapLoad *load, WsiMachine *machine, const WsiSnapElement *node, int *bitness_out,
                        guint32 *next_id_out)
{
  gint64 bitness = wsi_snap_number (load, node, "bitness", 32, 64, TRUE, 0);
  g_autoptr(WsiCatalog) catalog = NULL;
  guint32 next_id;

  if (bitness != 32 && bitness != 64)
    {
      wsi_snap_problem (load, "schema-invalid", node, "bitness must be 32 or 64");
      return NULL;
    }
  if ((bitness == 32 && load->seen32) || (bitness == 64 && load->seen64))
    {
      wsi_snap_problem (load, "snapshot-inconsistent", node, "the %d-bit catalog appears twice", (int) bitness);
      return NULL;
    }
  load->seen32 = load->seen32 || bitness == 32;
  load->seen64 = load->seen64 || bitness == 64;
  if (wsi_machine_get_catalog (machine, (WsiBitness) bitness) == NULL)
    {
      wsi_snap_problem (load, "snapshot-inconsistent", node, "an %s machine has no 64-bit catalog",
                        wsi_machine_kind_to_string (wsi_machine_get_kind (machine)));
      return NULL;
    }
  catalog = wsi_catalog_new (bitness == 64 ? WSI_CATALOG_64 : WSI_CATALOG_32);
  next_id = (guint32) wsi_snap_number (load, node, "next-id", 0, G_MAXUINT32, TRUE, 0);
  wsi_catalog_set_next_id (catalog, next_id);
  wsi_catalog_set_serial (catalog, (guint32) wsi_snap_number (load, node, "serial", 0, G_MAXUINT32, TRUE, 0));
  *bitness_out = (int) bitness;
  *next_id_out = next_id;
  return g_steal_pointer (&catalog);
}

static void
wsi_snap_add_entry (WsiSnapLoad *load, WsiCatalog *catalog, int bitness, guint32 next_id,
                    const WsiSnapElement *node)
{
  WsiEntry *entry = wsi_snap_read_entry (load, node, bitness);

  if (entry == NULL)
    return;
  /* The counter only grows past every ID it handed out. */
  if (entry->catalog_id >= next_id)
    wsi_snap_problem (load, "snapshot-inconsistent", node,
                      "%d-bit catalog, entry %u: the ID is not below next-id %u", bitness, entry->catalog_id, next_id);
  wsi_catalog_append_loaded (catalog, entry);
}

static void
wsi_snap_end_catalog (WsiMachine *machine, int bitness, WsiCatalog *loaded)
{
  wsi_catalog_swap_contents (wsi_machine_get_catalog (machine, (WsiBitness) bitness), loaded);
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

/* What a <value> holds: its own text (for the hex and scalar forms) and
 * its <string> items' texts. */
typedef struct {
  GString   *text;
  gboolean   has_elements;
  GPtrArray *strings;   /* char *, one per <string> */
} WsiSnapValueContent;

static void
wsi_snap_value_content_clear (WsiSnapValueContent *content)
{
  if (content->text != NULL)
    g_string_free (g_steal_pointer (&content->text), TRUE);
  g_clear_pointer (&content->strings, g_ptr_array_unref);
  content->has_elements = FALSE;
}

static void
wsi_snap_value_content_init (WsiSnapValueContent *content)
{
  content->text = g_string_new (NULL);
  content->has_elements = FALSE;
  content->strings = g_ptr_array_new_with_free_func (g_free);
}

static void
wsi_snap_tree_value_content (xmlNode *node, WsiSnapValueContent *content)
{
  wsi_snap_value_content_init (content);
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_TEXT_NODE && c->content != NULL)
      g_string_append (content->text, (const char *) c->content);
    else if (c->type == XML_ELEMENT_NODE)
      content->has_elements = TRUE;
  {
    g_autoptr(GPtrArray) strings = wsi_xml_get_children (node, "string");
    for (guint i = 0; i < strings->len; i++)
      g_ptr_array_add (content->strings, wsi_xml_get_text (g_ptr_array_index (strings, i)));
  }
}

static void
wsi_snap_read_value (WsiSnapLoad *load, WsiRegistry *registry, const char *key, const WsiSnapElement *node,
                     const WsiSnapValueContent *content)
{
  g_autofree char *name = wsi_snap_text (load, node, "name");
  g_autofree char *type_text = wsi_snap_attr (node, "type");
  g_autofree char *encoding = wsi_snap_attr (node, "encoding");
  gboolean has_elements = content->has_elements;
  g_autofree char *text = g_strndup (content->text->str, content->text->len);
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
      g_autoptr(GPtrArray) items = g_ptr_array_new ();

      for (guint i = 0; i < content->strings->len; i++)
        {
          const char *item = g_ptr_array_index (content->strings, i);
          if (item == NULL || item[0] == '\0')
            {
              wsi_snap_problem (load, "schema-invalid", node,
                                "registry value '%s': REG_MULTI_SZ cannot hold an empty string", name);
              return;
            }
          g_ptr_array_add (items, (gpointer) item);
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

/* A <key>'s start: its path, or NULL when it is refused (its values are
 * then not read). */
static char *
wsi_snap_begin_key (WsiSnapLoad *load, WsiRegistry *registry, const WsiSnapElement *node)
{
  g_autofree char *path = wsi_snap_text (load, node, "path");
  g_auto(GStrv) existing = NULL;

  if (path == NULL)
    {
      wsi_snap_problem (load, "schema-invalid", node, "a registry key without a path");
      return NULL;
    }
  existing = wsi_registry_list_values (registry, path);
  if (existing[0] != NULL)
    {
      wsi_snap_problem (load, "snapshot-inconsistent", node, "registry key '%s' appears twice", path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

/* <machine>'s start: the machine, or NULL when its kind is unknown. */
static WsiMachine *
wsi_snap_begin_machine (WsiSnapLoad *load, const WsiSnapElement *root)
{
  g_autofree char *kind_text = wsi_snap_attr (root, "kind");
  WsiMachineKind kind;

  if (!wsi_machine_kind_from_string (kind_text, &kind))
    {
      wsi_snap_problem (load, "schema-invalid", root, "unknown machine kind '%s'", kind_text != NULL ? kind_text : "");
      return NULL;
    }
  return wsi_machine_new (kind);
}

/* What can be said once every catalog is read. */
static void
wsi_snap_end_catalogs (WsiSnapLoad *load, WsiMachine *machine, const WsiSnapElement *root)
{
  WsiMachineKind kind = wsi_machine_get_kind (machine);

  /* x64 machines have one ID counter for both catalogs; a snapshot that
   * lists two values gets the larger (no ID below it was handed out). */
  if (kind == WSI_MACHINE_X64 && load->seen32 && load->seen64)
    wsi_catalog_link_counter (wsi_machine_get_catalog (machine, WSI_CATALOG_64),
                              wsi_machine_get_catalog (machine, WSI_CATALOG_32));
  if (!load->seen32)
    wsi_snap_problem (load, "snapshot-inconsistent", root, "the snapshot has no 32-bit catalog");
  if (kind == WSI_MACHINE_X64 && !load->seen64)
    wsi_snap_problem (load, "snapshot-inconsistent", root, "an x64 machine needs its 64-bit catalog too");
}

static void
wsi_snap_read_registry (WsiSnapLoad *load, WsiRegistry *registry, xmlNode *node)
{
  g_autoptr(GPtrArray) keys = wsi_xml_get_children (node, "key");

  for (guint k = 0; k < keys->len; k++)
    {
      WsiSnapElement key_el = wsi_snap_tree_element (g_ptr_array_index (keys, k));
      g_autofree char *path = wsi_snap_begin_key (load, registry, &key_el);
      g_autoptr(GPtrArray) values = NULL;

      if (path == NULL)
        continue;
      values = wsi_xml_get_children (key_el.node, "value");
      for (guint v = 0; v < values->len; v++)
        {
          WsiSnapElement value_el = wsi_snap_tree_element (g_ptr_array_index (values, v));
          WsiSnapValueContent content = { 0 };

          wsi_snap_tree_value_content (value_el.node, &content);
          wsi_snap_read_value (load, registry, path, &value_el, &content);
          wsi_snap_value_content_clear (&content);
        }
    }
}

static WsiMachine *
wsi_snap_read_machine (WsiSnapLoad *load, xmlNode *root_node)
{
  WsiSnapElement root = wsi_snap_tree_element (root_node);
  g_autoptr(GPtrArray) catalogs = wsi_xml_get_children (root_node, "catalog");
  g_autoptr(GPtrArray) descriptions = wsi_xml_get_children (root_node, "description");
  g_autoptr(GPtrArray) registries = wsi_xml_get_children (root_node, "registry");
  g_autoptr(WsiMachine) machine = wsi_snap_begin_machine (load, &root);

  if (machine == NULL)
    return NULL;
  if (descriptions->len > 0)
    {
      g_autofree char *text = wsi_xml_get_text (g_ptr_array_index (descriptions, 0));
      wsi_machine_set_description (machine, text);
    }

  for (guint i = 0; i < catalogs->len; i++)
    {
      WsiSnapElement node = wsi_snap_tree_element (g_ptr_array_index (catalogs, i));
      int bitness = 0;
      guint32 next_id = 0;
      g_autoptr(WsiCatalog) loaded = wsi_snap_begin_catalog (load, machine, &node, &bitness, &next_id);
      g_autoptr(GPtrArray) entries = NULL;

      if (loaded == NULL)
        continue;
      entries = wsi_xml_get_children (node.node, "entry");
      for (guint e = 0; e < entries->len; e++)
        {
          WsiSnapElement child = wsi_snap_tree_element (g_ptr_array_index (entries, e));
          wsi_snap_add_entry (load, loaded, bitness, next_id, &child);
        }
      wsi_snap_end_catalog (machine, bitness, loaded);
    }
  wsi_snap_end_catalogs (load, machine, &root);

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

/* The stream's reader: where in the snapshot it is, and what it has built.
 * The snapshot is schema-valid as far as it was read (the validator sees
 * each event right after this reader), which fixes the elements' order. */
typedef enum {
  WSI_SNAP_AT_TOP,
  WSI_SNAP_AT_MACHINE,
  WSI_SNAP_AT_DESCRIPTION,
  WSI_SNAP_AT_CATALOG,
  WSI_SNAP_AT_ENTRY,
  WSI_SNAP_AT_REGISTRY,
  WSI_SNAP_AT_KEY,
  WSI_SNAP_AT_VALUE,
  WSI_SNAP_AT_STRING,
} WsiSnapPlace;

typedef struct {
  WsiSnapLoad          load;
  WsiSnapPlace         place;
  WsiMachine          *machine;
  GString             *description;
  gboolean             catalogs_done;
  WsiCatalog          *catalog;       /* the <catalog> being read */
  int                  bitness;
  guint32              next_id;
  char                *key;           /* the <key> being read */
  WsiSnapElement       value;         /* the <value> being read, its attributes copied */
  GPtrArray           *value_attrs;   /* xmlChar * quintuples of @value, pointing into: */
  GPtrArray           *value_strings; /* their copied names and values */
  WsiSnapValueContent  content;
  GString             *string;        /* the <string> being read */
} WsiSnapStream;

static void
wsi_snap_stream_clear (WsiSnapStream *s)
{
  g_clear_pointer (&s->machine, wsi_machine_free);
  if (s->description != NULL)
    g_string_free (g_steal_pointer (&s->description), TRUE);
  g_clear_pointer (&s->catalog, wsi_catalog_free);
  g_clear_pointer (&s->key, g_free);
  g_clear_pointer (&s->value_attrs, g_ptr_array_unref);
  g_clear_pointer (&s->value_strings, g_ptr_array_unref);
  wsi_snap_value_content_clear (&s->content);
  if (s->string != NULL)
    g_string_free (g_steal_pointer (&s->string), TRUE);
}

/* Once a problem is found the load stops. */
static gboolean
wsi_snap_stream_ok (WsiSnapStream *s)
{
  return !s->load.failed;
}

static gboolean
wsi_snap_stream_start (gpointer user_data, const char *name, int n_attrs, const xmlChar **attrs)
{
  WsiSnapStream *s = user_data;
  WsiSnapElement el = { .name = name, .n_attrs = n_attrs, .attrs = attrs };

  switch (s->place)
    {
    case WSI_SNAP_AT_TOP:
      if (strcmp (name, "machine") != 0)
        return FALSE;
      s->machine = wsi_snap_begin_machine (&s->load, &el);
      s->place = WSI_SNAP_AT_MACHINE;
      return s->machine != NULL && wsi_snap_stream_ok (s);
    case WSI_SNAP_AT_MACHINE:
      if (strcmp (name, "description") == 0 && s->description == NULL)
        {
          s->description = g_string_new (NULL);
          s->place = WSI_SNAP_AT_DESCRIPTION;
          return TRUE;
        }
      if (strcmp (name, "catalog") == 0 && !s->catalogs_done)
        {
          s->catalog = wsi_snap_begin_catalog (&s->load, s->machine, &el, &s->bitness, &s->next_id);
          s->place = WSI_SNAP_AT_CATALOG;
          return s->catalog != NULL && wsi_snap_stream_ok (s);
        }
      if (strcmp (name, "registry") == 0 && !s->catalogs_done)
        {
          /* The catalogs come before the registry: they are all read. */
          s->catalogs_done = TRUE;
          wsi_snap_end_catalogs (&s->load, s->machine, &el);
          s->place = WSI_SNAP_AT_REGISTRY;
          return wsi_snap_stream_ok (s);
        }
      return FALSE;
    case WSI_SNAP_AT_CATALOG:
      if (strcmp (name, "entry") != 0)
        return FALSE;
      wsi_snap_add_entry (&s->load, s->catalog, s->bitness, s->next_id, &el);
      s->place = WSI_SNAP_AT_ENTRY;
      return wsi_snap_stream_ok (s);
    case WSI_SNAP_AT_REGISTRY:
      if (strcmp (name, "key") != 0)
        return FALSE;
      s->key = wsi_snap_begin_key (&s->load, wsi_machine_get_registry (s->machine), &el);
      s->place = WSI_SNAP_AT_KEY;
      return s->key != NULL && wsi_snap_stream_ok (s);
    case WSI_SNAP_AT_KEY:
      if (strcmp (name, "value") != 0)
        return FALSE;
      /* The value is read at its end, when its content is known: the
       * parser's attribute strings do not last that long. */
      s->value_attrs = g_ptr_array_new ();
      s->value_strings = g_ptr_array_new_with_free_func (g_free);
      for (int i = 0; i < 5 * n_attrs; i += 5)
        {
          char *local = g_strdup ((const char *) attrs[i]);
          char *uri = attrs[i + 2] != NULL ? g_strdup ((const char *) attrs[i + 2]) : NULL;
          char *value = g_strndup ((const char *) attrs[i + 3], (gsize) (attrs[i + 4] - attrs[i + 3]));

          g_ptr_array_add (s->value_strings, local);
          g_ptr_array_add (s->value_strings, uri);
          g_ptr_array_add (s->value_strings, value);
          g_ptr_array_add (s->value_attrs, local);
          g_ptr_array_add (s->value_attrs, NULL);
          g_ptr_array_add (s->value_attrs, uri);
          g_ptr_array_add (s->value_attrs, value);
          g_ptr_array_add (s->value_attrs, value + (attrs[i + 4] - attrs[i + 3]));
        }
      s->value = (WsiSnapElement) { .name = "value", .n_attrs = n_attrs, .attrs = (const xmlChar **) s->value_attrs->pdata };
      wsi_snap_value_content_init (&s->content);
      s->place = WSI_SNAP_AT_VALUE;
      return TRUE;
    case WSI_SNAP_AT_VALUE:
      s->content.has_elements = TRUE;
      if (strcmp (name, "string") != 0)
        return FALSE;
      s->string = g_string_new (NULL);
      s->place = WSI_SNAP_AT_STRING;
      return TRUE;
    case WSI_SNAP_AT_DESCRIPTION:
    case WSI_SNAP_AT_ENTRY:
    case WSI_SNAP_AT_STRING:
    default:
      return FALSE;
    }
}

static gboolean
wsi_snap_stream_end (gpointer user_data)
{
  WsiSnapStream *s = user_data;

  switch (s->place)
    {
    case WSI_SNAP_AT_MACHINE:
      if (!s->catalogs_done)
        {
          s->catalogs_done = TRUE;
          wsi_snap_end_catalogs (&s->load, s->machine, &(WsiSnapElement) { .name = "machine" });
        }
      s->place = WSI_SNAP_AT_TOP;
      return wsi_snap_stream_ok (s);
    case WSI_SNAP_AT_DESCRIPTION:
      wsi_machine_set_description (s->machine, s->description->str);
      s->place = WSI_SNAP_AT_MACHINE;
      return TRUE;
    case WSI_SNAP_AT_CATALOG:
      wsi_snap_end_catalog (s->machine, s->bitness, s->catalog);
      g_clear_pointer (&s->catalog, wsi_catalog_free);
      s->place = WSI_SNAP_AT_MACHINE;
      return TRUE;
    case WSI_SNAP_AT_ENTRY:
      s->place = WSI_SNAP_AT_CATALOG;
      return TRUE;
    case WSI_SNAP_AT_REGISTRY:
      s->place = WSI_SNAP_AT_MACHINE;
      return TRUE;
    case WSI_SNAP_AT_KEY:
      g_clear_pointer (&s->key, g_free);
      s->place = WSI_SNAP_AT_REGISTRY;
      return TRUE;
    case WSI_SNAP_AT_VALUE:
      wsi_snap_read_value (&s->load, wsi_machine_get_registry (s->machine), s->key, &s->value, &s->content);
      wsi_snap_value_content_clear (&s->content);
      g_clear_pointer (&s->value_attrs, g_ptr_array_unref);
      g_clear_pointer (&s->value_strings, g_ptr_array_unref);
      s->place = WSI_SNAP_AT_KEY;
      return wsi_snap_stream_ok (s);
    case WSI_SNAP_AT_STRING:
      g_ptr_array_add (s->content.strings, g_string_free (g_steal_pointer (&s->string), FALSE));
      s->place = WSI_SNAP_AT_VALUE;
      return TRUE;
    case WSI_SNAP_AT_TOP:
    default:
      return FALSE;
    }
}

static gboolean
wsi_snap_stream_text (gpointer user_data, const char *text, int len)
{
  WsiSnapStream *s = user_data;

  if (s->place == WSI_SNAP_AT_DESCRIPTION)
    g_string_append_len (s->description, text, len);
  else if (s->place == WSI_SNAP_AT_VALUE)
    g_string_append_len (s->content.text, text, len);
  else if (s->place == WSI_SNAP_AT_STRING)
    g_string_append_len (s->string, text, len);
  return TRUE;
}

static const WsiXmlStreamHandler wsi_snap_stream_handler = {
  .start = wsi_snap_stream_start,
  .end = wsi_snap_stream_end,
  .text = wsi_snap_stream_text,
};

/* The machine of a good snapshot, streamed from the file @path or from
 * @data; NULL (with no diagnostic) for anything else. */
static WsiMachine *
wsi_snap_stream (const char *path, const char *data, gsize len, const char *display_name)
{
  g_autoptr(WsiDiagList) scratch = wsi_diag_list_new ();
  WsiSnapStream s = { .load = { .name = display_name, .diags = scratch } };
  gboolean ok;
  WsiMachine *machine = NULL;

  ok = path != NULL
    ? wsi_xml_stream_file (path, WSI_XML_MAX_SNAPSHOT_SIZE, WSI_SCHEMA_SNAPSHOT, &wsi_snap_stream_handler, &s)
    : wsi_xml_stream_memory (data, len, WSI_XML_MAX_SNAPSHOT_SIZE, WSI_SCHEMA_SNAPSHOT, &wsi_snap_stream_handler, &s);
  if (ok && !s.load.failed && s.place == WSI_SNAP_AT_TOP && s.machine != NULL)
    machine = g_steal_pointer (&s.machine);
  wsi_snap_stream_clear (&s);
  return machine;
}

WsiMachine *
wsi_snapshot_load_file (const char *path, WsiDiagList *diags)
{
  g_autoptr(xmlDoc) doc = NULL;
  WsiMachine *machine;

  g_return_val_if_fail (path != NULL && diags != NULL, NULL);

  machine = wsi_snap_stream (path, NULL, 0, path);
  if (machine != NULL)
    return machine;
  doc = wsi_xml_load_file (path, WSI_XML_MAX_SNAPSHOT_SIZE, diags);
  if (doc == NULL)
    return NULL;
  return wsi_snap_from_doc (doc, path, diags);
}

WsiMachine *
wsi_snapshot_load_memory (const char *data, gsize len, const char *display_name, WsiDiagList *diags)
{
  g_autoptr(xmlDoc) doc = NULL;
  WsiMachine *machine;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (diags != NULL, NULL);

  if (display_name == NULL)
    display_name = "<snapshot>";
  machine = wsi_snap_stream (NULL, data != NULL ? data : "", len, display_name);
  if (machine != NULL)
    return machine;
  doc = wsi_xml_load_memory (data, len, display_name, WSI_XML_MAX_SNAPSHOT_SIZE, diags);
  if (doc == NULL)
    return NULL;
  return wsi_snap_from_doc (doc, display_name, diags);
}
