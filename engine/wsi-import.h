/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import.h: bringing a real machine's Winsock catalogs in: from a
 * `reg export` file (wsi-import-reg.h), an offline SYSTEM hive
 * (wsi-import-hive.h) or a `netsh winsock show catalog` listing
 * (wsi-import-netsh.h). What the importers share. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* Far above any real input (a whole exported Services key is a few MB),
 * far below what would hurt a build agent. Larger files are refused unread. */
#define WSI_IMPORT_MAX_REG_SIZE   (256u * 1024 * 1024)
#define WSI_IMPORT_MAX_HIVE_SIZE  (512u * 1024 * 1024)
#define WSI_IMPORT_MAX_NETSH_SIZE (16u * 1024 * 1024)

typedef struct {
  /* Use @kind instead of what the input says (x64 when a 64-bit catalog is
   * present, x86 otherwise). The input must fit: a 64-bit catalog cannot be
   * forced into x86 or CE, and x64 needs one (import-kind-conflict). */
  gboolean        force_kind;
  WsiMachineKind  kind;
  /* The machine's description; NULL: one naming the input and its format. */
  const char     *description;
  /* netsh listings only: accept one that stops after its protocol entries.
   * netsh always prints the name space providers after them, so without
   * this a listing lacking them is taken as cut short and refused. For
   * excerpts from bug reports, when fewer entries are acceptable. */
  gboolean        allow_partial;
} WsiImportOptions;

WSI_END_PUBLIC
G_END_DECLS
