/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-lock.h: one writer per machine. The simulated machine is locked with
 * a lock file next to its snapshot (SNAPSHOT.lock, flock); on Windows a
 * named mutex serialises every wsinstall on the machine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WsiLock WsiLock;

/* Waits up to @timeout_ms for the lock of @name (a snapshot path, or NULL
 * for the live machine). WSI_ERROR_LOCKED on time-out. */
WsiLock  *wsi_lock_acquire (const char  *name,
                            guint        timeout_ms,
                            GError     **error);
void      wsi_lock_release (WsiLock     *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiLock, wsi_lock_release)

G_END_DECLS
