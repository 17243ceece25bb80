/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-snapshot-save.c: a snapshot's text (wsi-snapshot-write.c) onto disk,
 * atomically, and the removal of the temporary copies a crash between
 * write and rename leaves behind. */
#include "wsi-snapshot.h"
#include "wsi-io-private.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wsi-schema.h"

gboolean
wsi_snapshot_save (const WsiMachine *machine, const char *path, GError **error)
{
  return wsi_snapshot_save_full (machine, path, TRUE, error);
}

/* The temporary copy of SNAPSHOT is SNAPSHOT.wsi-XXXXXX: a name no user
 * file is likely to have, so stale copies can be removed without asking. */
#define WSI_SNAPSHOT_TMP_INFIX ".wsi-"

/* Temporary file in the same directory, written and fsync'ed, renamed over
 * @path: a crash leaves the old file or the new one. The copy gets the
 * replaced file's mode and, where the process may, its owner and group
 * before it is renamed, so an apply never makes a 0600 snapshot readable by
 * all. The rename replaces the directory entry: a hard link to the old
 * snapshot keeps the old contents (documented in the README). Unlike GLib's
 * CONSISTENT mode, the directory is synced only when @durable (the sim
 * backend does it once for many writes). */
static gboolean
wsi_snapshot_write_atomic (const char *path, const char *text, gboolean durable, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, WSI_SNAPSHOT_TMP_INFIX "XXXXXX", NULL);
  GStatBuf st;
  gboolean keep = FALSE;
  int fd;

  /* An existing snapshot must be a regular file: the rename would replace
   * a symbolic link or a device node by a file. */
  if (g_lstat (path, &st) == 0)
    {
      if (!S_ISREG (st.st_mode))
        {
#ifdef S_ISLNK
          errno = S_ISLNK (st.st_mode) ? ELOOP : ENODEV;
#else
          errno = ENODEV;
#endif
          return wsi_io_set_error (error, "writing the snapshot", path);
        }
      keep = TRUE;
    }
  fd = wsi_io_mkstemp (tmp, keep ? (int) (st.st_mode & 0777) : 0644);
  if (fd < 0)
    return wsi_io_set_error (error, "writing the snapshot", path);
#ifndef G_OS_WIN32
  if (keep)
    {
      /* The owner first: chown may clear set-id bits that fchmod sets. A
       * process that may not give the file away (not root) keeps its own
       * ownership, as any editor's save would. */
      if (fchown (fd, st.st_uid, st.st_gid) != 0 && errno != EPERM)
        {
          int saved = errno;
          close (fd);
          g_unlink (tmp);
          errno = saved;
          return wsi_io_set_error (error, "keeping the owner of the snapshot", path);
        }
      if (fchmod (fd, st.st_mode & 07777) != 0)
        {
          int saved = errno;
          close (fd);
          g_unlink (tmp);
          errno = saved;
          return wsi_io_set_error (error, "keeping the mode of the snapshot", path);
        }
    }
#endif
  if (wsi_io_write_all (fd, text, strlen (text)) != 0 || wsi_io_fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      g_unlink (tmp);
      errno = saved;
      return wsi_io_set_error (error, "writing the snapshot", path);
    }
  if (close (fd) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      errno = saved;
      return wsi_io_set_error (error, "writing the snapshot", path);
    }
  if (wsi_io_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      errno = saved;
      return wsi_io_set_error (error, "replacing the snapshot", path);
    }
  if (durable && wsi_io_fsync_dir (path) != 0)
    return wsi_io_set_error (error, "syncing the directory of the snapshot", path);
  return TRUE;
}

gboolean
wsi_snapshot_save_full (const WsiMachine *machine, const char *path, gboolean durable, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (machine != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = wsi_snapshot_to_string (machine);
  return wsi_snapshot_write_atomic (path, text, durable, error);
}

/* A leftover of an older wsinstall, whose copies were SNAPSHOT.XXXXXX: six
 * characters of mkstemp's alphabet, and a file that holds nothing or the
 * start of a snapshot (so "m.xml.backup", a user's copy of something else,
 * stays). */
static gboolean
wsi_snapshot_is_legacy_tmp (const char *dir, const char *name, gsize base_len)
{
  const char *suffix = name + base_len + 1;
  g_autofree char *full = NULL;
  char head[512];
  int fd;
  gssize n;

  if (name[base_len] != '.' || strlen (suffix) != 6)
    return FALSE;
  for (const char *p = suffix; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  full = g_build_filename (dir, name, NULL);
  fd = g_open (full, O_RDONLY | O_BINARY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd < 0)
    return FALSE;
  n = read (fd, head, sizeof head - 1);
  close (fd);
  if (n < 0)
    return FALSE;
  head[n] = '\0';
  return n == 0 || (g_str_has_prefix (head, "<?xml") && strstr (head, WSI_SNAPSHOT_NS) != NULL) ||
         (n < (gssize) strlen ("<?xml") && strncmp (head, "<?xml", (size_t) n) == 0);
}

gboolean
wsi_snapshot_remove_stale_copies (const char *path, guint *removed, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  gsize base_len = strlen (base);
  const char *name;

  if (removed != NULL)
    *removed = 0;
  if (d == NULL)
    return TRUE;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *full = NULL;
      GStatBuf st;
      gboolean ours;

      if (strncmp (name, base, base_len) != 0)
        continue;
      ours = g_str_has_prefix (name + base_len, WSI_SNAPSHOT_TMP_INFIX) &&
             strlen (name + base_len) == strlen (WSI_SNAPSHOT_TMP_INFIX) + 6;
      if (!ours && !wsi_snapshot_is_legacy_tmp (dir, name, base_len))
        continue;
      full = g_build_filename (dir, name, NULL);
      if (g_lstat (full, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (wsi_io_unlink (full) != 0 && errno != ENOENT)
        return wsi_io_set_error (error, "removing the stale copy", full);
      if (removed != NULL)
        (*removed)++;
    }
  return TRUE;
}
