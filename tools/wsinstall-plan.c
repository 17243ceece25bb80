/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-plan.c: `wsinstall plan`. */
#include "wsinstall-cli.h"

#include "wsinstall.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-plan-private.h"
#include "wsi-snapshot.h"

int
wsi_cli_load_manifests (int argc, char **argv, GPtrArray *out, WsiDiagList *diags)
{
  int rc = WSI_EXIT_OK;

  for (int i = 1; i < argc; i++)
    {
      guint before = wsi_diag_list_get_size (diags);
      WsiManifest *m = wsi_manifest_load_file (argv[i], diags);
      if (m != NULL)
        {
          g_ptr_array_add (out, m);
          continue;
        }
      rc = MAX (rc, WSI_EXIT_PROBLEMS);
      for (guint k = before; k < wsi_diag_list_get_size (diags); k++)
        if (g_strcmp0 (wsi_diag_list_get (diags, k)->tag, "file-unreadable") == 0)
          rc = WSI_EXIT_USAGE;
    }
  return rc;
}

int
wsi_cli_finish_diags (WsiDiagList *diags, int rc)
{
  g_autofree char *text = NULL;

  wsi_diag_list_sort (diags);
  text = wsi_diag_render (diags, WSI_DIAG_FORMAT_TEXT);
  if (wsi_cli_color_enabled (2))
    {
      g_autofree char *colored = wsi_cli_colorize_diags (text);
      g_printerr ("%s", colored);
    }
  else
    g_printerr ("%s", text);
  return rc;
}

int
wsi_cli_finish_plan_document (const WsiPlan *plan, const WsiDiagList *diags, int rc)
{
  wsi_cli_document_output ();
  if (!wsi_plan_write_json (plan, diags, stdout) || fflush (stdout) != 0)
    {
      g_printerr ("wsinstall: writing the output failed\n");
      return WSI_EXIT_USAGE;
    }
  return rc;
}

int
wsi_cmd_plan (int argc, char **argv)
{
  g_autofree char *machine_path = NULL;
  g_autofree char *format = NULL;
  gboolean uninstall = FALSE;
  gboolean force = FALSE;
  gboolean adopt = FALSE;
  gboolean live = FALSE;
  const GOptionEntry entries[] = {
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, "Plan against this computer's live catalogs (Windows builds)", NULL },
    { "machine", 'm', 0, G_OPTION_ARG_FILENAME, &machine_path, "The machine snapshot to plan against, or ref:NAME, a reference catalog (default: $WSINSTALL_MACHINE, else the default machine)", "SNAPSHOT" },
    { "uninstall", 'u', 0, G_OPTION_ARG_NONE, &uninstall, "Plan removing the manifests' products instead", NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Allow planning a downgrade (with --uninstall: remove a newer installed version)", NULL },
    { "adopt", 0, 0, G_OPTION_ARG_NONE, &adopt, "Take over entries with the manifest's GUIDs that no install record claims (never Windows' or another product's)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "Output format: text (default), json, or html (a report to open in a browser)", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MANIFEST…");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  g_autoptr(WsiMachine) machine = NULL;
  g_autoptr(WsiPlan) plan = NULL;
  g_autofree char *out = NULL;
  WsiDiagFormat format_id;
  gboolean html = FALSE;
  int rc;

  g_option_context_set_summary (ctx,
    "Compute, without changing anything, the steps that install (or with\n"
    "--uninstall remove) the manifests on a machine: per catalog, with the\n"
    "IDs Windows will assign, each step's undo, and what sockets get.\n\n"
    "Exit status: 0 plan computed (possibly empty), 1 manifest or machine\n"
    "errors, 2 usage error or unreadable input.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  /* html: a page for people; like text, the diagnostics go to stderr. */
  html = g_strcmp0 (format, "html") == 0;
  if (!html && !wsi_cli_parse_text_or_json (format, &format_id))
    return wsi_cli_usage_error ("unknown format '%s' (text, json, html)", format);
  if (html)
    format_id = WSI_DIAG_FORMAT_TEXT;
  if (argc < 2)
    return wsi_cli_usage_error ("plan needs at least one MANIFEST");

  if (live)
    {
      g_autofree char *display = NULL;
      if (!wsi_cli_live_usage (live, machine_path, &rc))
        return rc;
      machine = wsi_cli_load_live (diags, &display, &rc);
    }
  else
    machine = wsi_cli_load_machine (machine_path, diags, &rc);
  if (machine != NULL)
    rc = wsi_cli_load_manifests (argc, argv, manifests, diags);
  if (machine != NULL && rc == WSI_EXIT_OK)
    {
      plan = wsi_plan_build (machine, (WsiManifest *const *) manifests->pdata, manifests->len,
                             (uninstall ? WSI_PLAN_FLAG_UNINSTALL : 0) | (force ? WSI_PLAN_FLAG_FORCE : 0) |
                               (adopt ? WSI_PLAN_FLAG_ADOPT : 0), diags);
      rc = plan != NULL ? WSI_EXIT_OK : WSI_EXIT_PROBLEMS;
    }
  /* The plan keeps its own copies of the machine (before and after): the
   * loaded one is not held while a large plan is rendered. */
  g_clear_pointer (&machine, wsi_machine_free);
  /* JSON: one document, the diagnostics (warnings too) inside it. Text:
   * the diagnostics to stderr, the plan to stdout. */
  wsi_diag_list_sort (diags);
  if (format_id == WSI_DIAG_FORMAT_JSON)
    {
      return wsi_cli_finish_plan_document (plan, diags, rc);
    }
  wsi_cli_finish_diags (diags, rc);
  if (plan == NULL)
    return rc;
  out = html ? wsi_plan_to_html (plan) : wsi_plan_to_text (plan);
  return wsi_cli_print (out) ? WSI_EXIT_OK : WSI_EXIT_USAGE;
}
