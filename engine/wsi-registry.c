/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-registry.c: the Winsock registry values of a machine, stored as Windows
 * stores them (type + raw bytes). Key and value names are compared without
 * regard to case, as the registry does; the spelling first used is kept. */
#include "wsi-registry.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char       *name;   /* spelling as first set */
  WsiRegType  type;
  GBytes     *data;
} WsiRegValue;

typedef struct {
  char       *name;     /* spelling as first set */
  GHashTable *values;   /* folded name -> WsiRegValue */
} WsiRegKey;

struct _WsiRegistry {
  GHashTable *keys;     /* folded key -> WsiRegKey */
};

static void
wsi_reg_value_free (gpointer data)
{
  WsiRegValue *value = data;

  g_free (value->name);
  g_bytes_unref (value->data);
  g_free (value);
}

static void
wsi_reg_key_free (gpointer data)
{
  WsiRegKey *key = data;

  g_free (key->name);
  g_hash_table_unref (key->values);
  g_free (key);
}

/* The registry compares names case-insensitively (it upcases with its own
 * table); Unicode case folding gives the same answer for the names that
 * occur here. Nearly every name is ASCII, and folding that byte by byte is
 * an order of magnitude cheaper than g_utf8_casefold. Invalid UTF-8 (only
 * from corrupt input) folds as ASCII. */
char *
wsi_registry_fold_name (const char *name)
{
  const unsigned char *p;

  g_return_val_if_fail (name != NULL, NULL);

  for (p = (const unsigned char *) name; *p != '\0'; p++)
    if (*p >= 0x80)
      break;
  if (*p == '\0' || !g_utf8_validate (name, -1, NULL))
    return g_ascii_strdown (name, -1);
  return g_utf8_casefold (name, -1);
}

static WsiRegKey *
wsi_reg_key_new (const char *name)
{
  WsiRegKey *key = g_new0 (WsiRegKey, 1);

  key->name = g_strdup (name);
  key->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wsi_reg_value_free);
  return key;
}

WsiRegistry *
wsi_registry_new (void)
{
  WsiRegistry *self = g_new0 (WsiRegistry, 1);

  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wsi_reg_key_free);
  return self;
}

WsiRegistry *
wsi_registry_copy (const WsiRegistry *self)
{
  WsiRegistry *copy;
  GHashTableIter kit;
  gpointer kfold, kval;

  g_return_val_if_fail (self != NULL, NULL);

  copy = wsi_registry_new ();
  g_hash_table_iter_init (&kit, self->keys);
  while (g_hash_table_iter_next (&kit, &kfold, &kval))
    {
      WsiRegKey *key = kval;
      WsiRegKey *key_copy = wsi_reg_key_new (key->name);
      GHashTableIter vit;
      gpointer vfold, vval;

      g_hash_table_iter_init (&vit, key->values);
      while (g_hash_table_iter_next (&vit, &vfold, &vval))
        {
          WsiRegValue *value = vval;
          WsiRegValue *value_copy = g_new0 (WsiRegValue, 1);

          value_copy->name = g_strdup (value->name);
          value_copy->type = value->type;
          value_copy->data = g_bytes_ref (value->data);
          g_hash_table_insert (key_copy->values, g_strdup (vfold), value_copy);
        }
      g_hash_table_insert (copy->keys, g_strdup (kfold), key_copy);
    }
  return copy;
}

void
wsi_registry_free (WsiRegistry *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->keys);
  g_free (self);
}

static WsiRegValue *
wsi_registry_lookup (const WsiRegistry *self, const char *key, const char *name)
{
  g_autofree char *kfold = wsi_registry_fold_name (key);
  g_autofree char *vfold = wsi_registry_fold_name (name);
  WsiRegKey *k = g_hash_table_lookup (self->keys, kfold);

  if (k == NULL)
    return NULL;
  return g_hash_table_lookup (k->values, vfold);
}

gboolean
wsi_registry_get (const WsiRegistry *self, const char *key, const char *name,
                  WsiRegType *type, GBytes **data)
{
  WsiRegValue *value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL && name != NULL, FALSE);

  value = wsi_registry_lookup (self, key, name);
  if (value == NULL)
    return FALSE;
  if (type != NULL)
    *type = value->type;
  if (data != NULL)
    *data = g_bytes_ref (value->data);
  return TRUE;
}

