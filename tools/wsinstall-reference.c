/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-reference.c: the reference catalogs (snapshots of real Windows
 * versions, data/reference/) as installed with wsinstall, named ref:NAME
 * wherever a command reads a machine, and `catalog list`.
 *
 * They are read in place, never copied, so they are read-only: a command
 * that would change the machine refuses ref:NAME before it locks or writes
 * anything. */
#include "wsi-config.h"
#include "wsinstall-cli.h"

#include <string.h>

#include "wsinstall.h"
#include "wsinstall-paths.h"

gboolean
wsi_cli_is_reference (const char *arg)
{
  return arg != NULL && g_str_has_prefix (arg, WSI_REFERENCE_PREFIX);
}

/* The installed directory found from where this program is, so a moved
 * prefix, a `meson install --destdir` copy and a Windows folder work
 * without a fixed path. NULL where the program's location is unknown. */
static char *
wsi_reference_dir_beside_program (void)
{
#ifdef G_OS_WIN32
  /* The folder of wsinstall.exe, or its parent when that is a bin\. */
  g_autofree char *prefix = g_win32_get_package_installation_directory_of_module (NULL);
  g_autofree char *dir = prefix != NULL ? g_build_filename (prefix, WSI_REFERENCE_SUBDIR, NULL) : NULL;

  return dir != NULL ? g_canonicalize_filename (dir, NULL) : NULL;
#else
  g_autofree char *exe = NULL;
  g_autofree char *bindir = NULL;
  g_autofree char *dir = NULL;

  if (WSI_REFERENCE_DIR_FROM_BINDIR[0] == '\0')
    return NULL;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return NULL;
  bindir = g_path_get_dirname (exe);
  dir = g_build_filename (bindir, WSI_REFERENCE_DIR_FROM_BINDIR, NULL);
  return g_canonicalize_filename (dir, NULL);
#endif
}

char *
wsi_cli_reference_dir (const char **origin, char **looked)
{
  const char *env = g_getenv ("WSINSTALL_REFERENCE_DIR");
  g_autofree char *beside = NULL;
  const char *origin_unused;

  if (origin == NULL)
    origin = &origin_unused;
  /* The variable, when set, is the only place: a test or a developer that
   * names a directory must not silently get another. */
  if (env != NULL && *env != '\0')
    {
      *origin = "$WSINSTALL_REFERENCE_DIR";
      if (g_file_test (env, G_FILE_TEST_IS_DIR))
        return g_strdup (env);
      if (looked != NULL)
        *looked = g_strdup_printf ("%s ($WSINSTALL_REFERENCE_DIR)", env);
      return NULL;
    }
  beside = wsi_reference_dir_beside_program ();
  if (beside != NULL && g_file_test (beside, G_FILE_TEST_IS_DIR))
    {
      *origin = "installed beside this program";
      return g_steal_pointer (&beside);
    }
  if (g_file_test (WSI_REFERENCE_DIR, G_FILE_TEST_IS_DIR))
    {
      *origin = "the configured datadir";
      return g_strdup (WSI_REFERENCE_DIR);
    }
  if (looked != NULL)
    *looked = beside != NULL && g_strcmp0 (beside, WSI_REFERENCE_DIR) != 0
                ? g_strdup_printf ("%s and %s", beside, WSI_REFERENCE_DIR)
                : g_strdup (WSI_REFERENCE_DIR);
  return NULL;
}

/* A reference name is a file name without .xml: letters, digits, '.', '-'
 * and '_', not starting with '.', so ref:NAME never leaves the directory. */
