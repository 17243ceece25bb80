/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-msi.c: the MSI custom actions' data and phases (see
 * wsi-win32-msi.h). */
#include "wsi-win32-msi.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-live-journal.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-session.h"
#include "wsi-txn.h"
#include "wsi-win32-helper.h"

/* ---- CustomActionData ---- */

WsiMsiData *
wsi_msi_data_new (void)
{
  WsiMsiData *data = g_new0 (WsiMsiData, 1);

  data->manifests = g_ptr_array_new_with_free_func (g_free);
  data->lock_timeout = 30;
  return data;
}

void
wsi_msi_data_free (WsiMsiData *data)
{
  if (data == NULL)
    return;
  g_ptr_array_unref (data->manifests);
  g_free (data->journal);
  g_free (data->helper32);
  g_free (data->keep);
  g_free (data->snapshot);
  g_free (data);
}

static void
wsi_data_append (GString *out, const char *key, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_printf (out, ";%s=%s", key, escaped);
}

char *
wsi_msi_data_format (const WsiMsiData *data)
{
  GString *out = g_string_new (WSI_MSI_DATA_VERSION);
  g_autofree char *timeout = g_strdup_printf ("%u", data->lock_timeout);

  wsi_data_append (out, "action", data->action == WSI_MSI_ACTION_UNINSTALL ? "uninstall" : "install");
  for (guint i = 0; i < data->manifests->len; i++)
    wsi_data_append (out, "manifest", g_ptr_array_index (data->manifests, i));
  if (data->journal != NULL)
    wsi_data_append (out, "journal", data->journal);
  if (data->helper32 != NULL)
    wsi_data_append (out, "helper32", data->helper32);
  wsi_data_append (out, "force", data->force ? "1" : "0");
  wsi_data_append (out, "lock-timeout", timeout);
  if (data->keep != NULL)
    {
      wsi_data_append (out, "keep", data->keep);
      wsi_data_append (out, "keep-new", data->keep_new ? "1" : "0");
    }
  if (data->snapshot != NULL)
    wsi_data_append (out, "snapshot", data->snapshot);
  return g_string_free (out, FALSE);
}

static void
wsi_data_refusev (GError **error, const char *format, va_list args) G_GNUC_PRINTF (2, 0);

static void
wsi_data_refusev (GError **error, const char *format, va_list args)
{
  g_autofree char *msg = g_strdup_vprintf (format, args);
  g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "CustomActionData: %s", msg);
}

