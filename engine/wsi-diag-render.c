/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-diag-render.c */
#include "wsi-config.h"
#include "wsi-diag-render.h"
#include "wsi-json-private.h"
#include "wsi-tags.h"

#include <json-glib/json-glib.h>

gboolean
wsi_diag_format_from_string (const char *name, WsiDiagFormat *format)
{
  static const struct { const char *name; WsiDiagFormat format; } formats[] = {
    { "text", WSI_DIAG_FORMAT_TEXT },
    { "json", WSI_DIAG_FORMAT_JSON },
    { "sarif", WSI_DIAG_FORMAT_SARIF },
    { "github", WSI_DIAG_FORMAT_GITHUB },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (name, formats[i].name) == 0)
      {
        *format = formats[i].format;
        return TRUE;
      }
  return FALSE;
}

static void
wsi_diag_render_text (const WsiDiagList *list, GString *out)
{
  for (guint i = 0; i < wsi_diag_list_get_size (list); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (list, i);
      if (d->file != NULL && d->line > 0)
        g_string_append_printf (out, "%s:%d: ", d->file, d->line);
      else if (d->file != NULL)
        g_string_append_printf (out, "%s: ", d->file);
      g_string_append_printf (out, "%s [%s]: %s\n", wsi_severity_to_string (d->severity), d->tag, d->message);
      if (d->hint != NULL)
        g_string_append_printf (out, "  hint: %s\n", d->hint);
    }
}

/* The versioned document "wsinstall-diagnostics"
 * (schema/wsinstall-diagnostics.schema.json): every other document carries
 * its diagnostics the same way (wsi_json_end_document). */
static char *
wsi_diag_render_json (const WsiDiagList *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  wsi_json_begin_document (b, WSI_JSON_DIAGNOSTICS);
  wsi_json_end_document (b, list);
  return wsi_json_to_string (b);
}

static const char *
wsi_sarif_level (WsiSeverity severity)
{
  switch (severity)
    {
    case WSI_SEVERITY_WARNING: return "warning";
    case WSI_SEVERITY_INFO: return "note";
    case WSI_SEVERITY_ERROR:
    default: return "error";
    }
}

static void
wsi_json_add_text_object (JsonBuilder *b, const char *member, const char *text)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
}

/* SARIF 2.1.0: every registered tag is a rule, so viewers can show the
 * explanation of a result that has none of its own. */
static JsonNode *
wsi_diag_render_sarif_node (const WsiDiagList *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_tags = 0;
  const WsiTagInfo *tags = wsi_tags_get_all (&n_tags);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "$schema");
  json_builder_add_string_value (b, "https://json.schemastore.org/sarif-2.1.0.json");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "2.1.0");
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "tool");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "driver");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "wsinstall");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, WSI_VERSION);
  json_builder_set_member_name (b, "rules");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_tags; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, tags[i].tag);
      wsi_json_add_text_object (b, "shortDescription", tags[i].tag);
      wsi_json_add_text_object (b, "fullDescription", tags[i].explanation);
      if (tags[i].hint != NULL)
        wsi_json_add_text_object (b, "help", tags[i].hint);
      json_builder_set_member_name (b, "defaultConfiguration");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, wsi_sarif_level (tags[i].severity));
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < wsi_diag_list_get_size (list); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (list, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ruleId");
      json_builder_add_string_value (b, d->tag);
      for (guint t = 0; t < n_tags; t++)
        if (g_strcmp0 (tags[t].tag, d->tag) == 0)
          {
            json_builder_set_member_name (b, "ruleIndex");
            json_builder_add_int_value (b, t);
            break;
          }
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, wsi_sarif_level (d->severity));
      wsi_json_add_text_object (b, "message", d->message);
      if (d->file != NULL)
        {
          json_builder_set_member_name (b, "locations");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "physicalLocation");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "artifactLocation");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "uri");
          json_builder_add_string_value (b, d->file);
          json_builder_end_object (b);
          if (d->line > 0)
            {
              json_builder_set_member_name (b, "region");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "startLine");
              json_builder_add_int_value (b, d->line);
              json_builder_end_object (b);
            }
          json_builder_end_object (b);
          json_builder_end_object (b);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Workflow commands: data escapes %, CR, LF; properties also ':' and ','. */
static void
wsi_github_escape (GString *out, const char *s, gboolean property)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '%': g_string_append (out, "%25"); break;
        case '\r': g_string_append (out, "%0D"); break;
        case '\n': g_string_append (out, "%0A"); break;
        case ':': if (property) g_string_append (out, "%3A"); else g_string_append_c (out, ':'); break;
        case ',': if (property) g_string_append (out, "%2C"); else g_string_append_c (out, ','); break;
        default: g_string_append_c (out, *p);
        }
    }
}

static void
wsi_diag_render_github (const WsiDiagList *list, GString *out)
{
  for (guint i = 0; i < wsi_diag_list_get_size (list); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (list, i);
      const char *cmd = d->severity == WSI_SEVERITY_ERROR ? "error"
                      : d->severity == WSI_SEVERITY_WARNING ? "warning" : "notice";
      g_autofree char *msg = d->hint != NULL ? g_strdup_printf ("%s (%s)", d->message, d->hint) : g_strdup (d->message);

      g_string_append_printf (out, "::%s ", cmd);
      if (d->file != NULL)
        {
          g_string_append (out, "file=");
          wsi_github_escape (out, d->file, TRUE);
          if (d->line > 0)
            g_string_append_printf (out, ",line=%d", d->line);
          g_string_append_c (out, ',');
        }
      g_string_append (out, "title=");
      wsi_github_escape (out, d->tag, TRUE);
      g_string_append (out, "::");
      wsi_github_escape (out, msg, FALSE);
      g_string_append_c (out, '\n');
    }
}

static char *
wsi_json_node_to_string (JsonNode *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *s = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  s = json_generator_to_data (gen, NULL);
  return g_strconcat (s, "\n", NULL);
}

char *
wsi_diag_render (const WsiDiagList *list, WsiDiagFormat format)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonNode) root = NULL;

  switch (format)
    {
    case WSI_DIAG_FORMAT_JSON:
      return wsi_diag_render_json (list);
    case WSI_DIAG_FORMAT_SARIF:
      root = wsi_diag_render_sarif_node (list);
      return wsi_json_node_to_string (root);
    case WSI_DIAG_FORMAT_GITHUB:
      wsi_diag_render_github (list, out);
      break;
    case WSI_DIAG_FORMAT_TEXT:
    default:
      wsi_diag_render_text (list, out);
      break;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
