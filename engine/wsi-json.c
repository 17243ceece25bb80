/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json.c: the members and the frame every JSON document shares (see
 * wsi-json-private.h). */
#include "wsi-json-private.h"

#include <string.h>

void
wsi_json_int (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

void
wsi_json_str (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
wsi_json_bool (JsonBuilder *b, const char *member, gboolean value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
}

void
wsi_json_id (JsonBuilder *b, const char *member, guint32 id)
{
  json_builder_set_member_name (b, member);
  if (id != 0)
    json_builder_add_int_value (b, id);
  else
    json_builder_add_null_value (b);
}

void
wsi_json_guid (JsonBuilder *b, const char *member, const WsiGuid *guid)
{
  char buf[WSI_GUID_STRING_LEN + 1];

  wsi_guid_format (guid, buf);
  wsi_json_str (b, member, buf);
}

void
wsi_json_flags (JsonBuilder *b, const char *member, WsiFlagSet set, guint32 value)
{
  g_autofree char *names = wsi_flags_format (set, value);
  g_auto(GStrv) parts = g_strsplit (names, "|", -1);
  g_autofree char *value_member = g_strdup_printf ("%s_value", member);

  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  /* Only named bits: the value beside carries any others (and "0"). */
  for (guint i = 0; parts[i] != NULL; i++)
    if (!g_ascii_isdigit (parts[i][0]))
      json_builder_add_string_value (b, parts[i]);
  json_builder_end_array (b);
  wsi_json_int (b, value_member, value);
}

void
wsi_json_catalog (JsonBuilder *b, const char *member, WsiBitness bitness)
{
  json_builder_set_member_name (b, member);
  if (bitness != 0)
    json_builder_add_int_value (b, bitness);
  else
    json_builder_add_null_value (b);
}

void
wsi_json_begin_document (JsonBuilder *b, const char *kind)
{
  json_builder_begin_object (b);
  wsi_json_str (b, "format", kind);
  wsi_json_int (b, "version", WSI_JSON_VERSION);
}

static void
wsi_json_diag (JsonBuilder *b, const WsiDiag *d)
{
  json_builder_begin_object (b);
  wsi_json_str (b, "tag", d->tag);
  wsi_json_str (b, "severity", wsi_severity_to_string (d->severity));
  wsi_json_str (b, "file", d->file);
  wsi_json_int (b, "line", d->line);
  wsi_json_str (b, "message", d->message);
  wsi_json_str (b, "hint", d->hint);
  json_builder_end_object (b);
}

void
wsi_json_end_document (JsonBuilder *b, const WsiDiagList *diags)
{
  guint n = diags != NULL ? wsi_diag_list_get_size (diags) : 0;

  json_builder_set_member_name (b, "diagnostics");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    wsi_json_diag (b, wsi_diag_list_get (diags, i));
  json_builder_end_array (b);
  wsi_json_int (b, "errors", diags != NULL ? wsi_diag_list_count (diags, WSI_SEVERITY_ERROR) : 0);
  wsi_json_int (b, "warnings", diags != NULL ? wsi_diag_list_count (diags, WSI_SEVERITY_WARNING) : 0);
  wsi_json_int (b, "infos", diags != NULL ? wsi_diag_list_count (diags, WSI_SEVERITY_INFO) : 0);
  json_builder_end_object (b);
}

char *
wsi_json_to_string (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  GString *text = g_string_new (NULL);

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  /* The newline is added in place: a plan of a large catalog is megabytes
   * of text, not to be held twice. */
  json_generator_to_gstring (gen, text);
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

void
wsi_json_step_end (JsonBuilder *b, const WsiPlanStep *step, gboolean with_undo, WsiJsonStepWriter write_step)
{
  if (with_undo)
    {
      json_builder_set_member_name (b, "undo");
      if (step->undo != NULL)
        write_step (b, step->undo, FALSE);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "predicted_ids");
      json_builder_begin_array (b);
      for (guint i = 0; step->predicted_ids != NULL && i < step->predicted_ids->len; i++)
        json_builder_add_int_value (b, g_array_index (step->predicted_ids, guint32, i));
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "source");
  json_builder_begin_object (b);
  wsi_json_str (b, "file", step->source_file);
  wsi_json_int (b, "line", step->source_line);
  json_builder_end_object (b);
  json_builder_end_object (b);
}
