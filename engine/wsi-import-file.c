/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-file.c: reading an importer's input file, bounded. */
#include "wsi-import-private.h"

#include <glib/gstdio.h>

#include "wsi-file-private.h"

GBytes *
wsi_import_read_file (const char *path, gsize max_size, WsiDiagList *diags)
{
  g_autofree guint8 *buf = NULL;
  struct stat st;
  gsize got = 0;
  int fd;

  g_return_val_if_fail (path != NULL && diags != NULL, NULL);

  fd = open (path, O_RDONLY | O_BINARY | O_CLOEXEC);
  if (fd < 0)
    {
      wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s", g_strerror (errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;
      close (fd);
      wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s",
                         S_ISDIR (st.st_mode) ? "it is a directory" : g_strerror (saved));
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      close (fd);
      wsi_diag_list_add (diags, "file-too-large", path, 0, "the file has %" G_GUINT64_FORMAT " bytes; at most %"
                         G_GSIZE_FORMAT " are read", (guint64) st.st_size, max_size);
      return NULL;
    }
  /* One byte more than the size, to notice a file that grows meanwhile. */
  buf = g_malloc ((gsize) st.st_size + 1);
  while (got <= (gsize) st.st_size)
    {
      /* Chunks fit an unsigned int (Windows read takes one). */
      gsize want = MIN ((gsize) st.st_size + 1 - got, (gsize) 1 << 30);
      gssize n = read (fd, buf + got, want);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s", g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  close (fd);
  if (got > (gsize) st.st_size)
    {
      wsi_diag_list_add (diags, "file-unreadable", path, 0, "the file grew while it was read");
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buf), got);
}

char *
wsi_import_default_description (const char *display_name, const char *what)
{
  g_autofree char *base = g_path_get_basename (display_name);

  return g_strdup_printf ("Imported from %s (%s)", base, what);
}
