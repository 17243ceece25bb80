/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json-writer.c: JSON written as it is produced (see
 * wsi-json-writer.h for the exact text it makes). */
#include "wsi-json-writer.h"

#define WSI_JSON_INDENT 2
#define WSI_JSON_FLUSH_AT (64 * 1024)

struct _WsiJsonWriter
{
  GString *out;
  gboolean pretty;
  /* Where the text goes as it is written, or NULL: kept in out. */
  FILE *file;
  gboolean write_failed;
  /* Per open container: how many values it has so far. */
  GArray *counts;
  /* The pending member name, not owned: set and used within one call of
   * the document's code. */
  const char *member;
};

WsiJsonWriter *
wsi_json_writer_new (gboolean pretty)
{
  WsiJsonWriter *w = g_new0 (WsiJsonWriter, 1);

  w->out = g_string_sized_new (4096);
  w->pretty = pretty;
  w->counts = g_array_new (FALSE, FALSE, sizeof (guint));
  return w;
}

WsiJsonWriter *
wsi_json_writer_new_to_file (gboolean pretty, FILE *file)
{
  WsiJsonWriter *w = wsi_json_writer_new (pretty);

  w->file = file;
  return w;
}

gboolean
wsi_json_writer_flush (WsiJsonWriter *w)
{
  if (w->file == NULL)
    return !w->write_failed;
  if (w->out->len > 0 && !w->write_failed && fwrite (w->out->str, 1, w->out->len, w->file) != w->out->len)
    w->write_failed = TRUE;
  g_string_truncate (w->out, 0);
  return !w->write_failed;
}

void
wsi_json_writer_free (WsiJsonWriter *w)
{
  if (w == NULL)
    return;
  g_string_free (w->out, TRUE);
  g_array_unref (w->counts);
  g_free (w);
}

void
wsi_json_writer_end_line (WsiJsonWriter *w)
{
  g_string_append_c (w->out, '\n');
}

char *
wsi_json_writer_steal_text (WsiJsonWriter *w)
{
  char *text = g_string_free (w->out, FALSE);

  w->out = g_string_new (NULL);
  return text;
}

static void
wsi_json_writer_indent (WsiJsonWriter *w, guint level)
{
  for (guint i = 0; i < level * WSI_JSON_INDENT; i++)
    g_string_append_c (w->out, ' ');
}

static void
wsi_json_writer_escaped (WsiJsonWriter *w, const char *s)
{
  GString *out = w->out;

  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          /* json-glib 1.6 leaves 0x1f as it is and escapes 0x7f: the
           * documents keep doing the same. */
          if (*p < 0x1f || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* What comes before any value: the separator from the previous one, the
 * line and indentation, the member name. */
static void
wsi_json_writer_value_start (WsiJsonWriter *w)
{
  guint depth = w->counts->len;

  if (w->file != NULL && w->out->len >= WSI_JSON_FLUSH_AT)
    wsi_json_writer_flush (w);
  if (depth > 0)
    {
      guint *count = &g_array_index (w->counts, guint, depth - 1);
      if (*count > 0)
        g_string_append_c (w->out, ',');
      if (w->pretty)
        {
          g_string_append_c (w->out, '\n');
          wsi_json_writer_indent (w, depth);
        }
      (*count)++;
    }
  if (w->member != NULL)
    {
      wsi_json_writer_escaped (w, w->member);
      g_string_append (w->out, w->pretty ? " : " : ":");
      w->member = NULL;
    }
}

void
wsi_json_writer_member (WsiJsonWriter *w, const char *name)
{
  w->member = name;
}

static void
wsi_json_writer_begin (WsiJsonWriter *w, char open)
{
  guint zero = 0;

  wsi_json_writer_value_start (w);
  g_string_append_c (w->out, open);
  g_array_append_val (w->counts, zero);
}

static void
wsi_json_writer_end (WsiJsonWriter *w, char close)
{
  guint depth = w->counts->len;
  guint count;

  g_return_if_fail (depth > 0);
  count = g_array_index (w->counts, guint, depth - 1);
  g_array_set_size (w->counts, depth - 1);
  if (w->pretty && count > 0)
    {
      g_string_append_c (w->out, '\n');
      wsi_json_writer_indent (w, depth - 1);
    }
  else if (w->pretty && close == '}')
    /* json-glib's empty object: the level's indentation inside. */
    wsi_json_writer_indent (w, depth - 1);
  g_string_append_c (w->out, close);
}

void
wsi_json_writer_begin_object (WsiJsonWriter *w)
{
  wsi_json_writer_begin (w, '{');
}

void
wsi_json_writer_end_object (WsiJsonWriter *w)
{
  wsi_json_writer_end (w, '}');
}

void
wsi_json_writer_begin_array (WsiJsonWriter *w)
{
  wsi_json_writer_begin (w, '[');
}

void
wsi_json_writer_end_array (WsiJsonWriter *w)
{
  wsi_json_writer_end (w, ']');
}

void
wsi_json_writer_int (WsiJsonWriter *w, gint64 value)
{
  wsi_json_writer_value_start (w);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
}

void
wsi_json_writer_string (WsiJsonWriter *w, const char *value)
{
  if (value == NULL)
    {
      wsi_json_writer_null (w);
      return;
    }
  wsi_json_writer_value_start (w);
  wsi_json_writer_escaped (w, value);
}

void
wsi_json_writer_bool (WsiJsonWriter *w, gboolean value)
{
  wsi_json_writer_value_start (w);
  g_string_append (w->out, value ? "true" : "false");
}

void
wsi_json_writer_null (WsiJsonWriter *w)
{
  wsi_json_writer_value_start (w);
  g_string_append (w->out, "null");
}