static gboolean
wsi_data_refuse (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
wsi_data_refuse (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_data_refusev (error, format, args);
  va_end (args);
  return FALSE;
}

static WsiMsiData *
wsi_data_refuse_null (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static WsiMsiData *
wsi_data_refuse_null (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_data_refusev (error, format, args);
  va_end (args);
  return NULL;
}

/* Absolute in Windows' sense (C:\..., \\server\share\...) or in the
 * build's own (so the tests can use Linux paths). */
static gboolean
wsi_data_path_absolute (const char *path)
{
  if (g_path_is_absolute (path))
    return TRUE;
  if (g_ascii_isalpha (path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
    return TRUE;
  return path[0] == '\\' && path[1] == '\\' && path[2] != '\0';
}

static gboolean
wsi_data_parse_uint (const char *text, guint max, guint *out)
{
  guint64 v = 0;

  if (*text == '\0' || strlen (text) > 10)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  if (v > max)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
wsi_data_set (WsiMsiData *data, GHashTable *seen, const char *key, const char *value, GError **error)
{
  guint n;

  if (strcmp (key, "manifest") != 0 && !g_hash_table_add (seen, g_strdup (key)))
    return wsi_data_refuse (error, "the key '%s' appears twice", key);
  if (strcmp (key, "action") == 0)
    {
      if (strcmp (value, "install") == 0)
        data->action = WSI_MSI_ACTION_INSTALL;
      else if (strcmp (value, "uninstall") == 0)
        data->action = WSI_MSI_ACTION_UNINSTALL;
      else
        return wsi_data_refuse (error, "action '%s' is neither install nor uninstall", value);
      return TRUE;
    }
  if (strcmp (key, "manifest") == 0 || strcmp (key, "journal") == 0 || strcmp (key, "helper32") == 0 ||
      strcmp (key, "keep") == 0 || strcmp (key, "snapshot") == 0)
    {
      if (!wsi_data_path_absolute (value))
        return wsi_data_refuse (error, "the %s path '%s' is not absolute", key, value);
      if (strcmp (key, "journal") == 0)
        {
          /* The file name in Windows' sense (after the last '\' or '/'),
           * on every build. */
          const char *name = value;
          for (const char *c = value; *c != '\0'; c++)
            if (*c == '\\' || *c == '/')
              name = c + 1;
          /* A journal of this installation's own transaction, named by the
           * immediate action; never a shared one (live.journal) that another
           * transaction may have written. */
          if (!wsi_live_journal_name_is_valid (name))
            return wsi_data_refuse (error, "the journal '%s' is not named as a transaction's own journal", value);
          data->journal = g_strdup (value);
        }
      else if (strcmp (key, "helper32") == 0)
        data->helper32 = g_strdup (value);
      else if (strcmp (key, "keep") == 0)
        data->keep = g_strdup (value);
      else if (strcmp (key, "snapshot") == 0)
        data->snapshot = g_strdup (value);
      else if (data->manifests->len >= WSI_MSI_MAX_MANIFESTS)
        return wsi_data_refuse (error, "more than %d manifests", WSI_MSI_MAX_MANIFESTS);
      else
        g_ptr_array_add (data->manifests, g_strdup (value));
      return TRUE;
    }
  if (strcmp (key, "force") == 0)
    {
      if (!wsi_data_parse_uint (value, 1, &n))
        return wsi_data_refuse (error, "force is '%s', not 0 or 1", value);
      data->force = n == 1;
      return TRUE;
    }
  if (strcmp (key, "keep-new") == 0)
    {
      if (!wsi_data_parse_uint (value, 1, &n))
        return wsi_data_refuse (error, "keep-new is '%s', not 0 or 1", value);
      data->keep_new = n == 1;
      return TRUE;
    }
  if (strcmp (key, "lock-timeout") == 0)
    {
      if (!wsi_data_parse_uint (value, 3600, &data->lock_timeout))
        return wsi_data_refuse (error, "lock-timeout is '%s', not 0..3600 seconds", value);
      return TRUE;
    }
  return wsi_data_refuse (error, "unknown key '%s'", key);
}

WsiMsiData *
wsi_msi_data_parse (const char *text, GError **error)
{
  g_autoptr(WsiMsiData) data = wsi_msi_data_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) fields = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (strlen (text) > WSI_MSI_DATA_MAX)
    return wsi_data_refuse_null (error, "more than %d bytes", WSI_MSI_DATA_MAX);
  fields = g_strsplit (text, ";", -1);
  if (fields[0] == NULL || strcmp (fields[0], WSI_MSI_DATA_VERSION) != 0)
    return wsi_data_refuse_null (error, "it does not start with %s: it was not written by this wsinstall's immediate "
                                   "action", WSI_MSI_DATA_VERSION);
  for (guint i = 1; fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (eq == NULL || eq == fields[i])
        return wsi_data_refuse_null (error, "field %u is not KEY=VALUE", i);
      key = g_strndup (fields[i], (gsize) (eq - fields[i]));
      /* NULL for a bad %XX or an encoded NUL. */
      value = g_uri_unescape_string (eq + 1, NULL);
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        return wsi_data_refuse_null (error, "the value of '%s' is not correctly escaped UTF-8", key);
      if (!wsi_data_set (data, seen, key, value, error))
        return NULL;
    }
  if (!g_hash_table_contains (seen, "action"))
    return wsi_data_refuse_null (error, "no action");
  if (data->manifests->len == 0)
    return wsi_data_refuse_null (error, "no manifest");
  if (data->journal == NULL)
    return wsi_data_refuse_null (error, "no journal");
  if (g_hash_table_contains (seen, "keep-new") && data->keep == NULL)
    return wsi_data_refuse_null (error, "keep-new without keep");
  return g_steal_pointer (&data);
}

/* ---- the scheduling actions ---- */

WsiMsiSchedule
wsi_msi_schedule_for (WsiMsiAction kind, int action_state, gboolean product_removed, gboolean kept)
{
  if (kind == WSI_MSI_ACTION_INSTALL)
    return action_state == WSI_MSI_STATE_LOCAL ? WSI_MSI_SCHEDULE_RUN : WSI_MSI_SCHEDULE_NOTHING;
  if (action_state == WSI_MSI_STATE_ABSENT)
    return WSI_MSI_SCHEDULE_RUN;
  return product_removed && kept ? WSI_MSI_SCHEDULE_FORGET : WSI_MSI_SCHEDULE_NOTHING;
}

gboolean
wsi_msi_keep_name_is_valid (const char *name)
{
  gsize n;

  g_return_val_if_fail (name != NULL, FALSE);

  n = strlen (name);
  if (n < 5 || n > 200 || name[0] == '.' || !g_str_has_suffix (name, ".xml"))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("{}-_.", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* ---- logging ---- */

static void
wsi_msi_log (const WsiMsiCallbacks *cb, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
wsi_msi_log (const WsiMsiCallbacks *cb, const char *format, ...)
{
  va_list args;
  g_autofree char *line = NULL;

  if (cb == NULL || cb->log == NULL)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  cb->log (line, cb->user_data);
}

static void
wsi_msi_log_diags (const WsiMsiCallbacks *cb, WsiDiagList *diags)
{
  wsi_diag_list_sort (diags);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      if (d->line > 0)
        wsi_msi_log (cb, "wsinstall: %s:%d: %s [%s]: %s", d->file != NULL ? d->file : "-", d->line,
                     wsi_severity_to_string (d->severity), d->tag, d->message);
      else
        wsi_msi_log (cb, "wsinstall: %s: %s [%s]: %s", d->file != NULL ? d->file : "-",
                     wsi_severity_to_string (d->severity), d->tag, d->message);
    }
}

static void
wsi_msi_log_error (const WsiMsiCallbacks *cb, const char *what, const GError *error)
{
  wsi_msi_log (cb, "wsinstall: %s: error [%s]: %s", what, wsi_error_to_tag (error), error->message);
}

/* ---- the session ---- */

typedef struct {
  const WsiMsiCallbacks *callbacks;
  WsiSession            *session;   /* borrowed: the adapter lives inside it */
} WsiMsiProgress;

/* Each step goes to the installer's progress (ACTIONDATA and a tick) and
 * its outcome to the log. The user's Cancel, answered to the step's
 * announcement, cancels the session: that step fails before it changes
 * anything and the run rolls back. Rolling back is never cancelled. */
static void
wsi_msi_progress (WsiProgressPhase phase, guint index, guint total, const char *summary, gpointer user_data)
{
  WsiMsiProgress *p = user_data;
  const WsiMsiCallbacks *cb = p->callbacks;
  gboolean undo = phase == WSI_PROGRESS_UNDO;

  if (phase == WSI_PROGRESS_APPLY || undo)
    {
      g_autofree char *text = g_strdup_printf ("%s%s", undo ? "undo: " : "", summary);
      if (cb != NULL && cb->step != NULL && !cb->step (text, index, total, cb->user_data) && !undo)
        g_cancellable_cancel (wsi_session_get_cancellable (p->session));
      return;
    }
  wsi_msi_log (cb, "wsinstall: [%u/%u] %s: %s", index + 1, total, summary, wsi_progress_phase_to_string (phase));
}

WsiSession *
wsi_msi_session_new (const WsiMsiData *data, const char *journal_folder, const WsiMsiCallbacks *callbacks)
{
  WsiSession *session = wsi_session_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *folder = journal_folder != NULL ? g_strdup (journal_folder) : g_path_get_dirname (data->journal);
  WsiMsiProgress *p = g_new0 (WsiMsiProgress, 1);

  p->callbacks = callbacks;
  p->session = session;
  wsi_session_set_journal (session, data->journal);
  wsi_session_set_journal_folder (session, folder, callbacks != NULL ? callbacks->journal_check : NULL);
  wsi_session_set_lock_timeout (session, data->lock_timeout * 1000u);
  wsi_session_set_helper32 (session, data->helper32);
  wsi_session_set_cancellable (session, cancellable);
  wsi_session_set_progress (session, wsi_msi_progress, p, g_free);
  return session;
}

/* ---- the phases ---- */

WsiMsiOutcome
wsi_msi_run (WsiSession *session, const WsiMsiData *data, const WsiMsiCallbacks *cb, GError **error)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(GError) local = NULL;
  GPtrArray *recovered;
  WsiPlanFlags flags = 0;
  WsiTxnOutcome outcome;
  const char *verb = data->action == WSI_MSI_ACTION_UNINSTALL ? "uninstall" : "apply";

  /* What any earlier transaction left in progress in the journal folder
   * is rolled back first; committed ones (another MSI's, awaiting its
   * commit or rollback action; a CLI install's) are not touched. */
  if (!wsi_session_recover (session, &local))
    {
      gboolean untouched = !wsi_session_get_recovery_started (session);
      wsi_msi_log_error (cb, data->journal, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return untouched ? WSI_MSI_FAILED : WSI_MSI_INCOMPLETE;
    }
  recovered = wsi_session_get_recovered (session);
  for (guint i = 0; i < recovered->len; i++)
    wsi_msi_log (cb, "wsinstall: an interrupted run was rolled back first (journal %s)",
                 (const char *) g_ptr_array_index (recovered, i));
  for (guint i = 0; i < data->manifests->len; i++)
    {
      WsiManifest *m = wsi_manifest_load_file (g_ptr_array_index (data->manifests, i), diags);
      if (m != NULL)
        g_ptr_array_add (manifests, m);
    }
  if (manifests->len != data->manifests->len)
    {
      wsi_msi_log_diags (cb, diags);
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_MANIFEST, "a manifest cannot be used (see the log)");
      return WSI_MSI_FAILED;
    }
  if (data->force)
    flags |= WSI_PLAN_FLAG_FORCE;
  if (data->action == WSI_MSI_ACTION_UNINSTALL)
    flags |= WSI_PLAN_FLAG_UNINSTALL;
  plan = wsi_session_plan (session, (WsiManifest *const *) manifests->pdata, manifests->len, flags, diags);
  wsi_msi_log_diags (cb, diags);
  if (plan == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_MANIFEST, "planning failed (see the log)");
      return WSI_MSI_FAILED;
    }
  if (plan->steps->len == 0)
    {
      wsi_msi_log (cb, "wsinstall: %s: nothing to do", verb);
      return WSI_MSI_DONE;
    }
  wsi_msi_log (cb, "wsinstall: %s: %u steps, journal %s", verb, plan->steps->len, data->journal);

  outcome = wsi_session_apply (session, plan, &local);
  switch (outcome)
    {
    case WSI_TXN_COMMITTED:
      wsi_msi_log (cb, "wsinstall: %s: committed (%u steps)", verb, plan->steps->len);
      return WSI_MSI_DONE;
    case WSI_TXN_ROLLED_BACK:
      {
        gboolean cancelled = g_error_matches (local, WSI_ERROR, WSI_ERROR_CANCELLED);
        wsi_msi_log (cb, "wsinstall: %s: %s and rolled back; the machine is in its old state", verb,
                     cancelled ? "cancelled" : "failed");
        if (!cancelled)
          wsi_msi_log_error (cb, verb, local);
        g_propagate_error (error, g_steal_pointer (&local));
        return cancelled ? WSI_MSI_CANCELLED : WSI_MSI_FAILED;
      }
    case WSI_TXN_NOT_STARTED:
      /* The journal could not be started: nothing ran. */
      wsi_msi_log (cb, "wsinstall: %s: not started; the machine is in its old state", verb);
      wsi_msi_log_error (cb, data->journal, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return WSI_MSI_FAILED;
    case WSI_TXN_ROLLBACK_INCOMPLETE:
    default:
      wsi_msi_log (cb, "wsinstall: %s: error [rollback-incomplete]: %s", verb, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return WSI_MSI_INCOMPLETE;
    }
}

gboolean
wsi_msi_rollback (WsiSession *session, const WsiMsiCallbacks *cb, WsiJournalState *found, GError **error)
{
  g_autoptr(GError) local = NULL;
  const char *journal = wsi_session_get_journal (session);

  if (!wsi_session_undo (session, found, &local))
    {
      /* A journal that could not be read or trusted was not touched. */
      if (*found == WSI_JOURNAL_IN_PROGRESS || *found == WSI_JOURNAL_COMMITTED ||
          *found == WSI_JOURNAL_ROLLBACK_INCOMPLETE)
        wsi_msi_log (cb, "wsinstall: rollback: error [rollback-incomplete]: %s", local->message);
      else
        wsi_msi_log_error (cb, journal, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (*found == WSI_JOURNAL_NONE || *found == WSI_JOURNAL_ROLLED_BACK)
    wsi_msi_log (cb, "wsinstall: rollback: nothing to undo (%s)", wsi_journal_state_to_string (*found));
  else
    wsi_msi_log (cb, "wsinstall: rollback: done; the machine is in its old state");
  return TRUE;
}

gboolean
wsi_msi_commit (const char *journal, WsiJournalState *found, GError **error)
{
  g_autoptr(GPtrArray) intents = NULL;
  WsiJournalState state = WSI_JOURNAL_NONE;

  if (!wsi_journal_read (journal, &state, &intents, error))
    return FALSE;
  *found = state;
  if (state == WSI_JOURNAL_NONE)
    return TRUE;
  if (state == WSI_JOURNAL_IN_PROGRESS || state == WSI_JOURNAL_ROLLBACK_INCOMPLETE)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_FAILED, "the journal %s is %s: kept for `wsinstall recover`",
                   journal, wsi_journal_state_to_string (state));
      return FALSE;
    }
  if (g_remove (journal) != 0)
    {
      int saved = errno;
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot remove the journal %s: %s", journal, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
