/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-flags.c */
#include "wsi-flags.h"

#include "wsi-number-private.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *name;
  guint32     value;
} WsiNamedBit;

static const WsiNamedBit wsi_xp1_names[] = {
  { "CONNECTIONLESS", WSI_XP1_CONNECTIONLESS },
  { "GUARANTEED_DELIVERY", WSI_XP1_GUARANTEED_DELIVERY },
  { "GUARANTEED_ORDER", WSI_XP1_GUARANTEED_ORDER },
  { "MESSAGE_ORIENTED", WSI_XP1_MESSAGE_ORIENTED },
  { "PSEUDO_STREAM", WSI_XP1_PSEUDO_STREAM },
  { "GRACEFUL_CLOSE", WSI_XP1_GRACEFUL_CLOSE },
  { "EXPEDITED_DATA", WSI_XP1_EXPEDITED_DATA },
  { "CONNECT_DATA", WSI_XP1_CONNECT_DATA },
  { "DISCONNECT_DATA", WSI_XP1_DISCONNECT_DATA },
  { "SUPPORT_BROADCAST", WSI_XP1_SUPPORT_BROADCAST },
  { "SUPPORT_MULTIPOINT", WSI_XP1_SUPPORT_MULTIPOINT },
  { "MULTIPOINT_CONTROL_PLANE", WSI_XP1_MULTIPOINT_CONTROL_PLANE },
  { "MULTIPOINT_DATA_PLANE", WSI_XP1_MULTIPOINT_DATA_PLANE },
  { "QOS_SUPPORTED", WSI_XP1_QOS_SUPPORTED },
  { "INTERRUPT", WSI_XP1_INTERRUPT },
  { "UNI_SEND", WSI_XP1_UNI_SEND },
  { "UNI_RECV", WSI_XP1_UNI_RECV },
  { "IFS_HANDLES", WSI_XP1_IFS_HANDLES },
  { "PARTIAL_MESSAGE", WSI_XP1_PARTIAL_MESSAGE },
  { "SAN_SUPPORT_SDP", WSI_XP1_SAN_SUPPORT_SDP },
};

static const WsiNamedBit wsi_pfl_names[] = {
  { "MULTIPLE_PROTO_ENTRIES", WSI_PFL_MULTIPLE_PROTO_ENTRIES },
  { "RECOMMENDED_PROTO_ENTRY", WSI_PFL_RECOMMENDED_PROTO_ENTRY },
  { "HIDDEN", WSI_PFL_HIDDEN },
  { "MATCHES_PROTOCOL_ZERO", WSI_PFL_MATCHES_PROTOCOL_ZERO },
  { "NETWORKDIRECT_PROVIDER", WSI_PFL_NETWORKDIRECT_PROVIDER },
};

static const WsiNamedBit wsi_lsp_names[] = {
  { "INSPECTOR", WSI_LSP_INSPECTOR },
  { "REDIRECTOR", WSI_LSP_REDIRECTOR },
  { "PROXY", WSI_LSP_PROXY },
  { "FIREWALL", WSI_LSP_FIREWALL },
  { "INBOUND_MODIFY", WSI_LSP_INBOUND_MODIFY },
  { "OUTBOUND_MODIFY", WSI_LSP_OUTBOUND_MODIFY },
  { "CRYPTO_COMPRESS", WSI_LSP_CRYPTO_COMPRESS },
  { "LOCAL_CACHE", WSI_LSP_LOCAL_CACHE },
  { "SYSTEM", WSI_LSP_SYSTEM },
};

static const WsiNamedBit *
wsi_flag_table (WsiFlagSet set, gsize *n, const char **prefix)
{
  switch (set)
    {
    case WSI_FLAG_SET_PROVIDER:
      *n = G_N_ELEMENTS (wsi_pfl_names);
      *prefix = "PFL_";
      return wsi_pfl_names;
    case WSI_FLAG_SET_LSP_CATEGORY:
      *n = G_N_ELEMENTS (wsi_lsp_names);
      *prefix = "LSP_";
      return wsi_lsp_names;
    case WSI_FLAG_SET_SERVICE:
    default:
      *n = G_N_ELEMENTS (wsi_xp1_names);
      *prefix = "XP1_";
      return wsi_xp1_names;
    }
}

