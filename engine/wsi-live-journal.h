/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-live-journal.h: the journals of transactions on a live machine
 * (Windows), one file per transaction in one folder
 * (%ProgramData%\wsinstall\journals). Portable, so that naming, the choice
 * of what to recover and the recovery itself are tested on Linux with the
 * simulated machine; creating the folder with its ACL and checking who may
 * write a journal is Windows code (wsi-backend-win32.h).
 *
 * Why one journal per transaction: with one shared live.journal, an MSI
 * whose deferred action failed before writing its own journal found the
 * committed journal of an earlier, unrelated CLI install there, and its
 * rollback action undid that install. A transaction's journal is now named
 * when it starts; the MSI's immediate action passes the name to its
 * deferred, rollback and commit actions (CustomActionData), and nobody else
 * uses it. What nobody finished (state in-progress or rollback-incomplete)
 * is rolled back by the next writer or `recover --live`; a committed
 * journal is never rolled back by anyone but its own MSI's rollback action.
 *
 * Names: "YYYYMMDDTHHMMSSZ-PID-NONCE.journal" (UTC time, process id in
 * decimal, 8 hex digits of a random nonce), so that the folder lists in
 * start order and two transactions never pick the same name. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-backend.h"
#include "wsi-journal.h"
#include "wsi-txn.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* The folder below %ProgramData%\wsinstall. */
#define WSI_LIVE_JOURNAL_DIR_NAME "journals"
#define WSI_LIVE_JOURNAL_SUFFIX   ".journal"

/* The name of the journal of a transaction started at @when by process
 * @pid with the random @nonce. */
char      *wsi_live_journal_name          (GDateTime  *when,
                                           guint32     pid,
                                           guint32     nonce);
/* TRUE when @name is exactly such a name (no directory part). */
gboolean   wsi_live_journal_name_is_valid (const char *name);
/* A fresh journal path in @dir: now, this process, a random nonce. */
char      *wsi_live_journal_new_path      (const char *dir);
/* TRUE when @path is a journal of @dir: @dir, one separator, a valid
 * name. The MSI's script actions accept no other journal path. */
gboolean   wsi_live_journal_path_is_in    (const char *dir,
                                           const char *path);
/* The journal names in @dir, newest first (a missing folder has none).
 * Other files are not journals and are left alone. */
GPtrArray *wsi_live_journal_list          (const char *dir,
                                           GError    **error);
/* Does a journal in @state need rolling back? (in-progress,
 * rollback-incomplete; never committed, rolled-back or none.) */
gboolean   wsi_live_journal_needs_recovery (WsiJournalState state);

/* Refuses (FALSE, WSI_ERROR_UNTRUSTED, tag journal-untrusted) a journal
 * that someone other than SYSTEM and administrators could have written. */
typedef gboolean (*WsiLiveJournalCheck) (const char *path,
                                         gpointer    user_data,
                                         GError    **error);

/* Rolls back every transaction of @dir left in progress, newest first,
 * through @backend; each journal passes @check (when not NULL) before it
 * is read. Committed and finished journals are not touched. The paths
 * rolled back are appended to @recovered (when not NULL). FALSE with
 * @error at the first journal that is untrusted, unreadable or whose
 * rollback is incomplete. */
gboolean   wsi_live_journal_recover_all   (WsiBackend          *backend,
                                           const char          *dir,
                                           WsiLiveJournalCheck  check,
                                           gpointer             check_data,
                                           WsiTxnProgress       progress,
                                           gpointer             user_data,
                                           GPtrArray           *recovered,
                                           GError             **error);

WSI_END_PUBLIC
G_END_DECLS
