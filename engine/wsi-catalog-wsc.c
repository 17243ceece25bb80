/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-wsc.c: WSCInstallProviderAndChains on one catalog: the
 * layered entry, one chain per unique (af, type, protocol) and the chains
 * moved to the top, all or nothing. */
#include "wsi-catalog-private.h"

#include <string.h>

#include "wsi-error.h"
#include "wsi-flags.h"

typedef struct {
  gint32 af, type, protocol;
} WsiTriple;

static guint
wsi_triple_hash (gconstpointer p)
{
  const WsiTriple *t = p;
  return (guint) t->af * 31u * 31u + (guint) t->type * 31u + (guint) t->protocol;
}

static gboolean
wsi_triple_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, sizeof (WsiTriple)) == 0;
}

/* @text cut to at most @max UTF-16 units, never inside a character. */
static char *
wsi_truncate_utf16 (const char *text, glong max)
{
  glong units = 0;
  const char *p = text;

  while (*p != '\0')
    {
      glong w = g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
      if (units + w > max)
        break;
      units += w;
      p = g_utf8_next_char (p);
    }
  return g_strndup (text, (gsize) (p - text));
}

static gboolean
wsi_catalog_has_layered_name (const WsiCatalog *self, const char *name)
{
  for (guint i = 0; i < wsi_catalog_get_size (self); i++)
    {
      const WsiEntry *entry = wsi_catalog_get_entry (self, i);
      if (entry->chain_len == 0 && entry->name != NULL && g_utf8_collate (entry->name, name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The entries to layer over, in the order chains will be created: the
 * top-most entry of each unique triple (of @infos, or of every base
 * protocol when @infos is NULL). Borrowed pointers. */
static GPtrArray *
wsi_catalog_select_targets (const WsiCatalog *self, const WsiEntry *const *infos, guint n, GError **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (wsi_triple_hash, wsi_triple_equal, g_free, NULL);
  g_autoptr(GHashTable) top = g_hash_table_new_full (wsi_triple_hash, wsi_triple_equal, g_free, NULL);
  guint size = wsi_catalog_get_size (self);

  /* One pass records the top-most entry of every triple, so the lookup
   * per requested triple is O(1). Layered entries carry no triple. */
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *entry = wsi_catalog_get_entry (self, i);
      WsiTriple t = { entry->address_family, entry->socket_type, entry->protocol };
      WsiEntryKind kind = wsi_entry_get_kind (entry);

      if (kind == WSI_ENTRY_LAYERED || kind == WSI_ENTRY_INVALID)
        continue;
      if (infos == NULL && kind != WSI_ENTRY_BASE)
        continue;
      if (!g_hash_table_contains (top, &t))
        {
          g_hash_table_insert (top, g_memdup2 (&t, sizeof t), (gpointer) entry);
          if (infos == NULL)
            g_ptr_array_add (targets, (gpointer) entry);
        }
    }
  if (infos == NULL)
    {
      if (targets->len == 0)
        return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY, "the %d-bit catalog has no base protocol to layer over",
                                  (int) wsi_catalog_get_bitness (self)), NULL;
      return g_steal_pointer (&targets);
    }

  for (guint i = 0; i < n; i++)
    {
      WsiTriple t = { infos[i]->address_family, infos[i]->socket_type, infos[i]->protocol };
      const WsiEntry *entry;

      if (!g_hash_table_add (seen, g_memdup2 (&t, sizeof t)))
        continue;
      entry = g_hash_table_lookup (top, &t);
      if (entry == NULL)
        return wsi_set_wsa_error (error, WSI_WSAEINVAL,
                                  "no entry of the %d-bit catalog matches address family %d, type %d, protocol %d",
                                  (int) wsi_catalog_get_bitness (self), t.af, t.type, t.protocol), NULL;
      g_ptr_array_add (targets, (gpointer) entry);
    }
  return g_steal_pointer (&targets);
}

/* The chain entry over @target: a copy of it, ChainEntries = [layered,
 * target's chain...], its own GUID derived from the LSP's GUID and the
 * target's (stable across catalogs and runs), XP1_IFS_HANDLES cleared for
 * a non-IFS LSP. */
static WsiEntry *
wsi_catalog_make_chain (const WsiEntry *target, const WsiGuid *guid, const char *path,
                        const char *lsp_name, guint32 service_flags, guint32 layered_id, GError **error)
{
  g_autoptr(WsiEntry) chain = wsi_entry_copy (target);
  char target_guid[WSI_GUID_STRING_LEN + 1];
  g_autofree char *seed = NULL;
  g_autofree char *name = NULL;

  if (target->chain_len + 1 > WSI_MAX_PROTOCOL_CHAIN)
    return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY,
                              "layering over entry %u (ChainLen %d) would exceed %d chain entries",
                              target->catalog_id, target->chain_len, WSI_MAX_PROTOCOL_CHAIN), NULL;

  if (target->chain_len == 1)
    chain->chain[1] = target->catalog_id;
  else
    memcpy (&chain->chain[1], target->chain, sizeof (guint32) * (gsize) target->chain_len);
  chain->chain[0] = layered_id;
  chain->chain_len = target->chain_len + 1;
  for (int i = chain->chain_len; i < WSI_MAX_PROTOCOL_CHAIN; i++)
    chain->chain[i] = 0;

  wsi_guid_format (&target->provider_id, target_guid);
  seed = g_strdup_printf ("chain:%s:%d:%d:%d", target_guid, target->address_family,
                          target->socket_type, target->protocol);
  wsi_guid_derive (guid, seed, &chain->provider_id);
  chain->catalog_id = 0;
  chain->lsp_categories = 0;
  if ((service_flags & WSI_XP1_IFS_HANDLES) == 0)
    chain->service_flags[0] &= ~WSI_XP1_IFS_HANDLES;
  name = g_strdup_printf ("%s over [%s]", lsp_name, target->name != NULL ? target->name : "");
  g_free (chain->name);
  chain->name = wsi_truncate_utf16 (name, WSI_PROTOCOL_LEN);
  wsi_entry_set_path (chain, path);
  return g_steal_pointer (&chain);
}

gboolean
wsi_catalog_install_provider_and_chains (WsiCatalog *self, const WsiGuid *guid, const char *path,
                                         const char *lsp_name, guint32 service_flags,
                                         const WsiEntry *const *infos, guint n,
                                         guint32 *layered_id, GError **error)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) chains = NULL;
  g_autoptr(WsiEntry) layered = NULL;
  g_autofree guint32 *top = NULL;
  guint32 first_id;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (guid == NULL || lsp_name == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no provider GUID or LSP name");
  if (infos == NULL && n > 0)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "the protocol info list is NULL");
  if (infos != NULL && n == 0)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "an empty protocol info list");
  for (guint i = 0; infos != NULL && i < n; i++)
    if (infos[i] == NULL)
      return wsi_set_wsa_error (error, WSI_WSAEFAULT, "protocol info %u is missing", i);
  if (!wsi_catalog_check_path (path, error))
    return FALSE;
  if (lsp_name[0] == '\0' || wsi_catalog_utf16_len (lsp_name) > WSI_PROTOCOL_LEN)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "the LSP name must have 1 to %d characters", WSI_PROTOCOL_LEN);
  if (wsi_catalog_get_busy (self))
    return wsi_set_wsa_error (error, WSI_WSAEINPROGRESS, "another installation is changing the %d-bit catalog",
                              (int) wsi_catalog_get_bitness (self));
  {
    g_autoptr(GPtrArray) same = wsi_catalog_find_guid (self, guid);
    if (same->len > 0)
      return wsi_set_wsa_error (error, WSI_WSAEINVAL, "the provider GUID is already installed in the %d-bit catalog",
                                (int) wsi_catalog_get_bitness (self));
  }
  if (wsi_catalog_has_layered_name (self, lsp_name))
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "an LSP named '%s' is already installed in the %d-bit catalog",
                              lsp_name, (int) wsi_catalog_get_bitness (self));

  targets = wsi_catalog_select_targets (self, infos, n, error);
  if (targets == NULL)
    return FALSE;
  if ((guint64) wsi_catalog_get_next_id (self) + targets->len + 1 > G_MAXUINT32)
    return wsi_set_wsa_error (error, WSI_WSANO_RECOVERY, "the catalog ID counter is exhausted");

  /* Everything is computed before anything changes: the layered entry
   * takes the next ID, the chains the ones after it. */
  first_id = wsi_catalog_get_next_id (self);
  layered = wsi_entry_copy (g_ptr_array_index (targets, 0));
  layered->provider_id = *guid;
  layered->catalog_id = 0;
  layered->chain_len = 0;
  memset (layered->chain, 0, sizeof layered->chain);
  layered->service_flags[0] = service_flags;
  layered->provider_flags = (layered->provider_flags | WSI_PFL_HIDDEN) & ~WSI_PFL_MATCHES_PROTOCOL_ZERO;
  layered->socket_type = 0;
  layered->protocol = 0;
  layered->protocol_max_offset = 0;
  layered->lsp_categories = 0;
  wsi_entry_set_name (layered, lsp_name);
  wsi_entry_set_path (layered, path);

  chains = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_entry_free);
  for (guint i = 0; i < targets->len; i++)
    {
      WsiEntry *chain = wsi_catalog_make_chain (g_ptr_array_index (targets, i), guid, path, lsp_name,
                                                service_flags, first_id, error);
      if (chain == NULL)
        return FALSE;
      for (guint j = 0; j < chains->len; j++)
        if (wsi_guid_equal (&chain->provider_id, &((WsiEntry *) g_ptr_array_index (chains, j))->provider_id))
          {
            wsi_entry_free (chain);
            return wsi_set_wsa_error (error, WSI_WSAEINVAL, "two chains would share a provider GUID");
          }
      {
        g_autoptr(GPtrArray) clash = wsi_catalog_find_guid (self, &chain->provider_id);
        if (clash->len > 0)
          {
            wsi_entry_free (chain);
            return wsi_set_wsa_error (error, WSI_WSAEINVAL, "a derived chain GUID is already installed");
          }
      }
      g_ptr_array_add (chains, chain);
    }

  wsi_catalog_append_new (self, g_steal_pointer (&layered));
  top = g_new (guint32, chains->len);
  for (guint i = 0; i < chains->len; i++)
    {
      WsiEntry *chain = g_steal_pointer (&chains->pdata[i]);
      top[i] = wsi_catalog_append_new (self, chain)->catalog_id;
    }
  g_ptr_array_set_size (chains, 0);
  wsi_catalog_move_to_top (self, top, targets->len);
  wsi_catalog_bump_serial (self);
  if (layered_id != NULL)
    *layered_id = first_id;
  return TRUE;
}

