/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-tags.h: the registry of every diagnostic tag. The tag is the contract;
 * messages may change, tags and their meaning may not. */
#pragma once

#include "wsi-diag.h"
#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef struct {
  const char  *tag;
  WsiSeverity  severity;
  const char  *explanation;  /* what it means and why it matters */
  const char  *hint;         /* default "what to do", or NULL */
} WsiTagInfo;

const WsiTagInfo *wsi_tag_lookup   (const char *tag);
/* All tags, sorted by name; *n_tags receives the count. */
const WsiTagInfo *wsi_tags_get_all (guint *n_tags);

WSI_END_PUBLIC
G_END_DECLS
