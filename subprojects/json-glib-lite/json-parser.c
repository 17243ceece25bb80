/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-parser.c: JsonParser, a recursive-descent reader of RFC 8259 JSON.
 *
 * Valid JSON reads into the same tree as with json-glib 1.6, with its
 * conventions: an empty (or all-blank) document succeeds with no root, a
 * UTF-8 byte order mark is skipped, a repeated member name replaces the
 * earlier value, integers are gint64 and numbers with a fraction or an
 * exponent doubles, and raw control characters inside strings are taken as
 * they are (json-glib's generator writes 0x1f unescaped, so a reader of its
 * output must accept them).
 *
 * Where json-glib 1.6 accepts text that is not JSON this parser refuses it:
 * comments, single quotes, several root values, hexadecimal, octal and
 * leading-zero numbers, integers beyond gint64 (json-glib wraps them),
 * numbers beyond a double (json-glib makes them infinite), unknown escapes,
 * and \u0000 (json-glib cuts the string there). Nesting deeper than
 * JSON_LITE_MAX_DEPTH is refused instead of exhausting the stack. */
#include "json-lite-private.h"

#include <errno.h>
#include <string.h>

#define JSON_LITE_MAX_DEPTH 512

struct _JsonParser {
  GObject parent_instance;
  JsonNode *root;
};

G_DEFINE_TYPE (JsonParser, json_parser, G_TYPE_OBJECT)

G_DEFINE_QUARK (json-parser-error-quark, json_parser_error)

static void
json_parser_finalize (GObject *object)
{
  JsonParser *parser = JSON_PARSER (object);

  g_clear_pointer (&parser->root, json_node_unref);
  G_OBJECT_CLASS (json_parser_parent_class)->finalize (object);
}

static void
json_parser_class_init (JsonParserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = json_parser_finalize;
}

static void
json_parser_init (JsonParser *parser)
{
}

JsonParser *
json_parser_new (void)
{
  return g_object_new (JSON_TYPE_PARSER, NULL);
}

/* The root of the last document read, owned by the parser. */
JsonNode *
json_parser_get_root (JsonParser *parser)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), NULL);
  return parser->root;
}

typedef struct {
  const char *p;
  const char *end;
  const char *line_start;
  guint line;
  GError **error;
} JsonLiteReader;

/* Sets the error like json-glib's, "<data>:LINE:COLUMN: Parse error: ...",
 * and returns NULL so that callers can `return json_lite_fail (...)`. */
G_GNUC_PRINTF (3, 4) static JsonNode *
json_lite_fail (JsonLiteReader *r, JsonParserError code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, JSON_PARSER_ERROR, code, "<data>:%u:%u: Parse error: %s",
               r->line, (guint) (r->p - r->line_start) + 1, message);
  return NULL;
}

static void
json_lite_skip_blank (JsonLiteReader *r)
{
  while (r->p < r->end)
    {
      char c = *r->p;
      if (c == '\n')
        {
          r->line++;
          r->line_start = r->p + 1;
        }
      else if (c != ' ' && c != '\t' && c != '\r')
        return;
      r->p++;
    }
}

/* What the reader stands on, for error messages. */
static char *
json_lite_describe (JsonLiteReader *r)
{
  if (r->p >= r->end)
    return g_strdup ("end of data");
  if (g_ascii_isgraph (*r->p))
    return g_strdup_printf ("character '%c'", *r->p);
  return g_strdup_printf ("byte 0x%02x", (guint) (guchar) *r->p);
}

static int
json_lite_hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      v = v << 4 | d;
    }
  return v;
}

