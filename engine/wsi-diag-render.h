/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-diag-render.h: diagnostics as text, JSON, SARIF 2.1.0 and GitHub
 * workflow annotations. */
#pragma once

#include "wsi-diag.h"
#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_DIAG_FORMAT_TEXT,
  WSI_DIAG_FORMAT_JSON,
  WSI_DIAG_FORMAT_SARIF,
  WSI_DIAG_FORMAT_GITHUB,
} WsiDiagFormat;

gboolean  wsi_diag_format_from_string (const char    *name,
                                       WsiDiagFormat *format);

/* Renders @list; the result ends with a newline unless it is empty (text
 * and github formats with no diagnostics give ""). JSON is the versioned
 * document "wsinstall-diagnostics" (schema/wsinstall-diagnostics.schema.json),
 * SARIF is SARIF 2.1.0. */
char     *wsi_diag_render             (const WsiDiagList *list,
                                       WsiDiagFormat      format);
/* SARIF 2.1.0 whose artifact URIs are relative to the uriBaseId %SRCROOT%,
 * the directory @root (relative to the working directory; NULL: the
 * working directory itself); files outside it get absolute file URIs.
 * wsi_diag_render (list, WSI_DIAG_FORMAT_SARIF) is this with NULL. */
char     *wsi_diag_render_sarif       (const WsiDiagList *list,
                                       const char        *root);

WSI_END_PUBLIC
G_END_DECLS
