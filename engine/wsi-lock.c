/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-lock.c */
#include "wsi-lock.h"
#include "wsi-error.h"
#include "wsi-io-private.h"

#include <errno.h>
#include <fcntl.h>
#ifdef G_OS_WIN32
#include <windows.h>
#else
#include <sys/file.h>
#include <unistd.h>
#endif

struct _WsiLock {
#ifdef G_OS_WIN32
  HANDLE mutex;
#else
  int    fd;
#endif
};

#ifdef G_OS_WIN32
WsiLock *
wsi_lock_acquire (const char *name, guint timeout_ms, GError **error)
{
  g_autofree char *digest = name != NULL ? g_compute_checksum_for_string (G_CHECKSUM_SHA1, name, -1) : NULL;
  g_autofree char *mutex_name = g_strdup_printf ("Global\\wsinstall-%s", digest != NULL ? digest : "live-catalog");
  g_autofree gunichar2 *wname = g_utf8_to_utf16 (mutex_name, -1, NULL, NULL, NULL);
  HANDLE mutex = CreateMutexW (NULL, FALSE, (LPCWSTR) wname);
  DWORD rc;
  WsiLock *lock;

  if (mutex == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot create the mutex %s (error %lu)", mutex_name,
                   (unsigned long) GetLastError ());
      return NULL;
    }
  rc = WaitForSingleObject (mutex, timeout_ms);
  /* An abandoned mutex means the previous holder died: the journal tells
   * what it left, and recovery runs before anything else. */
  if (rc != WAIT_OBJECT_0 && rc != WAIT_ABANDONED)
    {
      CloseHandle (mutex);
      g_set_error (error, WSI_ERROR, WSI_ERROR_LOCKED, "another wsinstall holds the machine (waited %u ms)", timeout_ms);
      return NULL;
    }
  lock = g_new0 (WsiLock, 1);
  lock->mutex = mutex;
  return lock;
}

void
wsi_lock_release (WsiLock *lock)
{
  if (lock == NULL)
    return;
  ReleaseMutex (lock->mutex);
  CloseHandle (lock->mutex);
  g_free (lock);
}
#else
WsiLock *
wsi_lock_acquire (const char *name, guint timeout_ms, GError **error)
{
  g_autofree char *path = g_strconcat (name != NULL ? name : "/run/wsinstall-live", ".lock", NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  WsiLock *lock;
  /* Never through a symbolic link, never a device or a FIFO: a planted
   * link would make the lock create or open a file wherever it points. */
  int fd = wsi_io_open (path, O_RDWR | O_CREAT, 0600);

  if (fd < 0)
    {
      wsi_io_set_error (error, "cannot open the lock file", path);
      return NULL;
    }
  /* flock is released by the kernel when the holder dies: a crashed apply
   * never leaves the machine locked. */
  while (wsi_io_lock (fd) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot lock %s: %s", path, g_strerror (errno));
          close (fd);
          return NULL;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_LOCKED, "another wsinstall holds %s (waited %u ms)", name,
                       timeout_ms);
          close (fd);
          return NULL;
        }
      g_usleep (20 * 1000);
    }
  lock = g_new0 (WsiLock, 1);
  lock->fd = fd;
  return lock;
}

void
wsi_lock_release (WsiLock *lock)
{
  if (lock == NULL)
    return;
  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock);
}
#endif
