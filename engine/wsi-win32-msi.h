/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-msi.h: what the MSI custom actions (windows/msi/) do, apart from
 * talking to msi.dll: the CustomActionData they pass, and the install,
 * rollback and commit phases on a backend. Portable, so the logic is tested
 * on Linux with the simulated machine; the DLL only adds the Windows
 * Installer handles, the live backend and the lock.
 *
 * The phases (Windows Installer runs them from the installation script,
 * elevated when the actions are marked NoImpersonate):
 *   immediate  builds the CustomActionData of the deferred actions;
 *   rollback   scheduled BEFORE the deferred action, runs only when the
 *              script fails: finishes an interrupted transaction
 *              (recover), or undoes a committed one from its journal;
 *   deferred   apply (or uninstall) as a transaction, journal kept;
 *   commit     runs when the whole script succeeded: removes the journal. */
#pragma once

#include <glib.h>

#include "wsi-backend.h"
#include "wsi-journal.h"
#include "wsi-live-journal.h"
#include "wsi-session.h"

G_BEGIN_DECLS

#define WSI_MSI_DATA_VERSION   "wsinstall-ca/1"
#define WSI_MSI_DATA_MAX       (64 * 1024)
#define WSI_MSI_MAX_MANIFESTS  64

typedef enum {
  WSI_MSI_ACTION_INSTALL,
  WSI_MSI_ACTION_UNINSTALL,
} WsiMsiAction;

typedef struct {
  WsiMsiAction  action;
  GPtrArray    *manifests;     /* char*: absolute paths, in order; at least one */
  char         *journal;       /* absolute path: this transaction's own journal (wsi-live-journal.h) */
  char         *helper32;      /* the x86 wsinstall.exe, or NULL */
  gboolean      force;         /* allow a downgrade */
  guint         lock_timeout;  /* seconds */
  /* The package's copy of the manifest, kept while the product is
   * installed (the custom action checks it is in its protected folder):
   * an uninstall reads it, since the installed file of a component being
   * removed may already be gone or unnamed; or NULL. */
  char         *keep;
  /* The copy did not exist when the install was scheduled: the install's
   * rollback removes it. */
  gboolean      keep_new;
  /* Test builds only: the snapshot the actions change instead of the live
   * catalogs (a release custom action refuses it); or NULL. */
  char         *snapshot;
} WsiMsiData;

WsiMsiData *wsi_msi_data_new    (void);
void        wsi_msi_data_free   (WsiMsiData  *data);
/* "wsinstall-ca/1;action=install;manifest=C%3A%5C...;journal=...;force=0;
 * lock-timeout=30[;keep=...;keep-new=0|1][;snapshot=...]" — values percent-encoded, so paths may hold ';' and '='.
 * The immediate action writes it; a vendor never does. */
char       *wsi_msi_data_format (const WsiMsiData *data);
/* Refuses (WSI_ERROR_INVALID_ARGUMENT; tag msi-action-data-invalid) a
 * missing or other version, unknown or repeated keys, bad escapes, relative
 * paths (manifest, journal, helper32, keep, snapshot), a journal not named as a transaction's own
 * (wsi_live_journal_name_is_valid), an out-of-range number, more than
 * WSI_MSI_DATA_MAX bytes. */
WsiMsiData *wsi_msi_data_parse  (const char  *text,
                                 GError     **error);

/* ---- the scheduling actions ---- */

/* A component's action state as msi.h numbers them (INSTALLSTATE_*). */
#define WSI_MSI_STATE_ABSENT 2
#define WSI_MSI_STATE_LOCAL  3

typedef enum {
  WSI_MSI_SCHEDULE_NOTHING,  /* the component is not changing */
  WSI_MSI_SCHEDULE_RUN,      /* rollback, deferred and commit actions */
  WSI_MSI_SCHEDULE_FORGET,   /* the commit action only: drop the kept manifest */
} WsiMsiSchedule;

/* What a scheduling action of @kind does for a manifest whose component
 * has the action state @action_state: install when it is being installed
 * (LOCAL: install, repair, upgrade), uninstall when it is being removed
 * (ABSENT). When the whole product is removed (@product_removed,
 * REMOVE=ALL) but the component stays (another product, a newer version
 * removing this one late, still installs it), only this product's kept
 * copy (@kept: it exists) goes. */
WsiMsiSchedule wsi_msi_schedule_for (WsiMsiAction kind,
                                     int          action_state,
                                     gboolean     product_removed,
                                     gboolean     kept);
/* A kept manifest's file name, PRODUCTCODE.ROW.xml: the characters of a
 * GUID and of an MSI identifier only, no leading dot, at most 200. */
gboolean       wsi_msi_keep_name_is_valid (const char *name);

typedef enum {
  WSI_MSI_DONE,          /* committed, or nothing to do */
  WSI_MSI_FAILED,        /* failed and rolled back: the machine is as before */
  WSI_MSI_CANCELLED,     /* the user cancelled; rolled back */
  WSI_MSI_INCOMPLETE,    /* failed and the rollback is incomplete */
} WsiMsiOutcome;

typedef struct {
  /* A line for the installation log (INSTALLMESSAGE_INFO). */
  void     (*log)  (const char *line, gpointer user_data);
  /* Before each step (ACTIONDATA + a progress tick); FALSE cancels: the
   * next change fails and everything done is rolled back. */
  gboolean (*step) (const char *summary, guint index, guint total, gpointer user_data);
  gpointer user_data;
  /* Each journal before it is read (Windows: wsi_win32_journal_check, with
   * NULL user data); NULL checks nothing. */
  WsiLiveJournalCheck journal_check;
} WsiMsiCallbacks;

/* A session for the script actions of @data, not yet opened: its journal
 * (data->journal, one transaction's journal among the others of
 * @journal_folder, default the journal's own folder, each checked with
 * callbacks->journal_check before it is read), the lock timeout, the x86
 * helper, and progress to @callbacks, whose step callback cancels by
 * returning FALSE. The DLL opens it live, the tests on a simulated
 * machine, both with WSI_SESSION_OPEN_NO_RECOVERY: the phases below
 * recover themselves. @callbacks must outlive the session. */
WsiSession   *wsi_msi_session_new (const WsiMsiData      *data,
                                   const char            *journal_folder,
                                   const WsiMsiCallbacks *callbacks);

/* The deferred action, on an open @session: rolls back what interrupted
 * runs left in progress in the journal folder (committed journals are not
 * touched), loads the manifests, plans against the machine and applies the
 * plan as a transaction journaled to data->journal. Problems are logged
 * with their tags. */
WsiMsiOutcome wsi_msi_run      (WsiSession            *session,
                                const WsiMsiData      *data,
                                const WsiMsiCallbacks *callbacks,
                                GError               **error);
/* The rollback action, on an open @session whose journal is the
 * transaction's own: an interrupted transaction is rolled back; a
 * committed one is undone from its journal's inverses (first marked
 * rollback-incomplete, so a crash in the middle leaves a journal that the
 * next recovery finishes). Nothing happens for a missing or rolled-back
 * journal. *@found receives the state it found. */
gboolean      wsi_msi_rollback (WsiSession            *session,
                                const WsiMsiCallbacks *callbacks,
                                WsiJournalState       *found,
                                GError               **error);
/* The commit action: removes a finished journal. An unfinished one (in
 * progress, rollback incomplete) is kept for `recover` and is an error. */
gboolean      wsi_msi_commit   (const char            *journal,
                                WsiJournalState       *found,
                                GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiMsiData, wsi_msi_data_free)

G_END_DECLS