static gboolean
wsi_reference_name_is_valid (const char *name)
{
  if (name[0] == '\0' || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gint
wsi_compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The reference names in @dir, sorted. */
static GPtrArray *
wsi_reference_names (const char *dir)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *file;

  while (d != NULL && (file = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *name = NULL;

      if (!g_str_has_suffix (file, ".xml"))
        continue;
      name = g_strndup (file, strlen (file) - strlen (".xml"));
      if (wsi_reference_name_is_valid (name))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_ptr_array_sort (names, wsi_compare_names);
  return names;
}

/* ref:NAME's file, or NULL with a file-unreadable diagnostic that says why
 * (an unknown name, with the names there are; no reference directory). */
static char *
wsi_reference_file (const char *arg, WsiDiagList *diags)
{
  const char *name = arg + strlen (WSI_REFERENCE_PREFIX);
  g_autofree char *dir = NULL;
  g_autofree char *looked = NULL;
  g_autofree char *file = NULL;
  const char *origin = NULL;

  if (!wsi_reference_name_is_valid (name))
    {
      wsi_diag_set_hint (wsi_diag_list_add (diags, "file-unreadable", arg, 0, "'%s' is not a reference catalog's name",
                                            name),
                         "`wsinstall catalog list` shows the reference catalogs.");
      return NULL;
    }
  dir = wsi_cli_reference_dir (&origin, &looked);
  if (dir == NULL)
    {
      wsi_diag_list_add (diags, "file-unreadable", arg, 0,
                         "no reference catalogs are installed (looked for %s; from a build tree, set "
                         "WSINSTALL_REFERENCE_DIR to the source tree's data/reference)", looked);
      return NULL;
    }
  wsi_cli_verbose ("reference catalogs: %s (%s)", dir, origin);
  file = g_strconcat (dir, G_DIR_SEPARATOR_S, name, ".xml", NULL);
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GPtrArray) names = wsi_reference_names (dir);
      g_autofree char *known = NULL;

      g_ptr_array_add (names, NULL);
      known = g_strjoinv (", ", (char **) names->pdata);
      wsi_diag_set_hint (wsi_diag_list_add (diags, "file-unreadable", arg, 0,
                                            "no reference catalog '%s' in %s (there are: %s)", name, dir,
                                            *known != '\0' ? known : "none"),
                         "`wsinstall catalog list` shows the reference catalogs.");
      return NULL;
    }
  return g_steal_pointer (&file);
}

WsiMachine *
wsi_cli_load_snapshot (const char *arg, WsiDiagList *diags)
{
  g_autofree char *file = NULL;

  if (!wsi_cli_is_reference (arg))
    return wsi_snapshot_load_file (arg, diags);
  file = wsi_reference_file (arg, diags);
  if (file == NULL)
    return NULL;
  wsi_cli_verbose ("%s: %s", arg, file);
  return wsi_snapshot_load_file (file, diags);
}

gboolean
wsi_cli_refuse_reference (const char *arg, WsiDiagList *diags, int *rc)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  const char *command;

  if (!wsi_cli_is_reference (arg))
    return TRUE;
  dir = wsi_cli_reference_dir (NULL, NULL);
  file = dir != NULL ? g_strdup_printf ("its file is %s%s%s.xml", dir, G_DIR_SEPARATOR_S,
                                        arg + strlen (WSI_REFERENCE_PREFIX))
                     : g_strdup ("and none are installed");
  /* Only repair --apply gets here of the repair command. */
  command = g_strcmp0 (g_get_prgname (), "wsinstall repair") == 0 ? "wsinstall repair --apply" : g_get_prgname ();
  wsi_diag_list_add (diags, "reference-read-only", arg, 0,
                     "%s would change the machine, and a reference catalog is read-only (%s)", command, file);
  *rc = wsi_cli_finish_diags (diags, WSI_EXIT_USAGE);
  return FALSE;
}

/* ---------------- catalog list ---------------- */

int
wsi_cmd_catalog_list (int argc, char **argv)
{
  gboolean names_only = FALSE;
  const GOptionEntry entries[] = {
    { "names", 0, 0, G_OPTION_ARG_NONE, &names_only, "Only the names, one a line (for scripts)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *looked = NULL;
  const char *origin = NULL;
  int width = 0;

  g_option_context_set_summary (ctx,
    "List the reference catalogs: snapshots of real Windows versions installed\n"
    "with wsinstall. Commands that read a machine take them as --machine\n"
    "ref:NAME (catalog diff and export as ref:NAME); they are read-only, so\n"
    "apply, uninstall, recover and repair --apply refuse them. Each line: the\n"
    "name, the machine kind, and the snapshot's description (what it is and\n"
    "where it came from).\n\n"
    "Exit status: 0 listed, 1 a reference cannot be read, 2 usage error or\n"
    "no reference directory.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc > 1)
    return wsi_cli_usage_error ("catalog list takes no arguments");
  dir = wsi_cli_reference_dir (&origin, &looked);
  if (dir == NULL)
    return wsi_cli_usage_error ("no reference catalogs are installed (looked for %s; from a build tree, set "
                                "WSINSTALL_REFERENCE_DIR to the source tree's data/reference)", looked);
  wsi_cli_verbose ("reference catalogs: %s (%s)", dir, origin);

  names = wsi_reference_names (dir);
  for (guint i = 0; i < names->len; i++)
    width = MAX (width, (int) strlen (g_ptr_array_index (names, i)));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *file = NULL;
      g_autoptr(WsiMachine) machine = NULL;
      const char *description;

      if (names_only)
        {
          g_string_append_printf (out, "%s\n", name);
          continue;
        }
      file = g_strconcat (dir, G_DIR_SEPARATOR_S, name, ".xml", NULL);
      machine = wsi_snapshot_load_file (file, diags);
      if (machine == NULL)
        continue;
      description = wsi_machine_get_description (machine);
      g_string_append_printf (out, "%-*s  %-3s  %s\n", width, name,
                              wsi_machine_kind_to_string (wsi_machine_get_kind (machine)),
                              description != NULL && *description != '\0' ? description : "(no description)");
    }
  if (!wsi_cli_print (out->str))
    return WSI_EXIT_USAGE;
  return wsi_cli_finish_diags (diags, wsi_diag_list_has_errors (diags) ? WSI_EXIT_PROBLEMS : WSI_EXIT_OK);
}
