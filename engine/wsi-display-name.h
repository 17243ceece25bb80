/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-display-name.h: the names applications see. Since Windows Vista,
 * Microsoft's own entries store an indirect string in szProtocol
 * ("@%SystemRoot%\System32\mswsock.dll,-60100") that WSCEnumProtocols
 * resolves ("MSAFD Tcpip [TCP/IP]"). Name patterns and chain names work on
 * the resolved (English) name, as LSP installers on Windows see it. */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* The English display name of @stored, or @stored itself when it is not a
 * known indirect string. Never NULL for non-NULL input. */
const char *wsi_display_name (const char *stored);

WSI_END_PUBLIC
G_END_DECLS
