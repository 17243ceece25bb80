/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-services.c: from the Winsock keys of a Services key (read out of
 * a .reg file or an offline hive) to a machine.
 *
 * Layout (winsock-catalog.md §5, §6), below ...\Services:
 *   WinSock2\Parameters\Protocol_Catalog9      Next_Catalog_Entry_ID, Serial_Access_Num,
 *                                              Num_Catalog_Entries, Num_Catalog_Entries64
 *     Catalog_Entries\000000000001..N           the 32-bit catalog (the only one on x86)
 *     Catalog_Entries64\000000000001..N         the 64-bit catalog
 *       PackedCatalogItem                       888 bytes; the key number is the position
 *       WsinstallLspCategories                  REG_DWORD, wsinstall's own (see wsi-registry.h)
 *   Winsock\Parameters                          Transports (REG_MULTI_SZ)
 *   Winsock\Parameters\TCP on SAN               SAN providers' GUIDs
 *   <transport>\Parameters\Winsock              Mapping, HelperDllName, Min/MaxSockaddrLength */
#include "wsi-import-private.h"

#include <stdlib.h>
#include <string.h>

#include "wsi-entry.h"
#include "wsi-registry.h"

#define PROTOCOL_CATALOG "WinSock2\\Parameters\\Protocol_Catalog9"
#define REG_DWORD_TYPE   4u
#define REG_BINARY_TYPE  3u
#define ENTRY_KEY_DIGITS 12

typedef struct {
  char       *path;     /* first spelling */
  int         line;
  GHashTable *values;   /* folded name -> WsiImportValue */
} TreeKey;

struct _WsiImportTree {
  GHashTable *keys;     /* folded path -> TreeKey */
};

static void
value_free (gpointer data)
{
  WsiImportValue *v = data;

  g_free (v->name);
  g_bytes_unref (v->data);
  g_free (v);
}

static void
tree_key_free (gpointer data)
{
  TreeKey *k = data;

  g_free (k->path);
  g_hash_table_unref (k->values);
  g_free (k);
}

WsiImportTree *
wsi_import_tree_new (void)
{
  WsiImportTree *self = g_new0 (WsiImportTree, 1);

  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, tree_key_free);
  return self;
}

void
wsi_import_tree_free (WsiImportTree *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->keys);
  g_free (self);
}

static TreeKey *
tree_get_key (const WsiImportTree *self, const char *path)
{
  g_autofree char *folded = wsi_registry_fold_name (path);

  return g_hash_table_lookup (self->keys, folded);
}

/* The key @path, created with every missing parent, as regedit does when
 * it imports a file whose [headers] leave the parents out. Parents are
 * found bottom-up and the walk stops at the first one that exists, so a
 * file of many deep keys costs what its text costs. */
static TreeKey *
tree_ensure_key (WsiImportTree *self, const char *path, int line)
{
  g_autofree char *folded = wsi_registry_fold_name (path);
  TreeKey *k = g_hash_table_lookup (self->keys, folded);
  g_autoptr(GPtrArray) missing = NULL;
  TreeKey *found;

  if (k != NULL)
    return k;
  k = g_new0 (TreeKey, 1);
  k->path = g_strdup (path);
  k->line = line;
  k->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, value_free);
  g_hash_table_insert (self->keys, g_strdup (folded), k);
  found = k;

  /* Folding maps a backslash to itself and nothing else to one, so the
   * n-th backslash of @path and of @folded end the same parent. */
  missing = g_ptr_array_new ();
  for (;;)
    {
      char *psep = strrchr (k->path, '\\');
      char *fsep = strrchr (folded, '\\');
      TreeKey *parent;

      if (psep == NULL || fsep == NULL)
        break;
      *fsep = '\0';
      if (g_hash_table_contains (self->keys, folded))
        break;
      parent = g_new0 (TreeKey, 1);
      parent->path = g_strndup (k->path, (gsize) (psep - k->path));
      parent->line = line;
      parent->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, value_free);
      g_hash_table_insert (self->keys, g_strdup (folded), parent);
      k = parent;
    }
  return found;
}