/* A number term: decimal, 0x hex or 0 octal, as C writes flags. */
static gboolean
wsi_parse_u32 (const char *s, guint32 *out)
{
  guint64 v;

  if (!wsi_number_parse_unsigned (s, 0, G_MAXUINT32, &v))
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

/* What may separate the terms of a flags attribute. */
#define WSI_FLAG_SEPARATORS " \t\r\n|,"

gboolean
wsi_flags_parse (WsiFlagSet set, const char *text, guint32 *out, char **bad_name)
{
  gsize n;
  const char *prefix;
  const WsiNamedBit *table = wsi_flag_table (set, &n, &prefix);
  guint32 value = 0;
  gsize prefix_len;

  g_return_val_if_fail (text != NULL && out != NULL, FALSE);
  prefix_len = strlen (prefix);
  /* Terms are read in place: this runs for every flags attribute of every
   * manifest a CI pipeline validates. */
  for (const char *p = text; *p != '\0';)
    {
      gsize len = strcspn (p, WSI_FLAG_SEPARATORS);
      const char *start = p;
      const char *term = p;
      gsize term_len = len;
      guint32 bits;
      gboolean found = FALSE;

      p += len;
      if (*p != '\0')
        p++;
      if (len == 0)
        continue;
      if (g_ascii_isdigit (*term))
        {
          g_autofree char *number = g_strndup (term, len);

          if (!wsi_parse_u32 (number, &bits))
            goto bad;
          value |= bits;
          continue;
        }
      if (term_len >= prefix_len && g_ascii_strncasecmp (term, prefix, prefix_len) == 0)
        {
          term += prefix_len;
          term_len -= prefix_len;
        }
      for (gsize k = 0; k < n; k++)
        if (strlen (table[k].name) == term_len && g_ascii_strncasecmp (term, table[k].name, term_len) == 0)
          {
            value |= table[k].value;
            found = TRUE;
            break;
          }
      if (!found)
        goto bad;
      continue;
    bad:
      if (bad_name != NULL)
        *bad_name = g_strndup (start, len);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

char *
wsi_flags_format (WsiFlagSet set, guint32 value)
{
  gsize n;
  const char *prefix;
  const WsiNamedBit *table = wsi_flag_table (set, &n, &prefix);
  g_autoptr(GString) out = g_string_new (NULL);
  guint32 rest = value;

  if (value == 0)
    return g_strdup ("0");
  for (int bit = 0; bit < 32; bit++)
    {
      guint32 mask = 1u << bit;
      if (!(value & mask))
        continue;
      for (gsize k = 0; k < n; k++)
        if (table[k].value == mask)
          {
            if (out->len > 0)
              g_string_append_c (out, '|');
            g_string_append (out, table[k].name);
            rest &= ~mask;
            break;
          }
    }
  if (rest != 0)
    {
      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append_printf (out, "0x%X", rest);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct {
  const char *name;
  const char *alias;  /* the winsock2.h macro name */
  gint32      value;
} WsiNamedValue;

static const WsiNamedValue wsi_af_names[] = {
  { "unspec", "AF_UNSPEC", 0 },
  { "unix", "AF_UNIX", 1 },
  { "inet", "AF_INET", 2 },
  { "ipx", "AF_IPX", 6 },
  { "netbios", "AF_NETBIOS", 17 },
  { "appletalk", "AF_APPLETALK", 16 },
  { "atm", "AF_ATM", 22 },
  { "inet6", "AF_INET6", 23 },
  { "irda", "AF_IRDA", 26 },
  { "bth", "AF_BTH", 32 },
  { "hyperv", "AF_HYPERV", 34 },
};

static const WsiNamedValue wsi_type_names[] = {
  { "stream", "SOCK_STREAM", 1 },
  { "dgram", "SOCK_DGRAM", 2 },
  { "raw", "SOCK_RAW", 3 },
  { "rdm", "SOCK_RDM", 4 },
  { "seqpacket", "SOCK_SEQPACKET", 5 },
};

static const WsiNamedValue wsi_proto_names[] = {
  { "icmp", "IPPROTO_ICMP", 1 },
  { "igmp", "IPPROTO_IGMP", 2 },
  { "ggp", "IPPROTO_GGP", 3 },
  { "tcp", "IPPROTO_TCP", 6 },
  { "udp", "IPPROTO_UDP", 17 },
  { "icmpv6", "IPPROTO_ICMPV6", 58 },
  { "rm", "IPPROTO_RM", 113 },
  { "raw", "IPPROTO_RAW", 255 },
};

static const WsiNamedValue *
wsi_enum_table (WsiEnumKind kind, gsize *n)
{
  switch (kind)
    {
    case WSI_ENUM_SOCKET_TYPE:
      *n = G_N_ELEMENTS (wsi_type_names);
      return wsi_type_names;
    case WSI_ENUM_PROTOCOL:
      *n = G_N_ELEMENTS (wsi_proto_names);
      return wsi_proto_names;
    case WSI_ENUM_ADDRESS_FAMILY:
    default:
      *n = G_N_ELEMENTS (wsi_af_names);
      return wsi_af_names;
    }
}

gboolean
wsi_enum_parse (WsiEnumKind kind, const char *text, gint32 *out)
{
  gsize n;
  const WsiNamedValue *table = wsi_enum_table (kind, &n);
  gint64 v;

  g_return_val_if_fail (out != NULL, FALSE);
  if (text == NULL || *text == '\0')
    return FALSE;
  for (gsize k = 0; k < n; k++)
    if (g_ascii_strcasecmp (text, table[k].name) == 0 || g_ascii_strcasecmp (text, table[k].alias) == 0)
      {
        *out = table[k].value;
        return TRUE;
      }
  if (!wsi_number_parse_signed (text, G_MININT32, G_MAXINT32, &v))
    return FALSE;
  *out = (gint32) v;
  return TRUE;
}

const char *
wsi_enum_name (WsiEnumKind kind, gint32 value)
{
  gsize n;
  const WsiNamedValue *table = wsi_enum_table (kind, &n);

  for (gsize k = 0; k < n; k++)
    if (table[k].value == value)
      return table[k].name;
  return NULL;
}
