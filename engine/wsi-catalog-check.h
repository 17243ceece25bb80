/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-check.h: `catalog check`: the damage a real catalog shows
 * after bad installs and removals, each as a diagnostic with its tag. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* Checks one catalog: duplicate-catalog-id, orphan-chain,
 * dangling-chain-entry, chain-too-long, duplicate-layer-in-chain,
 * ifs-above-non-ifs, ifs-handles-on-non-ifs-chain, layered-entry-unused,
 * uncategorized-lsp, packed-item-invalid (a negative ChainLen).
 * Diagnostics name @display_name as their file (line 0) and the catalog
 * and entry ID in the message. */
void  wsi_catalog_check          (const WsiCatalog *catalog,
                                  const char       *display_name,
                                  WsiDiagList      *diags);
/* Every catalog of @machine, then catalogs-out-of-sync on x64. */
void  wsi_catalog_check_machine  (const WsiMachine *machine,
                                  const char       *display_name,
                                  WsiDiagList      *diags);

WSI_END_PUBLIC
G_END_DECLS
