/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot.h: machine snapshots, the XML form of a WsiMachine
 * (schema/snapshot.xsd, namespace urn:wsinstall:snapshot:1). Loading is
 * all or nothing: a snapshot that is malformed, invalid or contradicts
 * itself gives diagnostics and no machine. Damage that `catalog check`
 * reports (duplicate IDs, orphan chains, ...) still loads. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* NULL (with diagnostics: file-unreadable, file-too-large, xml-*,
 * schema-invalid, unsupported-version, snapshot-inconsistent) on failure. */
WsiMachine *wsi_snapshot_load_file    (const char       *path,
                                       WsiDiagList      *diags);
WsiMachine *wsi_snapshot_load_memory  (const char       *data,
                                       gsize             len,
                                       const char       *display_name,
                                       WsiDiagList      *diags);

/* The snapshot text; the same machine always gives the same bytes. */
char       *wsi_snapshot_to_string    (const WsiMachine *machine);
/* Writes atomically (temporary file, fsync, rename): a crash leaves the old
 * file or the new one, never half of one. WSI_ERROR_IO on failure. */
gboolean    wsi_snapshot_save         (const WsiMachine *machine,
                                       const char       *path,
                                       GError          **error);
/* With @durable FALSE the write is atomic (old or new file after a crash,
 * never a mixture) but the rename may not have reached the disk yet: for
 * callers that sync the directory themselves later (the simulated
 * machine's transactions, whose journal makes every step recoverable). */
gboolean    wsi_snapshot_save_full    (const WsiMachine *machine,
                                       const char       *path,
                                       gboolean          durable,
                                       GError          **error);
/* Removes the temporary copies that runs killed while writing @path left
 * beside it (SNAPSHOT.wsi-XXXXXX, and an older wsinstall's SNAPSHOT.XXXXXX
 * when it holds nothing or a snapshot). Call it under the machine's lock,
 * or it could remove the copy another writer is about to rename.
 * *@removed (may be NULL) counts them. */
gboolean    wsi_snapshot_remove_stale_copies (const char *path,
                                              guint      *removed,
                                              GError    **error);

WSI_END_PUBLIC
G_END_DECLS
