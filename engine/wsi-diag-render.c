/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-diag-render.c */
#include "wsi-config.h"
#include "wsi-diag-render.h"
#include "wsi-json-private.h"
#include "wsi-tags.h"

#include <json-glib/json-glib.h>
#include <string.h>

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
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new (TRUE);

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

/* SARIF 2.1.0 (OASIS), as code scanning services read it.
 *
 * Artifacts: a file under the source root (the working directory, or
 * --sarif-root) is a relative reference with "uriBaseId": "%SRCROOT%", and
 * run.originalUriBaseIds gives %SRCROOT%'s absolute file URI, ending in '/'
 * (the spec wants base URIs to end with a slash); a file outside it is an
 * absolute file URI without a base id (a uriBaseId goes with relative
 * references only). Both are percent-encoded per RFC 3986.
 *
 * A result about a whole file (line 0: unreadable, empty, too large) has
 * no region: §3.29.4 says an absent region means the entire artifact,
 * whereas { "startLine": 1 } would claim line 1 (endLine defaults to
 * startLine), which an empty or unreadable file does not have. */

/* tool.driver.informationUri must be an absolute URI, and
 * wsinstall has no web home yet: the URN names the README's Diagnostics
 * section in the project's own urn:wsinstall: namespace (that of its XML
 * formats). Change it here once a https:// home exists. */
#define WSI_SARIF_INFORMATION_URI "urn:wsinstall:doc:README.md#diagnostics"
#define WSI_SARIF_ROOT_ID "%SRCROOT%"

/* Appends @path percent-encoded: every byte but RFC 3986's unreserved
 * characters and '/' (and, in an absolute URI's path, ':' and '@', which
 * are pchars; in a relative reference a ':' in the first segment would
 * read as a scheme, so it is encoded there). UTF-8 bytes are encoded one
 * by one, as RFC 3987 maps IRIs to URIs. */
static void
wsi_uri_append_path (GString *out, const char *path, gboolean absolute)
{
  for (const guchar *p = (const guchar *) path; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/' ||
          (absolute && (*p == ':' || *p == '@')))
        g_string_append_c (out, (char) *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

/* An absolute path in '/' form: Windows' "C:\dir\f.xml" -> "/C:/dir/f.xml",
 * so that "file://" + it is a file URI with an empty authority. */
static char *
wsi_path_to_uri_path (const char *absolute)
{
  g_autofree char *slashed = g_strdup (absolute);

  g_strdelimit (slashed, "\\", '/');
  if (slashed[0] != '/')
    return g_strconcat ("/", slashed, NULL);
  return g_steal_pointer (&slashed);
}

/* The file URI of @upath (from wsi_path_to_uri_path): "file://" and the
 * path, whose leading '/' makes the authority empty; a Windows UNC path
 * ("//server/share/...") gives its server as the authority. */
static void
wsi_file_uri_append (GString *uri, const char *upath)
{
  g_string_append (uri, g_str_has_prefix (upath, "//") ? "file:" : "file://");
  wsi_uri_append_path (uri, upath, TRUE);
}

/* The absolute file URI of directory @dir, ending in '/'. */
static char *
wsi_sarif_root_uri (const char *dir)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *abs = g_canonicalize_filename (dir != NULL ? dir : ".", cwd);
  g_autofree char *upath = wsi_path_to_uri_path (abs);
  g_autoptr(GString) uri = g_string_new (NULL);

  wsi_file_uri_append (uri, upath);
  if (!g_str_has_suffix (uri->str, "/"))
    g_string_append_c (uri, '/');
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* Names in angle brackets ("<embedded default machine>", "<live machine>")
 * are what a diagnostic says instead of a file: no artifact. */
static gboolean
wsi_diag_file_is_pseudo (const char *file)
{
  return file[0] == '<' && g_str_has_suffix (file, ">");
}

/* Adds "artifactLocation" for @file (relative to the working directory, or
 * absolute), seen from the root directory @root_abs ('/'-separated,
 * absolute, no trailing '/'). */
static void
wsi_sarif_add_artifact_location (JsonBuilder *b, const char *file, const char *root_abs)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *abs = g_canonicalize_filename (file, cwd);
  g_autofree char *upath = wsi_path_to_uri_path (abs);
  g_autoptr(GString) uri = g_string_new (NULL);
  gsize root_len = strlen (root_abs);
  gboolean inside;

  /* The root itself ("validate ."), or a path below it. */
  inside = strncmp (upath, root_abs, root_len) == 0 && (upath[root_len] == '/' || upath[root_len] == '\0');
  if (root_len == 1)   /* the root directory "/" */
    inside = TRUE;
  json_builder_set_member_name (b, "artifactLocation");
  json_builder_begin_object (b);
  if (inside)
    {
      const char *rel = upath + root_len;
      while (*rel == '/')
        rel++;
      wsi_uri_append_path (uri, rel, FALSE);
      json_builder_set_member_name (b, "uri");
      json_builder_add_string_value (b, uri->len > 0 ? uri->str : ".");
      json_builder_set_member_name (b, "uriBaseId");
      json_builder_add_string_value (b, WSI_SARIF_ROOT_ID);
    }
  else
    {
      wsi_file_uri_append (uri, upath);
      json_builder_set_member_name (b, "uri");
      json_builder_add_string_value (b, uri->str);
    }
  json_builder_end_object (b);
}

/* The first sentence of @text: up to the first '.' outside parentheses
 * that ends the text or is followed by white space. */
static char *
wsi_first_sentence (const char *text)
{
  int depth = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      else if (*p == '.' && depth == 0 && (p[1] == '\0' || g_ascii_isspace (p[1])))
        return g_strndup (text, (gsize) (p - text + 1));
    }
  return g_strdup (text);
}

