/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-diff.c: machine differences by identity, not by ID. */
#include "wsi-catalog-diff.h"

#include <string.h>

#include "wsi-flags.h"
#include "wsi-json-private.h"

struct _WsiDiff {
  GPtrArray *items;   /* WsiDiffItem */
};

static void
wsi_diff_item_free (gpointer data)
{
  WsiDiffItem *item = data;

  wsi_entry_free (item->a);
  wsi_entry_free (item->b);
  g_free (item->key);
  g_free (item->name);
  g_free (item->detail);
  g_free (item);
}

static WsiDiffItem *
wsi_diff_add (WsiDiff *self, WsiDiffKind kind, int bitness)
{
  WsiDiffItem *item = g_new0 (WsiDiffItem, 1);

  item->kind = kind;
  item->bitness = bitness;
  item->position_a = item->position_b = -1;
  g_ptr_array_add (self->items, item);
  return item;
}

/* The identity of an entry across machines: what a reinstall keeps. */
static char *
wsi_entry_identity (const WsiEntry *e)
{
  char guid[WSI_GUID_STRING_LEN + 1];

  wsi_guid_format (&e->provider_id, guid);
  return g_strdup_printf ("%s|%d|%d|%d|%s", guid, e->address_family, e->socket_type, e->protocol, wsi_entry_kind_to_string (wsi_entry_get_kind (e)));
}

/* A chain as the identities of what its IDs name in @catalog. */
static char *
wsi_chain_identity (const WsiCatalog *catalog, const WsiEntry *e)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gint32 n = wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN ? e->chain_len : 0;

  for (gint32 i = 0; i < n; i++)
    {
      const WsiEntry *target = wsi_catalog_find_id (catalog, e->chain[i]);
      g_autofree char *id = target != NULL ? wsi_entry_identity (target) : g_strdup_printf ("missing:%u", e->chain[i]);
      g_string_append_printf (out, "%s%s", i > 0 ? " > " : "", id);
    }
  if (wsi_entry_get_kind (e) == WSI_ENTRY_INVALID)
    g_string_append_printf (out, "invalid:%d", e->chain_len);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The names of the fields that differ, comma separated; NULL if none. */
static char *
wsi_entry_changes (const WsiCatalog *ca, const WsiEntry *a, const WsiCatalog *cb, const WsiEntry *b)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *chain_a = wsi_chain_identity (ca, a);
  g_autofree char *chain_b = wsi_chain_identity (cb, b);

#define FIELD(cond, label) \
  if (cond) g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", label)
  FIELD (g_strcmp0 (a->name, b->name) != 0, "name");
  FIELD (g_strcmp0 (a->path, b->path) != 0, "path");
  FIELD (strcmp (chain_a, chain_b) != 0, "chain");
  FIELD (a->service_flags[0] != b->service_flags[0], "service-flags");
  FIELD (memcmp (&a->service_flags[1], &b->service_flags[1], 3 * sizeof (guint32)) != 0, "service-flags2-4");
  FIELD (a->provider_flags != b->provider_flags, "provider-flags");
  FIELD (a->version != b->version, "version");
  FIELD (a->max_sockaddr != b->max_sockaddr || a->min_sockaddr != b->min_sockaddr, "sockaddr-lengths");
  FIELD (a->protocol_max_offset != b->protocol_max_offset, "protocol-max-offset");
  FIELD (a->network_byte_order != b->network_byte_order, "byte-order");
  FIELD (a->security_scheme != b->security_scheme, "security-scheme");
  FIELD (a->message_size != b->message_size, "message-size");
  FIELD (a->provider_reserved != b->provider_reserved, "provider-reserved");
  FIELD (a->lsp_categories != b->lsp_categories, "lsp-categories");
#undef FIELD
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct {
  int pa, pb;
} WsiPair;

