/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog.c: one protocol catalog: ordered entries, the ID counter, the
 * serial, O(1) indexes, and the simple WSC operations (install, deinstall,
 * update, write order, LSP categories) plus socket resolution. The chain
 * building and enumeration calls live in wsi-catalog-wsc.c. */
#include "wsi-catalog-private.h"

#include <string.h>

#include "wsi-error.h"
#include "wsi-flags.h"

struct _WsiCatalog {
  WsiBitness  bitness;
  guint32     next_id;
  /* On x64 the other catalog of the machine (not owned). Windows keeps one
   * Next_Catalog_Entry_ID for both catalogs (Protocol_Catalog9 has a single
   * counter): an ID assigned in one catalog is used up in the other too,
   * which is why separate installs into each catalog drift their IDs apart
   * (seed 000). */
  WsiCatalog *sibling;
  guint32     serial;
  gboolean    busy;
  GPtrArray  *entries;        /* WsiEntry, owned, in catalog order */
  GHashTable *by_id;          /* id -> WsiEntry (the first with that id) */
  GHashTable *by_guid;        /* WsiGuid (the entry's own field) -> GPtrArray of WsiEntry, in order */
  /* id -> position + 1, built lazily: removals and reorders move every
   * later entry, appends only add one. Only reordering looks positions up,
   * so a copy or a reordered catalog builds them at the next reorder, not
   * before (the planner holds several copies of a large machine at once). */
  GHashTable *positions;
  gboolean    positions_valid;
  /* Damaged (loaded) catalogs may repeat an ID: removal then rebuilds the
   * indexes instead of patching them. */
  gboolean    has_duplicate_ids;
};

static guint
wsi_guid_hash_func (gconstpointer key)
{
  return wsi_guid_hash (key);
}

static gboolean
wsi_guid_equal_func (gconstpointer a, gconstpointer b)
{
  return wsi_guid_equal (a, b);
}

static void
wsi_catalog_index_entry (WsiCatalog *self, WsiEntry *entry, guint position)
{
  gpointer key = GUINT_TO_POINTER (entry->catalog_id);
  GPtrArray *same;

  if (!g_hash_table_contains (self->by_id, key))
    {
      g_hash_table_insert (self->by_id, key, entry);
      if (self->positions_valid)
        g_hash_table_insert (self->positions, key, GUINT_TO_POINTER (position + 1));
    }
  else
    self->has_duplicate_ids = TRUE;

  same = g_hash_table_lookup (self->by_guid, &entry->provider_id);
  if (same == NULL)
    {
      same = g_ptr_array_new ();
      g_hash_table_insert (self->by_guid, &entry->provider_id, same);
    }
  g_ptr_array_add (same, entry);
}

static void
wsi_catalog_reindex (WsiCatalog *self)
{
  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->by_guid);
  g_hash_table_remove_all (self->positions);
  self->positions_valid = FALSE;
  self->has_duplicate_ids = FALSE;
  for (guint i = 0; i < self->entries->len; i++)
    wsi_catalog_index_entry (self, g_ptr_array_index (self->entries, i), i);
}

WsiCatalog *
wsi_catalog_new (WsiBitness bitness)
{
  WsiCatalog *self;

  g_return_val_if_fail (bitness == WSI_CATALOG_32 || bitness == WSI_CATALOG_64, NULL);

  self = g_new0 (WsiCatalog, 1);
  self->bitness = bitness;
  self->next_id = WSI_FIRST_CATALOG_ID;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_entry_free);
  self->by_id = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->by_guid = g_hash_table_new_full (wsi_guid_hash_func, wsi_guid_equal_func, NULL,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->positions = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->positions_valid = FALSE;
  return self;
}

WsiCatalog *
wsi_catalog_copy (const WsiCatalog *self)
{
  WsiCatalog *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = wsi_catalog_new (self->bitness);
  copy->next_id = self->next_id;
  copy->serial = self->serial;
  copy->busy = self->busy;
  for (guint i = 0; i < self->entries->len; i++)
    {
      WsiEntry *entry = wsi_entry_copy (g_ptr_array_index (self->entries, i));
      g_ptr_array_add (copy->entries, entry);
      wsi_catalog_index_entry (copy, entry, i);
    }
  return copy;
}

