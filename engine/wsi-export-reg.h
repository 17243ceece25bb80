/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-export-reg.h: a machine as a .reg file, so a planned state can be put
 * side by side with a real machine's `reg export` (and read back by
 * wsi-import-reg.h: export then import gives the same machine). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* REGEDIT5 text (UTF-16LE with a BOM, CRLF line ends) of every key the
 * machine model holds, rooted at HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet
 * \Services, in the order `reg export` writes keys: Protocol_Catalog9 with
 * its counters and both catalogs' PackedCatalogItems, and the registry values
 * (TCP on SAN, Transports, each transport's Parameters\Winsock).
 *
 * The registry has one Next_Catalog_Entry_ID and one Serial_Access_Num for
 * both catalogs: when the model's two catalogs differ there, the larger is
 * written. A CE machine is written like an x86 one (one catalog). Fails
 * (WSI_ERROR_INVALID_ARGUMENT, the message starting with the diagnostic tag:
 * "path-too-long:", "path-encoding-unsupported:" or "registry-write-denied:")
 * when an entry's path cannot be packed or a registry name holds a line
 * break, which a line-based .reg file cannot carry. */
GBytes    *wsi_export_reg_to_bytes (const WsiMachine  *machine,
                                    GError           **error);
/* The same, written atomically (a temporary file renamed over @path): a
 * failure never leaves a partial file. */
gboolean   wsi_export_reg_file     (const WsiMachine  *machine,
                                    const char        *path,
                                    GError           **error);

WSI_END_PUBLIC
G_END_DECLS
