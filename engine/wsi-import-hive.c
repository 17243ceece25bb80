/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-hive.c: the Winsock keys of an offline SYSTEM hive. libhivex
 * parses the regf format (and checks its structure); this file walks only
 * the keys wsi-import-services.c reads. */
#include "wsi-config.h"
#include "wsi-import-hive.h"

#include <errno.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-import-private.h"
#include "wsi-reg-file-private.h"

#if WSI_HAVE_HIVEX
#include <fcntl.h>
#include <hivex.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  hive_h        *h;
  const char    *display_name;
  WsiDiagList   *diags;
  WsiImportTree *tree;
} HiveWalk;

static gboolean
hive_malformed (HiveWalk *w, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
hive_malformed (HiveWalk *w, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (w->diags, "hive-malformed", w->display_name, 0, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
has_control (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      return TRUE;
  return FALSE;
}

/* The child @name of @node (case-insensitive, as hivex matches), 0 when
 * there is none; *@ok FALSE (with a diagnostic) when the hive is damaged. */
static hive_node_h
get_child (HiveWalk *w, hive_node_h node, const char *name, const char *where, gboolean *ok)
{
  hive_node_h child;

  errno = 0;
  child = hivex_node_get_child (w->h, node, name);
  if (child == 0 && errno != 0)
    *ok = hive_malformed (w, "cannot read the subkey %s of %s: %s", name, where, g_strerror (errno));
  return child;
}

/* Copies every value of @node into the tree under @path. */
static gboolean
copy_values (HiveWalk *w, hive_node_h node, const char *path)
{
  g_autofree hive_value_h *values = NULL;

  wsi_import_tree_add_key (w->tree, path, 0);
  values = hivex_node_values (w->h, node);
  if (values == NULL)
    return hive_malformed (w, "cannot read the values of %s: %s", path, g_strerror (errno));
  for (gsize i = 0; values[i] != 0; i++)
    {
      g_autofree char *name = hivex_value_key (w->h, values[i]);
      g_autofree char *data = NULL;
      g_autoptr(GBytes) bytes = NULL;
      hive_type type;
      size_t len = 0;

      if (name == NULL)
        return hive_malformed (w, "cannot read a value name of %s: %s", path, g_strerror (errno));
      if (has_control (name))
        return hive_malformed (w, "a value name of %s has a control character", path);
      if (hivex_value_type (w->h, values[i], &type, &len) != 0)
        return hive_malformed (w, "cannot read the value %s of %s: %s", name, path, g_strerror (errno));
      if (len > WSI_REG_MAX_VALUE_SIZE)
        return hive_malformed (w, "the value %s of %s has %zu bytes; more than any Winsock value", name, path, len);
      data = hivex_value_value (w->h, values[i], &type, &len);
      if (data == NULL)
        return hive_malformed (w, "cannot read the data of %s\\%s: %s", path, name, g_strerror (errno));
      bytes = g_bytes_new (data, len);
      wsi_import_tree_set_value (w->tree, path, name, (guint32) type, bytes, 0);
    }
  return TRUE;
}

/* @node and its subkeys down to @depth levels (Protocol_Catalog9: the
 * catalogs, then their entries). */
static gboolean
copy_tree (HiveWalk *w, hive_node_h node, const char *path, guint depth)
{
  g_autofree hive_node_h *children = NULL;

  if (!copy_values (w, node, path))
    return FALSE;
  if (depth == 0)
    return TRUE;
  children = hivex_node_children (w->h, node);
  if (children == NULL)
    return hive_malformed (w, "cannot read the subkeys of %s: %s", path, g_strerror (errno));
  for (gsize i = 0; children[i] != 0; i++)
    {
      g_autofree char *name = hivex_node_name (w->h, children[i]);
      g_autofree char *child_path = NULL;

      if (name == NULL)
        return hive_malformed (w, "cannot read a subkey name of %s: %s", path, g_strerror (errno));
      if (has_control (name) || strchr (name, '\\') != NULL)
        return hive_malformed (w, "a subkey name of %s has a control character or a backslash", path);
      child_path = g_strconcat (path, "\\", name, NULL);
      if (!copy_tree (w, children[i], child_path, depth - 1))
        return FALSE;
    }
  return TRUE;
}

/* Follows @names below @node; 0 when a key is missing. */
static hive_node_h
walk (HiveWalk *w, hive_node_h node, const char *const *names, gboolean *ok)
{
  for (guint i = 0; names[i] != NULL && node != 0 && *ok; i++)
    node = get_child (w, node, names[i], i == 0 ? "Services" : names[i - 1], ok);
  return node;
}

static gboolean
read_services (HiveWalk *w, hive_node_h services)
{
  static const char *const catalog_path[] = { "WinSock2", "Parameters", "Protocol_Catalog9", NULL };
  static const char *const winsock_path[] = { "Winsock", "Parameters", NULL };
  g_autofree hive_node_h *children = NULL;
  gboolean ok = TRUE;
  hive_node_h node;

  node = walk (w, services, catalog_path, &ok);
  if (!ok)
    return FALSE;
  if (node != 0 && !copy_tree (w, node, "WinSock2\\Parameters\\Protocol_Catalog9", 2))
    return FALSE;

  node = walk (w, services, winsock_path, &ok);
  if (!ok)
    return FALSE;
  if (node != 0)
    {
      hive_node_h san;

      if (!copy_values (w, node, "Winsock\\Parameters"))
        return FALSE;
      san = get_child (w, node, "TCP on SAN", "Winsock\\Parameters", &ok);
      if (!ok)
        return FALSE;
      if (san != 0 && !copy_values (w, san, "Winsock\\Parameters\\TCP on SAN"))
        return FALSE;
    }

  /* Every service's Parameters\Winsock (the WSH helper registrations). */
  children = hivex_node_children (w->h, services);
  if (children == NULL)
    return hive_malformed (w, "cannot read the subkeys of Services: %s", g_strerror (errno));
  for (gsize i = 0; children[i] != 0; i++)
    {
      static const char *const wsh_path[] = { "Parameters", "Winsock", NULL };
      g_autofree char *name = hivex_node_name (w->h, children[i]);
      g_autofree char *path = NULL;

      if (name == NULL)
        return hive_malformed (w, "cannot read a subkey name of Services: %s", g_strerror (errno));
      node = walk (w, children[i], wsh_path, &ok);
      if (!ok)
        return FALSE;
      if (node == 0)
        continue;
      /* Windows never names a key so; a hostile hive could. */
      if (has_control (name) || strchr (name, '\\') != NULL)
        return hive_malformed (w, "a service key name has a control character or a backslash");
      path = g_strconcat (name, "\\Parameters\\Winsock", NULL);
      if (!copy_values (w, node, path))
        return FALSE;
    }
  return TRUE;
}

/* Select\Current: which ControlSetNNN CurrentControlSet is. */
static gboolean
find_services (HiveWalk *w, hive_node_h *services, guint32 *current)
{
  hive_node_h root, select, control_set;
  hive_value_h value;
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  hive_type type;
  size_t len = 0;
  gboolean ok = TRUE;

  root = hivex_root (w->h);
  if (root == 0)
    return hive_malformed (w, "the hive has no root key: %s", g_strerror (errno));
  select = get_child (w, root, "Select", "the root", &ok);
  if (!ok)
    return FALSE;
  if (select == 0)
    return hive_malformed (w, "there is no Select key: this is not a SYSTEM hive");
  errno = 0;
  value = hivex_node_get_value (w->h, select, "Current");
  if (value == 0)
    return hive_malformed (w, "Select has no Current value%s%s", errno != 0 ? ": " : "",
                           errno != 0 ? g_strerror (errno) : "");
  data = hivex_value_value (w->h, value, &type, &len);
  if (data == NULL || type != hive_t_REG_DWORD || len != 4)
    return hive_malformed (w, "Select\\Current is not a REG_DWORD");
  *current = (guint32) (guint8) data[0] | (guint32) (guint8) data[1] << 8 | (guint32) (guint8) data[2] << 16 |
             (guint32) (guint8) data[3] << 24;
  name = g_strdup_printf ("ControlSet%03u", *current);
  control_set = get_child (w, root, name, "the root", &ok);
  if (!ok)
    return FALSE;
  if (control_set == 0)
    return hive_malformed (w, "Select\\Current names %s, which the hive does not have", name);
  *services = get_child (w, control_set, "Services", name, &ok);
  if (!ok)
    return FALSE;
  if (*services == 0)
    return hive_malformed (w, "%s has no Services key", name);
  return TRUE;
}

static WsiMachine *
import_open_hive (hive_h *h, const char *path, const WsiImportOptions *options, WsiDiagList *diags)
{
  g_autoptr(WsiImportTree) tree = wsi_import_tree_new ();
  HiveWalk w = { h, path, diags, tree };
  g_autofree char *what = NULL;
  g_autofree char *description = NULL;
  hive_node_h services = 0;
  guint32 current = 0;

  if (!find_services (&w, &services, &current) || !read_services (&w, services))
    return NULL;
  what = g_strdup_printf ("offline SYSTEM hive, ControlSet%03u", current);
  description = wsi_import_default_description (path, what);
  return wsi_import_tree_build (tree, options, path, description, diags);
}
#endif

gboolean
wsi_import_hive_supported (void)
{
  return WSI_HAVE_HIVEX;
}

WsiMachine *
wsi_import_hive_file (const char *path, const WsiImportOptions *options, WsiDiagList *diags, GError **error)
{
  g_return_val_if_fail (path != NULL && diags != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#if WSI_HAVE_HIVEX
  {
    struct stat st;
    hive_h *h;
    WsiMachine *machine;
    int fd;

    /* Tell an unreadable file from a damaged one before hivex sees it. */
    fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      {
        wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s", g_strerror (errno));
        return NULL;
      }
    if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
      {
        close (fd);
        wsi_diag_list_add (diags, "file-unreadable", path, 0, "not a regular file");
        return NULL;
      }
    close (fd);
    if ((guint64) st.st_size > WSI_IMPORT_MAX_HIVE_SIZE)
      {
        wsi_diag_list_add (diags, "file-too-large", path, 0, "the hive has %" G_GUINT64_FORMAT " bytes; at most %u are read",
                           (guint64) st.st_size, WSI_IMPORT_MAX_HIVE_SIZE);
        return NULL;
      }
    h = hivex_open (path, 0);
    if (h == NULL)
      {
        wsi_diag_list_add (diags, "hive-malformed", path, 0, "not a readable registry hive: %s", g_strerror (errno));
        return NULL;
      }
    machine = import_open_hive (h, path, options, diags);
    hivex_close (h);
    return machine;
  }
#else
  g_set_error (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED,
               "this wsinstall was built without libhivex and cannot read registry hives");
  return NULL;
#endif
}
