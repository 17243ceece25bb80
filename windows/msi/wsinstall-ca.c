/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-ca.c: Windows Installer custom actions that install Winsock
 * providers with wsinstall. The engine (with GLib and libxml2) is linked in
 * statically: the DLL needs nothing but Windows itself.
 *
 * A package declares its manifests in the WsinstallManifest table (one row
 * per manifest: WsinstallManifest, Component_, File_, Helper32_,
 * Attributes; windows/msi/wsinstall.wxi and wsinstall-wixl.py fill it from
 * wsi:Manifest elements) and sequences the actions of wsinstall.wxi. Entry
 * points (undecorated on x86 too, see wsinstall-ca.def):
 *   WsinstallScheduleUninstall  immediate, before RemoveFiles: for each row
 *   WsinstallScheduleInstall    immediate, after InstallFiles:  whose
 *                       component is being removed (action state
 *                       INSTALLSTATE_ABSENT) or installed
 *                       (INSTALLSTATE_LOCAL), writes the CustomActionData
 *                       of that manifest's rollback, deferred and commit
 *                       actions (a new journal of its own in
 *                       %ProgramData%\wsinstall\journals, the kept copy of
 *                       the manifest) and schedules them with MsiDoAction,
 *                       rollback first; reserves their progress ticks.
 *   WsinstallInstall    deferred: apply the manifest (a transaction), then
 *                       keep a copy of it for the uninstall.
 *   WsinstallUninstall  deferred: remove the manifest's product (from the
 *                       kept copy when there is one).
 *   WsinstallRollback   rollback: finish or undo what the deferred action
 *                       did, from its own journal only.
 *   WsinstallCommit     commit: remove its own journal (and, after an
 *                       uninstall, the kept copy).
 * The action Ids the schedulers run (WsinstallInstall,
 * WsinstallInstallRollback, ...) are wsinstall.wxi's, never a vendor's.
 * The logic is engine/wsi-win32-msi.c (tested on Linux); this file speaks
 * to msi.dll: the table, component states, properties, the log
 * (INSTALLMESSAGE_INFO), progress (INSTALLMESSAGE_PROGRESS / ACTIONDATA)
 * and the return codes (ERROR_INSTALL_FAILURE, ERROR_INSTALL_USEREXIT on
 * cancel).
 *
 * Test builds (WSI_TEST_HOOKS, tools/win/build.sh --test) honour the
 * property (or environment variable) WSINSTALL_TEST_SNAPSHOT: the actions
 * change that snapshot
 * instead of the live catalogs, so the tests under Wine (whose WSC calls
 * change nothing) can check what an MSI did. A release build refuses it
 * (msi-test-hook-refused). */
#include <windows.h>
#include <msi.h>
#include <msiquery.h>

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wsinstall.h"
#include "wsi-backend-win32.h"
#include "wsi-config.h"
#include "wsi-live-journal.h"
#include "wsi-session.h"
#include "wsi-win32-msi.h"

/* Progress ticks each scheduled deferred action reserves and spends. */
#define WSI_CA_TICKS 100000

UINT __stdcall WsinstallScheduleInstall (MSIHANDLE install);
UINT __stdcall WsinstallScheduleUninstall (MSIHANDLE install);
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

/* @text formatted like any MSI field ("[#ManifestXml]" -> the file's
 * installed path), or NULL when that is empty. */
static char *
wsi_ca_format (MSIHANDLE install, const char *text)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (text, -1, NULL, NULL, NULL);
  g_autofree WCHAR *buf = NULL;
  MSIHANDLE rec;
  DWORD len = 0;
  WCHAR empty[1] = { 0 };
  UINT rc;

  if (w == NULL)
    return NULL;
  rec = MsiCreateRecord (0);
  if (rec == 0)
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

/* ---- the scheduling actions ---- */

/* WsinstallManifest.Attributes: the manifest may downgrade its product. */
#define WSI_CA_ALLOW_DOWNGRADE 0x1

/* This installation's own journal: a new name in the journal folder. The
 * folder is only named here (this action may run as the user); the
 * deferred actions, as SYSTEM, create and check it. */
