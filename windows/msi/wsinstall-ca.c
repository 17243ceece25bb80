/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-ca.c: Windows Installer custom actions that install Winsock
 * providers with wsinstall. The engine (with GLib and libxml2) is linked in
 * statically: the DLL needs nothing but Windows itself.
 *
 * Entry points (undecorated on x86 too, see wsinstall-ca.def):
 *   WsinstallPrepare    immediate: builds the CustomActionData of the
 *                       deferred actions from the properties
 *                         WSINSTALL_MANIFEST  the installed manifest, e.g.
 *                                             [#ManifestFileId] (required)
 *                         WSINSTALL_HELPER32  the x86 wsinstall.exe, e.g. [#WsinstallX86]
 *                         WSINSTALL_FORCE     1 allows a downgrade
 *                       and names this installation's own journal,
 *                       %ProgramData%\wsinstall\journals\<time>-<pid>-<nonce>.journal
 *                       (wsi-live-journal.h: never a journal another
 *                       transaction uses; no property can move it out of
 *                       the protected folder); it sets the data on the
 *                       actions named WsinstallInstall,
 *                       WsinstallInstallRollback, WsinstallInstallCommit,
 *                       WsinstallUninstall, WsinstallUninstallRollback and
 *                       WsinstallUninstallCommit (a deferred action reads
 *                       the property named after its action).
 *   WsinstallInstall    deferred: apply the manifest (a transaction).
 *   WsinstallUninstall  deferred: remove the manifest's product.
 *   WsinstallRollback   rollback (scheduled BEFORE the deferred action):
 *                       finish or undo what the deferred action did, from
 *                       its own journal only.
 *   WsinstallCommit     commit: remove its own journal.
 * The logic is engine/wsi-win32-msi.c (tested on Linux); this file speaks
 * to msi.dll: properties, the log (INSTALLMESSAGE_INFO), progress
 * (INSTALLMESSAGE_PROGRESS / ACTIONDATA) and the return codes
 * (ERROR_INSTALL_FAILURE, ERROR_INSTALL_USEREXIT on cancel). */
#include <windows.h>
#include <msi.h>
#include <msiquery.h>

#include <glib.h>
#include <string.h>

#include "wsinstall.h"
#include "wsi-backend-win32.h"
#include "wsi-live-journal.h"
#include "wsi-session.h"
#include "wsi-win32-msi.h"

/* Progress ticks a deferred action reserves (WsinstallPrepare) and spends. */
#define WSI_CA_TICKS 100000

UINT __stdcall WsinstallPrepare (MSIHANDLE install);
UINT __stdcall WsinstallInstall (MSIHANDLE install);
UINT __stdcall WsinstallUninstall (MSIHANDLE install);
UINT __stdcall WsinstallRollback (MSIHANDLE install);
UINT __stdcall WsinstallCommit (MSIHANDLE install);

/* ---- msi.dll ---- */

/* The text as a formatted-string template that prints itself: "[tag]"
 * would otherwise be taken for a property reference (and vanish), "{...}"
 * for a conditional group. MsiFormatRecord's escape is [\x]. */
static char *
wsi_ca_escape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 16);

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '[' || *p == ']' || *p == '{' || *p == '}')
      g_string_append_printf (out, "[\\%c]", *p);
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
wsi_ca_log (MSIHANDLE install, const char *line)
{
  g_autofree char *escaped = wsi_ca_escape (line);
  g_autofree gunichar2 *w = g_utf8_to_utf16 (escaped, -1, NULL, NULL, NULL);
  MSIHANDLE rec = MsiCreateRecord (0);

  if (rec == 0 || w == NULL)
    return;
  /* Field 0 is the template, formatted on every Windows Installer version
   * (a plain field 1 is formatted again by some, Wine's among them). */
  MsiRecordSetStringW (rec, 0, (LPCWSTR) w);
  MsiProcessMessage (install, INSTALLMESSAGE_INFO, rec);
  MsiCloseHandle (rec);
}

