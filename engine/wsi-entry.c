/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-entry.c: the in-memory side of a catalog entry (life cycle, kind,
 * equality). The binary forms live in wsi-entry-pack.c. */
#include "wsi-entry.h"

#include <string.h>

WsiEntry *
wsi_entry_new (void)
{
  /* All zero, like a memset WSAPROTOCOL_INFOW: callers fill in every field. */
  return g_new0 (WsiEntry, 1);
}

WsiEntry *
wsi_entry_copy (const WsiEntry *entry)
{
  WsiEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new (WsiEntry, 1);
  *copy = *entry;
  copy->name = g_strdup (entry->name);
  copy->path = g_strdup (entry->path);
  return copy;
}

void
wsi_entry_free (WsiEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->path);
  g_free (entry);
}

void
wsi_entry_set_name (WsiEntry *entry, const char *name)
{
  g_return_if_fail (entry != NULL);

  if (entry->name == name)
    return;
  g_free (entry->name);
  entry->name = g_strdup (name);
}

void
wsi_entry_set_path (WsiEntry *entry, const char *path)
{
  g_return_if_fail (entry != NULL);

  if (entry->path == path)
    return;
  g_free (entry->path);
  entry->path = g_strdup (path);
}

WsiEntryKind
wsi_entry_get_kind (const WsiEntry *entry)
{
  g_return_val_if_fail (entry != NULL, WSI_ENTRY_INVALID);

  if (entry->chain_len == 0)
    return WSI_ENTRY_LAYERED;
  if (entry->chain_len == 1)
    return WSI_ENTRY_BASE;
  if (entry->chain_len > 1 && entry->chain_len <= WSI_MAX_PROTOCOL_CHAIN)
    return WSI_ENTRY_CHAIN;
  return WSI_ENTRY_INVALID;
}

const char *
wsi_entry_kind_to_string (WsiEntryKind kind)
{
  switch (kind)
    {
    case WSI_ENTRY_LAYERED: return "layered";
    case WSI_ENTRY_BASE: return "base";
    case WSI_ENTRY_CHAIN: return "chain";
    case WSI_ENTRY_INVALID:
    default: return "invalid";
    }
}

gboolean
wsi_entry_equal (const WsiEntry *a, const WsiEntry *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return memcmp (a->service_flags, b->service_flags, sizeof a->service_flags) == 0 &&
         a->provider_flags == b->provider_flags &&
         wsi_guid_equal (&a->provider_id, &b->provider_id) &&
         a->catalog_id == b->catalog_id &&
         a->chain_len == b->chain_len &&
         memcmp (a->chain, b->chain, sizeof a->chain) == 0 &&
         a->version == b->version &&
         a->address_family == b->address_family &&
         a->max_sockaddr == b->max_sockaddr &&
         a->min_sockaddr == b->min_sockaddr &&
         a->socket_type == b->socket_type &&
         a->protocol == b->protocol &&
         a->protocol_max_offset == b->protocol_max_offset &&
         a->network_byte_order == b->network_byte_order &&
         a->security_scheme == b->security_scheme &&
         a->message_size == b->message_size &&
         a->provider_reserved == b->provider_reserved &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->path, b->path) == 0 &&
         a->lsp_categories == b->lsp_categories;
}
