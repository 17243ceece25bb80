/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-reg.c: `reg export` files to a machine. The .reg syntax is
 * wsi-reg-file.c's; this file picks the Winsock keys of one control set. */
#include "wsi-import-reg.h"

#include <string.h>

#include "wsi-import-private.h"
#include "wsi-reg-file-private.h"

#define REG_DWORD_TYPE 4u

typedef struct {
  char          *root;   /* e.g. HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001 */
  WsiImportTree *tree;
} ControlSet;

typedef struct {
  const char  *display_name;
  WsiDiagList *diags;
  GPtrArray   *sets;         /* ControlSet, in order of appearance */
  ControlSet  *cur;          /* the control set of the current key */
  char        *cur_key;      /* its path below Services */
  gboolean     cur_select;   /* the current key is ...\Select */
  gboolean     have_select;
  guint32      select_current;
} RegImport;

static void
control_set_free (gpointer data)
{
  ControlSet *cs = data;

  g_free (cs->root);
  wsi_import_tree_free (cs->tree);
  g_free (cs);
}

static ControlSet *
get_control_set (RegImport *self, const char *root)
{
  ControlSet *cs;

  for (guint i = 0; i < self->sets->len; i++)
    {
      cs = g_ptr_array_index (self->sets, i);
      if (g_ascii_strcasecmp (cs->root, root) == 0)
        return cs;
    }
  cs = g_new0 (ControlSet, 1);
  cs->root = g_strdup (root);
  cs->tree = wsi_import_tree_new ();
  g_ptr_array_add (self->sets, cs);
  return cs;
}

/* HKLM\SYSTEM\Select (or HKLM\<mounted>\Select, or \Select): its Current
 * value names the control set CurrentControlSet links to. */
static gboolean
is_select_key (const char *path)
{
  g_auto(GStrv) segs = g_strsplit (path, "\\", -1);
  guint n = g_strv_length (segs);

  return n >= 1 && n <= 3 && g_ascii_strcasecmp (segs[n - 1], "Select") == 0;
}

static WsiRegKeyAction
on_key (const char *path, gboolean deleted, int line, gpointer user_data)
{
  RegImport *self = user_data;
  g_autofree char *root = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *why = NULL;

  self->cur = NULL;
  g_clear_pointer (&self->cur_key, g_free);
  self->cur_select = FALSE;

  if (!wsi_import_key_path_is_valid (path, &why))
    {
      wsi_diag_list_add (self->diags, "reg-malformed", self->display_name, line,
                         "the file names %s: no registry has such a key", why);
      return WSI_REG_KEY_ABORT;
    }
  if (!wsi_import_split_services_path (path, &root, &relative))
    {
      self->cur_select = !deleted && is_select_key (path);
      return self->cur_select ? WSI_REG_KEY_WANT : WSI_REG_KEY_SKIP;
    }
  if (!wsi_import_key_is_relevant (relative))
    return WSI_REG_KEY_SKIP;
  if (deleted)
    {
      wsi_diag_list_add (self->diags, "reg-malformed", self->display_name, line,
                         "the file deletes the key %s: a .reg file with deletions is a change script, not an export",
                         path);
      return WSI_REG_KEY_ABORT;
    }
  self->cur = get_control_set (self, root);
  self->cur_key = g_steal_pointer (&relative);
  wsi_import_tree_add_key (self->cur->tree, self->cur_key, line);
  return WSI_REG_KEY_WANT;
}

static gboolean
on_value (const char *name, guint32 type, GBytes *data, int line, gpointer user_data)
{
  RegImport *self = user_data;

  if (self->cur_select)
    {
      gsize len = 0;
      const guint8 *p = data != NULL ? g_bytes_get_data (data, &len) : NULL;

      if (g_ascii_strcasecmp (name, "Current") == 0 && type == REG_DWORD_TYPE && len == 4)
        {
          self->have_select = TRUE;
          self->select_current = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
        }
      return TRUE;
    }
  if (data == NULL)
    {
      wsi_diag_list_add (self->diags, "reg-malformed", self->display_name, line,
                         "the file deletes the value \"%s\": a .reg file with deletions is a change script, not an export",
                         name);
      return FALSE;
    }
  wsi_import_tree_set_value (self->cur->tree, self->cur_key, name, type, data, line);
  return TRUE;
}