void
wsi_catalog_free (WsiCatalog *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_guid);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->positions);
  g_ptr_array_unref (self->entries);
  g_free (self);
}

WsiBitness
wsi_catalog_get_bitness (const WsiCatalog *self)
{
  g_return_val_if_fail (self != NULL, WSI_CATALOG_32);
  return self->bitness;
}

guint32
wsi_catalog_get_next_id (const WsiCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->next_id;
}

void
wsi_catalog_set_next_id (WsiCatalog *self, guint32 next_id)
{
  g_return_if_fail (self != NULL);
  self->next_id = next_id;
  if (self->sibling != NULL)
    self->sibling->next_id = next_id;
}

guint32
wsi_catalog_get_serial (const WsiCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->serial;
}

void
wsi_catalog_set_serial (WsiCatalog *self, guint32 serial)
{
  g_return_if_fail (self != NULL);
  self->serial = serial;
}

gboolean
wsi_catalog_get_busy (const WsiCatalog *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->busy;
}

void
wsi_catalog_set_busy (WsiCatalog *self, gboolean busy)
{
  g_return_if_fail (self != NULL);
  self->busy = busy;
}

void
wsi_catalog_bump_serial (WsiCatalog *self)
{
  self->serial++;   /* wraps like the DWORD it models */
}

void
wsi_catalog_swap_contents (WsiCatalog *self, WsiCatalog *other)
{
  WsiCatalog tmp = *self;
  WsiCatalog *self_sibling = self->sibling;
  WsiCatalog *other_sibling = other->sibling;

  /* The indexes point into the entries, never into the catalog struct; the
   * machine's linking of its catalogs stays with the structs. */
  *self = *other;
  *other = tmp;
  self->sibling = self_sibling;
  other->sibling = other_sibling;
}

void
wsi_catalog_link_counter (WsiCatalog *a, WsiCatalog *b)
{
  guint32 next = MAX (a->next_id, b->next_id);

  a->sibling = b;
  b->sibling = a;
  a->next_id = b->next_id = next;
}

void
wsi_catalog_set_next_id_unshared (WsiCatalog *self, guint32 next_id)
{
  self->next_id = next_id;
}

guint
wsi_catalog_get_size (const WsiCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->entries->len;
}

const WsiEntry *
wsi_catalog_get_entry (const WsiCatalog *self, guint position)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (position >= self->entries->len)
    return NULL;
  return g_ptr_array_index (self->entries, position);
}

const WsiEntry *
wsi_catalog_find_id (const WsiCatalog *self, guint32 id)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_hash_table_lookup (self->by_id, GUINT_TO_POINTER (id));
}

int
wsi_catalog_find_position (const WsiCatalog *self, guint32 id)
{
  WsiCatalog *mutable_self = (WsiCatalog *) self;   /* the cache only */

  g_return_val_if_fail (self != NULL, -1);

  if (!self->positions_valid)
    {
      g_hash_table_remove_all (mutable_self->positions);
      for (guint i = self->entries->len; i > 0; i--)   /* backwards: the first duplicate wins */
        {
          const WsiEntry *entry = g_ptr_array_index (self->entries, i - 1);
          g_hash_table_insert (mutable_self->positions, GUINT_TO_POINTER (entry->catalog_id),
                               GUINT_TO_POINTER (i));
        }
      mutable_self->positions_valid = TRUE;
    }
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->positions, GUINT_TO_POINTER (id))) - 1;
}

GPtrArray *
wsi_catalog_find_guid (const WsiCatalog *self, const WsiGuid *guid)
{
  GPtrArray *same;
  GPtrArray *out;

  g_return_val_if_fail (self != NULL && guid != NULL, NULL);

  out = g_ptr_array_new ();
  same = g_hash_table_lookup (self->by_guid, guid);
  for (guint i = 0; same != NULL && i < same->len; i++)
    g_ptr_array_add (out, g_ptr_array_index (same, i));
  return out;
}

