/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest-load-private.h: the loader's stages, which
 * wsi-manifest-load.c runs in order on a document, valid or not:
 * wsi-manifest-parse.c builds the model, wsi-manifest-check.c resolves
 * references and runs the semantic checks. Both build on the model
 * (wsi-manifest-private.h) and never call the loader. */
#pragma once

#include <libxml/tree.h>

#include "wsi-manifest-private.h"
#include "wsi-xml-private.h"

G_BEGIN_DECLS

/* What the model leaves out, so that the checks neither run on it nor
 * report its absence: an item with a schema error or a value that does not
 * parse is reported once, where it is wrong, and skipped. */
typedef struct {
  const WsiXmlSchemaReport *schema;    /* elements the XSD reported; NULL: none */
  GHashTable *skipped_ids;             /* id= of skipped items: references to them are not undeclared;
                                        * NULL while there is none */
  GHashTable *skipped_chain_layers;    /* layer= of skipped chains: those layers may have chains;
                                        * NULL while there is none */
  gboolean    product_known;           /* <product> parsed */
  gboolean    target_known;            /* <target> parsed: the profile-dependent checks can run */
} WsiManifestSkips;

void  wsi_manifest_skips_init  (WsiManifestSkips         *self,
                                const WsiXmlSchemaReport *schema);
void  wsi_manifest_skips_clear (WsiManifestSkips         *self);

/* Fills @self from @doc, leaving out (and recording in @skips) the elements
 * the XSD reported and the items whose values do not parse. Values the
 * schema cannot check (flag and enum names, numbers out of range, nil GUIDs,
 * name templates, selector forms) get manifest-invalid-value (or
 * selector-invalid). Robust to any document: the XSD may have failed. */
void  wsi_manifest_parse_doc (WsiManifest      *self,
                              xmlDoc           *doc,
                              WsiManifestSkips *skips,
                              WsiDiagList      *diags);

/* Resolves ids to items (reference-undeclared) and runs every semantic
 * check on the parsed model; what @skips names is neither checked nor
 * reported missing. */
void  wsi_manifest_check     (WsiManifest            *self,
                              const WsiManifestSkips *skips,
                              WsiDiagList            *diags);

G_END_DECLS
