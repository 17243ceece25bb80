/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-guid.h: GUIDs as Windows lays them out (Data1..3 little endian). */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef struct {
  guint32 data1;
  guint16 data2;
  guint16 data3;
  guint8  data4[8];
} WsiGuid;

#define WSI_GUID_STRING_LEN 38  /* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} */

/* Accepts "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" or the same without
 * braces, any case. Nothing else: no spaces, no other lengths. */
gboolean  wsi_guid_parse       (const char *text,
                                WsiGuid    *out);
/* Upper case, with braces, into a buffer of WSI_GUID_STRING_LEN + 1. */
void      wsi_guid_format      (const WsiGuid *guid,
                                char           buf[WSI_GUID_STRING_LEN + 1]);
char     *wsi_guid_to_string   (const WsiGuid *guid);

/* The 16 bytes as stored in WSAPROTOCOL_INFOW and in REG_BINARY values. */
void      wsi_guid_to_bytes    (const WsiGuid *guid,
                                guint8         out[16]);
void      wsi_guid_from_bytes  (const guint8   bytes[16],
                                WsiGuid       *out);

gboolean  wsi_guid_equal       (const WsiGuid *a,
                                const WsiGuid *b);
guint     wsi_guid_hash        (const WsiGuid *guid);
gboolean  wsi_guid_is_nil      (const WsiGuid *guid);
int       wsi_guid_compare     (const WsiGuid *a,
                                const WsiGuid *b);

/* Name-based (RFC 4122 version 5, SHA-1) GUID under @ns: how wsinstall
 * derives chain-entry GUIDs deterministically, so the same manifest always
 * plans the same GUIDs. */
void      wsi_guid_derive      (const WsiGuid *ns,
                                const char    *name,
                                WsiGuid       *out);

WSI_END_PUBLIC
G_END_DECLS
