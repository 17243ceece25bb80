/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-render.h: what `catalog show`, `catalog check` and `catalog
 * resolve` print, as text and as versioned JSON documents
 * ("wsinstall-catalog", "wsinstall-diagnostics", "wsinstall-resolve";
 * schema/ describes them). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-diag-render.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* @catalogs: the WsiCatalog* of @machine to show, in order. */
char *wsi_catalog_show_to_text    (const WsiMachine  *machine,
                                   GPtrArray         *catalogs);
/* @machine NULL: it could not be read, @diags say why. */
char *wsi_catalog_show_to_json    (const WsiMachine  *machine,
                                   GPtrArray         *catalogs,
                                   const WsiDiagList *diags);

/* What `catalog check` of @display_name found: @diags in @format; as text
 * with none, "@display_name: healthy". */
char *wsi_catalog_check_render    (const WsiDiagList *diags,
                                   WsiDiagFormat      format,
                                   const char        *display_name);

/* What socket(@af, @type, @protocol) gets in @catalog
 * (wsi_catalog_resolve_socket) and the providers it passes through. */
char *wsi_catalog_resolve_to_text (const WsiCatalog  *catalog,
                                   gint32             af,
                                   gint32             type,
                                   gint32             protocol);
/* @catalog NULL: the machine could not be read, @diags say why. */
char *wsi_catalog_resolve_to_json (const WsiCatalog  *catalog,
                                   gint32             af,
                                   gint32             type,
                                   gint32             protocol,
                                   const WsiDiagList *diags);

WSI_END_PUBLIC
G_END_DECLS