void
wsi_registry_set (WsiRegistry *self, const char *key, const char *name,
                  WsiRegType type, GBytes *data)
{
  g_autofree char *kfold = NULL;
  g_autofree char *vfold = NULL;
  WsiRegKey *k;
  WsiRegValue *value;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL && name != NULL && data != NULL);

  kfold = wsi_registry_fold_name (key);
  vfold = wsi_registry_fold_name (name);
  k = g_hash_table_lookup (self->keys, kfold);
  if (k == NULL)
    {
      k = wsi_reg_key_new (key);
      g_hash_table_insert (self->keys, g_strdup (kfold), k);
    }
  value = g_hash_table_lookup (k->values, vfold);
  if (value == NULL)
    {
      value = g_new0 (WsiRegValue, 1);
      value->name = g_strdup (name);
      g_hash_table_insert (k->values, g_strdup (vfold), value);
    }
  /* Ref before unref: @data may be the very bytes stored already. */
  g_bytes_ref (data);
  g_clear_pointer (&value->data, g_bytes_unref);
  value->data = data;
  value->type = type;
}

gboolean
wsi_registry_delete (WsiRegistry *self, const char *key, const char *name)
{
  g_autofree char *kfold = NULL;
  g_autofree char *vfold = NULL;
  WsiRegKey *k;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL && name != NULL, FALSE);

  kfold = wsi_registry_fold_name (key);
  vfold = wsi_registry_fold_name (name);
  k = g_hash_table_lookup (self->keys, kfold);
  if (k == NULL || !g_hash_table_remove (k->values, vfold))
    return FALSE;
  /* The model holds values, not keys: a key without values is gone. */
  if (g_hash_table_size (k->values) == 0)
    g_hash_table_remove (self->keys, kfold);
  return TRUE;
}

static int
wsi_reg_compare_folded (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted by folded name (deterministic: snapshots depend on it); returns
 * the stored spellings. */
static GStrv
wsi_reg_sorted_names (GHashTable *table, gboolean is_keys)
{
  g_autofree gpointer *folded = NULL;
  guint n = 0;
  GStrv out;

  folded = g_hash_table_get_keys_as_array (table, &n);
  qsort (folded, n, sizeof (gpointer), wsi_reg_compare_folded);
  out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      gpointer item = g_hash_table_lookup (table, folded[i]);
      out[i] = g_strdup (is_keys ? ((WsiRegKey *) item)->name : ((WsiRegValue *) item)->name);
    }
  return out;
}

GStrv
wsi_registry_list_keys (const WsiRegistry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return wsi_reg_sorted_names (self->keys, TRUE);
}

GStrv
wsi_registry_list_values (const WsiRegistry *self, const char *key)
{
  g_autofree char *kfold = NULL;
  WsiRegKey *k;

  g_return_val_if_fail (self != NULL && key != NULL, NULL);

  kfold = wsi_registry_fold_name (key);
  k = g_hash_table_lookup (self->keys, kfold);
  if (k == NULL)
    return g_new0 (char *, 1);
  return wsi_reg_sorted_names (k->values, FALSE);
}

gboolean
wsi_registry_equal (const WsiRegistry *a, const WsiRegistry *b)
{
  GHashTableIter kit;
  gpointer kfold, kval;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (g_hash_table_size (a->keys) != g_hash_table_size (b->keys))
    return FALSE;
  g_hash_table_iter_init (&kit, a->keys);
  while (g_hash_table_iter_next (&kit, &kfold, &kval))
    {
      WsiRegKey *ka = kval;
      WsiRegKey *kb = g_hash_table_lookup (b->keys, kfold);
      GHashTableIter vit;
      gpointer vfold, vval;

      if (kb == NULL || g_hash_table_size (ka->values) != g_hash_table_size (kb->values))
        return FALSE;
      g_hash_table_iter_init (&vit, ka->values);
      while (g_hash_table_iter_next (&vit, &vfold, &vval))
        {
          WsiRegValue *va = vval;
          WsiRegValue *vb = g_hash_table_lookup (kb->values, vfold);

          if (vb == NULL || va->type != vb->type || !g_bytes_equal (va->data, vb->data))
            return FALSE;
        }
    }
  return TRUE;
}

/* --- data encodings --- */

/* UTF-8 -> UTF-16LE bytes, with the terminating NUL unit (REG_SZ data
 * includes it). Invalid UTF-8 is made valid first, never refused: callers
 * pass text they built. */
static void
wsi_reg_append_utf16 (GByteArray *out, const char *text)
{
  g_autofree gunichar2 *units = NULL;
  g_autofree char *valid = NULL;
  glong n = 0;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  for (glong i = 0; units != NULL && i <= n; i++)   /* <= n: the NUL too */
    {
      guint16 le = GUINT16_TO_LE (units[i]);
      g_byte_array_append (out, (const guint8 *) &le, 2);
    }
}

/* Decodes UTF-16LE units [0, n) to UTF-8; NULL for unpaired surrogates. */
static char *
wsi_reg_utf16_to_utf8 (const guint8 *p, gsize n_units)
{
  g_autofree gunichar2 *units = g_new (gunichar2, n_units + 1);

  for (gsize i = 0; i < n_units; i++)
    units[i] = (gunichar2) (p[2 * i] | (p[2 * i + 1] << 8));
  units[n_units] = 0;
  return g_utf16_to_utf8 (units, (glong) n_units, NULL, NULL, NULL);
}

