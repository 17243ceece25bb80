/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot.c: what the snapshot format's reader (wsi-snapshot-load.c)
 * and writer (wsi-snapshot-write.c) share, so that both spell a value
 * the same way. */
#include "wsi-snapshot-private.h"

static const char *const wsi_reg_type_names[] = {
  [WSI_REG_SZ] = "REG_SZ",
  [WSI_REG_EXPAND_SZ] = "REG_EXPAND_SZ",
  [WSI_REG_BINARY] = "REG_BINARY",
  [WSI_REG_DWORD] = "REG_DWORD",
  [WSI_REG_MULTI_SZ] = "REG_MULTI_SZ",
};

const char *
wsi_snapshot_reg_type_name (guint type)
{
  if (type < G_N_ELEMENTS (wsi_reg_type_names))
    return wsi_reg_type_names[type];
  return NULL;
}

gboolean
wsi_snapshot_reg_type_from_name (const char *name, guint32 *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (wsi_reg_type_names); i++)
    if (wsi_reg_type_names[i] != NULL && g_strcmp0 (name, wsi_reg_type_names[i]) == 0)
      {
        *type = i;
        return TRUE;
      }
  return FALSE;
}

int
wsi_snapshot_meaningful_slots (const WsiEntry *entry)
{
  return wsi_entry_get_kind (entry) == WSI_ENTRY_CHAIN ? entry->chain_len : 0;
}
