/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-generator.c: JsonGenerator.
 *
 * The output is byte for byte what json-glib 1.6 writes for the same tree
 * (tools/win/check-json-lite.sh compares the two): pretty printing puts
 * each member and element on its own line, writes "name" : value, keeps
 * empty arrays as [] and pads an empty object with the indentation of its
 * level; strings escape ", \, the control characters below 0x1f (\b \t \n
 * \f \r by name, the others as \u00xx) and 0x7f, and pass every other
 * byte through. */
#include "json-lite-private.h"

#include <string.h>

struct _JsonGenerator {
  GObject parent_instance;
  JsonNode *root;
  gboolean pretty;
  guint indent;
  gunichar indent_char;
};

G_DEFINE_TYPE (JsonGenerator, json_generator, G_TYPE_OBJECT)

static void
json_generator_finalize (GObject *object)
{
  JsonGenerator *generator = JSON_GENERATOR (object);

  g_clear_pointer (&generator->root, json_node_unref);
  G_OBJECT_CLASS (json_generator_parent_class)->finalize (object);
}

static void
json_generator_class_init (JsonGeneratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = json_generator_finalize;
}

/* json-glib's defaults: compact, and when pretty, two spaces a level. */
static void
json_generator_init (JsonGenerator *generator)
{
  generator->indent = 2;
  generator->indent_char = ' ';
}

JsonGenerator *
json_generator_new (void)
{
  return g_object_new (JSON_TYPE_GENERATOR, NULL);
}

void
json_generator_set_pretty (JsonGenerator *generator, gboolean is_pretty)
{
  g_return_if_fail (JSON_IS_GENERATOR (generator));
  generator->pretty = is_pretty ? TRUE : FALSE;
}

gboolean
json_generator_get_pretty (JsonGenerator *generator)
{
  g_return_val_if_fail (JSON_IS_GENERATOR (generator), FALSE);
  return generator->pretty;
}

void
json_generator_set_indent (JsonGenerator *generator, guint indent_level)
{
  g_return_if_fail (JSON_IS_GENERATOR (generator));
  generator->indent = indent_level;
}

guint
json_generator_get_indent (JsonGenerator *generator)
{
  g_return_val_if_fail (JSON_IS_GENERATOR (generator), 0);
  return generator->indent;
}

void
json_generator_set_indent_char (JsonGenerator *generator, gunichar indent_char)
{
  g_return_if_fail (JSON_IS_GENERATOR (generator));
  generator->indent_char = indent_char;
}

gunichar
json_generator_get_indent_char (JsonGenerator *generator)
{
  g_return_val_if_fail (JSON_IS_GENERATOR (generator), 0);
  return generator->indent_char;
}

void
json_generator_set_root (JsonGenerator *generator, JsonNode *node)
{
  g_return_if_fail (JSON_IS_GENERATOR (generator));
  g_clear_pointer (&generator->root, json_node_unref);
  if (node != NULL)
    generator->root = json_node_ref (node);
}

JsonNode *
json_generator_get_root (JsonGenerator *generator)
{
  g_return_val_if_fail (JSON_IS_GENERATOR (generator), NULL);
  return generator->root;
}

static void
json_generator_escape (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++)
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
          if (*p < 0x1f || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* json-glib 1.6 writes the indent character as one byte, its low eight
 * bits, whatever character was set: so does this. */
/* The shortest text that reads back as the same double, with ".0" added
 * when it has no '.', so that it stays a double (json-glib's rule, which
 * also turns 1e+22 into 1e+22.0 and infinity into inf.0). */
static void
json_generator_dump_double (GString *out, gdouble value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (buf, sizeof buf, value);
  g_string_append (out, buf);
  if (strchr (buf, '.') == NULL)
    g_string_append (out, ".0");
}

static void
json_generator_pad (JsonGenerator *generator, GString *out, guint level)
{
  if (!generator->pretty)
    return;
  for (guint i = 0; i < level * generator->indent; i++)
    g_string_append_c (out, (char) (generator->indent_char & 0xff));
}

static void json_generator_dump (JsonGenerator *generator, GString *out, JsonNode *node, guint level);

static void
json_generator_dump_object (JsonGenerator *generator, GString *out, JsonObject *object, guint level)
{
  guint n = object != NULL ? object->names->len : 0;

  g_string_append_c (out, '{');
  if (generator->pretty && n > 0)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < n; i++)
    {
      json_generator_pad (generator, out, level + 1);
      json_generator_escape (out, g_ptr_array_index (object->names, i));
      g_string_append (out, generator->pretty ? " : " : ":");
      json_generator_dump (generator, out, g_ptr_array_index (object->values, i), level + 1);
      if (i + 1 < n)
        g_string_append_c (out, ',');
      if (generator->pretty)
        g_string_append_c (out, '\n');
    }
  json_generator_pad (generator, out, level);
  g_string_append_c (out, '}');
}

static void
json_generator_dump_array (JsonGenerator *generator, GString *out, JsonArray *array, guint level)
{
  guint n = array != NULL ? array->elements->len : 0;

  g_string_append_c (out, '[');
  if (n == 0)
    {
      g_string_append_c (out, ']');
      return;
    }
  if (generator->pretty)
    g_string_append_c (out, '\n');
  for (guint i = 0; i < n; i++)
    {
      json_generator_pad (generator, out, level + 1);
      json_generator_dump (generator, out, g_ptr_array_index (array->elements, i), level + 1);
      if (i + 1 < n)
        g_string_append_c (out, ',');
      if (generator->pretty)
        g_string_append_c (out, '\n');
    }
  json_generator_pad (generator, out, level);
  g_string_append_c (out, ']');
}

static void
json_generator_dump (JsonGenerator *generator, GString *out, JsonNode *node, guint level)
{
  switch (node->type)
    {
    case JSON_NODE_OBJECT:
      json_generator_dump_object (generator, out, node->data.object, level);
      break;
    case JSON_NODE_ARRAY:
      json_generator_dump_array (generator, out, node->data.array, level);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      if (node->value_type == JSON_LITE_VALUE_INT)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, node->data.v_int);
      else if (node->value_type == JSON_LITE_VALUE_DOUBLE)
        json_generator_dump_double (out, node->data.v_double);
      else if (node->value_type == JSON_LITE_VALUE_BOOLEAN)
        g_string_append (out, node->data.v_boolean ? "true" : "false");
      else if (node->data.v_string != NULL)
        json_generator_escape (out, node->data.v_string);
      else
        g_string_append (out, "null");
      break;
    }
}

gchar *
json_generator_to_data (JsonGenerator *generator, gsize *length)
{
  GString *out;

  g_return_val_if_fail (JSON_IS_GENERATOR (generator), NULL);
  out = g_string_new (NULL);
  if (generator->root != NULL)
    json_generator_dump (generator, out, generator->root, 0);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* Appends to @string, as json-glib 1.4 does: the caller can add to the
 * text in place instead of holding a second copy. */
GString *
json_generator_to_gstring (JsonGenerator *generator, GString *string)
{
  g_return_val_if_fail (JSON_IS_GENERATOR (generator), NULL);
  g_return_val_if_fail (string != NULL, NULL);
  if (generator->root != NULL)
    json_generator_dump (generator, string, generator->root, 0);
  return string;
}

/* One call for the usual case: json-glib's default indentation. */
gchar *
json_to_string (JsonNode *node, gboolean pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