static void
wsi_ca_logf (MSIHANDLE install, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
wsi_ca_logf (MSIHANDLE install, const char *format, ...)
{
  va_list args;
  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  wsi_ca_log (install, line);
}

/* INSTALLMESSAGE_PROGRESS with up to three integer fields; FALSE when the
 * user pressed Cancel. */
static gboolean
wsi_ca_progress (MSIHANDLE install, int a, int b, int c)
{
  MSIHANDLE rec = MsiCreateRecord (3);
  int answer;

  if (rec == 0)
    return TRUE;
  MsiRecordSetInteger (rec, 1, a);
  MsiRecordSetInteger (rec, 2, b);
  MsiRecordSetInteger (rec, 3, c);
  answer = MsiProcessMessage (install, INSTALLMESSAGE_PROGRESS, rec);
  MsiCloseHandle (rec);
  return answer != IDCANCEL;
}

static gboolean
wsi_ca_action_data (MSIHANDLE install, const char *text)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);
  MSIHANDLE rec = MsiCreateRecord (1);
  int answer;

  if (rec == 0 || w == NULL)
    return TRUE;
  MsiRecordSetStringW (rec, 1, (LPCWSTR) w);
  answer = MsiProcessMessage (install, INSTALLMESSAGE_ACTIONDATA, rec);
  MsiCloseHandle (rec);
  return answer != IDCANCEL;
}

/* A property's value (UTF-8), or NULL when it is empty or unreadable. */
static char *
wsi_ca_property (MSIHANDLE install, const wchar_t *name)
{
  DWORD len = 0;
  WCHAR empty[1] = { 0 };
  g_autofree WCHAR *buf = NULL;

  if (MsiGetPropertyW (install, name, empty, &len) != ERROR_MORE_DATA || len == 0 || len > 1024 * 1024)
    return NULL;
  len++;
  buf = g_new0 (WCHAR, len);
  if (MsiGetPropertyW (install, name, buf, &len) != ERROR_SUCCESS)
    return NULL;
  return g_utf16_to_utf8 ((const gunichar2 *) buf, -1, NULL, NULL, NULL);
}

/* A property formatted like any MSI field ("[#ManifestXml]" -> the path). */
static char *
wsi_ca_formatted_property (MSIHANDLE install, const wchar_t *name)
{
  g_autofree char *raw = wsi_ca_property (install, name);
  g_autofree gunichar2 *w = NULL;
  g_autofree WCHAR *buf = NULL;
  MSIHANDLE rec;
  DWORD len = 0;
  WCHAR empty[1] = { 0 };
  UINT rc;

  if (raw == NULL)
    return NULL;
  w = g_utf8_to_utf16 (raw, -1, NULL, NULL, NULL);
  rec = MsiCreateRecord (0);
  if (w == NULL || rec == 0)
    return NULL;
  MsiRecordSetStringW (rec, 0, (LPCWSTR) w);
  rc = MsiFormatRecordW (install, rec, empty, &len);
  if (rc == ERROR_MORE_DATA && len < 1024 * 1024)
    {
      len++;
      buf = g_new0 (WCHAR, len);
      rc = MsiFormatRecordW (install, rec, buf, &len);
    }
  MsiCloseHandle (rec);
  if (rc != ERROR_SUCCESS || buf == NULL || buf[0] == 0)
    return NULL;
  return g_utf16_to_utf8 ((const gunichar2 *) buf, -1, NULL, NULL, NULL);
}

/* ---- the immediate action ---- */

/* This installation's own journal: a new name in the journal folder. The
 * folder is only named here (this action may run as the user); the
 * deferred actions, as SYSTEM, create and check it. */
static char *
wsi_ca_new_journal (void)
{
  g_autofree char *dir = wsi_win32_journal_dir_path (NULL);

  return dir != NULL ? wsi_live_journal_new_path (dir) : NULL;
}

static gboolean
wsi_ca_set_data (MSIHANDLE install, const wchar_t *action, WsiMsiData *data, WsiMsiAction kind)
{
  g_autofree char *text = NULL;
  g_autofree gunichar2 *w = NULL;

  data->action = kind;
  text = wsi_msi_data_format (data);
  w = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);
  return w != NULL && MsiSetPropertyW (install, action, (LPCWSTR) w) == ERROR_SUCCESS;
}