static char *
wsi_ca_new_journal (void)
{
  g_autofree char *dir = wsi_win32_journal_dir_path (NULL);

  return dir != NULL ? wsi_live_journal_new_path (dir) : NULL;
}

/* %ProgramData%\wsinstall\manifests: beside the journal folder, inside
 * the folder wsi_win32_journal_dir_open creates with a protected,
 * inherited DACL, so what SYSTEM writes there only Administrators can
 * change. By name only. */
static char *
wsi_ca_keep_dir_path (void)
{
  g_autofree char *journals = wsi_win32_journal_dir_path (NULL);
  g_autofree char *top = journals != NULL ? g_path_get_dirname (journals) : NULL;

  return top != NULL ? g_build_filename (top, "manifests", NULL) : NULL;
}

/* A field of a record (UTF-8), or NULL when it is null or empty. */
static char *
wsi_ca_record_string (MSIHANDLE rec, UINT field)
{
  DWORD len = 0;
  WCHAR empty[1] = { 0 };
  g_autofree WCHAR *buf = NULL;

  if (MsiRecordIsNull (rec, field))
    return NULL;
  if (MsiRecordGetStringW (rec, field, empty, &len) != ERROR_MORE_DATA || len == 0 || len > 64 * 1024)
    return NULL;
  len++;
  buf = g_new0 (WCHAR, len);
  if (MsiRecordGetStringW (rec, field, buf, &len) != ERROR_SUCCESS)
    return NULL;
  return g_utf16_to_utf8 ((const gunichar2 *) buf, -1, NULL, NULL, NULL);
}

static gboolean
wsi_ca_set_property (MSIHANDLE install, const char *name, const char *value)
{
  g_autofree gunichar2 *wname = g_utf8_to_utf16 (name, -1, NULL, NULL, NULL);
  g_autofree gunichar2 *wvalue = g_utf8_to_utf16 (value, -1, NULL, NULL, NULL);

  return wname != NULL && wvalue != NULL &&
         MsiSetPropertyW (install, (LPCWSTR) wname, (LPCWSTR) wvalue) == ERROR_SUCCESS;
}

/* Puts one action of wsinstall.wxi in the script with @data as its
 * CustomActionData: an immediate action schedules a deferred one by
 * setting the property named after it, then MsiDoAction; the script keeps
 * the value the property had at that moment. */
static gboolean
wsi_ca_schedule_action (MSIHANDLE install, const char *action, const char *data)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (action, -1, NULL, NULL, NULL);

  return wsi_ca_set_property (install, action, data) && w != NULL &&
         MsiDoActionW (install, (LPCWSTR) w) == ERROR_SUCCESS;
}

/* One WsinstallManifest row. */
typedef struct {
  char *id;
  char *component;
  char *file;
  char *helper32;
  int   attributes;
} WsiCaRow;

static void
wsi_ca_row_clear (WsiCaRow *row)
{
  g_free (row->id);
  g_free (row->component);
  g_free (row->file);
  g_free (row->helper32);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WsiCaRow, wsi_ca_row_clear)

/* The data of @row's actions, or NULL (logged). @manifest may be NULL
 * for an uninstall, whose component's file may be unnamed by now: the
 * kept copy is then the manifest. */
