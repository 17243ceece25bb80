/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot-private.h: what the snapshot family's files share. */
#pragma once

#include "wsi-snapshot.h"
#include "wsi-entry.h"

G_BEGIN_DECLS

/* The REG_* name of registry value type @type, or NULL when the format
 * writes it as a number. */
const char *wsi_snapshot_reg_type_name      (guint       type);
/* The type a REG_* name stands for; FALSE when @name is no such name. */
gboolean    wsi_snapshot_reg_type_from_name (const char *name,
                                             guint32    *type);

/* ChainEntries[0..m) carry meaning for a chain (ChainLen 2..7), none for a
 * layered or base entry: the writer writes, and the reader checks, only
 * those. */
int         wsi_snapshot_meaningful_slots   (const WsiEntry *entry);

G_END_DECLS