UINT __stdcall
WsinstallPrepare (MSIHANDLE install)
{
  g_autoptr(WsiMsiData) data = wsi_msi_data_new ();
  g_autofree char *manifest = wsi_ca_formatted_property (install, L"WSINSTALL_MANIFEST");
  g_autofree char *force = wsi_ca_property (install, L"WSINSTALL_FORCE");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMsiData) check = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  if (manifest == NULL)
    {
      wsi_ca_log (install, "wsinstall: error [msi-action-data-invalid]: the property WSINSTALL_MANIFEST is not set "
                           "(set it to the installed manifest, [#FileId])");
      return ERROR_INSTALL_FAILURE;
    }
  g_ptr_array_add (data->manifests, g_steal_pointer (&manifest));
  data->journal = wsi_ca_new_journal ();
  data->helper32 = wsi_ca_formatted_property (install, L"WSINSTALL_HELPER32");
  data->force = g_strcmp0 (force, "1") == 0;

  /* What the deferred actions will refuse, refused now, before the script
   * is written. */
  text = wsi_msi_data_format (data);
  check = wsi_msi_data_parse (text, &error);
  if (check == NULL)
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: %s", error->message);
      return ERROR_INSTALL_FAILURE;
    }
  ok = wsi_ca_set_data (install, L"WsinstallInstall", data, WSI_MSI_ACTION_INSTALL) &&
       wsi_ca_set_data (install, L"WsinstallInstallRollback", data, WSI_MSI_ACTION_INSTALL) &&
       wsi_ca_set_data (install, L"WsinstallInstallCommit", data, WSI_MSI_ACTION_INSTALL) &&
       wsi_ca_set_data (install, L"WsinstallUninstall", data, WSI_MSI_ACTION_UNINSTALL) &&
       wsi_ca_set_data (install, L"WsinstallUninstallRollback", data, WSI_MSI_ACTION_UNINSTALL) &&
       wsi_ca_set_data (install, L"WsinstallUninstallCommit", data, WSI_MSI_ACTION_UNINSTALL);
  if (!ok)
    {
      wsi_ca_log (install, "wsinstall: error: cannot set the CustomActionData properties");
      return ERROR_INSTALL_FAILURE;
    }
  /* Reserve the progress the deferred action will report. */
  wsi_ca_progress (install, 3, WSI_CA_TICKS, 0);
  wsi_ca_logf (install, "wsinstall: prepared: manifest %s, journal %s",
               (const char *) g_ptr_array_index (data->manifests, 0), data->journal);
  return ERROR_SUCCESS;
}

/* ---- the script actions ---- */

typedef struct {
  MSIHANDLE install;
  guint     ticks_left;
} WsiCaSession;

static void
wsi_ca_cb_log (const char *line, gpointer user_data)
{
  wsi_ca_log (((WsiCaSession *) user_data)->install, line);
}

static gboolean
wsi_ca_cb_step (const char *summary, guint index, guint total, gpointer user_data)
{
  WsiCaSession *s = user_data;
  guint tick = total > 0 ? WSI_CA_TICKS / total : 0;
  gboolean go;

  go = wsi_ca_action_data (s->install, summary);
  if (tick > 0 && s->ticks_left >= tick)
    {
      s->ticks_left -= tick;
      go = wsi_ca_progress (s->install, 2, (int) tick, 0) && go;
    }
  return go;
}

/* CustomActionData of the running deferred/rollback/commit action. */
static WsiMsiData *
wsi_ca_data (MSIHANDLE install)
{
  g_autofree char *text = wsi_ca_property (install, L"CustomActionData");
  g_autoptr(GError) error = NULL;
  WsiMsiData *data = wsi_msi_data_parse (text != NULL ? text : "", &error);

  if (data == NULL)
    wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: %s", error->message);
  return data;
}

/* The session of a script action on the live machine: the protected
 * journal folder (the journal the immediate action named must be in it),
 * then the session opens the machine (wow64, administrator rights, the
 * machine-wide lock). The phases recover themselves. */
static WsiSession *
wsi_ca_open (MSIHANDLE install, const WsiMsiData *data, const WsiMsiCallbacks *cb)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(WsiSession) session = NULL;

  /* The x86 DLL in a 32-bit package on x64 Windows would see only the
   * 32-bit catalog. */
  if (wsi_win32_is_wow64 ())
    {
      wsi_ca_log (install, "wsinstall: error [wow64-refused]: this is the 32-bit custom action on 64-bit Windows; "
                           "ship the x64 wsinstall-ca.dll in an x64 package");
      return NULL;
    }
  dir = wsi_win32_journal_dir_open (&error);
  if (dir == NULL)
    {
      wsi_ca_logf (install, "wsinstall: error [%s]: %s", wsi_error_to_tag (error), error->message);
      return NULL;
    }
  /* The journal the immediate action named, in the protected folder. */
  if (!wsi_live_journal_path_is_in (dir, data->journal))
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: the journal %s is not in %s", data->journal,
                   dir);
      return NULL;
    }
  session = wsi_msi_session_new (data, dir, cb);
  if (!wsi_session_open_live (session, WSI_SESSION_OPEN_NO_RECOVERY, NULL, &error))
    {
      wsi_ca_logf (install, "wsinstall: error [%s]: %s", wsi_error_to_tag (error), error->message);
      return NULL;
    }
  return g_steal_pointer (&session);
}

