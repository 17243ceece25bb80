/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-hive.h: a machine from an offline SYSTEM registry hive
 * (\Windows\System32\config\SYSTEM of a machine that is shut down, or a
 * copy), read with libhivex. The control set is the one Select\Current
 * names, as Windows would boot it. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-import.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* TRUE when this build can read hives (it was built with libhivex). */
gboolean     wsi_import_hive_supported (void);

/* Problems with the input go to @diags (file-unreadable, file-too-large,
 * hive-malformed, catalog-keys-inconsistent, packed-item-invalid,
 * import-kind-conflict) and give NULL, never a partial machine. @error is
 * set only when the build cannot read hives (WSI_ERROR_NOT_SUPPORTED). */
WsiMachine  *wsi_import_hive_file      (const char             *path,
                                        const WsiImportOptions *options,
                                        WsiDiagList            *diags,
                                        GError                **error);

WSI_END_PUBLIC
G_END_DECLS
