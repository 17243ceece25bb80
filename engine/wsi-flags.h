/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-flags.h: symbolic names for the numeric fields of WSAPROTOCOL_INFOW:
 * flag sets (XP1_*, PFL_*, LSP categories) and enumerations (address family,
 * socket type, protocol). */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* XP1_* (dwServiceFlags1) */
#define WSI_XP1_CONNECTIONLESS           0x00000001u
#define WSI_XP1_GUARANTEED_DELIVERY      0x00000002u
#define WSI_XP1_GUARANTEED_ORDER         0x00000004u
#define WSI_XP1_MESSAGE_ORIENTED         0x00000008u
#define WSI_XP1_PSEUDO_STREAM            0x00000010u
#define WSI_XP1_GRACEFUL_CLOSE           0x00000020u
#define WSI_XP1_EXPEDITED_DATA           0x00000040u
#define WSI_XP1_CONNECT_DATA             0x00000080u
#define WSI_XP1_DISCONNECT_DATA          0x00000100u
#define WSI_XP1_SUPPORT_BROADCAST        0x00000200u
#define WSI_XP1_SUPPORT_MULTIPOINT       0x00000400u
#define WSI_XP1_MULTIPOINT_CONTROL_PLANE 0x00000800u
#define WSI_XP1_MULTIPOINT_DATA_PLANE    0x00001000u
#define WSI_XP1_QOS_SUPPORTED            0x00002000u
#define WSI_XP1_INTERRUPT                0x00004000u
#define WSI_XP1_UNI_SEND                 0x00008000u
#define WSI_XP1_UNI_RECV                 0x00010000u
#define WSI_XP1_IFS_HANDLES              0x00020000u
#define WSI_XP1_PARTIAL_MESSAGE          0x00040000u
#define WSI_XP1_SAN_SUPPORT_SDP          0x00080000u

/* PFL_* (dwProviderFlags) */
#define WSI_PFL_MULTIPLE_PROTO_ENTRIES   0x00000001u
#define WSI_PFL_RECOMMENDED_PROTO_ENTRY  0x00000002u
#define WSI_PFL_HIDDEN                   0x00000004u
#define WSI_PFL_MATCHES_PROTOCOL_ZERO    0x00000008u
#define WSI_PFL_NETWORKDIRECT_PROVIDER   0x00000010u

/* LSP_* categories (WSCSetProviderInfo, ProviderInfoLspCategories) */
#define WSI_LSP_INSPECTOR                0x00000001u
#define WSI_LSP_REDIRECTOR               0x00000002u
#define WSI_LSP_PROXY                    0x00000004u
#define WSI_LSP_FIREWALL                 0x00000008u
#define WSI_LSP_INBOUND_MODIFY           0x00000010u
#define WSI_LSP_OUTBOUND_MODIFY          0x00000020u
#define WSI_LSP_CRYPTO_COMPRESS          0x00000040u
#define WSI_LSP_LOCAL_CACHE              0x00000080u
#define WSI_LSP_SYSTEM                   0x80000000u

typedef enum {
  WSI_FLAG_SET_SERVICE,    /* XP1_* */
  WSI_FLAG_SET_PROVIDER,   /* PFL_* */
  WSI_FLAG_SET_LSP_CATEGORY,
} WsiFlagSet;

/* Parses "IFS_HANDLES GRACEFUL_CLOSE", "IFS_HANDLES|0x40", "0x20066", case
 * insensitive, with or without the XP1_/PFL_/LSP_ prefix. On an unknown name
 * returns FALSE and sets *bad_name (if given) to it. */
gboolean  wsi_flags_parse    (WsiFlagSet   set,
                              const char  *text,
                              guint32     *out,
                              char       **bad_name);
/* "IFS_HANDLES|GRACEFUL_CLOSE" (canonical order, low bit first; unknown
 * bits as one trailing 0x... term; "0" for none). */
char     *wsi_flags_format   (WsiFlagSet   set,
                              guint32      value);

typedef enum {
  WSI_ENUM_ADDRESS_FAMILY,
  WSI_ENUM_SOCKET_TYPE,
  WSI_ENUM_PROTOCOL,
} WsiEnumKind;

/* Accepts a name ("inet6", "AF_INET6", "stream", "tcp", "IPPROTO_TCP") or a
 * decimal number (negative allowed for protocols: some providers use
 * ranges). */
gboolean     wsi_enum_parse  (WsiEnumKind  kind,
                              const char  *text,
                              gint32      *out);
/* The short name ("inet6") or NULL when the value has none. */
const char  *wsi_enum_name   (WsiEnumKind  kind,
                              gint32       value);

WSI_END_PUBLIC
G_END_DECLS
