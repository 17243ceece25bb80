/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-test-util.h: helpers shared by the Check suites. */
#pragma once

#include <check.h>
#include <glib.h>

#include "wsinstall.h"
#include "wsi-win32-msi.h"

/* Path of a file in tests/data (caller frees). */
char *wsi_test_data_path (const char *name);
/* Path below the source root (caller frees). */
char *wsi_test_source_path (const char *relative);
/* A fresh temporary directory, removed by wsi_test_rmtree. */
char *wsi_test_mkdtemp (void);
void  wsi_test_rmtree (const char *path);

/* Runs the built wsinstall with @args (NULL-terminated, without argv[0]);
 * returns its exit status, stdout and stderr in *out / *err if given. */
int   wsi_test_run_cli (const char * const *args, char **out, char **err);

/* Does @diags hold a diagnostic with @tag at @line (line 0: any line)? */
gboolean wsi_test_has_diag (const WsiDiagList *diags, const char *tag, int line);
/* All diagnostics as text, for failure messages. */
char *wsi_test_diags_to_string (const WsiDiagList *diags);

#define ck_assert_diag(diags, tag, line) \
  do { \
    g_autofree char *_all = wsi_test_diags_to_string (diags); \
    ck_assert_msg (wsi_test_has_diag ((diags), (tag), (line)), \
                   "expected [%s] at line %d; got:\n%s", (tag), (line), _all); \
  } while (0)

/* manifests/NAME from the source tree and data/reference/NAME.xml; both
 * fail the test when they do not load. */
WsiManifest *wsi_test_load_example   (const char *name);
/* tests/data/lifecycle/NAME: the vendor manifests of the lifecycle test. */
WsiManifest *wsi_test_load_lifecycle (const char *name);
WsiMachine  *wsi_test_load_reference (const char *name);

/* A GUID from its text; fails the test when the text is not one. */
WsiGuid   wsi_test_guid       (const char *text);
/* A base protocol entry (ChainLen 1) as MSAFD describes one: IFS handles,
 * graceful close, ordered and guaranteed delivery, expedited data, and
 * sockaddr sizes for IPv4 (16) or IPv6 (af 23: 28). Its catalog ID, 4242,
 * is ignored by the install calls. */
WsiEntry *wsi_test_base_entry (gint32 af, gint32 type, gint32 protocol, const char *name);

/* `catalog diff` equivalence; *@why (may be NULL) gets the diff's text
 * when the machines differ. */
gboolean    wsi_test_machines_equivalent (const WsiMachine *a, const WsiMachine *b, char **why);
/* The snapshot at @path after a run; fails the test (naming @what) when
 * it does not load. */
WsiMachine *wsi_test_reload_snapshot     (const char *path, const char *what);

/* The MSI phases (wsi-win32-msi.h) on @backend, which the caller keeps:
 * a session of wsi_msi_session_new() opened on a borrowing view of it,
 * as the custom action DLL opens one on the live machine. */
WsiMsiOutcome wsi_test_msi_run      (WsiBackend            *backend,
                                     const WsiMsiData      *data,
                                     const WsiMsiCallbacks *callbacks,
                                     GError               **error);
gboolean      wsi_test_msi_rollback (WsiBackend            *backend,
                                     const char            *journal,
                                     const WsiMsiCallbacks *callbacks,
                                     WsiJournalState       *found,
                                     GError               **error);
/* A backend that forwards every call to @inner and never frees it. */
WsiBackend   *wsi_test_backend_borrow (WsiBackend *inner);

/* Runs @suite with TAP output and returns the process exit status. */
int   wsi_test_run_suite (Suite *suite);