static UINT
wsi_ca_run (MSIHANDLE install, WsiMsiAction expected)
{
  g_autoptr(WsiMsiData) data = wsi_ca_data (install);
  g_autoptr(WsiSession) session = NULL;
  g_autoptr(GError) error = NULL;
  WsiCaSession ca = { install, WSI_CA_TICKS };
  WsiMsiCallbacks cb = { wsi_ca_cb_log, wsi_ca_cb_step, &ca, wsi_win32_journal_check };

  if (data == NULL)
    return ERROR_INSTALL_FAILURE;
  if (data->action != expected)
    {
      wsi_ca_log (install, "wsinstall: error [msi-action-data-invalid]: the CustomActionData is for the other action");
      return ERROR_INSTALL_FAILURE;
    }
  session = wsi_ca_open (install, data, &cb);
  if (session == NULL)
    return ERROR_INSTALL_FAILURE;
  switch (wsi_msi_run (session, data, &cb, &error))
    {
    case WSI_MSI_DONE:
      return ERROR_SUCCESS;
    case WSI_MSI_CANCELLED:
      return ERROR_INSTALL_USEREXIT;
    case WSI_MSI_FAILED:
    case WSI_MSI_INCOMPLETE:
    default:
      return ERROR_INSTALL_FAILURE;
    }
}

UINT __stdcall
WsinstallInstall (MSIHANDLE install)
{
  return wsi_ca_run (install, WSI_MSI_ACTION_INSTALL);
}

UINT __stdcall
WsinstallUninstall (MSIHANDLE install)
{
  return wsi_ca_run (install, WSI_MSI_ACTION_UNINSTALL);
}

UINT __stdcall
WsinstallRollback (MSIHANDLE install)
{
  g_autoptr(WsiMsiData) data = wsi_ca_data (install);
  g_autoptr(WsiSession) session = NULL;
  g_autoptr(GError) error = NULL;
  WsiCaSession ca = { install, WSI_CA_TICKS };
  WsiMsiCallbacks cb = { wsi_ca_cb_log, NULL, &ca, wsi_win32_journal_check };
  WsiJournalState found = WSI_JOURNAL_NONE;

  wsi_ca_log (install, "wsinstall: rollback: started");
  if (data == NULL)
    return ERROR_INSTALL_FAILURE;
  session = wsi_ca_open (install, data, &cb);
  if (session == NULL)
    return ERROR_INSTALL_FAILURE;
  /* A failed rollback leaves its journal marked incomplete; the next
   * wsinstall run (or `wsinstall recover --live`) finishes it. */
  return wsi_msi_rollback (session, &cb, &found, &error) ? ERROR_SUCCESS : ERROR_INSTALL_FAILURE;
}

UINT __stdcall
WsinstallCommit (MSIHANDLE install)
{
  g_autoptr(WsiMsiData) data = wsi_ca_data (install);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  WsiJournalState found = WSI_JOURNAL_NONE;

  if (data == NULL)
    return ERROR_INSTALL_FAILURE;
  /* Removes nothing but a journal of the protected folder. */
  dir = wsi_win32_journal_dir_path (&error);
  if (dir == NULL || !wsi_live_journal_path_is_in (dir, data->journal))
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: the journal %s is not in the journal folder",
                   data->journal);
      return ERROR_INSTALL_FAILURE;
    }
  if (!wsi_msi_commit (data->journal, &found, &error))
    {
      /* The installation succeeded; an unfinished journal is kept for
       * `wsinstall recover --live` rather than failing it now. */
      wsi_ca_logf (install, "wsinstall: commit: %s", error->message);
      return ERROR_SUCCESS;
    }
  wsi_ca_logf (install, "wsinstall: commit: journal %s removed (%s)", data->journal,
               wsi_journal_state_to_string (found));
  return ERROR_SUCCESS;
}
