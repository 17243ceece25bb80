/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-guid.c */
#include "wsi-guid.h"

#include <string.h>

static int
wsi_hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean
wsi_guid_parse (const char *text, WsiGuid *out)
{
  /* Positions of the dashes in the unbraced 36-character form. */
  static const int dashes[] = { 8, 13, 18, 23 };
  guint8 bytes[16];
  const char *s;
  gsize len;
  int nb = 0;

  g_return_val_if_fail (out != NULL, FALSE);
  if (text == NULL)
    return FALSE;
  len = strlen (text);
  if (len == 38)
    {
      if (text[0] != '{' || text[37] != '}')
        return FALSE;
      s = text + 1;
    }
  else if (len == 36)
    s = text;
  else
    return FALSE;

  for (int i = 0; i < 36; )
    {
      int hi, lo;
      gboolean is_dash_pos = i == dashes[0] || i == dashes[1] || i == dashes[2] || i == dashes[3];
      if (is_dash_pos)
        {
          if (s[i] != '-')
            return FALSE;
          i++;
          continue;
        }
      hi = wsi_hex_value (s[i]);
      lo = wsi_hex_value (s[i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      bytes[nb++] = (guint8) (hi << 4 | lo);
      i += 2;
    }

  /* The text form is big endian for every group. */
  out->data1 = (guint32) bytes[0] << 24 | (guint32) bytes[1] << 16 | (guint32) bytes[2] << 8 | bytes[3];
  out->data2 = (guint16) (bytes[4] << 8 | bytes[5]);
  out->data3 = (guint16) (bytes[6] << 8 | bytes[7]);
  memcpy (out->data4, bytes + 8, 8);
  return TRUE;
}

void
wsi_guid_format (const WsiGuid *guid, char buf[WSI_GUID_STRING_LEN + 1])
{
  g_snprintf (buf, WSI_GUID_STRING_LEN + 1,
              "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
              guid->data1, guid->data2, guid->data3,
              guid->data4[0], guid->data4[1], guid->data4[2], guid->data4[3],
              guid->data4[4], guid->data4[5], guid->data4[6], guid->data4[7]);
}

char *
wsi_guid_to_string (const WsiGuid *guid)
{
  char buf[WSI_GUID_STRING_LEN + 1];
  wsi_guid_format (guid, buf);
  return g_strdup (buf);
}

void
wsi_guid_to_bytes (const WsiGuid *guid, guint8 out[16])
{
  out[0] = guid->data1 & 0xff;
  out[1] = guid->data1 >> 8 & 0xff;
  out[2] = guid->data1 >> 16 & 0xff;
  out[3] = guid->data1 >> 24 & 0xff;
  out[4] = guid->data2 & 0xff;
  out[5] = guid->data2 >> 8 & 0xff;
  out[6] = guid->data3 & 0xff;
  out[7] = guid->data3 >> 8 & 0xff;
  memcpy (out + 8, guid->data4, 8);
}

void
wsi_guid_from_bytes (const guint8 bytes[16], WsiGuid *out)
{
  out->data1 = (guint32) bytes[0] | (guint32) bytes[1] << 8 | (guint32) bytes[2] << 16 | (guint32) bytes[3] << 24;
  out->data2 = (guint16) (bytes[4] | bytes[5] << 8);
  out->data3 = (guint16) (bytes[6] | bytes[7] << 8);
  memcpy (out->data4, bytes + 8, 8);
}

gboolean
wsi_guid_equal (const WsiGuid *a, const WsiGuid *b)
{
  return a->data1 == b->data1 && a->data2 == b->data2 && a->data3 == b->data3 &&
         memcmp (a->data4, b->data4, 8) == 0;
}

int
wsi_guid_compare (const WsiGuid *a, const WsiGuid *b)
{
  if (a->data1 != b->data1)
    return a->data1 < b->data1 ? -1 : 1;
  if (a->data2 != b->data2)
    return a->data2 < b->data2 ? -1 : 1;
  if (a->data3 != b->data3)
    return a->data3 < b->data3 ? -1 : 1;
  return memcmp (a->data4, b->data4, 8);
}

guint
wsi_guid_hash (const WsiGuid *guid)
{
  guint h = guid->data1 ^ ((guint) guid->data2 << 16 | guid->data3);
  for (int i = 0; i < 8; i++)
    h = h * 31 + guid->data4[i];
  return h;
}

gboolean
wsi_guid_is_nil (const WsiGuid *guid)
{
  static const WsiGuid nil = { 0 };
  return wsi_guid_equal (guid, &nil);
}

void
wsi_guid_derive (const WsiGuid *ns, const char *name, WsiGuid *out)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 ns_be[16];
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  /* RFC 4122 hashes the namespace in network (big endian) order. */
  ns_be[0] = ns->data1 >> 24; ns_be[1] = ns->data1 >> 16; ns_be[2] = ns->data1 >> 8; ns_be[3] = ns->data1;
  ns_be[4] = ns->data2 >> 8; ns_be[5] = ns->data2;
  ns_be[6] = ns->data3 >> 8; ns_be[7] = ns->data3;
  memcpy (ns_be + 8, ns->data4, 8);
  g_checksum_update (sha1, ns_be, sizeof ns_be);
  g_checksum_update (sha1, (const guchar *) name, (gssize) strlen (name));
  g_checksum_get_digest (sha1, digest, &digest_len);

  digest[6] = (digest[6] & 0x0f) | 0x50;  /* version 5 */
  digest[8] = (digest[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
  out->data1 = (guint32) digest[0] << 24 | (guint32) digest[1] << 16 | (guint32) digest[2] << 8 | digest[3];
  out->data2 = (guint16) (digest[4] << 8 | digest[5]);
  out->data3 = (guint16) (digest[6] << 8 | digest[7]);
  memcpy (out->data4, digest + 8, 8);
}
