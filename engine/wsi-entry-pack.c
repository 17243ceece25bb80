/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-entry-pack.c: the two binary forms of a catalog entry that Windows
 * stores: WSAPROTOCOL_INFOW (628 bytes, what WSCEnumProtocols returns) and
 * the registry's PackedCatalogItem (888 bytes: CHAR path[MAX_PATH] followed
 * by the WSAPROTOCOL_INFOW). Everything is little endian, whatever the host. */
#include "wsi-entry.h"

#include <string.h>

#include "wsi-error.h"
#include "wsi-reg-file-private.h"

/* Offsets inside WSAPROTOCOL_INFOW (see winsock-catalog.md §1). */
enum {
  OFF_SERVICE_FLAGS = 0,
  OFF_PROVIDER_FLAGS = 16,
  OFF_PROVIDER_ID = 20,
  OFF_CATALOG_ID = 36,
  OFF_CHAIN_LEN = 40,
  OFF_CHAIN = 44,
  OFF_VERSION = 72,
  OFF_ADDRESS_FAMILY = 76,
  OFF_MAX_SOCKADDR = 80,
  OFF_MIN_SOCKADDR = 84,
  OFF_SOCKET_TYPE = 88,
  OFF_PROTOCOL = 92,
  OFF_PROTOCOL_MAX_OFFSET = 96,
  OFF_NETWORK_BYTE_ORDER = 100,
  OFF_SECURITY_SCHEME = 104,
  OFF_MESSAGE_SIZE = 108,
  OFF_PROVIDER_RESERVED = 112,
  OFF_PROTOCOL_NAME = 116,
};

#define NAME_UNITS (WSI_PROTOCOL_LEN + 1)

G_STATIC_ASSERT (OFF_PROTOCOL_NAME + NAME_UNITS * 2 == WSI_PROTOCOL_INFO_SIZE);
G_STATIC_ASSERT (WSI_MAX_PATH + WSI_PROTOCOL_INFO_SIZE == WSI_PACKED_ITEM_SIZE);

static void
put_u32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) v;
  p[1] = (guint8) (v >> 8);
  p[2] = (guint8) (v >> 16);
  p[3] = (guint8) (v >> 24);
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static void
put_i32 (guint8 *p, gint32 v)
{
  put_u32 (p, (guint32) v);
}

static gint32
get_i32 (const guint8 *p)
{
  return (gint32) get_u32 (p);
}

/* The path is ANSI: Windows-1252 on the reference machines. */
static char *
cp1252_to_utf8 (const guint8 *data, gsize len)
{
  GString *s = g_string_sized_new (len + 1);

  for (gsize i = 0; i < len; i++)
    g_string_append_unichar (s, wsi_cp1252_to_unichar (data[i]));
  return g_string_free (s, FALSE);
}

static gboolean
packed_invalid (GError **error, const char *what)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_PACKED_ITEM_INVALID, "%s", what);
  return FALSE;
}

void
wsi_entry_pack_protocol_info (const WsiEntry *entry, guint8 out[WSI_PROTOCOL_INFO_SIZE])
{
  guint8 guid[16];

  g_return_if_fail (entry != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, WSI_PROTOCOL_INFO_SIZE);
  for (guint i = 0; i < 4; i++)
    put_u32 (out + OFF_SERVICE_FLAGS + 4 * i, entry->service_flags[i]);
  put_u32 (out + OFF_PROVIDER_FLAGS, entry->provider_flags);
  wsi_guid_to_bytes (&entry->provider_id, guid);
  memcpy (out + OFF_PROVIDER_ID, guid, sizeof guid);
  put_u32 (out + OFF_CATALOG_ID, entry->catalog_id);
  put_i32 (out + OFF_CHAIN_LEN, entry->chain_len);
  /* All seven slots verbatim: base entries of some Windows versions carry
   * garbage there, and a round trip must not clean it up. */
  for (guint i = 0; i < WSI_MAX_PROTOCOL_CHAIN; i++)
    put_u32 (out + OFF_CHAIN + 4 * i, entry->chain[i]);
  put_i32 (out + OFF_VERSION, entry->version);
  put_i32 (out + OFF_ADDRESS_FAMILY, entry->address_family);
  put_i32 (out + OFF_MAX_SOCKADDR, entry->max_sockaddr);
  put_i32 (out + OFF_MIN_SOCKADDR, entry->min_sockaddr);
  put_i32 (out + OFF_SOCKET_TYPE, entry->socket_type);
  put_i32 (out + OFF_PROTOCOL, entry->protocol);
  put_i32 (out + OFF_PROTOCOL_MAX_OFFSET, entry->protocol_max_offset);
  put_i32 (out + OFF_NETWORK_BYTE_ORDER, entry->network_byte_order);
  put_i32 (out + OFF_SECURITY_SCHEME, entry->security_scheme);
  put_u32 (out + OFF_MESSAGE_SIZE, entry->message_size);
  put_u32 (out + OFF_PROVIDER_RESERVED, entry->provider_reserved);

  if (entry->name != NULL)
    {
      glong n_units = 0;
      g_autofree gunichar2 *units = g_utf8_to_utf16 (entry->name, -1, NULL, &n_units, NULL);

      /* Invalid UTF-8 cannot come from the loaders (they validate); pack
       * never fails, so such a name is written empty. */
      if (units == NULL)
        n_units = 0;
      if (n_units > WSI_PROTOCOL_LEN)
        {
          n_units = WSI_PROTOCOL_LEN;
          /* Do not leave half a surrogate pair behind. */
          if (units[n_units - 1] >= 0xD800 && units[n_units - 1] <= 0xDBFF)
            n_units--;
        }
      for (glong i = 0; i < n_units; i++)
        {
          out[OFF_PROTOCOL_NAME + 2 * i] = (guint8) units[i];
          out[OFF_PROTOCOL_NAME + 2 * i + 1] = (guint8) (units[i] >> 8);
        }
    }
}

