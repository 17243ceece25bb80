/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-private.h: what the catalog's own files share (the WSC
 * operations are split over wsi-catalog.c and wsi-catalog-wsc.c). */
#pragma once

#include "wsi-catalog.h"

G_BEGIN_DECLS

/* WSAEINVAL checks WSCInstallProvider and WSCUpdateProvider share: ChainLen
 * in 0..7, name at most 255 UTF-16 units, path below MAX_PATH. */
gboolean  wsi_catalog_check_info       (const WsiEntry *info,
                                        guint           index,
                                        GError        **error);
gboolean  wsi_catalog_check_path       (const char     *path,
                                        GError        **error);
/* UTF-16 length of @text (NULL: 0). */
glong     wsi_catalog_utf16_len        (const char     *text);

/* Appends @entry (taken) with the next ID from the counter; returns it. */
WsiEntry *wsi_catalog_append_new       (WsiCatalog     *self,
                                        WsiEntry       *entry);
/* Moves the entries whose IDs are in @top (in that order) to the top,
 * keeping everything else in its relative order. */
void      wsi_catalog_move_to_top      (WsiCatalog     *self,
                                        const guint32  *top,
                                        guint           n_top);
void      wsi_catalog_bump_serial      (WsiCatalog     *self);
/* Exchanges everything two catalogs hold, so a change computed on a copy
 * can be committed without invalidating pointers to @self. */
void      wsi_catalog_swap_contents    (WsiCatalog     *self,
                                        WsiCatalog     *other);

/* x64: one ID counter for both catalogs, as Windows keeps it (a single
 * Next_Catalog_Entry_ID): every ID assigned in one is used up in the other.
 * Both counters become the larger of the two. */
void      wsi_catalog_link_counter     (WsiCatalog     *a,
                                        WsiCatalog     *b);
/* Sets this catalog's counter alone (WSCInstallProvider64_32 hands the
 * same IDs to both catalogs). */
void      wsi_catalog_set_next_id_unshared (WsiCatalog *self,
                                            guint32     next_id);

G_END_DECLS