/* Reads a string starting at its opening quote into a new UTF-8 string. */
static char *
json_lite_read_string (JsonLiteReader *r)
{
  g_autoptr(GString) out = g_string_new (NULL);

  r->p++;  /* the opening quote */
  for (;;)
    {
      char c;

      if (r->p >= r->end)
        {
          json_lite_fail (r, JSON_PARSER_ERROR_PARSE, "unterminated string");
          return NULL;
        }
      c = *r->p;
      if (c == '"')
        {
          r->p++;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (c != '\\')
        {
          if (c == '\n')
            {
              r->line++;
              r->line_start = r->p + 1;
            }
          g_string_append_c (out, c);
          r->p++;
          continue;
        }
      if (r->end - r->p < 2)
        {
          json_lite_fail (r, JSON_PARSER_ERROR_PARSE, "unterminated string");
          return NULL;
        }
      switch (r->p[1])
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            int hi = r->end - r->p >= 6 ? json_lite_hex4 (r->p + 2) : -1;
            gunichar ch;

            if (hi < 0)
              {
                json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "bad \\u escape");
                return NULL;
              }
            ch = (gunichar) hi;
            if (hi >= 0xdc00 && hi <= 0xdfff)
              {
                json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "a low surrogate without a high one");
                return NULL;
              }
            if (hi >= 0xd800 && hi <= 0xdbff)
              {
                int lo = r->end - r->p >= 12 && r->p[6] == '\\' && r->p[7] == 'u' ? json_lite_hex4 (r->p + 8) : -1;
                if (lo < 0xdc00 || lo > 0xdfff)
                  {
                    json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "a high surrogate without a low one");
                    return NULL;
                  }
                ch = 0x10000 + (((gunichar) hi - 0xd800) << 10) + ((gunichar) lo - 0xdc00);
                r->p += 6;
              }
            if (ch == 0)
              {
                json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "\\u0000 in a string");
                return NULL;
              }
            g_string_append_unichar (out, ch);
            r->p += 4;
            break;
          }
        default:
          r->p++;
          json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "unknown escape");
          return NULL;
        }
      r->p += 2;
    }
}

static gboolean
json_lite_is_digit (JsonLiteReader *r)
{
  return r->p < r->end && g_ascii_isdigit (*r->p);
}

static JsonNode *
json_lite_read_number (JsonLiteReader *r)
{
  const char *start = r->p;
  gboolean is_double = FALSE;
  g_autofree char *text = NULL;

  if (*r->p == '-')
    r->p++;
  if (!json_lite_is_digit (r))
    return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_BAREWORD, "a number without digits");
  if (*r->p == '0')
    {
      r->p++;
      if (json_lite_is_digit (r))
        return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_BAREWORD, "a number with a leading zero");
    }
  while (json_lite_is_digit (r))
    r->p++;
  if (r->p < r->end && *r->p == '.')
    {
      is_double = TRUE;
      r->p++;
      if (!json_lite_is_digit (r))
        return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_BAREWORD, "no digits after '.'");
      while (json_lite_is_digit (r))
        r->p++;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      is_double = TRUE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (!json_lite_is_digit (r))
        return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_BAREWORD, "no digits in the exponent");
      while (json_lite_is_digit (r))
        r->p++;
    }

  text = g_strndup (start, (gsize) (r->p - start));
  if (is_double)
    {
      gdouble d;

      errno = 0;
      d = g_ascii_strtod (text, NULL);
      if (errno == ERANGE && (d > 1.0 || d < -1.0))
        return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "number %s is out of range", text);
      return json_node_init_double (json_node_alloc (), d);
    }
  else
    {
      gint64 v;

      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_DATA, "integer %s is out of range", text);
      return json_node_init_int (json_node_alloc (), v);
    }
}

static JsonNode *json_lite_read_value (JsonLiteReader *r, guint depth);

static JsonNode *
json_lite_read_object (JsonLiteReader *r, guint depth)
{
  g_autoptr(JsonObject) object = json_object_new ();

  r->p++;  /* '{' */
  json_lite_skip_blank (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return json_node_init_object (json_node_alloc (), object);
    }
  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *value;

      json_lite_skip_blank (r);
      if (r->p >= r->end || *r->p != '"')
        {
          g_autofree char *what = json_lite_describe (r);
          return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_BAREWORD, "%s where a member name belongs", what);
        }
      name = json_lite_read_string (r);
      if (name == NULL)
        return NULL;
      json_lite_skip_blank (r);
      if (r->p >= r->end || *r->p != ':')
        {
          g_autofree char *what = json_lite_describe (r);
          return json_lite_fail (r, JSON_PARSER_ERROR_MISSING_COLON, "%s where ':' belongs", what);
        }
      r->p++;
      json_lite_skip_blank (r);
      value = json_lite_read_value (r, depth + 1);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, name, value);
      json_lite_skip_blank (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          json_lite_skip_blank (r);
          if (r->p < r->end && *r->p == '}')
            return json_lite_fail (r, JSON_PARSER_ERROR_TRAILING_COMMA, "a comma before '}'");
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      {
        g_autofree char *what = json_lite_describe (r);
        return json_lite_fail (r, JSON_PARSER_ERROR_MISSING_COMMA, "%s where ',' or '}' belongs", what);
      }
    }
}

