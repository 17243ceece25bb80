/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-version.c: the run-time half of wsi-version.h. */
#include "wsi-version.h"

guint
wsi_get_major_version (void)
{
  return WSI_MAJOR_VERSION;
}

guint
wsi_get_minor_version (void)
{
  return WSI_MINOR_VERSION;
}

guint
wsi_get_micro_version (void)
{
  return WSI_MICRO_VERSION;
}

const char *
wsi_version_string (void)
{
  return G_STRINGIFY (WSI_MAJOR_VERSION) "." G_STRINGIFY (WSI_MINOR_VERSION) "." G_STRINGIFY (WSI_MICRO_VERSION);
}
