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
  if (strcmp (key, "manifest") == 0 || strcmp (key, "journal") == 0 || strcmp (key, "helper32") == 0)
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
  return g_steal_pointer (&data);
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

/* ---- cancellation ---- */

/* Wraps the backend of a transaction: once the step callback asked to
 * cancel, the next change fails, so the transaction stops and rolls back
 * through the inner backend (undo steps pass: the flag is cleared when the
 * rollback starts). */
typedef struct {
  WsiBackend   parent;
  WsiBackend  *inner;        /* borrowed */
  gboolean     cancel_next;
  gboolean     cancelled;
} WsiCancelBackend;

static gboolean
wsi_cancel_check (WsiBackend *backend, GError **error)
{
  WsiCancelBackend *self = (WsiCancelBackend *) backend;

  if (!self->cancel_next)
    return TRUE;
  self->cancel_next = FALSE;
  self->cancelled = TRUE;
  g_set_error (error, WSI_ERROR, WSI_ERROR_CANCELLED, "cancelled by the user");
  return FALSE;
}

static const WsiMachine *
wsi_cancel_peek (WsiBackend *backend, GError **error)
{
  return wsi_backend_peek (((WsiCancelBackend *) backend)->inner, error);
}

static gboolean
wsi_cancel_install (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, const char *path,
                    const WsiEntry *const *infos, guint n, GError **error)
{
  return wsi_cancel_check (b, error) &&
         wsi_backend_install_provider (((WsiCancelBackend *) b)->inner, bitness, guid, path, infos, n, error);
}

static gboolean
wsi_cancel_install_64_32 (WsiBackend *b, const WsiGuid *guid, const char *path, const WsiEntry *const *infos,
                          guint n, GError **error)
{
  return wsi_cancel_check (b, error) &&
         wsi_backend_install_provider_64_32 (((WsiCancelBackend *) b)->inner, guid, path, infos, n, error);
}

static gboolean
wsi_cancel_deinstall (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  return wsi_cancel_check (b, error) && wsi_backend_deinstall_provider (((WsiCancelBackend *) b)->inner, bitness, guid,
                                                                        error);
}

static gboolean
wsi_cancel_update (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, const char *path,
                   const WsiEntry *const *infos, guint n, GError **error)
{
  return wsi_cancel_check (b, error) &&
         wsi_backend_update_provider (((WsiCancelBackend *) b)->inner, bitness, guid, path, infos, n, error);
}

static gboolean
wsi_cancel_write_order (WsiBackend *b, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  return wsi_cancel_check (b, error) && wsi_backend_write_order (((WsiCancelBackend *) b)->inner, bitness, ids, n,
                                                                 error);
}

static gboolean
wsi_cancel_categories (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, guint32 categories, GError **error)
{
  return wsi_cancel_check (b, error) &&
         wsi_backend_set_lsp_categories (((WsiCancelBackend *) b)->inner, bitness, guid, categories, error);
}

static gboolean
wsi_cancel_registry (WsiBackend *b, const char *key, const char *name, WsiRegType type, GBytes *data,
                     GError **error)
{
  return wsi_cancel_check (b, error) &&
         wsi_backend_registry_set (((WsiCancelBackend *) b)->inner, key, name, type, data, error);
}

static void
wsi_cancel_free (WsiBackend *b)
{
  g_free (b);
}

static const WsiBackendClass wsi_cancel_class = {
  .name = "cancel",
  .peek = wsi_cancel_peek,
  .install_provider = wsi_cancel_install,
  .install_provider_64_32 = wsi_cancel_install_64_32,
  .deinstall_provider = wsi_cancel_deinstall,
  .update_provider = wsi_cancel_update,
  .write_order = wsi_cancel_write_order,
  .set_lsp_categories = wsi_cancel_categories,
  .registry_set = wsi_cancel_registry,
  .free = wsi_cancel_free,
};

typedef struct {
  const WsiMsiCallbacks *callbacks;
  WsiCancelBackend      *cancel;     /* NULL outside a transaction */
} WsiMsiProgress;

static void
wsi_msi_progress (const WsiPlanStep *step, guint index, guint total, const char *phase, gpointer user_data)
{
  WsiMsiProgress *p = user_data;
  const WsiMsiCallbacks *cb = p->callbacks;
  const char *summary = step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op);
  gboolean undo = strcmp (phase, "undo") == 0;

  if (strcmp (phase, "apply") == 0 || undo)
    {
      g_autofree char *text = g_strdup_printf ("%s%s", undo ? "undo: " : "", summary);
      /* Rolling back is never cancelled. */
      if (undo && p->cancel != NULL)
        p->cancel->cancel_next = FALSE;
      if (cb != NULL && cb->step != NULL && !cb->step (text, index, total, cb->user_data) && !undo &&
          p->cancel != NULL)
        p->cancel->cancel_next = TRUE;
      return;
    }
  wsi_msi_log (cb, "wsinstall: [%u/%u] %s: %s", index + 1, total, summary, phase);
}

/* ---- the phases ---- */

/* What any earlier transaction left in progress in the journal folder is
 * rolled back first; committed ones (another MSI's, awaiting its commit or
 * rollback action; a CLI install's) are not touched. */