/* --- WSCEnumProtocols --- */

static gboolean
wsi_entry_in_filter (const WsiEntry *entry, const gint32 *protocols)
{
  gint64 low = entry->protocol;
  gint64 high = low + MAX (entry->protocol_max_offset, 0);

  if (protocols == NULL)
    return TRUE;
  /* lpiProtocols is 0-terminated; an entry serving a range (RAW: 0..255)
   * answers for every protocol in it. */
  for (const gint32 *p = protocols; *p != 0; p++)
    if (*p >= low && *p <= high)
      return TRUE;
  return FALSE;
}

gboolean
wsi_catalog_enum_protocols (const WsiCatalog *self, const gint32 *protocols, guint8 *buf, gsize *len,
                            guint *count, GError **error)
{
  guint size, n = 0;
  gsize needed;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len == NULL)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "no buffer length");
  if (buf == NULL && *len > 0)
    return wsi_set_wsa_error (error, WSI_WSAEFAULT, "a NULL buffer of %" G_GSIZE_FORMAT " bytes", *len);

  size = wsi_catalog_get_size (self);
  for (guint i = 0; i < size; i++)
    n += wsi_entry_in_filter (wsi_catalog_get_entry (self, i), protocols);
  needed = (gsize) n * WSI_PROTOCOL_INFO_SIZE;
  if (*len < needed)
    {
      gsize given = *len;
      *len = needed;
      return wsi_set_wsa_error (error, WSI_WSAENOBUFS, "%" G_GSIZE_FORMAT " bytes needed, %" G_GSIZE_FORMAT " given",
                                needed, given);
    }

  n = 0;
  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *entry = wsi_catalog_get_entry (self, i);
      if (wsi_entry_in_filter (entry, protocols))
        wsi_entry_pack_protocol_info (entry, buf + (gsize) n++ * WSI_PROTOCOL_INFO_SIZE);
    }
  if (count != NULL)
    *count = n;
  return TRUE;
}
