/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-journal.h: the transaction journal. One JSON object per line,
 * appended: "begin", then per step an "intent" (the step and its inverse,
 * computed against the live machine right before it: old order, old
 * registry value, old entries) written and fsync'ed BEFORE the operation,
 * a "done" with the IDs it got, "undone" records during rollback, and
 * "end" with the outcome. Recovery needs only the intents: every inverse is
 * idempotent, so "done" records are not synced (two fsyncs per step: the
 * intent and the machine's own write). Every record carries a sequence
 * number and a checksum (see wsi-journal.c); a torn last line is ignored
 * and cut off before the next append; a journal whose begin record never
 * became durable is "not started". */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-plan.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_JOURNAL_NONE,                  /* no journal: nothing was started */
  WSI_JOURNAL_IN_PROGRESS,           /* begun, no end: the process died */
  WSI_JOURNAL_COMMITTED,
  WSI_JOURNAL_ROLLED_BACK,
  WSI_JOURNAL_ROLLBACK_INCOMPLETE,
} WsiJournalState;

const char *wsi_journal_state_to_string (WsiJournalState state);

typedef struct _WsiJournal WsiJournal;

/* Starts a new journal at @path (replacing an old, finished one). */
WsiJournal *wsi_journal_create   (const char         *path,
                                  const char         *action,
                                  guint               n_steps,
                                  GError            **error);
/* Continues an existing journal (recovery appends to it). */
WsiJournal *wsi_journal_open_append (const char      *path,
                                     GError         **error);
gboolean    wsi_journal_intent   (WsiJournal         *self,
                                  const WsiPlanStep  *step,
                                  GError            **error);
gboolean    wsi_journal_done     (WsiJournal         *self,
                                  guint               index,
                                  GArray             *assigned,
                                  GError            **error);
gboolean    wsi_journal_undone   (WsiJournal         *self,
                                  guint               index,
                                  gboolean            ok,
                                  GError            **error);
gboolean    wsi_journal_end      (WsiJournal         *self,
                                  WsiJournalState     state,
                                  GError            **error);
void        wsi_journal_close    (WsiJournal         *self);

/* Reads @path: its state and the intents (steps with their inverses, in
 * step order). A missing file, an empty one, or one whose begin record is
 * torn is WSI_JOURNAL_NONE. A journal that is not
 * one gives WSI_ERROR_INVALID_MACHINE (tag journal-corrupt). */
gboolean    wsi_journal_read     (const char         *path,
                                  WsiJournalState    *state,
                                  GPtrArray         **intents,
                                  GError            **error);

/* TRUE when @path is a journal that was never started: empty, or its
 * begin record never became durable. Recovery removes it (under the lock). */
gboolean    wsi_journal_is_stale (const char         *path);

/* The journal next to a snapshot: SNAPSHOT.journal. */
char       *wsi_journal_default_path (const char     *machine_path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiJournal, wsi_journal_close)

WSI_END_PUBLIC
G_END_DECLS
