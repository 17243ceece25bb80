/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-session-live.c: opening this computer's live catalogs (Windows). */
#include "wsi-session-private.h"

#include "wsi-error.h"

#ifdef G_OS_WIN32
#include "wsi-backend-win32.h"
#endif

/* How the live machine is named in messages and diagnostics. */
#define WSI_SESSION_LIVE_DISPLAY "<live machine>"

gboolean
wsi_session_open_live (WsiSession *self, WsiSessionOpenFlags flags, WsiDiagList *diags, GError **error)
{
#ifdef G_OS_WIN32
  g_autoptr(WsiBackend) backend = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (self != NULL && self->backend == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_free (self->display);
  self->display = g_strdup (WSI_SESSION_LIVE_DISPLAY);
  wsi_session_set_failed_file (self, self->display);
  /* A 32-bit process on 64-bit Windows cannot enumerate the 64-bit
   * catalog: planning from it would ignore half the machine. */
  if (wsi_win32_is_wow64 ())
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_WOW64,
                           "this is the 32-bit wsinstall on 64-bit Windows: it sees only the 32-bit catalog");
      return FALSE;
    }
  /* Checked before waiting for the lock: a plain user learns it at once. */
  backend = wsi_backend_win32_new (WSI_WIN32_FOR_WRITING, self->helper32, error);
  if (backend == NULL)
    return FALSE;
  /* NULL: the machine-wide named mutex every wsinstall (and the MSI
   * custom action) takes for the live catalogs. */
  self->lock = wsi_lock_acquire (NULL, self->lock_timeout_ms, error);
  if (self->lock == NULL)
    return FALSE;
  /* A journal named outside the protected folder (--journal) is the only
   * one; otherwise each transaction has its own journal in the folder,
   * created under the lock so two writers never create it at once. */
  if (self->journal_opt == NULL || self->folder_opt != NULL)
    {
      dir = self->folder_opt != NULL ? g_strdup (self->folder_opt) : wsi_win32_journal_dir_open (error);
      if (dir == NULL)
        return FALSE;
    }
  if (dir != NULL && self->journal_opt != NULL && !wsi_live_journal_path_is_in (dir, self->journal_opt))
    g_clear_pointer (&dir, g_free);
  if (dir != NULL)
    {
      self->recover_dir = g_steal_pointer (&dir);
      if (self->journal_check == NULL)
        self->journal_check = wsi_win32_journal_check;
      self->journal = self->journal_opt != NULL ? g_strdup (self->journal_opt)
                                                : wsi_live_journal_new_path (self->recover_dir);
    }
  else
    self->journal = g_strdup (self->journal_opt);
  return wsi_session_finish_open (self, g_steal_pointer (&backend), flags, error);
#else
  g_return_val_if_fail (self != NULL && self->backend == NULL, FALSE);
  (void) flags;
  (void) diags;
  g_set_error_literal (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED,
                       "--live works only in the Windows build of wsinstall");
  return FALSE;
#endif
}