static void
wsi_sarif_add_rules (JsonBuilder *b, const WsiTagInfo *tags, guint n_tags)
{
  json_builder_set_member_name (b, "rules");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_tags; i++)
    {
      g_autofree char *short_text = wsi_first_sentence (tags[i].explanation);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, tags[i].tag);
      wsi_json_add_text_object (b, "shortDescription", short_text);
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
}

static void
wsi_sarif_add_location (JsonBuilder *b, const WsiDiag *d, const char *root_abs)
{
  json_builder_set_member_name (b, "locations");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  if (wsi_diag_file_is_pseudo (d->file))
    {
      /* Not a file: a logical location names it. */
      json_builder_set_member_name (b, "logicalLocations");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, d->file);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "resource");
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  else
    {
      json_builder_set_member_name (b, "physicalLocation");
      json_builder_begin_object (b);
      wsi_sarif_add_artifact_location (b, d->file, root_abs);
      if (d->line > 0)
        {
          json_builder_set_member_name (b, "region");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "startLine");
          json_builder_add_int_value (b, d->line);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
}

/* Every registered tag is a rule, so viewers can show the explanation of
 * a result that has none of its own. */
static JsonNode *
wsi_diag_render_sarif_node (const WsiDiagList *list, const char *root)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_tags = 0;
  const WsiTagInfo *tags = wsi_tags_get_all (&n_tags);
  g_autofree char *root_uri = wsi_sarif_root_uri (root);
  g_autofree char *root_abs = NULL;

  {
    g_autofree char *cwd = g_get_current_dir ();
    g_autofree char *abs = g_canonicalize_filename (root != NULL ? root : ".", cwd);
    root_abs = wsi_path_to_uri_path (abs);
    if (strlen (root_abs) > 1 && g_str_has_suffix (root_abs, "/"))
      root_abs[strlen (root_abs) - 1] = '\0';
  }

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
  json_builder_set_member_name (b, "informationUri");
  json_builder_add_string_value (b, WSI_SARIF_INFORMATION_URI);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, WSI_VERSION);
  json_builder_set_member_name (b, "semanticVersion");
  json_builder_add_string_value (b, WSI_VERSION);
  wsi_sarif_add_rules (b, tags, n_tags);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "originalUriBaseIds");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, WSI_SARIF_ROOT_ID);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uri");
  json_builder_add_string_value (b, root_uri);
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
      {
        /* SARIF wants messages as sentences, ending in a period (the
         * multitool's SARIF2001); wsinstall's messages leave it out. */
        gsize len = strlen (d->message);
        gboolean ends = len > 0 && strchr (".!?", d->message[len - 1]) != NULL;
        g_autofree char *text = ends ? g_strdup (d->message) : g_strconcat (d->message, ".", NULL);
        wsi_json_add_text_object (b, "message", text);
      }
      if (d->file != NULL)
        wsi_sarif_add_location (b, d, root_abs);
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
wsi_diag_render_sarif (const WsiDiagList *list, const char *root)
{
  g_autoptr(JsonNode) node = wsi_diag_render_sarif_node (list, root);

  return wsi_json_node_to_string (node);
}

char *
wsi_diag_render (const WsiDiagList *list, WsiDiagFormat format)
{
  g_autoptr(GString) out = g_string_new (NULL);

  switch (format)
    {
    case WSI_DIAG_FORMAT_JSON:
      return wsi_diag_render_json (list);
    case WSI_DIAG_FORMAT_SARIF:
      return wsi_diag_render_sarif (list, NULL);
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