static int
wsi_pair_by_a (gconstpointer x, gconstpointer y)
{
  return ((const WsiPair *) x)->pa - ((const WsiPair *) y)->pa;
}

/* Marks in @keep the pairs on a longest increasing run of pb (taken in pa
 * order): those kept their relative order; the rest moved. O(n log n). */
static void
wsi_longest_increasing (const WsiPair *pairs, guint n, gboolean *keep)
{
  g_autofree guint *tails = g_new (guint, n + 1);   /* index of the smallest tail of each length */
  g_autofree int *prev = g_new (int, n + 1);
  guint len = 0;

  for (guint i = 0; i < n; i++)
    {
      guint lo = 0, hi = len;
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;
          if (pairs[tails[mid]].pb < pairs[i].pb)
            lo = mid + 1;
          else
            hi = mid;
        }
      prev[i] = lo > 0 ? (int) tails[lo - 1] : -1;
      tails[lo] = i;
      if (lo == len)
        len++;
    }
  for (int i = len > 0 ? (int) tails[len - 1] : -1; i >= 0; i = prev[i])
    keep[i] = TRUE;
}

static void
wsi_diff_catalogs (WsiDiff *self, const WsiCatalog *ca, const WsiCatalog *cb, int bitness)
{
  g_autoptr(GHashTable) by_identity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_queue_free);
  guint na = ca != NULL ? wsi_catalog_get_size (ca) : 0;
  guint nb = cb != NULL ? wsi_catalog_get_size (cb) : 0;
  g_autofree int *match_a = g_new (int, na + 1);   /* A position -> B position, -1 */
  g_autofree int *match_b = g_new (int, nb + 1);
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (WsiPair));
  g_autofree gboolean *keep = NULL;

  for (guint i = 0; i < na; i++)
    {
      g_autofree char *id = wsi_entry_identity (wsi_catalog_get_entry (ca, i));
      GQueue *q = g_hash_table_lookup (by_identity, id);
      if (q == NULL)
        {
          q = g_queue_new ();
          g_hash_table_insert (by_identity, g_steal_pointer (&id), q);
        }
      g_queue_push_tail (q, GINT_TO_POINTER ((int) i));
      match_a[i] = -1;
    }
  /* Same identity twice (NetBIOS per adapter...): k-th matches k-th. */
  for (guint j = 0; j < nb; j++)
    {
      g_autofree char *id = wsi_entry_identity (wsi_catalog_get_entry (cb, j));
      GQueue *q = g_hash_table_lookup (by_identity, id);

      match_b[j] = -1;
      if (q != NULL && !g_queue_is_empty (q))
        {
          WsiPair p = { GPOINTER_TO_INT (g_queue_pop_head (q)), (int) j };
          match_a[p.pa] = p.pb;
          match_b[j] = p.pa;
          g_array_append_val (pairs, p);
        }
    }

  for (guint i = 0; i < na; i++)
    if (match_a[i] < 0)
      {
        WsiDiffItem *item = wsi_diff_add (self, WSI_DIFF_REMOVED, bitness);
        item->a = wsi_entry_copy (wsi_catalog_get_entry (ca, i));
        item->position_a = (int) i;
      }
  for (guint j = 0; j < nb; j++)
    if (match_b[j] < 0)
      {
        WsiDiffItem *item = wsi_diff_add (self, WSI_DIFF_ADDED, bitness);
        item->b = wsi_entry_copy (wsi_catalog_get_entry (cb, j));
        item->position_b = (int) j;
      }
  for (guint j = 0; j < nb; j++)
    if (match_b[j] >= 0)
      {
        const WsiEntry *a = wsi_catalog_get_entry (ca, (guint) match_b[j]);
        const WsiEntry *b = wsi_catalog_get_entry (cb, j);
        g_autofree char *changes = wsi_entry_changes (ca, a, cb, b);

        if (changes != NULL)
          {
            WsiDiffItem *item = wsi_diff_add (self, WSI_DIFF_CHANGED, bitness);
            item->a = wsi_entry_copy (a);
            item->b = wsi_entry_copy (b);
            item->position_a = match_b[j];
            item->position_b = (int) j;
            item->detail = g_steal_pointer (&changes);
          }
      }

  /* pairs are in B order; the relative order question is asked in A order. */
  g_array_sort (pairs, wsi_pair_by_a);
  keep = g_new0 (gboolean, pairs->len + 1);
  wsi_longest_increasing ((const WsiPair *) (gpointer) pairs->data, pairs->len, keep);
  for (guint k = 0; k < pairs->len; k++)
    if (!keep[k])
      {
        const WsiPair *p = &g_array_index (pairs, WsiPair, k);
        WsiDiffItem *item = wsi_diff_add (self, WSI_DIFF_MOVED, bitness);
        item->a = wsi_entry_copy (wsi_catalog_get_entry (ca, (guint) p->pa));
        item->b = wsi_entry_copy (wsi_catalog_get_entry (cb, (guint) p->pb));
        item->position_a = p->pa;
        item->position_b = p->pb;
      }

  if (ca != NULL && cb != NULL && wsi_catalog_get_next_id (ca) != wsi_catalog_get_next_id (cb))
    wsi_diff_add (self, WSI_DIFF_COUNTER, bitness)->detail =
      g_strdup_printf ("next-id %u -> %u", wsi_catalog_get_next_id (ca), wsi_catalog_get_next_id (cb));
  if (ca != NULL && cb != NULL && wsi_catalog_get_serial (ca) != wsi_catalog_get_serial (cb))
    wsi_diff_add (self, WSI_DIFF_COUNTER, bitness)->detail =
      g_strdup_printf ("serial %u -> %u", wsi_catalog_get_serial (ca), wsi_catalog_get_serial (cb));
}

