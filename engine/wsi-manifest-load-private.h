/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest-load-private.h: the loader's stages, which
 * wsi-manifest-load.c runs in order on a schema-valid document:
 * wsi-manifest-parse.c builds the model, wsi-manifest-check.c resolves
 * references and runs the semantic checks. Both build on the model
 * (wsi-manifest-private.h) and never call the loader. */
#pragma once

#include <libxml/tree.h>

#include "wsi-manifest-private.h"

G_BEGIN_DECLS

/* Fills @self from @doc, which has passed the XSD. Values the schema cannot
 * check (flag and enum names, numbers out of range, nil GUIDs, name
 * templates, selector forms) get manifest-invalid-value (or
 * selector-invalid). */
void  wsi_manifest_parse_doc (WsiManifest *self,
                              xmlDoc      *doc,
                              WsiDiagList *diags);

/* Resolves ids to items (reference-undeclared) and runs every semantic
 * check on the parsed model. */
void  wsi_manifest_check     (WsiManifest *self,
                              WsiDiagList *diags);

G_END_DECLS