gboolean
wsi_import_key_path_is_valid (const char *path, char **why)
{
  guint levels = 1;
  const char *start = path;

  g_return_val_if_fail (path != NULL, FALSE);

  for (const char *p = path;; p++)
    {
      if (*p != '\\' && *p != '\0')
        continue;
      /* Characters, not bytes; invalid UTF-8 counts bytes. */
      glong chars = g_utf8_validate (start, p - start, NULL) ? g_utf8_strlen (start, p - start) : p - start;
      if (chars > WSI_REG_MAX_KEY_NAME)
        {
          if (why != NULL)
            *why = g_strdup_printf ("a key name of %ld characters; the registry allows %d", chars,
                                    WSI_REG_MAX_KEY_NAME);
          return FALSE;
        }
      if (*p == '\0')
        break;
      if (++levels > WSI_REG_MAX_KEY_DEPTH)
        {
          if (why != NULL)
            *why = g_strdup_printf ("a key more than %d levels deep, deeper than the registry allows",
                                    WSI_REG_MAX_KEY_DEPTH);
          return FALSE;
        }
      start = p + 1;
    }
  return TRUE;
}

void
wsi_import_tree_add_key (WsiImportTree *self, const char *path, int line)
{
  g_return_if_fail (self != NULL && path != NULL);

  tree_ensure_key (self, path, line);
}

void
wsi_import_tree_set_value (WsiImportTree *self, const char *key, const char *name,
                           guint32 type, GBytes *data, int line)
{
  TreeKey *k;
  WsiImportValue *v;
  g_autofree char *folded = NULL;

  g_return_if_fail (self != NULL && key != NULL && name != NULL && data != NULL);

  k = tree_ensure_key (self, key, line);
  folded = wsi_registry_fold_name (name);
  v = g_hash_table_lookup (k->values, folded);
  if (v == NULL)
    {
      v = g_new0 (WsiImportValue, 1);
      v->name = g_strdup (name);
      g_hash_table_insert (k->values, g_steal_pointer (&folded), v);
    }
  else
    g_bytes_unref (v->data);
  v->type = type;
  v->data = g_bytes_ref (data);
  v->line = line;
}

gboolean
wsi_import_tree_has_key (const WsiImportTree *self, const char *path)
{
  return tree_get_key (self, path) != NULL;
}

static const WsiImportValue *
tree_get_value (const WsiImportTree *self, const char *key, const char *name)
{
  TreeKey *k = tree_get_key (self, key);
  g_autofree char *folded = NULL;

  if (k == NULL)
    return NULL;
  folded = wsi_registry_fold_name (name);
  return g_hash_table_lookup (k->values, folded);
}

/* Names of the direct subkeys of @path (borrowed from the tree). */
static GPtrArray *
tree_list_subkeys (const WsiImportTree *self, const char *path)
{
  g_autofree char *prefix = NULL;
  g_autofree char *folded = wsi_registry_fold_name (path);
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter it;
  gpointer kfold, kval;
  gsize plen;

  prefix = g_strconcat (folded, "\\", NULL);
  plen = strlen (prefix);
  g_hash_table_iter_init (&it, self->keys);
  while (g_hash_table_iter_next (&it, &kfold, &kval))
    {
      const TreeKey *k = kval;

      if (strncmp (kfold, prefix, plen) == 0 && strchr ((const char *) kfold + plen, '\\') == NULL)
        {
          /* A direct child: its own name is what follows the last backslash. */
          const char *last = strrchr (k->path, '\\');
          g_ptr_array_add (out, last != NULL ? (char *) last + 1 : k->path);
        }
    }
  return out;
}

static gboolean
is_control_set (const char *seg)
{
  if (g_ascii_strcasecmp (seg, "CurrentControlSet") == 0)
    return TRUE;
  return strlen (seg) == 13 && g_ascii_strncasecmp (seg, "ControlSet", 10) == 0 &&
         g_ascii_isdigit (seg[10]) && g_ascii_isdigit (seg[11]) && g_ascii_isdigit (seg[12]);
}

gboolean
wsi_import_split_services_path (const char *path, char **root, char **relative)
{
  g_auto(GStrv) segs = g_strsplit (path, "\\", -1);
  guint n = g_strv_length (segs);

  for (guint i = 0; i + 1 < n; i++)
    if (is_control_set (segs[i]) && g_ascii_strcasecmp (segs[i + 1], "Services") == 0)
      {
        char *saved = segs[i + 1];

        segs[i + 1] = NULL;
        *root = g_strjoinv ("\\", segs);
        segs[i + 1] = saved;
        *relative = g_strjoinv ("\\", segs + i + 2);
        return TRUE;
      }
  return FALSE;
}