static void
wsi_diff_registries (WsiDiff *self, const WsiRegistry *ra, const WsiRegistry *rb)
{
  g_auto(GStrv) keys_a = wsi_registry_list_keys (ra);
  g_auto(GStrv) keys_b = wsi_registry_list_keys (rb);

  for (guint k = 0; keys_a[k] != NULL; k++)
    {
      g_auto(GStrv) names = wsi_registry_list_values (ra, keys_a[k]);
      for (guint v = 0; names[v] != NULL; v++)
        {
          WsiRegType ta, tb;
          g_autoptr(GBytes) da = NULL;
          g_autoptr(GBytes) db = NULL;
          WsiDiffItem *item;

          wsi_registry_get (ra, keys_a[k], names[v], &ta, &da);
          if (!wsi_registry_get (rb, keys_a[k], names[v], &tb, &db))
            item = wsi_diff_add (self, WSI_DIFF_VALUE_REMOVED, 0);
          else if (ta != tb || !g_bytes_equal (da, db))
            item = wsi_diff_add (self, WSI_DIFF_VALUE_CHANGED, 0);
          else
            continue;
          item->key = g_strdup (keys_a[k]);
          item->name = g_strdup (names[v]);
        }
    }
  for (guint k = 0; keys_b[k] != NULL; k++)
    {
      g_auto(GStrv) names = wsi_registry_list_values (rb, keys_b[k]);
      for (guint v = 0; names[v] != NULL; v++)
        if (!wsi_registry_get (ra, keys_b[k], names[v], NULL, NULL))
          {
            WsiDiffItem *item = wsi_diff_add (self, WSI_DIFF_VALUE_ADDED, 0);
            item->key = g_strdup (keys_b[k]);
            item->name = g_strdup (names[v]);
          }
    }
}