static WsiMsiData *
wsi_ca_row_data (MSIHANDLE install, const WsiCaRow *row, WsiMsiAction kind, const char *product,
                 const char *snapshot)
{
  g_autoptr(WsiMsiData) data = wsi_msi_data_new ();
  g_autofree char *file_ref = g_strdup_printf ("[#%s]", row->file);
  g_autofree char *manifest = wsi_ca_format (install, file_ref);
  g_autofree char *keep_dir = wsi_ca_keep_dir_path ();
  g_autofree char *keep_name = g_strdup_printf ("%s.%s.xml", product, row->id);
  g_autoptr(WsiMsiData) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (keep_dir == NULL || !wsi_msi_keep_name_is_valid (keep_name))
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: the WsinstallManifest row %s cannot be kept "
                            "as %s", row->id, keep_name);
      return NULL;
    }
  data->action = kind;
  data->keep = g_build_filename (keep_dir, keep_name, NULL);
  data->keep_new = !g_file_test (data->keep, G_FILE_TEST_EXISTS);
  if (manifest == NULL && kind == WSI_MSI_ACTION_UNINSTALL)
    manifest = g_strdup (data->keep);
  if (manifest == NULL)
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: the WsinstallManifest row %s names the file "
                            "%s, which has no installed path", row->id, row->file);
      return NULL;
    }
  g_ptr_array_add (data->manifests, g_steal_pointer (&manifest));
  data->journal = wsi_ca_new_journal ();
  if (row->helper32 != NULL)
    {
      g_autofree char *helper_ref = g_strdup_printf ("[#%s]", row->helper32);
      data->helper32 = wsi_ca_format (install, helper_ref);
    }
  data->force = (row->attributes & WSI_CA_ALLOW_DOWNGRADE) != 0;
  data->snapshot = g_strdup (snapshot);
  /* What the deferred actions will refuse, refused now, before the script
   * is written. */
  text = wsi_msi_data_format (data);
  check = wsi_msi_data_parse (text, &error);
  if (check == NULL)
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: %s: %s", row->id, error->message);
      return NULL;
    }
  return g_steal_pointer (&data);
}

static gboolean
wsi_ca_row_read (MSIHANDLE install, MSIHANDLE rec, WsiCaRow *row)
{
  row->id = wsi_ca_record_string (rec, 1);
  row->component = wsi_ca_record_string (rec, 2);
  row->file = wsi_ca_record_string (rec, 3);
  row->helper32 = wsi_ca_record_string (rec, 4);
  row->attributes = MsiRecordIsNull (rec, 5) ? 0 : MsiRecordGetInteger (rec, 5);
  if (row->id == NULL || row->component == NULL || row->file == NULL || row->attributes == (int) MSI_NULL_INTEGER ||
      (row->attributes & ~WSI_CA_ALLOW_DOWNGRADE) != 0)
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: a WsinstallManifest row (%s) lacks its "
                            "component or file, or has unknown attributes", row->id != NULL ? row->id : "?");
      return FALSE;
    }
  return TRUE;
}

/* @row's component's installed and action states (INSTALLSTATE_*), FALSE
 * (logged) for a component the package lacks. */
static gboolean
wsi_ca_row_state (MSIHANDLE install, const WsiCaRow *row, int *installed_state, int *state)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (row->component, -1, NULL, NULL, NULL);
  INSTALLSTATE installed = INSTALLSTATE_UNKNOWN;
  INSTALLSTATE action = INSTALLSTATE_UNKNOWN;

  if (w == NULL || MsiGetComponentStateW (install, (LPCWSTR) w, &installed, &action) != ERROR_SUCCESS)
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: the WsinstallManifest row %s names the "
                            "component %s, which the package lacks", row->id, row->component);
      return FALSE;
    }
  *installed_state = (int) installed;
  *state = (int) action;
  return TRUE;
}

/* The test snapshot: the property WSINSTALL_TEST_SNAPSHOT, else the
 * environment variable of that name. The variable reaches what the
 * property cannot: an older version's removal that RemoveExistingProducts
 * starts (Wine runs it as another msiexec, which inherits the environment
 * but none of the new version's properties). Release builds refuse
 * both. */
static char *
wsi_ca_test_snapshot (MSIHANDLE install)
{
  char *snapshot = wsi_ca_property (install, L"WSINSTALL_TEST_SNAPSHOT");
  const char *env = g_getenv ("WSINSTALL_TEST_SNAPSHOT");

  if (snapshot == NULL && env != NULL && env[0] != '\0')
    snapshot = g_strdup (env);
  return snapshot;
}