gboolean
wsi_import_key_is_relevant (const char *path)
{
  g_auto(GStrv) segs = g_strsplit (path, "\\", -1);
  guint n = g_strv_length (segs);

  if (n >= 3 && g_ascii_strcasecmp (segs[0], "WinSock2") == 0 && g_ascii_strcasecmp (segs[1], "Parameters") == 0 &&
      g_ascii_strcasecmp (segs[2], "Protocol_Catalog9") == 0)
    return TRUE;
  if (n >= 2 && n <= 3 && g_ascii_strcasecmp (segs[0], "Winsock") == 0 &&
      g_ascii_strcasecmp (segs[1], "Parameters") == 0)
    return n == 2 || g_ascii_strcasecmp (segs[2], "TCP on SAN") == 0;
  return n == 3 && g_ascii_strcasecmp (segs[1], "Parameters") == 0 && g_ascii_strcasecmp (segs[2], "Winsock") == 0;
}

/* --- building the machine ------------------------------------------------ */

typedef struct {
  const WsiImportTree *tree;
  const char          *display_name;
  WsiDiagList         *diags;
} Builder;

static gboolean
inconsistent (Builder *b, int line, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
inconsistent (Builder *b, int line, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (b->diags, "catalog-keys-inconsistent", b->display_name, line, format, args);
  va_end (args);
  return FALSE;
}

static int
key_line (const Builder *b, const char *path)
{
  const TreeKey *k = tree_get_key (b->tree, path);

  return k != NULL ? k->line : 0;
}

/* A REG_DWORD counter of Protocol_Catalog9; *present FALSE when missing. */
static gboolean
read_counter (Builder *b, const char *name, guint32 *out, gboolean *present)
{
  const WsiImportValue *v = tree_get_value (b->tree, PROTOCOL_CATALOG, name);
  gsize len = 0;
  const guint8 *p;

  *present = v != NULL;
  if (v == NULL)
    return TRUE;
  p = g_bytes_get_data (v->data, &len);
  if (v->type != REG_DWORD_TYPE || len != 4)
    return inconsistent (b, v->line, "%s is not a REG_DWORD", name);
  *out = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
  return TRUE;
}

static gboolean
read_required_counter (Builder *b, const char *name, guint32 *out)
{
  gboolean present = FALSE;

  if (!read_counter (b, name, out, &present))
    return FALSE;
  if (!present)
    return inconsistent (b, key_line (b, PROTOCOL_CATALOG), "Protocol_Catalog9 has no %s value", name);
  return TRUE;
}

static gboolean
parse_position (const char *name, guint32 *pos)
{
  guint64 v = 0;

  if (strlen (name) != ENTRY_KEY_DIGITS)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  if (v == 0 || v > G_MAXUINT32)
    return FALSE;
  *pos = (guint32) v;
  return TRUE;
}

/* Reads Catalog_Entries(64) into @catalog: keys 1..count, no gaps, no
 * extra keys, each with an 888-byte PackedCatalogItem. */
static gboolean
read_catalog (Builder *b, const char *subkey, guint32 count, guint32 next_id, WsiCatalog *catalog)
{
  g_autofree char *path = g_strconcat (PROTOCOL_CATALOG "\\", subkey, NULL);
  g_autoptr(GPtrArray) children = NULL;
  g_autofree guint8 *seen = NULL;

  if (!wsi_import_tree_has_key (b->tree, path))
    {
      if (count == 0)
        return TRUE;
      return inconsistent (b, key_line (b, PROTOCOL_CATALOG),
                           "the counter says %u entries but there is no %s key", count, subkey);
    }
  children = tree_list_subkeys (b->tree, path);
  if (children->len != count)
    return inconsistent (b, key_line (b, path), "%s has %u entry keys but its counter says %u",
                         subkey, children->len, count);
  seen = g_new0 (guint8, (gsize) count + 1);
  for (guint i = 0; i < children->len; i++)
    {
      const char *name = g_ptr_array_index (children, i);
      guint32 pos = 0;
      g_autofree char *child = g_strconcat (path, "\\", name, NULL);

      if (!parse_position (name, &pos) || pos > count || seen[pos])
        return inconsistent (b, key_line (b, child),
                             "%s\\%s is not an entry key numbered 000000000001..%012u", subkey, name, count);
      seen[pos] = 1;
    }

  for (guint32 pos = 1; pos <= count; pos++)
    {
      g_autofree char *child = g_strdup_printf ("%s\\%0*u", path, ENTRY_KEY_DIGITS, pos);
      const WsiImportValue *v = tree_get_value (b->tree, child, "PackedCatalogItem");
      g_autoptr(GError) error = NULL;
      const guint8 *data;
      gsize len = 0;
      WsiEntry *entry;

      if (v == NULL)
        {
          wsi_diag_list_add (b->diags, "packed-item-invalid", b->display_name, key_line (b, child),
                             "%s\\%0*u has no PackedCatalogItem value", subkey, ENTRY_KEY_DIGITS, pos);
          return FALSE;
        }
      if (v->type != REG_BINARY_TYPE)
        {
          wsi_diag_list_add (b->diags, "packed-item-invalid", b->display_name, v->line,
                             "%s\\%0*u: PackedCatalogItem is of type %u, not REG_BINARY",
                             subkey, ENTRY_KEY_DIGITS, pos, v->type);
          return FALSE;
        }
      data = g_bytes_get_data (v->data, &len);
      entry = wsi_entry_unpack_catalog_item (data, len, &error);
      if (entry == NULL)
        {
          wsi_diag_list_add (b->diags, "packed-item-invalid", b->display_name, v->line,
                             "%s\\%0*u: %s", subkey, ENTRY_KEY_DIGITS, pos, error->message);
          return FALSE;
        }
      /* IDs come from the counter and are never reused, so an ID at or
       * above it means the keys were not written together. */
      if (entry->catalog_id >= next_id)
        {
          inconsistent (b, v->line, "%s\\%0*u has catalog ID %u, not below Next_Catalog_Entry_ID %u",
                        subkey, ENTRY_KEY_DIGITS, pos, entry->catalog_id, next_id);
          wsi_entry_free (entry);
          return FALSE;
        }
      {
        const WsiImportValue *c = tree_get_value (b->tree, child, WSI_REG_VALUE_LSP_CATEGORIES);
        gsize clen = 0;
        const guint8 *cd = c != NULL ? g_bytes_get_data (c->data, &clen) : NULL;
        if (c != NULL && (c->type != REG_DWORD_TYPE || clen != 4))
          {
            wsi_diag_list_add (b->diags, "packed-item-invalid", b->display_name, c->line,
                               "%s\\%0*u: %s is not a REG_DWORD", subkey, ENTRY_KEY_DIGITS, pos,
                               WSI_REG_VALUE_LSP_CATEGORIES);
            wsi_entry_free (entry);
            return FALSE;
          }
        if (cd != NULL)
          entry->lsp_categories = (guint32) cd[0] | (guint32) cd[1] << 8 | (guint32) cd[2] << 16 | (guint32) cd[3] << 24;
      }
      wsi_catalog_append_loaded (catalog, entry);
    }
  return TRUE;
}

static gboolean
is_wsh_value (const char *name)
{
  static const char *const names[] = { "Mapping", "HelperDllName", "MinSockaddrLength", "MaxSockaddrLength" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static gint
compare_values_by_name (gconstpointer a, gconstpointer b)
{
  const WsiImportValue *va = *(const WsiImportValue * const *) a;
  const WsiImportValue *vb = *(const WsiImportValue * const *) b;

  return strcmp (va->name, vb->name);
}

/* The registry values wsinstall may own (wsi-registry.h), as found. */
static void
read_registry (const WsiImportTree *tree, WsiRegistry *registry)
{
  GHashTableIter it;
  gpointer kfold, kval;

  g_hash_table_iter_init (&it, tree->keys);
  while (g_hash_table_iter_next (&it, &kfold, &kval))
    {
      const TreeKey *k = kval;
      g_auto(GStrv) segs = g_strsplit (k->path, "\\", -1);
      guint n = g_strv_length (segs);
      gboolean winsock_params = n == 2 && g_ascii_strcasecmp (segs[0], "Winsock") == 0 &&
                                g_ascii_strcasecmp (segs[1], "Parameters") == 0;
      gboolean san = n == 3 && g_ascii_strcasecmp (segs[0], "Winsock") == 0 &&
                     g_ascii_strcasecmp (segs[1], "Parameters") == 0 &&
                     g_ascii_strcasecmp (segs[2], "TCP on SAN") == 0;
      gboolean wsh = n == 3 && !san && g_ascii_strcasecmp (segs[1], "Parameters") == 0 &&
                     g_ascii_strcasecmp (segs[2], "Winsock") == 0;
      g_autoptr(GPtrArray) values = NULL;
      GHashTableIter vit;
      gpointer vfold, vval;

      if (!winsock_params && !san && !wsh)
        continue;
      /* Sorted, so a value spelt twice in different case keeps one spelling
       * whatever the hash order. */
      values = g_ptr_array_new ();
      g_hash_table_iter_init (&vit, k->values);
      while (g_hash_table_iter_next (&vit, &vfold, &vval))
        g_ptr_array_add (values, vval);
      g_ptr_array_sort (values, compare_values_by_name);
      for (guint i = 0; i < values->len; i++)
        {
          const WsiImportValue *v = g_ptr_array_index (values, i);

          if ((winsock_params && g_ascii_strcasecmp (v->name, "Transports") == 0) || san ||
              (wsh && is_wsh_value (v->name)))
            wsi_registry_set (registry, k->path, v->name, (WsiRegType) v->type, v->data);
        }
    }
}

static gboolean
choose_kind (Builder *b, const WsiImportOptions *options, gboolean has64, WsiMachineKind *kind)
{
  WsiMachineKind found = has64 ? WSI_MACHINE_X64 : WSI_MACHINE_X86;

  if (options == NULL || !options->force_kind)
    {
      *kind = found;
      return TRUE;
    }
  if (options->kind == WSI_MACHINE_X64 && !has64)
    {
      wsi_diag_list_add (b->diags, "import-kind-conflict", b->display_name, key_line (b, PROTOCOL_CATALOG),
                         "an x64 machine was asked for, but the input has no 64-bit catalog (Catalog_Entries64)");
      return FALSE;
    }
  if (options->kind != WSI_MACHINE_X64 && has64)
    {
      wsi_diag_list_add (b->diags, "import-kind-conflict", b->display_name, key_line (b, PROTOCOL_CATALOG),
                         "the machine kind asked for (%s) has one catalog, but the input has a 64-bit catalog "
                         "(Catalog_Entries64)",
                         wsi_machine_kind_to_string (options->kind));
      return FALSE;
    }
  *kind = options->kind;
  return TRUE;
}

WsiMachine *
wsi_import_tree_build (const WsiImportTree *self, const WsiImportOptions *options,
                       const char *display_name, const char *description, WsiDiagList *diags)
{
  Builder b = { self, display_name, diags };
  g_autoptr(WsiMachine) machine = NULL;
  guint32 next_id = 0, serial = 0, count32 = 0, count64 = 0;
  gboolean has_count64 = FALSE, has64;
  WsiMachineKind kind;

  g_return_val_if_fail (self != NULL && diags != NULL, NULL);

  if (!wsi_import_tree_has_key (self, PROTOCOL_CATALOG))
    {
      inconsistent (&b, 0, "there is no WinSock2\\Parameters\\Protocol_Catalog9 key: the input holds no Winsock catalog");
      return NULL;
    }
  if (!read_required_counter (&b, "Next_Catalog_Entry_ID", &next_id) ||
      !read_required_counter (&b, "Serial_Access_Num", &serial) ||
      !read_required_counter (&b, "Num_Catalog_Entries", &count32) ||
      !read_counter (&b, "Num_Catalog_Entries64", &count64, &has_count64))
    return NULL;
  has64 = has_count64 || wsi_import_tree_has_key (self, PROTOCOL_CATALOG "\\Catalog_Entries64");
  if (has64 && !has_count64)
    {
      inconsistent (&b, key_line (&b, PROTOCOL_CATALOG),
                    "Catalog_Entries64 exists but Protocol_Catalog9 has no Num_Catalog_Entries64 value");
      return NULL;
    }
  if (!choose_kind (&b, options, has64, &kind))
    return NULL;

  machine = wsi_machine_new (kind);
  if (!read_catalog (&b, "Catalog_Entries", count32, next_id, wsi_machine_get_catalog (machine, WSI_CATALOG_32)))
    return NULL;
  if (has64 && !read_catalog (&b, "Catalog_Entries64", count64, next_id,
                              wsi_machine_get_catalog (machine, WSI_CATALOG_64)))
    return NULL;
  /* One counter and one serial for both catalogs: that is how Windows
   * stores them (Protocol_Catalog9). */
  wsi_catalog_set_next_id (wsi_machine_get_catalog (machine, WSI_CATALOG_32), next_id);
  wsi_catalog_set_serial (wsi_machine_get_catalog (machine, WSI_CATALOG_32), serial);
  if (has64)
    {
      wsi_catalog_set_next_id (wsi_machine_get_catalog (machine, WSI_CATALOG_64), next_id);
      wsi_catalog_set_serial (wsi_machine_get_catalog (machine, WSI_CATALOG_64), serial);
    }
  read_registry (self, wsi_machine_get_registry (machine));
  wsi_machine_set_description (machine, options != NULL && options->description != NULL
                                          ? options->description : description);
  return g_steal_pointer (&machine);
}
