/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-session.h: one run of wsinstall on one machine — the entry point of
 * the engine for anything that changes a machine (the CLI's apply,
 * uninstall, repair --apply and recover, the MSI custom actions, a
 * vendor's own installer).
 *
 * A session owns the machine (a snapshot file, or this computer's live
 * catalogs on Windows), its lock, the journal, the recovery of what an
 * interrupted run left, planning against the machine as it is, and applying
 * a plan as a transaction with progress and cancellation:
 *
 *   g_autoptr(WsiSession) s = wsi_session_new ();
 *   wsi_session_set_progress (s, on_progress, data);
 *   if (!wsi_session_open_snapshot (s, "machine.xml", 0, diags, &error))   // or _open_live
 *     ...;
 *   plan = wsi_session_plan (s, manifests, n, 0, diags);
 *   switch (wsi_session_apply (s, plan, &error)) ...
 *
 * Opening takes the machine's lock (held until the session is freed), then
 * finishes what an interrupted run left: its journal's steps are rolled
 * back (or, for a run whose last step cannot be undone and took effect,
 * finished), so planning always starts from an old or a new state. */
#pragma once

#include <gio/gio.h>

#include "wsi-version.h"
#include "wsi-backend.h"
#include "wsi-diag.h"
#include "wsi-guid.h"
#include "wsi-journal.h"
#include "wsi-live-journal.h"
#include "wsi-machine.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-progress.h"
#include "wsi-txn.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef struct _WsiSession WsiSession;

/* What a transaction reports: @summary says what the step does
 * ("WSCInstallProvider ..."). */
typedef void (*WsiSessionProgress) (WsiProgressPhase  phase,
                                    guint             index,
                                    guint             total,
                                    const char       *summary,
                                    gpointer          user_data);

typedef enum {
  WSI_SESSION_OPEN_DEFAULT     = 0,
  /* Do not recover on open: for an action that handles one journal itself
   * (wsi_session_undo). */
  WSI_SESSION_OPEN_NO_RECOVERY = 1 << 0,
} WsiSessionOpenFlags;

/* The default wait for another wsinstall holding the machine. */
#define WSI_SESSION_DEFAULT_LOCK_TIMEOUT_MS 30000u

WsiSession   *wsi_session_new                  (void);
void          wsi_session_free                 (WsiSession          *self);

/* --- before opening --- */

/* The journal of this session's transaction. Default: SNAPSHOT.journal
 * beside a snapshot; live, a new journal of its own in the protected
 * journal folder. A journal named inside the journal folder (set with
 * wsi_session_set_journal_folder, or live the protected one) is one
 * transaction's journal among others there. */
void          wsi_session_set_journal          (WsiSession          *self,
                                                const char          *path);
/* One journal per transaction in @dir (as on a live machine): opening
 * rolls back every journal of @dir left in progress (never a committed
 * one), each first passed to @check (may be NULL). Live, the protected
 * folder and its check are the default. */
void          wsi_session_set_journal_folder   (WsiSession          *self,
                                                const char          *dir,
                                                WsiLiveJournalCheck  check);
void          wsi_session_set_lock_timeout     (WsiSession          *self,
                                                guint                timeout_ms);
/* Live on x64 Windows: the x86 wsinstall.exe that reaches the 32-bit
 * catalog (default: $WSINSTALL_HELPER32, else beside the program). */
void          wsi_session_set_helper32         (WsiSession          *self,
                                                const char          *path);
/* Progress of the recovery on open and of every apply. */
void          wsi_session_set_progress         (WsiSession          *self,
                                                WsiSessionProgress   progress,
                                                gpointer             user_data,
                                                GDestroyNotify       destroy);
/* Cancelling stops an apply between two steps and rolls it back
 * (WSI_ERROR_CANCELLED). A rollback or recovery is never cancelled. */
void          wsi_session_set_cancellable      (WsiSession          *self,
                                                GCancellable        *cancellable);
GCancellable *wsi_session_get_cancellable      (WsiSession          *self);

/* --- opening --- */

/* The simulated machine in the snapshot file @path (symbolic links
 * resolved, so every name of the file shares one lock). A snapshot that
 * cannot be loaded gives its diagnostics in @diags and
 * WSI_ERROR_INVALID_MACHINE. Another writer: WSI_ERROR_LOCKED after the
 * lock timeout. In test builds $WSINSTALL_FAULT wraps the backend. */
gboolean      wsi_session_open_snapshot        (WsiSession          *self,
                                                const char          *path,
                                                WsiSessionOpenFlags  flags,
                                                WsiDiagList         *diags,
                                                GError             **error);
/* This computer's live catalogs (Windows build only; WSI_ERROR_NOT_SUPPORTED
 * elsewhere): administrator rights (WSI_ERROR_NOT_ADMIN), a 64-bit process
 * on 64-bit Windows, the machine-wide lock, the protected journal folder. */
gboolean      wsi_session_open_live            (WsiSession          *self,
                                                WsiSessionOpenFlags  flags,
                                                WsiDiagList         *diags,
                                                GError             **error);

/* A backend the caller made (a test double, a fault-injecting wrapper, a
 * machine of its own), taken by the session, named @display_name in
 * messages. The caller holds whatever lock the machine needs. The journal
 * settings apply as for a snapshot; recovery runs unless
 * WSI_SESSION_OPEN_NO_RECOVERY. */
gboolean      wsi_session_open_backend         (WsiSession          *self,
                                                WsiBackend          *backend,
                                                const char          *display_name,
                                                WsiSessionOpenFlags  flags,
                                                GError             **error);

/* Finishes what interrupted runs left (what opening does unless
 * WSI_SESSION_OPEN_NO_RECOVERY): the session's journal, or in folder mode
 * every journal of the folder left in progress. */
gboolean      wsi_session_recover              (WsiSession          *self,
                                                GError             **error);

/* --- what opening found --- */

/* The journals whose interrupted runs were rolled back on open (paths). */
GPtrArray    *wsi_session_get_recovered        (WsiSession          *self);
/* The state of the session's own journal before recovery (single-journal
 * mode; WSI_JOURNAL_COMMITTED when a run was finished forward). */
WsiJournalState wsi_session_get_recovery_state (WsiSession          *self);
/* Whether the last recovery ran any inverse (FALSE: nothing was touched;
 * after a failed open, the machine is as it was). */
gboolean      wsi_session_get_recovery_started (WsiSession          *self);
/* Whether the recovery finished an interrupted run forward. */
gboolean      wsi_session_get_recovered_forward (WsiSession         *self);
/* The file a failure of opening concerns: the journal (or journal folder)
 * when the recovery failed, else the machine. */
const char   *wsi_session_get_failed_file      (WsiSession          *self);

/* --- the open machine --- */

gboolean      wsi_session_is_open              (WsiSession          *self);
/* The snapshot's path, or "live". */
const char   *wsi_session_get_display_name     (WsiSession          *self);
/* The journal the next apply writes. */
const char   *wsi_session_get_journal          (WsiSession          *self);
/* The machine as it is now (borrowed; valid until the next apply). */
const WsiMachine *wsi_session_get_machine      (WsiSession          *self,
                                                GError             **error);

/* --- planning (against the machine as it is now) --- */

/* Installing @manifests, or with WSI_PLAN_FLAG_UNINSTALL removing them.
 * NULL with the reasons in @diags. */
WsiPlan      *wsi_session_plan                 (WsiSession          *self,
                                                WsiManifest *const  *manifests,
                                                guint                n_manifests,
                                                WsiPlanFlags         flags,
                                                WsiDiagList         *diags);
/* Removing the provider (or layer) @guid and repairing chains over it. */
WsiPlan      *wsi_session_plan_remove_guid     (WsiSession          *self,
                                                const WsiGuid       *guid,
                                                WsiPlanFlags         flags,
                                                WsiDiagList         *diags);
/* Fixing what `catalog check` finds. */
WsiPlan      *wsi_session_plan_repair          (WsiSession          *self,
                                                WsiDiagList         *diags);

/* --- changing --- */

/* Applies @plan as a transaction journaled to the session's journal (see
 * wsi-txn.h for the outcomes). A live session in folder mode starts a new
 * journal for the next apply. */
WsiTxnOutcome wsi_session_apply                (WsiSession          *self,
                                                const WsiPlan       *plan,
                                                GError             **error);
/* Undoes the session's own journal, whatever its state: an interrupted
 * run is rolled back; a committed one is undone from its inverses (first
 * marked rollback-incomplete, so a crash in the middle leaves a journal
 * that the next open finishes); a missing or rolled-back journal is left
 * alone. *@found receives the state it found. The MSI rollback action. */
gboolean      wsi_session_undo                 (WsiSession          *self,
                                                WsiJournalState     *found,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiSession, wsi_session_free)

WSI_END_PUBLIC
G_END_DECLS
