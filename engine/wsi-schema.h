/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-schema.h: the XML schemas wsinstall embeds (no path lookup at run time). */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_SCHEMA_MANIFEST,   /* urn:wsinstall:manifest:1 */
  WSI_SCHEMA_SNAPSHOT,   /* urn:wsinstall:snapshot:1 */
} WsiSchemaKind;

#define WSI_MANIFEST_NS "urn:wsinstall:manifest:1"
#define WSI_SNAPSHOT_NS "urn:wsinstall:snapshot:1"

/* The XSD text, as shipped in schema/. */
GBytes *wsi_schema_get_bytes (WsiSchemaKind kind);

WSI_END_PUBLIC
G_END_DECLS
