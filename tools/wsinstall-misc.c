/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-misc.c: `explain` and `schema`. */
#include "wsinstall-cli.h"

#include <stdio.h>

#include "wsinstall.h"

static void
wsi_print_tag_list (gboolean markdown)
{
  guint n = 0;
  const WsiTagInfo *tags = wsi_tags_get_all (&n);

  if (markdown)
    g_print ("| tag | severity | meaning |\n|---|---|---|\n");
  for (guint i = 0; i < n; i++)
    {
      if (markdown)
        g_print ("| `%s` | %s | %s |\n", tags[i].tag, wsi_severity_to_string (tags[i].severity), tags[i].explanation);
      else
        g_print ("%-28s %s\n", tags[i].tag, wsi_severity_to_string (tags[i].severity));
    }
}

int
wsi_cmd_explain (int argc, char **argv)
{
  gboolean list = FALSE;
  gboolean markdown = FALSE;
  const GOptionEntry entries[] = {
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, "List every tag", NULL },
    { "markdown", 0, 0, G_OPTION_ARG_NONE, &markdown, "With --list: a Markdown table (the README's)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("TAG");
  const WsiTagInfo *info;

  g_option_context_set_summary (ctx, "Print what a diagnostic tag means and what to do about it.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (list)
    {
      wsi_print_tag_list (markdown);
      return WSI_EXIT_OK;
    }
  if (argc != 2)
    return wsi_cli_usage_error ("explain takes exactly one TAG (or --list)");
  info = wsi_tag_lookup (argv[1]);
  if (info == NULL)
    return wsi_cli_usage_error ("unknown tag '%s' (wsinstall explain --list shows them all)", argv[1]);
  g_print ("%s (%s)\n\n%s\n", info->tag, wsi_severity_to_string (info->severity), info->explanation);
  if (info->hint != NULL)
    g_print ("\nWhat to do: %s\n", info->hint);
  return WSI_EXIT_OK;
}

int
wsi_cmd_schema (int argc, char **argv)
{
  gboolean snapshot = FALSE;
  const GOptionEntry entries[] = {
    { "snapshot", 0, 0, G_OPTION_ARG_NONE, &snapshot, "Print the machine snapshot schema instead", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const char *data;

  g_option_context_set_summary (ctx, "Print the XML schema (XSD) of manifests, as embedded in this wsinstall.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 1)
    return wsi_cli_usage_error ("schema takes no arguments");
  bytes = wsi_schema_get_bytes (snapshot ? WSI_SCHEMA_SNAPSHOT : WSI_SCHEMA_MANIFEST);
  data = g_bytes_get_data (bytes, &len);
  if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
    return wsi_cli_usage_error ("writing the output failed");
  return WSI_EXIT_OK;
}