/* The number of entries under @guid, without a copy. */
static guint
wsi_catalog_count_guid (const WsiCatalog *self, const WsiGuid *guid)
{
  GPtrArray *same = g_hash_table_lookup (self->by_guid, guid);
  return same != NULL ? same->len : 0;
}

void
wsi_catalog_append_loaded (WsiCatalog *self, WsiEntry *entry)
{
  g_return_if_fail (self != NULL && entry != NULL);

  g_ptr_array_add (self->entries, entry);
  wsi_catalog_index_entry (self, entry, self->entries->len - 1);
}

WsiEntry *
wsi_catalog_append_new (WsiCatalog *self, WsiEntry *entry)
{
  entry->catalog_id = self->next_id++;
  if (self->sibling != NULL)
    self->sibling->next_id = MAX (self->sibling->next_id, self->next_id);
  wsi_catalog_append_loaded (self, entry);
  return entry;
}

/* --- argument checks shared by install and update --- */

glong
wsi_catalog_utf16_len (const char *text)
{
  glong n = 0;
  const char *p;

  if (text == NULL)
    return 0;
  /* Count without converting: code points above U+FFFF take two units.
   * Invalid UTF-8 counts a unit per byte (it never reaches Windows). */
  if (!g_utf8_validate (text, -1, NULL))
    return (glong) strlen (text);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

gboolean
wsi_catalog_check_path (const char *path, GError **error)
{
  if (path == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider DLL path");
  /* The catalog stores the path in a MAX_PATH field, NUL included. */
  if (wsi_catalog_utf16_len (path) >= WSI_MAX_PATH)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "the provider path has %ld characters; at most %d fit",
                              wsi_catalog_utf16_len (path), WSI_MAX_PATH - 1);
  return TRUE;
}

gboolean
wsi_catalog_check_info (const WsiEntry *info, guint index, GError **error)
{
  if (info == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "protocol info %u is missing", index);
  if (info->chain_len < 0 || info->chain_len > WSI_MAX_PROTOCOL_CHAIN)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "protocol info %u has ChainLen %d (0..%d allowed)",
                              index, info->chain_len, WSI_MAX_PROTOCOL_CHAIN);
  if (wsi_catalog_utf16_len (info->name) > WSI_PROTOCOL_LEN)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "protocol info %u has a name of %ld characters (at most %d)",
                              index, wsi_catalog_utf16_len (info->name), WSI_PROTOCOL_LEN);
  return TRUE;
}

static gboolean
wsi_catalog_check_infos (const WsiEntry *const *infos, guint n, GError **error)
{
  if (n == 0)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "no protocol infos given");
  if (infos == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "the protocol info list is NULL");
  for (guint i = 0; i < n; i++)
    if (!wsi_catalog_check_info (infos[i], i, error))
      return FALSE;
  return TRUE;
}

/* A copy of @info as the catalog stores it: the caller's catalog ID is
 * ignored (Windows assigns it), the GUID and path are the call's. */
static WsiEntry *
wsi_catalog_make_entry (const WsiEntry *info, const WsiGuid *guid, const char *path)
{
  WsiEntry *entry = wsi_entry_copy (info);

  entry->provider_id = *guid;
  entry->catalog_id = 0;
  entry->lsp_categories = 0;   /* set only through WSCSetProviderInfo */
  wsi_entry_set_path (entry, path);
  return entry;
}

/* --- WSC operations --- */

gboolean
wsi_catalog_install_provider (WsiCatalog *self, const WsiGuid *guid, const char *path,
                              const WsiEntry *const *infos, guint n, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (guid == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider GUID");
  if (!wsi_catalog_check_path (path, error) || !wsi_catalog_check_infos (infos, n, error))
    return FALSE;
  if (wsi_catalog_count_guid (self, guid) > 0)
    {
      char buf[WSI_GUID_STRING_LEN + 1];
      wsi_guid_format (guid, buf);
      return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY, "provider %s is already installed in the %d-bit catalog",
                                buf, (int) self->bitness);
    }
  if ((guint64) self->next_id + n > G_MAXUINT32)
    return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY, "the catalog ID counter is exhausted");

  for (guint i = 0; i < n; i++)
    wsi_catalog_append_new (self, wsi_catalog_make_entry (infos[i], guid, path));
  wsi_catalog_bump_serial (self);
  return TRUE;
}