WsiDiff *
wsi_machine_diff (const WsiMachine *a, const WsiMachine *b)
{
  WsiDiff *self;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  self = g_new0 (WsiDiff, 1);
  self->items = g_ptr_array_new_with_free_func (wsi_diff_item_free);
  if (wsi_machine_get_kind (a) != wsi_machine_get_kind (b))
    wsi_diff_add (self, WSI_DIFF_KIND, 0)->detail =
      g_strdup_printf ("%s -> %s", wsi_machine_kind_to_string (wsi_machine_get_kind (a)),
                       wsi_machine_kind_to_string (wsi_machine_get_kind (b)));
  if (wsi_machine_peek_catalog (a, WSI_CATALOG_64) != NULL || wsi_machine_peek_catalog (b, WSI_CATALOG_64) != NULL)
    wsi_diff_catalogs (self, wsi_machine_peek_catalog (a, WSI_CATALOG_64), wsi_machine_peek_catalog (b, WSI_CATALOG_64), 64);
  wsi_diff_catalogs (self, wsi_machine_peek_catalog (a, WSI_CATALOG_32), wsi_machine_peek_catalog (b, WSI_CATALOG_32), 32);
  wsi_diff_registries (self, wsi_machine_peek_registry (a), wsi_machine_peek_registry (b));
  return self;
}

void
wsi_diff_free (WsiDiff *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->items);
  g_free (self);
}

guint
wsi_diff_get_size (const WsiDiff *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->items->len;
}

const WsiDiffItem *
wsi_diff_get (const WsiDiff *self, guint index)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (index >= self->items->len)
    return NULL;
  return g_ptr_array_index (self->items, index);
}

gboolean
wsi_diff_is_equivalent (const WsiDiff *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    if (((const WsiDiffItem *) g_ptr_array_index (self->items, i))->kind != WSI_DIFF_COUNTER)
      return FALSE;
  return TRUE;
}

const char *
wsi_diff_kind_to_string (WsiDiffKind kind)
{
  switch (kind)
    {
    case WSI_DIFF_KIND: return "kind";
    case WSI_DIFF_ADDED: return "added";
    case WSI_DIFF_REMOVED: return "removed";
    case WSI_DIFF_CHANGED: return "changed";
    case WSI_DIFF_MOVED: return "moved";
    case WSI_DIFF_VALUE_ADDED: return "value-added";
    case WSI_DIFF_VALUE_REMOVED: return "value-removed";
    case WSI_DIFF_VALUE_CHANGED: return "value-changed";
    case WSI_DIFF_COUNTER: return "counter";
    default: return "unknown";
    }
}

static void
wsi_append_entry (GString *out, const WsiEntry *e)
{
  char guid[WSI_GUID_STRING_LEN + 1];
  const char *af = wsi_enum_name (WSI_ENUM_ADDRESS_FAMILY, e->address_family);
  const char *type = wsi_enum_name (WSI_ENUM_SOCKET_TYPE, e->socket_type);

  wsi_guid_format (&e->provider_id, guid);
  g_string_append_printf (out, "\"%s\" (%s %s, ", e->name != NULL ? e->name : "", wsi_entry_kind_to_string (wsi_entry_get_kind (e)), guid);
  if (af != NULL)
    g_string_append (out, af);
  else
    g_string_append_printf (out, "%d", e->address_family);
  if (type != NULL)
    g_string_append_printf (out, "/%s", type);
  else
    g_string_append_printf (out, "/%d", e->socket_type);
  g_string_append_printf (out, "/%d)", e->protocol);
}

