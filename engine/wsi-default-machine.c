/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-default-machine.c: the embedded default machine and its state file. */
#include "wsi-default-machine.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "wsi-error.h"
#include "wsi-resources.h"
#include "wsi-snapshot.h"

#define WSI_DEFAULT_MACHINE_RESOURCE "/org/wsinstall/machine/default-machine.xml"

GBytes *
wsi_default_machine_get_reference (void)
{
  GBytes *bytes = g_resource_lookup_data (wsi_get_resource (), WSI_DEFAULT_MACHINE_RESOURCE,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  /* Compiled in by schema/meson.build: absence is a build defect. */
  g_assert (bytes != NULL);
  return bytes;
}

char *
wsi_default_machine_get_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "wsinstall", "default-machine.xml", NULL);
}

static gboolean
wsi_default_machine_write (const char *path, GError **error)
{
  g_autoptr(GBytes) reference = wsi_default_machine_get_reference ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (reference, &len);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "creating %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  /* Atomic like every snapshot write: a crash leaves no half file. */
  if (!g_file_set_contents_full (path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, &local))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "writing %s: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
wsi_default_machine_reset (GError **error)
{
  g_autofree char *path = wsi_default_machine_get_path ();

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return wsi_default_machine_write (path, error);
}

WsiMachine *
wsi_default_machine_load (char **path_out, WsiDiagList *diags)
{
  g_autofree char *path = wsi_default_machine_get_path ();
  WsiMachine *machine;

  g_return_val_if_fail (diags != NULL, NULL);

  if (path_out != NULL)
    *path_out = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !wsi_default_machine_write (path, NULL))
    {
      /* A read-only home still lets `catalog show` and planning work. */
      g_autoptr(GBytes) reference = wsi_default_machine_get_reference ();
      gsize len = 0;
      const char *data = g_bytes_get_data (reference, &len);
      return wsi_snapshot_load_memory (data, len, "<embedded default machine>", diags);
    }
  machine = wsi_snapshot_load_file (path, diags);
  if (machine != NULL && path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return machine;
}
