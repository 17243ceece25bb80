/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-schema.c: the schemas are compiled into the library as GResources. */
#include "wsi-schema.h"
#include "wsi-resources.h"

#include <gio/gio.h>

GBytes *
wsi_schema_get_bytes (WsiSchemaKind kind)
{
  const char *path = kind == WSI_SCHEMA_SNAPSHOT ? "/org/wsinstall/schema/snapshot.xsd"
                                                 : "/org/wsinstall/schema/manifest.xsd";
  GBytes *bytes = g_resource_lookup_data (wsi_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  /* Both files are compiled in by schema/meson.build: absence is a build defect. */
  g_assert (bytes != NULL);
  return bytes;
}