static UINT
wsi_ca_schedule (MSIHANDLE install, WsiMsiAction kind)
{
  const char *verb = kind == WSI_MSI_ACTION_INSTALL ? "Install" : "Uninstall";
  g_autofree char *snapshot = wsi_ca_test_snapshot (install);
  g_autofree char *product = wsi_ca_property (install, L"ProductCode");
  g_autofree char *upgrading = wsi_ca_property (install, L"UPGRADINGPRODUCTCODE");
  g_autofree char *remove = wsi_ca_property (install, L"REMOVE");
  /* The whole product goes (REMOVE=ALL: an uninstall, or the removal of
   * an older version by an upgrade). */
  gboolean removing = kind == WSI_MSI_ACTION_UNINSTALL && remove != NULL && g_ascii_strcasecmp (remove, "ALL") == 0;
  g_autofree char *deferred = g_strdup_printf ("Wsinstall%s", verb);
  g_autofree char *rollback = g_strdup_printf ("Wsinstall%sRollback", verb);
  g_autofree char *commit = g_strdup_printf ("Wsinstall%sCommit", verb);
  MSIHANDLE db = 0, view = 0, rec = 0;
  guint scheduled = 0;
  UINT rc = ERROR_SUCCESS;

#if !WSI_TEST_HOOKS
  if (snapshot != NULL)
    {
      wsi_ca_log (install, "wsinstall: error [msi-test-hook-refused]: WSINSTALL_TEST_SNAPSHOT is set (a property "
                           "or the environment), and this is a release build of wsinstall-ca.dll: it changes the "
                           "live catalogs only");
      return ERROR_INSTALL_FAILURE;
    }
#else
  if (snapshot != NULL)
    wsi_ca_logf (install, "wsinstall: test build: the actions change the snapshot %s", snapshot);
#endif
  if (product == NULL)
    {
      wsi_ca_log (install, "wsinstall: error [msi-action-data-invalid]: no ProductCode");
      return ERROR_INSTALL_FAILURE;
    }
  if (upgrading != NULL && kind == WSI_MSI_ACTION_UNINSTALL)
    /* The engine keeps the newer version: a late RemoveExistingProducts'
     * uninstall of this older manifest changes nothing. */
    wsi_ca_logf (install, "wsinstall: removed by the upgrade to %s", upgrading);
  db = MsiGetActiveDatabase (install);
  if (db == 0)
    {
      wsi_ca_log (install, "wsinstall: error: cannot open the installation database");
      return ERROR_INSTALL_FAILURE;
    }
  if (MsiDatabaseIsTablePersistentW (db, L"WsinstallManifest") != MSICONDITION_TRUE)
    {
      wsi_ca_log (install, "wsinstall: the package has no WsinstallManifest table: nothing to schedule");
      MsiCloseHandle (db);
      return ERROR_SUCCESS;
    }
  if (MsiDatabaseOpenViewW (db, L"SELECT `WsinstallManifest`, `Component_`, `File_`, `Helper32_`, `Attributes` "
                                L"FROM `WsinstallManifest`", &view) != ERROR_SUCCESS ||
      MsiViewExecute (view, 0) != ERROR_SUCCESS)
    {
      wsi_ca_log (install, "wsinstall: error [msi-action-data-invalid]: the WsinstallManifest table cannot be read "
                           "(its columns: WsinstallManifest, Component_, File_, Helper32_, Attributes)");
      rc = ERROR_INSTALL_FAILURE;
    }
  while (rc == ERROR_SUCCESS && MsiViewFetch (view, &rec) == ERROR_SUCCESS)
    {
      g_auto(WsiCaRow) row = { 0 };
      g_autoptr(WsiMsiData) data = NULL;
      g_autofree char *text = NULL;
      WsiMsiSchedule what;
      int installed = 0, state = 0;

      if (!wsi_ca_row_read (install, rec, &row) || !wsi_ca_row_state (install, &row, &installed, &state))
        {
          rc = ERROR_INSTALL_FAILURE;
          MsiCloseHandle (rec);
          break;
        }
      /* The data only for a row that gets actions: the file of a
       * component that is not being installed may have no path. */
      what = wsi_msi_schedule_for (kind, state, removing, TRUE);
      if (what != WSI_MSI_SCHEDULE_NOTHING)
        {
          data = wsi_ca_row_data (install, &row, kind, product, snapshot);
          if (data == NULL)
            {
              rc = ERROR_INSTALL_FAILURE;
              MsiCloseHandle (rec);
              break;
            }
          text = wsi_msi_data_format (data);
          what = wsi_msi_schedule_for (kind, state, removing, !data->keep_new);
        }
      wsi_ca_logf (install, "wsinstall: %s: component %s installed %d, action %d: %s", row.id, row.component, installed,
                   state, what == WSI_MSI_SCHEDULE_NOTHING ? "nothing to schedule"
                          : what == WSI_MSI_SCHEDULE_FORGET ? "forget the kept manifest"
                          : kind == WSI_MSI_ACTION_INSTALL  ? "install" : "uninstall");
      if (what == WSI_MSI_SCHEDULE_FORGET)
        {
          /* SYSTEM owns the folder: the commit action removes the copy. */
          if (!wsi_ca_schedule_action (install, commit, text))
            rc = ERROR_INSTALL_FAILURE;
          else
            wsi_ca_logf (install, "wsinstall: %s: the component stays installed for another product; only the kept "
                                  "manifest %s goes", row.id, data->keep);
        }
      /* The rollback before its action: it must be in the script when the
       * deferred action fails half-way. */
      else if (what == WSI_MSI_SCHEDULE_RUN &&
               (!wsi_ca_schedule_action (install, rollback, text) || !wsi_ca_schedule_action (install, deferred, text) ||
                !wsi_ca_schedule_action (install, commit, text)))
        {
          wsi_ca_logf (install, "wsinstall: error: cannot schedule %s for %s", deferred, row.id);
          rc = ERROR_INSTALL_FAILURE;
        }
      else if (what == WSI_MSI_SCHEDULE_RUN)
        {
          scheduled++;
          wsi_ca_logf (install, "wsinstall: scheduled %s of %s: manifest %s, journal %s", deferred, row.id,
                       (const char *) g_ptr_array_index (data->manifests, 0), data->journal);
        }
      MsiCloseHandle (rec);
    }
  if (view != 0)
    MsiCloseHandle (view);
  MsiCloseHandle (db);
  /* The ticks the deferred actions will report, added to the total while
   * the script is written (a progress message of type 3). */
  if (rc == ERROR_SUCCESS && scheduled > 0)
    wsi_ca_progress (install, 3, (int) (scheduled * WSI_CA_TICKS), 0);
  return rc;
}