static gboolean
wsi_msi_recover_first (WsiBackend *backend, const char *journal, const WsiMsiCallbacks *cb, GError **error)
{
  WsiMsiProgress p = { .callbacks = cb };
  g_autofree char *dir = g_path_get_dirname (journal);
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);

  if (!wsi_live_journal_recover_all (backend, dir, cb != NULL ? cb->journal_check : NULL, NULL, wsi_msi_progress, &p,
                                     recovered, error))
    return FALSE;
  for (guint i = 0; i < recovered->len; i++)
    wsi_msi_log (cb, "wsinstall: an interrupted run was rolled back first (journal %s)",
                 (const char *) g_ptr_array_index (recovered, i));
  return TRUE;
}

WsiMsiOutcome
wsi_msi_run (WsiBackend *backend, const WsiMsiData *data, const WsiMsiCallbacks *cb, GError **error)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(GError) local = NULL;
  WsiCancelBackend *cancel;
  WsiMsiProgress p = { .callbacks = cb };
  const WsiMachine *machine;
  WsiPlanFlags flags = 0;
  WsiTxnOutcome outcome;
  const char *verb = data->action == WSI_MSI_ACTION_UNINSTALL ? "uninstall" : "apply";

  if (!wsi_msi_recover_first (backend, data->journal, cb, &local))
    {
      /* An untrusted journal was not read: nothing changed. */
      gboolean untouched = g_error_matches (local, WSI_ERROR, WSI_ERROR_UNTRUSTED);
      wsi_msi_log_error (cb, data->journal, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return untouched ? WSI_MSI_FAILED : WSI_MSI_INCOMPLETE;
    }
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
  machine = wsi_backend_peek (backend, &local);
  if (machine == NULL)
    {
      wsi_msi_log_error (cb, "live machine", local);
      g_propagate_error (error, g_steal_pointer (&local));
      return WSI_MSI_FAILED;
    }
  if (data->force)
    flags |= WSI_PLAN_FLAG_FORCE;
  if (data->action == WSI_MSI_ACTION_UNINSTALL)
    flags |= WSI_PLAN_FLAG_UNINSTALL;
  plan = wsi_plan_build (machine, (WsiManifest *const *) manifests->pdata, manifests->len, flags, diags);
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

  cancel = g_new0 (WsiCancelBackend, 1);
  cancel->parent.klass = &wsi_cancel_class;
  cancel->inner = backend;
  p.cancel = cancel;
  outcome = wsi_txn_apply (&cancel->parent, plan, data->journal, wsi_msi_progress, &p, &local);
  p.cancel = NULL;
  {
    gboolean cancelled = cancel->cancelled;
    wsi_backend_free (&cancel->parent);

    switch (outcome)
      {
      case WSI_TXN_COMMITTED:
        wsi_msi_log (cb, "wsinstall: %s: committed (%u steps)", verb, plan->steps->len);
        return WSI_MSI_DONE;
      case WSI_TXN_ROLLED_BACK:
        wsi_msi_log (cb, "wsinstall: %s: %s and rolled back; the machine is in its old state", verb,
                     cancelled ? "cancelled" : "failed");
        if (!cancelled)
          wsi_msi_log_error (cb, verb, local);
        g_propagate_error (error, g_steal_pointer (&local));
        return cancelled ? WSI_MSI_CANCELLED : WSI_MSI_FAILED;
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
}

gboolean
wsi_msi_rollback (WsiBackend *backend, const char *journal, const WsiMsiCallbacks *cb, WsiJournalState *found,
                  GError **error)
{
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GError) local = NULL;
  WsiMsiProgress p = { .callbacks = cb };
  WsiJournalState state = WSI_JOURNAL_NONE;
  WsiJournalState after = WSI_JOURNAL_NONE;

  /* Its own journal only (named in CustomActionData), and checked before
   * it is read, as a journal is untrusted input. */
  if (cb != NULL && cb->journal_check != NULL && g_file_test (journal, G_FILE_TEST_EXISTS)
      && !cb->journal_check (journal, NULL, &local))
    {
      wsi_msi_log_error (cb, journal, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!wsi_journal_read (journal, &state, &intents, &local))
    {
      wsi_msi_log_error (cb, journal, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *found = state;
  if (state == WSI_JOURNAL_NONE || state == WSI_JOURNAL_ROLLED_BACK)
    {
      wsi_msi_log (cb, "wsinstall: rollback: nothing to undo (%s)", wsi_journal_state_to_string (state));
      return TRUE;
    }
  if (state == WSI_JOURNAL_COMMITTED)
    {
      /* The transaction finished, but a later action of the installation
       * failed: undo it all. Marked incomplete first, so a crash in the
       * middle leaves a journal `recover` finishes. */
      g_autoptr(WsiJournal) j = wsi_journal_open_append (journal, &local);
      if (j == NULL || !wsi_journal_end (j, WSI_JOURNAL_ROLLBACK_INCOMPLETE, &local))
        {
          wsi_msi_log_error (cb, journal, local);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      wsi_msi_log (cb, "wsinstall: rollback: undoing the committed transaction (%u steps)", intents->len);
    }
  if (!wsi_txn_recover (backend, journal, &after, wsi_msi_progress, &p, &local))
    {
      wsi_msi_log (cb, "wsinstall: rollback: error [rollback-incomplete]: %s", local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
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
