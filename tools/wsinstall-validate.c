/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-validate.c: `wsinstall validate`. */
#include "wsinstall-cli.h"

#include <gio/gio.h>

#include "wsinstall.h"

static gint
wsi_compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Collects the *.xml files below @dir, sorted, so output is deterministic. */
static gboolean
wsi_collect_xml (const char *dir, GPtrArray *out, WsiDiagList *diags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    {
      wsi_diag_list_add (diags, "file-unreadable", dir, 0, "%s", error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, wsi_compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!wsi_collect_xml (path, out, diags))
            return FALSE;
        }
      else if (g_str_has_suffix (path, ".xml"))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
  return TRUE;
}

/* Files are handed out one at a time to the workers; each file's
 * diagnostics go to its own list, merged in file order afterwards, so the
 * output is the same for any number of jobs. */
typedef struct {
  GPtrArray    *files;
  WsiDiagList **results;
  gint          next;
} WsiValidateWork;

static gpointer
wsi_validate_worker (gpointer data)
{
  WsiValidateWork *work = data;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&work->next, 1);
      g_autoptr(WsiManifest) manifest = NULL;

      if (i >= work->files->len)
        return NULL;
      /* Each file gets the whole pipeline (parse, XSD, semantic checks);
       * one bad file never stops the others from being checked. */
      work->results[i] = wsi_diag_list_new ();
      manifest = wsi_manifest_load_file (g_ptr_array_index (work->files, i), work->results[i]);
    }
}

static void
wsi_validate_files (GPtrArray *files, guint jobs, WsiDiagList *diags, gboolean *io_failed)
{
  WsiValidateWork work = { files, g_new0 (WsiDiagList *, MAX (files->len, 1)), 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  jobs = MIN (jobs, files->len);
  for (guint t = 1; t < jobs; t++)
    g_ptr_array_add (threads, g_thread_new ("validate", wsi_validate_worker, &work));
  wsi_validate_worker (&work);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));

  for (guint i = 0; i < files->len; i++)
    {
      WsiDiagList *file_diags = work.results[i];

      /* A file that cannot be opened is a usage/IO problem (exit 2); one
       * that opens but is bad is a manifest problem (exit 1). */
      for (guint k = 0; k < wsi_diag_list_get_size (file_diags); k++)
        if (g_strcmp0 (wsi_diag_list_get (file_diags, k)->tag, "file-unreadable") == 0)
          *io_failed = TRUE;
      wsi_diag_list_take_all (diags, file_diags);
      wsi_diag_list_free (file_diags);
    }
  g_free (work.results);
}

int
wsi_cmd_validate (int argc, char **argv)
{
  g_autofree char *format_name = NULL;
  gboolean strict = FALSE;
  gint jobs = 0;
  g_autofree char *sarif_root = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "Output format: text, json, sarif, github", "FORMAT" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Fail on warnings too", NULL },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Check N files at once (default: one per processor, at most 8)", "N" },
    WSI_CLI_SARIF_ROOT_ENTRY (sarif_root),
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("PATH…");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  WsiDiagFormat format = WSI_DIAG_FORMAT_TEXT;
  gboolean io_failed = FALSE;

  g_option_context_set_summary (ctx,
    "Check manifests against the schema and the semantic rules.\n"
    "A directory means every *.xml below it.\n\n"
    "Exit status: 0 no errors (and no warnings with --strict), 1 errors found,\n"
    "2 usage error or a path that cannot be read.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (format_name != NULL && !wsi_diag_format_from_string (format_name, &format))
    return wsi_cli_usage_error ("unknown format '%s' (text, json, sarif, github)", format_name);
  if (argc < 2)
    return wsi_cli_usage_error ("validate needs at least one PATH");
  if (!wsi_cli_check_sarif_root (sarif_root))
    return WSI_EXIT_USAGE;
  if (jobs < 0 || jobs > 256)
    return wsi_cli_usage_error ("--jobs takes a number from 1 to 256 (0: one per processor)");

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        io_failed |= !wsi_collect_xml (argv[i], files, diags);
      else
        g_ptr_array_add (files, g_strdup (argv[i]));
    }

  if (jobs == 0)
    jobs = (gint) MIN (g_get_num_processors (), 8);
  wsi_validate_files (files, (guint) jobs, diags, &io_failed);

  wsi_diag_list_sort (diags);
  out = wsi_cli_render_diags (diags, format, sarif_root);
  if (!wsi_cli_print_diags (out, format))
    return WSI_EXIT_USAGE;
  if (io_failed)
    return WSI_EXIT_USAGE;
  if (wsi_diag_list_has_errors (diags))
    return WSI_EXIT_PROBLEMS;
  if (strict && wsi_diag_list_count (diags, WSI_SEVERITY_WARNING) > 0)
    return WSI_EXIT_PROBLEMS;
  return WSI_EXIT_OK;
}