gboolean
wsi_catalog_deinstall_provider (WsiCatalog *self, const WsiGuid *guid_in, GError **error)
{
  g_autofree char *text = NULL;
  guint kept = 0;
  WsiGuid guid_copy;
  const WsiGuid *guid = &guid_copy;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (guid_in == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider GUID");
  /* A copy: callers may pass &entry->provider_id of an entry about to go. */
  guid_copy = *guid_in;
  text = wsi_guid_to_string (guid);
  if (wsi_catalog_count_guid (self, guid) == 0)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "provider %s is not installed in the %d-bit catalog",
                              text, (int) self->bitness);

  /* The GUID index's key points into the entries: drop it before they go.
   * Then one compaction pass; freed entries leave the ID index first. */
  g_hash_table_remove (self->by_guid, guid);
  for (guint i = 0; i < self->entries->len; i++)
    {
      WsiEntry *entry = g_ptr_array_index (self->entries, i);

      if (!wsi_guid_equal (&entry->provider_id, guid))
        {
          self->entries->pdata[kept++] = entry;
          continue;
        }
      if (g_hash_table_lookup (self->by_id, GUINT_TO_POINTER (entry->catalog_id)) == entry)
        g_hash_table_remove (self->by_id, GUINT_TO_POINTER (entry->catalog_id));
      wsi_entry_free (entry);
    }
  /* Set the length without running the free function on the moved slots. */
  self->entries->len = kept;
  self->positions_valid = FALSE;
  if (self->has_duplicate_ids)
    wsi_catalog_reindex (self);
  wsi_catalog_bump_serial (self);
  return TRUE;
}

gboolean
wsi_catalog_update_provider (WsiCatalog *self, const WsiGuid *guid, const char *path,
                             const WsiEntry *const *infos, guint n, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) fresh_entries = NULL;
  GPtrArray *same;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (guid == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider GUID");
  if (!wsi_catalog_check_path (path, error) || !wsi_catalog_check_infos (infos, n, error))
    return FALSE;
  text = wsi_guid_to_string (guid);
  same = g_hash_table_lookup (self->by_guid, guid);
  if (same == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "provider %s is not installed in the %d-bit catalog",
                              text, (int) self->bitness);
  if (same->len != n)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "provider %s has %u entries, the update gives %u",
                              text, same->len, n);

  /* In place: the entry structs stay where they are (indexes hold them),
   * only their contents change; ID, position and categories are kept. */
  /* Every new entry is built before any is changed: @infos, @guid or @path
   * may point into the entries being rewritten. */
  fresh_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_entry_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (fresh_entries, wsi_catalog_make_entry (infos[i], guid, path));
  for (guint i = 0; i < n; i++)
    {
      WsiEntry *old = g_ptr_array_index (same, i);
      WsiEntry *fresh = g_ptr_array_index (fresh_entries, i);
      WsiEntry swap;

      fresh->catalog_id = old->catalog_id;
      fresh->lsp_categories = old->lsp_categories;
      swap = *old;
      *old = *fresh;
      *fresh = swap;   /* freed with fresh_entries */
    }
  wsi_catalog_bump_serial (self);
  return TRUE;
}

gboolean
wsi_catalog_write_order (WsiCatalog *self, const guint32 *ids, guint n, GError **error)
{
  g_autoptr(GPtrArray) order = NULL;
  g_autofree gboolean *taken = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ids == NULL && n > 0)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "the ID list is NULL");
  if (n != self->entries->len)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "the order names %u IDs; the %d-bit catalog has %u entries",
                              n, (int) self->bitness, self->entries->len);

  /* O(n): each ID maps to its current position, and a position can be
   * taken once. */
  taken = g_new0 (gboolean, n + 1);
  order = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      int pos = wsi_catalog_find_position (self, ids[i]);

      if (pos < 0)
        return wsi_set_wsa_error (error, WSI_WSAEINVAL, "ID %u is not in the %d-bit catalog",
                                  ids[i], (int) self->bitness);
      if (taken[pos])
        return wsi_set_wsa_error (error, WSI_WSAEINVAL, "ID %u appears twice in the order", ids[i]);
      taken[pos] = TRUE;
      g_ptr_array_add (order, g_ptr_array_index (self->entries, (guint) pos));
    }

  for (guint i = 0; i < n; i++)
    self->entries->pdata[i] = order->pdata[i];
  wsi_catalog_reindex (self);
  wsi_catalog_bump_serial (self);
  return TRUE;
}

