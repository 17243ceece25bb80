/* wsi-manifest-private.h: how the manifest loader's parts fit together:
 * wsi-manifest-parse.c builds the model from a schema-valid document,
 * wsi-manifest-check.c resolves references and runs the semantic checks. */
#pragma once

#include <libxml/tree.h>

#include "wsi-manifest.h"

G_BEGIN_DECLS

WsiManifest          *wsi_manifest_new           (const char *file);
WsiManifestProvider  *wsi_manifest_provider_new  (void);
WsiManifestProtocol  *wsi_manifest_protocol_new  (void);
WsiManifestLayer     *wsi_manifest_layer_new     (void);
WsiManifestChain     *wsi_manifest_chain_new     (void);
WsiManifestSelector  *wsi_manifest_selector_new  (void);
WsiManifestWshHelper *wsi_manifest_wsh_helper_new (void);

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
