/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-txn.h: applying a plan as a transaction. A machine is either in its
 * old state or its new state — after a failure, after a crash, after a
 * power cut: every step's inverse is journaled (and synced) before the step
 * runs, a failure rolls the completed steps back in reverse order, and a
 * journal left by a dead process is rolled back by the next run. */
#pragma once

#include <gio/gio.h>

#include "wsi-version.h"
#include "wsi-backend.h"
#include "wsi-journal.h"
#include "wsi-plan.h"
#include "wsi-progress.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_TXN_COMMITTED,            /* every step done */
  WSI_TXN_ROLLED_BACK,          /* a step failed; the machine is back in its old state */
  WSI_TXN_ROLLBACK_INCOMPLETE,  /* a step failed and an inverse failed too: run recover */
  WSI_TXN_NOT_STARTED,          /* the journal could not be started: nothing ran */
} WsiTxnOutcome;

/* Called before (APPLY/UNDO) and after (DONE/FAILED) every step. */
typedef void (*WsiTxnProgress) (const WsiPlanStep *step,
                                guint              index,
                                guint              total,
                                WsiProgressPhase   phase,
                                gpointer           user_data);

/* Applies @plan through @backend, journaling to @journal_path. On failure
 * *@error holds the failure that stopped the apply, its message extended
 * with the rollback's outcome. */
WsiTxnOutcome  wsi_txn_apply   (WsiBackend      *backend,
                                const WsiPlan   *plan,
                                const char      *journal_path,
                                WsiTxnProgress   progress,
                                gpointer         user_data,
                                GError         **error);
/* The same, stopping when @cancellable (may be NULL) is cancelled: checked
 * before each step and again right after its APPLY report (so a progress
 * callback may cancel the step it was shown), never during a rollback. A
 * cancelled run is rolled back (WSI_TXN_ROLLED_BACK) with
 * WSI_ERROR_CANCELLED. */
WsiTxnOutcome  wsi_txn_apply_cancellable (WsiBackend      *backend,
                                          const WsiPlan   *plan,
                                          const char      *journal_path,
                                          GCancellable    *cancellable,
                                          WsiTxnProgress   progress,
                                          gpointer         user_data,
                                          GError         **error);

/* Finishes what a journal left: an apply or a rollback that did not end is
 * rolled back (again: inverses are idempotent). *@found receives the state
 * the journal was in. Returns FALSE with @error when the journal is
 * unreadable or an inverse fails (the rollback is then still incomplete). */
gboolean       wsi_txn_recover (WsiBackend      *backend,
                                const char      *journal_path,
                                WsiJournalState *found,
                                WsiTxnProgress   progress,
                                gpointer         user_data,
                                GError         **error);
/* The same; *@started says whether any inverse ran (FALSE: the journal was
 * unreadable, refused by the write policy, or its tail could not be cut,
 * and the machine was not touched). A journal left by a run that never
 * started (empty, or its begin record torn) is removed. Journal steps whose
 * DLL path or registry value the write policy refuses fail with
 * WSI_ERROR_JOURNAL_STEP_REFUSED. A run whose last
 * step cannot be undone (a repair's removal of a ChainLen 8 entry) and took
 * effect is finished instead: its end is recorded, *@found is
 * WSI_JOURNAL_COMMITTED and *@started TRUE. */
gboolean       wsi_txn_recover_full (WsiBackend      *backend,
                                     const char      *journal_path,
                                     WsiJournalState *found,
                                     gboolean        *started,
                                     WsiTxnProgress   progress,
                                     gpointer         user_data,
                                     GError         **error);

WSI_END_PUBLIC
G_END_DECLS
