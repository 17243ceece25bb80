/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json.c: the members and the frame every JSON document shares (see
 * wsi-json-private.h). */
#include "wsi-json-private.h"

#include <string.h>

void
wsi_json_int (WsiJsonWriter *b, const char *member, gint64 value)
{
  wsi_json_writer_member (b, member);
  wsi_json_writer_int (b, value);
}

void
wsi_json_str (WsiJsonWriter *b, const char *member, const char *value)
{
  wsi_json_writer_member (b, member);
  if (value != NULL)
    wsi_json_writer_string (b, value);
  else
    wsi_json_writer_null (b);
}

void
wsi_json_bool (WsiJsonWriter *b, const char *member, gboolean value)
{
  wsi_json_writer_member (b, member);
  wsi_json_writer_bool (b, value);
}

void
wsi_json_id (WsiJsonWriter *b, const char *member, guint32 id)
{
  wsi_json_writer_member (b, member);
  if (id != 0)
    wsi_json_writer_int (b, id);
  else
    wsi_json_writer_null (b);
}

void
wsi_json_guid (WsiJsonWriter *b, const char *member, const WsiGuid *guid)
{
  char buf[WSI_GUID_STRING_LEN + 1];

  wsi_guid_format (guid, buf);
  wsi_json_str (b, member, buf);
}

void
wsi_json_flags (WsiJsonWriter *b, const char *member, WsiFlagSet set, guint32 value)
{
  g_autofree char *names = wsi_flags_format (set, value);
  g_auto(GStrv) parts = g_strsplit (names, "|", -1);
  g_autofree char *value_member = g_strdup_printf ("%s_value", member);

  wsi_json_writer_member (b, member);
  wsi_json_writer_begin_array (b);
  /* Only named bits: the value beside carries any others (and "0"). */
  for (guint i = 0; parts[i] != NULL; i++)
    if (!g_ascii_isdigit (parts[i][0]))
      wsi_json_writer_string (b, parts[i]);
  wsi_json_writer_end_array (b);
  wsi_json_int (b, value_member, value);
}

void
wsi_json_catalog (WsiJsonWriter *b, const char *member, WsiBitness bitness)
{
  wsi_json_writer_member (b, member);
  if (bitness != 0)
    wsi_json_writer_int (b, bitness);
  else
    wsi_json_writer_null (b);
}

void
wsi_json_begin_document (WsiJsonWriter *b, const char *kind)
{
  wsi_json_writer_begin_object (b);
  wsi_json_str (b, "format", kind);
  wsi_json_int (b, "version", WSI_JSON_VERSION);
}

static void
wsi_json_diag (WsiJsonWriter *b, const WsiDiag *d)
{
  wsi_json_writer_begin_object (b);
  wsi_json_str (b, "tag", d->tag);
  wsi_json_str (b, "severity", wsi_severity_to_string (d->severity));
  wsi_json_str (b, "file", d->file);
  wsi_json_int (b, "line", d->line);
  wsi_json_str (b, "message", d->message);
  wsi_json_str (b, "hint", d->hint);
  wsi_json_writer_end_object (b);
}

void
wsi_json_end_document (WsiJsonWriter *b, const WsiDiagList *diags)
{
  guint n = diags != NULL ? wsi_diag_list_get_size (diags) : 0;

  wsi_json_writer_member (b, "diagnostics");
  wsi_json_writer_begin_array (b);
  for (guint i = 0; i < n; i++)
    wsi_json_diag (b, wsi_diag_list_get (diags, i));
  wsi_json_writer_end_array (b);
  wsi_json_int (b, "errors", diags != NULL ? wsi_diag_list_count (diags, WSI_SEVERITY_ERROR) : 0);
  wsi_json_int (b, "warnings", diags != NULL ? wsi_diag_list_count (diags, WSI_SEVERITY_WARNING) : 0);
  wsi_json_int (b, "infos", diags != NULL ? wsi_diag_list_count (diags, WSI_SEVERITY_INFO) : 0);
  wsi_json_writer_end_object (b);
}

char *
wsi_json_to_string (WsiJsonWriter *b)
{
  wsi_json_writer_end_line (b);
  return wsi_json_writer_steal_text (b);
}

void
wsi_json_step_end (WsiJsonWriter *b, const WsiPlanStep *step, gboolean with_undo, WsiJsonStepWriter write_step)
{
  if (with_undo)
    {
      wsi_json_writer_member (b, "undo");
      if (step->undo != NULL)
        write_step (b, step->undo, FALSE);
      else
        wsi_json_writer_null (b);
      wsi_json_writer_member (b, "predicted_ids");
      wsi_json_writer_begin_array (b);
      for (guint i = 0; step->predicted_ids != NULL && i < step->predicted_ids->len; i++)
        wsi_json_writer_int (b, g_array_index (step->predicted_ids, guint32, i));
      wsi_json_writer_end_array (b);
    }
  wsi_json_writer_member (b, "source");
  wsi_json_writer_begin_object (b);
  wsi_json_str (b, "file", step->source_file);
  wsi_json_int (b, "line", step->source_line);
  wsi_json_writer_end_object (b);
  wsi_json_writer_end_object (b);
}
