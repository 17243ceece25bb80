/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest-private.h: the manifest model's constructors, for the files
 * that build a model (wsi-manifest-parse.c). The model itself knows no XML
 * and no loader. */
#pragma once

#include "wsi-manifest.h"

G_BEGIN_DECLS

WsiManifest          *wsi_manifest_new           (const char *file);
WsiManifestProvider  *wsi_manifest_provider_new  (void);
WsiManifestProtocol  *wsi_manifest_protocol_new  (void);
WsiManifestLayer     *wsi_manifest_layer_new     (void);
WsiManifestChain     *wsi_manifest_chain_new     (void);
WsiManifestSelector  *wsi_manifest_selector_new  (void);
WsiManifestWshHelper *wsi_manifest_wsh_helper_new (void);

G_END_DECLS