void
wsi_catalog_move_to_top (WsiCatalog *self, const guint32 *top, guint n_top)
{
  g_autoptr(GPtrArray) order = g_ptr_array_sized_new (self->entries->len);
  g_autoptr(GHashTable) moved = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < n_top; i++)
    {
      WsiEntry *entry = (WsiEntry *) wsi_catalog_find_id (self, top[i]);
      if (entry != NULL && g_hash_table_add (moved, entry))
        g_ptr_array_add (order, entry);
    }
  for (guint i = 0; i < self->entries->len; i++)
    {
      WsiEntry *entry = g_ptr_array_index (self->entries, i);
      if (!g_hash_table_contains (moved, entry))
        g_ptr_array_add (order, entry);
    }
  for (guint i = 0; i < order->len; i++)
    self->entries->pdata[i] = order->pdata[i];
  wsi_catalog_reindex (self);
}

gboolean
wsi_catalog_set_lsp_categories (WsiCatalog *self, const WsiGuid *guid, guint32 categories, GError **error)
{
  GPtrArray *same;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (guid == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider GUID");
  same = g_hash_table_lookup (self->by_guid, guid);
  if (same == NULL)
    {
      char buf[WSI_GUID_STRING_LEN + 1];
      wsi_guid_format (guid, buf);
      return wsi_set_wsa_error (error, WSI_WSAEINVAL, "provider %s is not installed in the %d-bit catalog",
                                buf, (int) self->bitness);
    }
  for (guint i = 0; i < same->len; i++)
    ((WsiEntry *) g_ptr_array_index (same, i))->lsp_categories = categories;
  wsi_catalog_bump_serial (self);
  return TRUE;
}

gboolean
wsi_entry_serves_socket (const WsiEntry *entry, gint32 af, gint32 type, gint32 protocol)
{
  WsiEntryKind kind;
  gint64 low, high;

  g_return_val_if_fail (entry != NULL, FALSE);

  kind = wsi_entry_get_kind (entry);
  if (kind == WSI_ENTRY_LAYERED || kind == WSI_ENTRY_INVALID)
    return FALSE;
  if (entry->address_family != af || entry->socket_type != type)
    return FALSE;
  if (protocol == 0 && (entry->provider_flags & WSI_PFL_MATCHES_PROTOCOL_ZERO) != 0)
    return TRUE;
  low = entry->protocol;
  high = low + MAX (entry->protocol_max_offset, 0);
  return protocol >= low && protocol <= high;
}

const WsiEntry *
wsi_catalog_resolve_socket (const WsiCatalog *self, gint32 af, gint32 type, gint32 protocol)
{
  g_return_val_if_fail (self != NULL, NULL);

  /* The first match in catalog order wins (that is why installers fight
   * for the top). PFL_HIDDEN only keeps an entry out of WSAEnumProtocols:
   * socket() still finds it (MSAFD Tcpip [RAW/IP] is hidden on Windows 7
   * to 10 and serves every ICMP raw socket). */
  for (guint i = 0; i < self->entries->len; i++)
    {
      const WsiEntry *entry = g_ptr_array_index (self->entries, i);
      if (wsi_entry_serves_socket (entry, af, type, protocol))
        return entry;
    }
  return NULL;
}

gboolean
wsi_catalog_same_ids (const WsiCatalog *a, const WsiCatalog *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->entries->len != b->entries->len)
    return FALSE;
  for (guint i = 0; i < a->entries->len; i++)
    {
      const WsiEntry *ea = g_ptr_array_index (a->entries, i);
      const WsiEntry *eb = g_ptr_array_index (b->entries, i);
      if (ea->catalog_id != eb->catalog_id)
        return FALSE;
    }
  return TRUE;
}
