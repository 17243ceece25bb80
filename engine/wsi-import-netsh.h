/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-netsh.h: a machine from the text of `netsh winsock show
 * catalog`, what users paste into bug reports. The listing is the API's view
 * (WSCEnumProtocols) of one catalog, in catalog order, and lacks some fields:
 * the provider flags (PFL_*), dwServiceFlags2..4, iProtocolMaxOffset,
 * iNetworkByteOrder, iSecurityScheme, dwMessageSize and dwProviderReserved
 * are set to 0, Next_Catalog_Entry_ID to the highest ID + 1 and the serial to
 * 0; the machine's description says so. English labels and the Simplified
 * Chinese ones are understood; other languages are refused (netsh-malformed).
 * A listing must go on to the name space providers (see allow_partial in
 * wsi-import.h), so a paste cut short is refused, not taken as a smaller
 * catalog. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-import.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* One listing gives an x86 machine (one catalog). With @path32, a second
 * listing taken by a 32-bit process, the first is the 64-bit catalog and the
 * machine is x64. Forcing x64 with one listing puts it into both catalogs
 * (and says so in the description). Diagnostics: file-unreadable,
 * file-too-large, empty-file, netsh-malformed, import-kind-conflict. */
WsiMachine  *wsi_import_netsh_file    (const char             *path,
                                       const char             *path32,
                                       const WsiImportOptions *options,
                                       WsiDiagList            *diags);
/* The same from memory; @data32 may be NULL. */
WsiMachine  *wsi_import_netsh_memory  (const guint8           *data,
                                       gsize                   len,
                                       const char             *display_name,
                                       const guint8           *data32,
                                       gsize                   len32,
                                       const char             *display_name32,
                                       const WsiImportOptions *options,
                                       WsiDiagList            *diags);

WSI_END_PUBLIC
G_END_DECLS