static JsonNode *
json_lite_read_array (JsonLiteReader *r, guint depth)
{
  g_autoptr(JsonArray) array = json_array_new ();

  r->p++;  /* '[' */
  json_lite_skip_blank (r);
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      return json_node_init_array (json_node_alloc (), array);
    }
  for (;;)
    {
      JsonNode *value;

      json_lite_skip_blank (r);
      value = json_lite_read_value (r, depth + 1);
      if (value == NULL)
        return NULL;
      json_array_add_element (array, value);
      json_lite_skip_blank (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          json_lite_skip_blank (r);
          if (r->p < r->end && *r->p == ']')
            return json_lite_fail (r, JSON_PARSER_ERROR_TRAILING_COMMA, "a comma before ']'");
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        {
          r->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      {
        g_autofree char *what = json_lite_describe (r);
        return json_lite_fail (r, JSON_PARSER_ERROR_MISSING_COMMA, "%s where ',' or ']' belongs", what);
      }
    }
}

static gboolean
json_lite_match_word (JsonLiteReader *r, const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;
  /* "nulls" is one bareword, not null followed by s. */
  if ((gsize) (r->end - r->p) > len && (g_ascii_isalnum (r->p[len]) || r->p[len] == '_'))
    return FALSE;
  r->p += len;
  return TRUE;
}

static JsonNode *
json_lite_read_value (JsonLiteReader *r, guint depth)
{
  if (depth > JSON_LITE_MAX_DEPTH)
    return json_lite_fail (r, JSON_PARSER_ERROR_PARSE, "nested deeper than %d levels", JSON_LITE_MAX_DEPTH);
  if (r->p >= r->end)
    return json_lite_fail (r, JSON_PARSER_ERROR_PARSE, "the data ends where a value belongs");
  switch (*r->p)
    {
    case '{':
      return json_lite_read_object (r, depth);
    case '[':
      return json_lite_read_array (r, depth);
    case '"':
      {
        g_autofree char *s = json_lite_read_string (r);
        return s != NULL ? json_node_init_string (json_node_alloc (), s) : NULL;
      }
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return json_lite_read_number (r);
    default:
      break;
    }
  if (json_lite_match_word (r, "true"))
    return json_node_init_boolean (json_node_alloc (), TRUE);
  if (json_lite_match_word (r, "false"))
    return json_node_init_boolean (json_node_alloc (), FALSE);
  if (json_lite_match_word (r, "null"))
    return json_node_init_null (json_node_alloc ());
  {
    g_autofree char *what = json_lite_describe (r);
    return json_lite_fail (r, JSON_PARSER_ERROR_INVALID_BAREWORD, "%s where a value belongs", what);
  }
}

gboolean
json_parser_load_from_data (JsonParser *parser, const gchar *data, gssize length, GError **error)
{
  JsonLiteReader r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  gsize len;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_pointer (&parser->root, json_node_unref);
  len = length < 0 ? strlen (data) : (gsize) length;
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "JSON data must be UTF-8 encoded");
      return FALSE;
    }
  r.p = data;
  r.end = data + len;
  r.line_start = data;
  r.line = 1;
  r.error = error;
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    r.p += 3;
  json_lite_skip_blank (&r);
  if (r.p == r.end)
    return TRUE;
  root = json_lite_read_value (&r, 1);
  if (root == NULL)
    return FALSE;
  json_lite_skip_blank (&r);
  if (r.p < r.end)
    {
      g_autofree char *what = json_lite_describe (&r);
      json_lite_fail (&r, JSON_PARSER_ERROR_PARSE, "%s after the end of the document", what);
      return FALSE;
    }
  parser->root = g_steal_pointer (&root);
  return TRUE;
}
