/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-session-private.h: the session's fields, shared by its files. */
#pragma once

#include "wsi-backend.h"
#include "wsi-lock.h"
#include "wsi-session.h"

G_BEGIN_DECLS

struct _WsiSession {
  /* Settings. */
  char                *journal_opt;
  char                *folder_opt;
  WsiLiveJournalCheck  journal_check;
  char                *helper32;
  guint                lock_timeout_ms;
  WsiSessionProgress   progress;
  gpointer             progress_data;
  GDestroyNotify       progress_destroy;
  GCancellable        *cancellable;

  /* The open machine. */
  char                *display;
  char                *journal;
  char                *recover_dir;    /* folder mode: one journal per transaction */
  WsiLock             *lock;
  WsiBackend          *backend;

  /* What opening found. */
  GPtrArray           *recovered;
  WsiJournalState      recovery_state;
  gboolean             recovery_started;
  gboolean             recovery_forward;
  char                *failed_file;
};

void     wsi_session_set_failed_file (WsiSession          *self,
                                      const char          *file);
void     wsi_session_set_journals    (WsiSession          *self);
gboolean wsi_session_finish_open     (WsiSession          *self,
                                      WsiBackend          *backend,
                                      WsiSessionOpenFlags  flags,
                                      GError             **error);

G_END_DECLS
