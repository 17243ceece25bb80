/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-diff.h: what differs between two machines, as a user means
 * it: entries are matched by provider GUID, (af, type, protocol) and kind,
 * never by catalog ID (a reinstall gives new IDs), and chains are compared
 * by what their IDs point to. ID counters and serials are reported but are
 * not differences. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_DIFF_KIND,             /* the machines are of different kinds */
  WSI_DIFF_ADDED,            /* entry only in B */
  WSI_DIFF_REMOVED,          /* entry only in A */
  WSI_DIFF_CHANGED,          /* matched entry with other fields */
  WSI_DIFF_MOVED,            /* matched entry at another relative position */
  WSI_DIFF_VALUE_ADDED,      /* registry value only in B */
  WSI_DIFF_VALUE_REMOVED,    /* registry value only in A */
  WSI_DIFF_VALUE_CHANGED,    /* registry value with another type or data */
  WSI_DIFF_COUNTER,          /* next-id or serial: reported, not a difference */
} WsiDiffKind;

typedef struct {
  WsiDiffKind  kind;
  int          bitness;      /* 32 or 64 for catalog items, 0 otherwise */
  WsiEntry    *a;            /* the entry in A (removed, changed, moved), or NULL */
  WsiEntry    *b;            /* the entry in B (added, changed, moved), or NULL */
  int          position_a;   /* 0-based positions, -1 when absent */
  int          position_b;
  char        *key;          /* registry key, or NULL */
  char        *name;         /* registry value name, or NULL */
  char        *detail;       /* what changed ("path, service-flags"), "next-id 1017 -> 1020", ... */
} WsiDiffItem;

typedef struct _WsiDiff WsiDiff;

WsiDiff            *wsi_machine_diff         (const WsiMachine *a,
                                              const WsiMachine *b);
void                wsi_diff_free            (WsiDiff          *self);
guint               wsi_diff_get_size        (const WsiDiff    *self);
const WsiDiffItem  *wsi_diff_get             (const WsiDiff    *self,
                                              guint             index);
/* TRUE when nothing but counters differs. */
gboolean            wsi_diff_is_equivalent   (const WsiDiff    *self);
/* Readable listing, one line per item, grouped by catalog. */
char               *wsi_diff_to_text         (const WsiDiff    *self);
/* The versioned JSON document "wsinstall-diff"
 * (schema/wsinstall-diff.schema.json): {"equivalent": bool, "items":
 * [{"kind": "added", "catalog": 64, "a": null, "b": ENTRY, ...}]} when
 * @self is not NULL, and @diags (may be NULL). wsi_diff_to_json: with no
 * diagnostics. */
char               *wsi_diff_render_json     (const WsiDiff     *self,
                                              const WsiDiagList *diags);
char               *wsi_diff_to_json         (const WsiDiff    *self);
const char         *wsi_diff_kind_to_string  (WsiDiffKind       kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiDiff, wsi_diff_free)

WSI_END_PUBLIC
G_END_DECLS