char *
wsi_diff_to_text (const WsiDiff *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint counted = 0;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      const WsiDiffItem *item = g_ptr_array_index (self->items, i);

      switch (item->kind)
        {
        case WSI_DIFF_KIND:
          g_string_append_printf (out, "! machine kind %s\n", item->detail);
          break;
        case WSI_DIFF_REMOVED:
          g_string_append_printf (out, "- %d-bit %u ", item->bitness, item->a->catalog_id);
          wsi_append_entry (out, item->a);
          g_string_append_c (out, '\n');
          break;
        case WSI_DIFF_ADDED:
          g_string_append_printf (out, "+ %d-bit %u ", item->bitness, item->b->catalog_id);
          wsi_append_entry (out, item->b);
          g_string_append_c (out, '\n');
          break;
        case WSI_DIFF_CHANGED:
          g_string_append_printf (out, "~ %d-bit %u -> %u ", item->bitness, item->a->catalog_id, item->b->catalog_id);
          wsi_append_entry (out, item->b);
          g_string_append_printf (out, ": %s\n", item->detail);
          break;
        case WSI_DIFF_MOVED:
          g_string_append_printf (out, "> %d-bit %u -> %u ", item->bitness, item->a->catalog_id, item->b->catalog_id);
          wsi_append_entry (out, item->b);
          g_string_append_printf (out, ": position %d -> %d\n", item->position_a + 1, item->position_b + 1);
          break;
        case WSI_DIFF_VALUE_ADDED:
        case WSI_DIFF_VALUE_REMOVED:
        case WSI_DIFF_VALUE_CHANGED:
          g_string_append_printf (out, "%c registry %s: %s\n",
                                  item->kind == WSI_DIFF_VALUE_ADDED ? '+' : item->kind == WSI_DIFF_VALUE_REMOVED ? '-' : '~',
                                  item->key, item->name);
          break;
        case WSI_DIFF_COUNTER:
        default:
          g_string_append_printf (out, "= %d-bit %s (not a difference)\n", item->bitness, item->detail);
          break;
        }
      if (item->kind != WSI_DIFF_COUNTER)
        counted++;
    }
  if (counted == 0)
    g_string_append (out, "equivalent\n");
  else
    g_string_append_printf (out, "%u difference%s\n", counted, counted == 1 ? "" : "s");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A side of an item: the entry (the one shape of wsi-entry-json.c) or null. */
static void
wsi_diff_json_side (WsiJsonWriter *b, const char *member, const WsiEntry *e)
{
  wsi_json_writer_member (b, member);
  if (e != NULL)
    wsi_json_entry (b, e);
  else
    wsi_json_writer_null (b);
}

/* A 1-based position, or null. */
static void
wsi_diff_json_position (WsiJsonWriter *b, const char *member, int position)
{
  wsi_json_writer_member (b, member);
  if (position >= 0)
    wsi_json_writer_int (b, position + 1);
  else
    wsi_json_writer_null (b);
}

char *
wsi_diff_render_json (const WsiDiff *self, const WsiDiagList *diags)
{
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new (TRUE);

  wsi_json_begin_document (b, WSI_JSON_DIFF);
  if (self != NULL)
    {
      wsi_json_bool (b, "equivalent", wsi_diff_is_equivalent (self));
      wsi_json_writer_member (b, "items");
      wsi_json_writer_begin_array (b);
      for (guint i = 0; i < self->items->len; i++)
        {
          const WsiDiffItem *item = g_ptr_array_index (self->items, i);

          wsi_json_writer_begin_object (b);
          wsi_json_str (b, "kind", wsi_diff_kind_to_string (item->kind));
          wsi_json_catalog (b, "catalog", (WsiBitness) item->bitness);
          wsi_diff_json_side (b, "a", item->a);
          wsi_diff_json_position (b, "position_a", item->a != NULL ? item->position_a : -1);
          wsi_diff_json_side (b, "b", item->b);
          wsi_diff_json_position (b, "position_b", item->b != NULL ? item->position_b : -1);
          wsi_json_str (b, "key", item->key);
          wsi_json_str (b, "value", item->name);
          wsi_json_str (b, "detail", item->detail);
          wsi_json_writer_end_object (b);
        }
      wsi_json_writer_end_array (b);
    }
  wsi_json_end_document (b, diags);
  return wsi_json_to_string (b);
}

char *
wsi_diff_to_json (const WsiDiff *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return wsi_diff_render_json (self, NULL);
}
