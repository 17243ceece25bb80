/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-live-journal.c: one journal per live transaction (see
 * wsi-live-journal.h). */
#include "wsi-live-journal.h"

#include <string.h>
#ifdef G_OS_WIN32
#include <process.h>
#else
#include <unistd.h>
#endif

#include "wsi-error.h"

/* "YYYYMMDDTHHMMSSZ" */
#define WSI_STAMP_LEN 16
/* A process id is a DWORD on Windows: at most 10 decimal digits. */
#define WSI_PID_MAX_DIGITS 10
#define WSI_NONCE_DIGITS 8

char *
wsi_live_journal_name (GDateTime *when, guint32 pid, guint32 nonce)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *stamp = NULL;

  g_return_val_if_fail (when != NULL, NULL);
  utc = g_date_time_to_utc (when);
  stamp = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  return g_strdup_printf ("%s-%u-%08x" WSI_LIVE_JOURNAL_SUFFIX, stamp, pid, nonce);
}

static gboolean
wsi_all (const char *p, gsize n, gboolean (*is) (gchar))
{
  for (gsize i = 0; i < n; i++)
    if (!is (p[i]))
      return FALSE;
  return TRUE;
}

static gboolean
wsi_is_digit (gchar c)
{
  return g_ascii_isdigit (c);
}

static gboolean
wsi_is_lower_hex (gchar c)
{
  return g_ascii_isdigit (c) || (c >= 'a' && c <= 'f');
}

gboolean
wsi_live_journal_name_is_valid (const char *name)
{
  const char *p = name;
  gsize digits;

  if (name == NULL || !g_str_has_suffix (name, WSI_LIVE_JOURNAL_SUFFIX))
    return FALSE;
  /* YYYYMMDD T HHMMSS Z */
  if (strlen (p) < WSI_STAMP_LEN || !wsi_all (p, 8, wsi_is_digit) || p[8] != 'T' || !wsi_all (p + 9, 6, wsi_is_digit)
      || p[15] != 'Z')
    return FALSE;
  p += WSI_STAMP_LEN;
  if (*p++ != '-')
    return FALSE;
  for (digits = 0; g_ascii_isdigit (p[digits]); digits++)
    ;
  if (digits == 0 || digits > WSI_PID_MAX_DIGITS)
    return FALSE;
  p += digits;
  if (*p++ != '-' || strlen (p) != WSI_NONCE_DIGITS + strlen (WSI_LIVE_JOURNAL_SUFFIX)
      || !wsi_all (p, WSI_NONCE_DIGITS, wsi_is_lower_hex))
    return FALSE;
  return strcmp (p + WSI_NONCE_DIGITS, WSI_LIVE_JOURNAL_SUFFIX) == 0;
}

char *
wsi_live_journal_new_path (const char *dir)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
#ifdef G_OS_WIN32
  name = wsi_live_journal_name (now, (guint32) _getpid (), g_random_int ());
#else
  name = wsi_live_journal_name (now, (guint32) getpid (), g_random_int ());
#endif
  return g_build_filename (dir, name, NULL);
}

gboolean
wsi_live_journal_path_is_in (const char *dir, const char *path)
{
  gsize n;

  if (dir == NULL || path == NULL || dir[0] == '\0')
    return FALSE;
  n = strlen (dir);
  /* The folder exactly as the caller names it: no second spelling of it
   * (".." segments, another case, a link) is resolved here. */
  if (strncmp (path, dir, n) != 0 || !G_IS_DIR_SEPARATOR (path[n]))
    return FALSE;
  return wsi_live_journal_name_is_valid (path + n + 1);
}

static gint
wsi_compare_newest_first (gconstpointer a, gconstpointer b)
{
  return -strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
wsi_live_journal_list (const char *dir, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local = NULL;
  const char *name;

  g_return_val_if_fail (dir != NULL, NULL);
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&names);
  d = g_dir_open (dir, 0, &local);
  if (d == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot list the journals in %s: %s", dir, local->message);
      return NULL;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    if (wsi_live_journal_name_is_valid (name))
      g_ptr_array_add (names, g_strdup (name));
  /* The names start with the UTC start time: newest first is the reverse
   * of their byte order, and undoing goes from the newest change back. */
  g_ptr_array_sort (names, wsi_compare_newest_first);
  return g_steal_pointer (&names);
}

gboolean
wsi_live_journal_needs_recovery (WsiJournalState state)
{
  return state == WSI_JOURNAL_IN_PROGRESS || state == WSI_JOURNAL_ROLLBACK_INCOMPLETE;
}

gboolean
wsi_live_journal_recover_all (WsiBackend *backend, const char *dir, WsiLiveJournalCheck check, gpointer check_data,
                              WsiTxnProgress progress, gpointer user_data, GPtrArray *recovered, GError **error)
{
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (backend != NULL && dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  names = wsi_live_journal_list (dir, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(GPtrArray) intents = NULL;
      WsiJournalState state = WSI_JOURNAL_NONE;
      WsiJournalState found = WSI_JOURNAL_NONE;

      /* Before a byte of it is read: a journal is untrusted input, and one
       * a standard user could have planted must not steer SYSTEM. */
      if (check != NULL && !check (path, check_data, error))
        return FALSE;
      if (!wsi_journal_read (path, &state, &intents, error))
        return FALSE;
      if (!wsi_live_journal_needs_recovery (state))
        continue;
      if (!wsi_txn_recover (backend, path, &found, progress, user_data, error))
        return FALSE;
      if (recovered != NULL)
        g_ptr_array_add (recovered, g_steal_pointer (&path));
    }
  return TRUE;
}
