/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-reg.h: a machine from a `reg export` (or regedit) file of
 * HKLM\SYSTEM\CurrentControlSet\Services, or of its WinSock2 and Winsock
 * keys alone. REGEDIT4 and version 5.00 files; keys may be rooted at
 * CurrentControlSet, ControlSetNNN, or a control set of a hive mounted
 * under any name (reg load HKLM\OFFLINE ...). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-import.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* NULL on failure, with diagnostics: file-unreadable, file-too-large,
 * empty-file, reg-malformed (syntax, invalid UTF-16, oversized values,
 * deletions in the Winsock keys, several control sets with no
 * Select\Current), catalog-keys-inconsistent, packed-item-invalid,
 * import-kind-conflict. Never a partial machine. */
WsiMachine  *wsi_import_reg_file    (const char             *path,
                                     const WsiImportOptions *options,
                                     WsiDiagList            *diags);
WsiMachine  *wsi_import_reg_memory  (const guint8           *data,
                                     gsize                   len,
                                     const char             *display_name,
                                     const WsiImportOptions *options,
                                     WsiDiagList            *diags);

WSI_END_PUBLIC
G_END_DECLS