WsiEntry *
wsi_entry_unpack_protocol_info (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(WsiEntry) entry = NULL;
  gunichar2 units[NAME_UNITS];
  glong n_units = -1;
  g_autofree char *name = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL || len != WSI_PROTOCOL_INFO_SIZE)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_PACKED_ITEM_INVALID,
                   "WSAPROTOCOL_INFOW is %u bytes, not %" G_GSIZE_FORMAT,
                   WSI_PROTOCOL_INFO_SIZE, data == NULL ? (gsize) 0 : len);
      return NULL;
    }

  for (guint i = 0; i < NAME_UNITS; i++)
    {
      units[i] = (gunichar2) (data[OFF_PROTOCOL_NAME + 2 * i] | data[OFF_PROTOCOL_NAME + 2 * i + 1] << 8);
      if (units[i] == 0 && n_units < 0)
        n_units = i;
    }
  if (n_units < 0)
    {
      packed_invalid (error, "the protocol name is not NUL-terminated within 256 characters");
      return NULL;
    }
  name = g_utf16_to_utf8 (units, n_units, NULL, NULL, NULL);
  if (name == NULL)
    {
      packed_invalid (error, "the protocol name is not valid UTF-16");
      return NULL;
    }

  entry = wsi_entry_new ();
  for (guint i = 0; i < 4; i++)
    entry->service_flags[i] = get_u32 (data + OFF_SERVICE_FLAGS + 4 * i);
  entry->provider_flags = get_u32 (data + OFF_PROVIDER_FLAGS);
  wsi_guid_from_bytes (data + OFF_PROVIDER_ID, &entry->provider_id);
  entry->catalog_id = get_u32 (data + OFF_CATALOG_ID);
  entry->chain_len = get_i32 (data + OFF_CHAIN_LEN);
  for (guint i = 0; i < WSI_MAX_PROTOCOL_CHAIN; i++)
    entry->chain[i] = get_u32 (data + OFF_CHAIN + 4 * i);
  entry->version = get_i32 (data + OFF_VERSION);
  entry->address_family = get_i32 (data + OFF_ADDRESS_FAMILY);
  entry->max_sockaddr = get_i32 (data + OFF_MAX_SOCKADDR);
  entry->min_sockaddr = get_i32 (data + OFF_MIN_SOCKADDR);
  entry->socket_type = get_i32 (data + OFF_SOCKET_TYPE);
  entry->protocol = get_i32 (data + OFF_PROTOCOL);
  entry->protocol_max_offset = get_i32 (data + OFF_PROTOCOL_MAX_OFFSET);
  entry->network_byte_order = get_i32 (data + OFF_NETWORK_BYTE_ORDER);
  entry->security_scheme = get_i32 (data + OFF_SECURITY_SCHEME);
  entry->message_size = get_u32 (data + OFF_MESSAGE_SIZE);
  entry->provider_reserved = get_u32 (data + OFF_PROVIDER_RESERVED);
  entry->name = g_steal_pointer (&name);
  /* ChainLen is not range-checked here: a damaged catalog must still load
   * so that `catalog check` can report it (WSI_ENTRY_INVALID). */
  return g_steal_pointer (&entry);
}

gboolean
wsi_entry_pack_catalog_item (const WsiEntry *entry, guint8 out[WSI_PACKED_ITEM_SIZE], GError **error)
{
  gsize n = 0;

  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, WSI_MAX_PATH);
  if (entry->path != NULL)
    {
      if (!g_utf8_validate (entry->path, -1, NULL))
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "the provider path is not valid UTF-8");
          return FALSE;
        }
      for (const char *p = entry->path; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (n >= WSI_MAX_PATH - 1)
            {
              g_set_error (error, WSI_ERROR, WSI_ERROR_PATH_TOO_LONG,
                           "the provider path '%s' does not fit in %u bytes", entry->path,
                           WSI_MAX_PATH - 1);
              return FALSE;
            }
          if (!wsi_unichar_to_cp1252 (c, &out[n]))
            {
              g_set_error (error, WSI_ERROR, WSI_ERROR_PATH_ENCODING,
                           "the provider path '%s' has a character (U+%04X) that the ANSI code page "
                           "(Windows-1252) of the packed item cannot hold", entry->path, c);
              return FALSE;
            }
          n++;
        }
    }
  wsi_entry_pack_protocol_info (entry, out + WSI_MAX_PATH);
  return TRUE;
}

WsiEntry *
wsi_entry_unpack_catalog_item (const guint8 *data, gsize len, GError **error)
{
  const guint8 *nul;
  WsiEntry *entry;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL || len != WSI_PACKED_ITEM_SIZE)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_PACKED_ITEM_INVALID,
                   "a PackedCatalogItem is %u bytes, not %" G_GSIZE_FORMAT,
                   WSI_PACKED_ITEM_SIZE, data == NULL ? (gsize) 0 : len);
      return NULL;
    }
  /* Bytes after the path's NUL are whatever the buffer held before (Windows
   * 7 and 8.1 leave pieces of older paths there): ignored. */
  nul = memchr (data, 0, WSI_MAX_PATH);
  if (nul == NULL)
    {
      packed_invalid (error, "the provider path is not NUL-terminated within 260 bytes");
      return NULL;
    }
  entry = wsi_entry_unpack_protocol_info (data + WSI_MAX_PATH, WSI_PROTOCOL_INFO_SIZE, error);
  if (entry == NULL)
    return NULL;
  entry->path = cp1252_to_utf8 (data, (gsize) (nul - data));
  return entry;
}