UINT __stdcall
WsinstallScheduleInstall (MSIHANDLE install)
{
  return wsi_ca_schedule (install, WSI_MSI_ACTION_INSTALL);
}

UINT __stdcall
WsinstallScheduleUninstall (MSIHANDLE install)
{
  return wsi_ca_schedule (install, WSI_MSI_ACTION_UNINSTALL);
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

/* The kept copy's folder, when data->keep is a copy's name in it; NULL
 * (logged) otherwise. Nothing in CustomActionData can point the SYSTEM
 * actions at a file outside it. */
static char *
wsi_ca_keep_dir_checked (MSIHANDLE install, const WsiMsiData *data)
{
  g_autofree char *dir = wsi_ca_keep_dir_path ();
  gsize n = dir != NULL ? strlen (dir) : 0;

  if (dir == NULL || strncmp (data->keep, dir, n) != 0 || !G_IS_DIR_SEPARATOR (data->keep[n]) ||
      !wsi_msi_keep_name_is_valid (data->keep + n + 1))
    {
      wsi_ca_logf (install, "wsinstall: error [msi-action-data-invalid]: the kept manifest %s is not in %s",
                   data->keep, dir != NULL ? dir : "%ProgramData%\\wsinstall\\manifests");
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* After a committed install: the manifest copied to data->keep (the folder
 * created under the protected %ProgramData%\wsinstall, whose DACL it
 * inherits, and checked like the journal folder). */
static gboolean
wsi_ca_keep_save (MSIHANDLE install, const WsiMsiData *data)
{
  g_autofree char *dir = wsi_ca_keep_dir_checked (install, data);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return FALSE;
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST)
    {
      wsi_ca_logf (install, "wsinstall: error [msi-keep-failed]: cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  if (!wsi_win32_journal_check (dir, NULL, &error) ||
      !g_file_get_contents (g_ptr_array_index (data->manifests, 0), &text, &len, &error) ||
      !g_file_set_contents (data->keep, text, (gssize) len, &error))
    {
      wsi_ca_logf (install, "wsinstall: error [msi-keep-failed]: %s", error->message);
      return FALSE;
    }
  wsi_ca_logf (install, "wsinstall: kept the manifest as %s", data->keep);
  return TRUE;
}

/* Before an uninstall: the kept copy, when there is one and it is
 * trusted, replaces the manifest (the installed file may be gone). */
static gboolean
wsi_ca_keep_use (MSIHANDLE install, WsiMsiData *data)
{
  g_autofree char *dir = wsi_ca_keep_dir_checked (install, data);
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return FALSE;
  if (!g_file_test (data->keep, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!wsi_win32_journal_check (dir, NULL, &error) || !wsi_win32_journal_check (data->keep, NULL, &error))
    {
      wsi_ca_logf (install, "wsinstall: error [%s]: %s", wsi_error_to_tag (error), error->message);
      return FALSE;
    }
  g_free (g_ptr_array_index (data->manifests, 0));
  g_ptr_array_index (data->manifests, 0) = g_strdup (data->keep);
  wsi_ca_logf (install, "wsinstall: uninstalling with the kept manifest %s", data->keep);
  return TRUE;
}

static void
wsi_ca_keep_remove (MSIHANDLE install, const WsiMsiData *data)
{
  g_autofree char *dir = wsi_ca_keep_dir_checked (install, data);

  if (dir == NULL || !g_file_test (data->keep, G_FILE_TEST_EXISTS))
    return;
  if (g_remove (data->keep) != 0)
    wsi_ca_logf (install, "wsinstall: cannot remove the kept manifest %s: %s", data->keep, g_strerror (errno));
  else
    wsi_ca_logf (install, "wsinstall: removed the kept manifest %s", data->keep);
  /* The folder goes with its last copy (fails harmlessly otherwise). */
  g_rmdir (dir);
}

/* The session of a script action: the protected journal folder (the
 * journal the immediate action named must be in it), then the session
 * opens the machine (wow64, administrator rights, the machine-wide lock)
 * or, in a test build, the snapshot of data->snapshot. The phases recover
 * themselves. */
static WsiSession *
wsi_ca_open (MSIHANDLE install, const WsiMsiData *data, const WsiMsiCallbacks *cb)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(WsiSession) session = NULL;
  gboolean opened;

#if !WSI_TEST_HOOKS
  if (data->snapshot != NULL)
    {
      wsi_ca_log (install, "wsinstall: error [msi-test-hook-refused]: the CustomActionData names a snapshot, and this "
                           "is a release build of wsinstall-ca.dll: it changes the live catalogs only");
      return NULL;
    }
#endif
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
#if WSI_TEST_HOOKS
  if (data->snapshot != NULL)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      opened = wsi_session_open_snapshot (session, data->snapshot, WSI_SESSION_OPEN_NO_RECOVERY, diags, &error);
    }
  else
#endif
    opened = wsi_session_open_live (session, WSI_SESSION_OPEN_NO_RECOVERY, NULL, &error);
  if (!opened)
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
  if (expected == WSI_MSI_ACTION_UNINSTALL && data->keep != NULL && !wsi_ca_keep_use (install, data))
    return ERROR_INSTALL_FAILURE;
  session = wsi_ca_open (install, data, &cb);
  if (session == NULL)
    return ERROR_INSTALL_FAILURE;
  switch (wsi_msi_run (session, data, &cb, &error))
    {
    case WSI_MSI_DONE:
      /* A copy that cannot be kept fails the install: its rollback
       * undoes the transaction rather than leave a product no uninstall
       * could find. */
      if (expected == WSI_MSI_ACTION_INSTALL && data->keep != NULL && !wsi_ca_keep_save (install, data))
        return ERROR_INSTALL_FAILURE;
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
  if (!wsi_msi_rollback (session, &cb, &found, &error))
    return ERROR_INSTALL_FAILURE;
  /* An install rolled back leaves no copy it made; an uninstall's copy
   * was never removed (its commit does that). */
  if (data->action == WSI_MSI_ACTION_INSTALL && data->keep != NULL && data->keep_new)
    wsi_ca_keep_remove (install, data);
  return ERROR_SUCCESS;
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
  /* The product is gone for good: so is its kept manifest. */
  if (data->action == WSI_MSI_ACTION_UNINSTALL && data->keep != NULL)
    wsi_ca_keep_remove (install, data);
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