GBytes *
wsi_reg_encode_string (const char *text)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();

  g_return_val_if_fail (text != NULL, NULL);
  wsi_reg_append_utf16 (buf, text);
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

char *
wsi_reg_decode_string (GBytes *data)
{
  gsize len, n_units, end;
  const guint8 *p;

  g_return_val_if_fail (data != NULL, NULL);

  p = g_bytes_get_data (data, &len);
  n_units = len / 2;   /* an odd trailing byte is ignored, as RegGetValue does */
  /* Stop at the first NUL: data written without one is still read. */
  for (end = 0; end < n_units && (p[2 * end] | p[2 * end + 1]) != 0; end++)
    ;
  return wsi_reg_utf16_to_utf8 (p, end);
}

GBytes *
wsi_reg_encode_multi_sz (const char * const *values)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  const guint8 nul[2] = { 0, 0 };

  g_return_val_if_fail (values != NULL, NULL);

  /* Each string NUL-terminated, then one more NUL. Empty strings cannot be
   * represented (they would end the list): skipped. */
  for (gsize i = 0; values[i] != NULL; i++)
    if (values[i][0] != '\0')
      wsi_reg_append_utf16 (buf, values[i]);
  g_byte_array_append (buf, nul, 2);
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}

GStrv
wsi_reg_decode_multi_sz (GBytes *data)
{
  g_autoptr(GPtrArray) out = NULL;
  const guint8 *p;
  gsize len, n_units, start = 0;

  g_return_val_if_fail (data != NULL, NULL);

  p = g_bytes_get_data (data, &len);
  n_units = len / 2;
  out = g_ptr_array_new_with_free_func (g_free);
  while (start < n_units)
    {
      gsize end = start;
      char *s;

      while (end < n_units && (p[2 * end] | p[2 * end + 1]) != 0)
        end++;
      if (end == start)   /* the empty string ends the list */
        break;
      s = wsi_reg_utf16_to_utf8 (p + 2 * start, end - start);
      if (s == NULL)
        return NULL;
      g_ptr_array_add (out, s);
      start = end + 1;
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* --- typed helpers --- */

void
wsi_registry_set_string (WsiRegistry *self, const char *key, const char *name,
                         WsiRegType type, const char *value)
{
  g_autoptr(GBytes) data = NULL;

  g_return_if_fail (value != NULL);
  g_return_if_fail (type == WSI_REG_SZ || type == WSI_REG_EXPAND_SZ);

  data = wsi_reg_encode_string (value);
  wsi_registry_set (self, key, name, type, data);
}

char *
wsi_registry_get_string (const WsiRegistry *self, const char *key, const char *name)
{
  WsiRegValue *value;

  g_return_val_if_fail (self != NULL && key != NULL && name != NULL, NULL);

  value = wsi_registry_lookup (self, key, name);
  if (value == NULL || (value->type != WSI_REG_SZ && value->type != WSI_REG_EXPAND_SZ))
    return NULL;
  return wsi_reg_decode_string (value->data);
}

void
wsi_registry_set_dword (WsiRegistry *self, const char *key, const char *name, guint32 value)
{
  guint32 le = GUINT32_TO_LE (value);
  g_autoptr(GBytes) data = g_bytes_new (&le, sizeof le);

  wsi_registry_set (self, key, name, WSI_REG_DWORD, data);
}

gboolean
wsi_registry_get_dword (const WsiRegistry *self, const char *key, const char *name, guint32 *value)
{
  WsiRegValue *v;
  const guint8 *p;
  gsize len;

  g_return_val_if_fail (self != NULL && key != NULL && name != NULL, FALSE);

  v = wsi_registry_lookup (self, key, name);
  if (v == NULL || v->type != WSI_REG_DWORD)
    return FALSE;
  p = g_bytes_get_data (v->data, &len);
  if (len != 4)
    return FALSE;
  if (value != NULL)
    *value = (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
  return TRUE;
}

void
wsi_registry_set_multi_sz (WsiRegistry *self, const char *key, const char *name,
                           const char * const *values)
{
  g_autoptr(GBytes) data = NULL;

  g_return_if_fail (values != NULL);

  data = wsi_reg_encode_multi_sz (values);
  wsi_registry_set (self, key, name, WSI_REG_MULTI_SZ, data);
}

GStrv
wsi_registry_get_multi_sz (const WsiRegistry *self, const char *key, const char *name)
{
  WsiRegValue *value;

  g_return_val_if_fail (self != NULL && key != NULL && name != NULL, NULL);

  value = wsi_registry_lookup (self, key, name);
  if (value == NULL || value->type != WSI_REG_MULTI_SZ)
    return NULL;
  return wsi_reg_decode_multi_sz (value->data);
}