static const char *
last_segment (const char *path)
{
  const char *p = strrchr (path, '\\');

  return p != NULL ? p + 1 : path;
}

/* Which control set to read when the file has several: CurrentControlSet
 * is the live one; otherwise Select\Current says which ControlSetNNN is. */
static ControlSet *
choose_control_set (RegImport *self)
{
  g_autofree char *wanted = NULL;
  WsiDiag *diag;

  if (self->sets->len == 1)
    return g_ptr_array_index (self->sets, 0);
  for (guint i = 0; i < self->sets->len; i++)
    {
      ControlSet *cs = g_ptr_array_index (self->sets, i);
      if (g_ascii_strcasecmp (last_segment (cs->root), "CurrentControlSet") == 0)
        return cs;
    }
  if (self->have_select)
    {
      wanted = g_strdup_printf ("ControlSet%03u", self->select_current);
      for (guint i = 0; i < self->sets->len; i++)
        {
          ControlSet *cs = g_ptr_array_index (self->sets, i);
          if (g_ascii_strcasecmp (last_segment (cs->root), wanted) == 0)
            return cs;
        }
    }
  diag = wsi_diag_list_add (self->diags, "reg-malformed", self->display_name, 0,
                            "the file holds the Winsock keys of %u control sets and no Select\\Current naming one of them",
                            self->sets->len);
  wsi_diag_set_hint (diag, "Export HKLM\\SYSTEM\\CurrentControlSet\\Services alone.");
  return NULL;
}

WsiMachine *
wsi_import_reg_memory (const guint8 *data, gsize len, const char *display_name,
                       const WsiImportOptions *options, WsiDiagList *diags)
{
  static const WsiRegFileHandler handler = { on_key, on_value };
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func (control_set_free);
  RegImport self = { display_name, diags, sets, NULL, NULL, FALSE, FALSE, 0 };
  WsiRegFileFormat format = WSI_REG_FILE_REGEDIT5;
  g_autofree char *what = NULL;
  g_autofree char *description = NULL;
  ControlSet *cs;
  gboolean ok;

  g_return_val_if_fail (display_name != NULL && diags != NULL, NULL);

  if (len > WSI_IMPORT_MAX_REG_SIZE)
    {
      wsi_diag_list_add (diags, "file-too-large", display_name, 0, "%" G_GSIZE_FORMAT " bytes; at most %u are read",
                         len, WSI_IMPORT_MAX_REG_SIZE);
      return NULL;
    }
  ok = wsi_reg_file_parse (data, len, display_name, &handler, &self, &format, diags);
  g_free (self.cur_key);
  if (!ok)
    return NULL;
  if (sets->len == 0)
    {
      wsi_diag_list_add (diags, "catalog-keys-inconsistent", display_name, 0,
                         "the file has no Winsock key below ...\\CurrentControlSet\\Services (or ControlSetNNN\\Services)");
      return NULL;
    }
  cs = choose_control_set (&self);
  if (cs == NULL)
    return NULL;
  what = g_strdup_printf ("reg export, %s, %s", format == WSI_REG_FILE_REGEDIT4 ? "REGEDIT4" : "REGEDIT5",
                          last_segment (cs->root));
  description = wsi_import_default_description (display_name, what);
  return wsi_import_tree_build (cs->tree, options, display_name, description, diags);
}

WsiMachine *
wsi_import_reg_file (const char *path, const WsiImportOptions *options, WsiDiagList *diags)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const guint8 *data;

  g_return_val_if_fail (path != NULL && diags != NULL, NULL);

  bytes = wsi_import_read_file (path, WSI_IMPORT_MAX_REG_SIZE, diags);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  return wsi_import_reg_memory (data, len, path, options, diags);
}
