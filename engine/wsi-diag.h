/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-diag.h: the one issue model every user-facing problem goes through. */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_SEVERITY_ERROR,
  WSI_SEVERITY_WARNING,
  WSI_SEVERITY_INFO,
} WsiSeverity;

typedef struct {
  char        *tag;       /* stable, registered in wsi-tags.c */
  WsiSeverity  severity;
  char        *file;      /* NULL when no file is involved */
  int          line;      /* 1-based; 0 when unknown */
  char        *message;   /* one sentence, no trailing period needed */
  char        *hint;      /* what to do; may be NULL */
  guint        seq;       /* insertion order within its list (stable sorting) */
} WsiDiag;

typedef struct _WsiDiagList WsiDiagList;

const char  *wsi_severity_to_string   (WsiSeverity severity);

void         wsi_diag_free            (WsiDiag *diag);

WsiDiagList *wsi_diag_list_new        (void);
void         wsi_diag_list_free       (WsiDiagList *self);

/* Adds a diagnostic; severity and hint come from the tag registry. */
WsiDiag     *wsi_diag_list_add        (WsiDiagList *self,
                                       const char  *tag,
                                       const char  *file,
                                       int          line,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (5, 6);
WsiDiag     *wsi_diag_list_add_valist (WsiDiagList *self,
                                       const char  *tag,
                                       const char  *file,
                                       int          line,
                                       const char  *format,
                                       va_list      args) G_GNUC_PRINTF (5, 0);
/* Overrides the registry's hint on the diagnostic just added. */
void         wsi_diag_set_hint        (WsiDiag    *diag,
                                       const char *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Moves every diagnostic of @other into @self. */
void         wsi_diag_list_take_all   (WsiDiagList *self,
                                       WsiDiagList *other);

guint        wsi_diag_list_get_size   (const WsiDiagList *self);
const WsiDiag *wsi_diag_list_get      (const WsiDiagList *self,
                                       guint              index);
guint        wsi_diag_list_count      (const WsiDiagList *self,
                                       WsiSeverity        severity);
gboolean     wsi_diag_list_has_errors (const WsiDiagList *self);
/* TRUE when a diagnostic with @tag exists (tests, callers deciding exit codes). */
gboolean     wsi_diag_list_has_tag    (const WsiDiagList *self,
                                       const char        *tag);
/* Stable order for output: by file, line, then insertion order. */
void         wsi_diag_list_sort       (WsiDiagList *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiDiagList, wsi_diag_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiDiag, wsi_diag_free)

WSI_END_PUBLIC
G_END_DECLS
