/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-private.h: what the Windows backend's files share. */
#pragma once

#include <glib.h>

#include "wsi-registry.h"

G_BEGIN_DECLS

/* Runs @exe with @args (simple words, no quoting needed), writes @input to
 * its stdin, collects at most @max_output bytes of its stdout; stderr is
 * inherited. *@exit_status receives its exit code. FALSE (with
 * WSI_ERROR_HELPER_FAILED) when it cannot be started or says too much. */
gboolean  wsi_win32_spawn           (const char         *exe,
                                     const char * const *args,
                                     const char         *input,
                                     gsize               input_len,
                                     gsize               max_output,
                                     GByteArray        **output,
                                     int                *exit_status,
                                     GError            **error);

/* The registry values wsinstall may own (Transports, TCP on SAN, each
 * listed transport's WSH values, its product records) plus @written (model
 * key -> GHashTable of value names written by this process), read into
 * @reg. Unreadable keys are absent, not errors (as on a machine without
 * them). */
void      wsi_win32_registry_read   (WsiRegistry        *reg,
                                     GHashTable         *written);
/* Sets (or with @data NULL deletes) one value. Keys are WsiRegistry keys:
 * below HKLM\SYSTEM\CurrentControlSet\Services, or "HKLM\SOFTWARE\wsinstall\..."
 * (other absolute keys are refused: WSI_ERROR_POLICY). Always the 64-bit
 * view (KEY_WOW64_64KEY). */
gboolean  wsi_win32_registry_write  (const char         *key,
                                     const char         *name,
                                     WsiRegType          type,
                                     GBytes             *data,
                                     GError            **error);
/* Protocol_Catalog9's Next_Catalog_Entry_ID and Serial_Access_Num; FALSE
 * when they cannot be read (Wine has no such values). */
gboolean  wsi_win32_catalog_counters (guint32           *next_id,
                                      guint32           *serial);

G_END_DECLS
