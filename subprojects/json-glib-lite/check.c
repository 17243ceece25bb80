/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check.c: prints what json-glib makes of a set of trees, builder calls,
 * getter calls and documents to parse. tools/win/check-json-lite.sh builds
 * it against the real json-glib and against json-glib-lite and requires
 * identical output. Misuse prints whether a call returned NULL and how many
 * critical warnings it raised, not their wording; a failed parse prints
 * FAIL, not the message. Built against json-glib-lite it also requires the
 * documents json-glib wrongly accepts to be refused. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_criticals;

static void
count_critical (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
  n_criticals++;
  if (g_getenv ("CHECK_VERBOSE") != NULL)
    fprintf (stderr, "critical: %s\n", message);
}

/* Valid JSON, and text that both libraries refuse. */
static const char *const parse_agree[] = {
  "", "   ", " \n\t\r ", "{}", "[]", "1", "-1", "-0", "0", "\"s\"", "true", "false", "null",
  "{\"a\":1}", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":}", "[,1]", "{,}", "[1,,2]",
  "{\"a\":1 \"b\":2}", "[\"a\" \"b\"]", "+1", "[-]", "[1e]",
  "1.5", "1e3", "1E+2", "1e-2", "-1.25e+2", "0.1", "123456.789", "1e22", "1e300", "4.9e-325", "[1.5e-3]",
  "9223372036854775807", "-9223372036854775808",
  "\"\\u00e9\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud800\\u0041\"",
  "\"\\/\\\"\\\\\\b\\f\\n\\r\\t\"", "\"a\tb\"", "\"a\nb\"", "\"\x01\x1f\x7f\"",
  "\"\xff\"", "\"\xc3\xa9\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "TRUE", "True", "nul", "nulls", "truex",
  "[true,false,null]", "{\"a\":{\"b\":[1,{\"c\":\"d\"}]}}", "{\"a\":1,\"b\":2,\"a\":3}",
  "[[[[[]]]]]", "\xef\xbb\xbf{}", "[1,2", "{\"a\":", "{\"a\"", "\"unterminated", "[\"\\u12\"]",
  "{\"\":1}", "[1]\n", "\t[1]\r\n", "[\f1]", "[\v1]", "[infinity]", "[NaN]",
  "[-infinity]", "[\"\\u0041\\u0042\"]", "[\"\\uD83D\\uDE00\"]", "{\"k\":[{\"x\":[]},{}]}",
  "{\"a\":1}\n\n", "\n\n{\"a\":\n[1,\n2]}", "[\"\\u00\"]", "\"\\",
  NULL
};

/* Not JSON, but json-glib 1.6 accepts them (or misreads them). */
static const char *const parse_lite_refuses[] = {
  "{} {}", "{\"a\":1}{}", "{'a':1}", "/* c */{}", "{} /* c */", "0x10", "010", "[01]",
  "9223372036854775808", "-9223372036854775809", "18446744073709551616", "[12345678901234567890123]",
  "1e400", "[1.7976931348623157e309]", "-1e400", "\"\\x41\"", "\"\\'\"", "\"\\a\"", "\"\\u0000x\"",
  "[1.]", "[.5]", "[1.e3]", "[\"\\uZZZZ\"]", "[-01]",
  NULL
};

static void
parse_one (const char *label, const char *text, gboolean print_tree)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    {
      printf ("%s: FAIL%s\n", label, error != NULL && error->domain == JSON_PARSER_ERROR ? "" : " (no parser error)");
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    printf ("%s: OK, no root\n", label);
  else if (print_tree)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *data = NULL;

      json_generator_set_root (gen, root);
      data = json_generator_to_data (gen, NULL);
      printf ("%s: OK %s (%s)\n", label, data, JSON_NODE_HOLDS_VALUE (root) ? g_type_name (json_node_get_value_type (root)) : "container");
    }
  else
    printf ("%s: OK\n", label);
}

static void
parse_all (void)
{
  char deep[4096];

  printf ("== parse\n");
  for (int i = 0; parse_agree[i] != NULL; i++)
    {
      char label[32];
      g_snprintf (label, sizeof label, "doc %d", i);
      parse_one (label, parse_agree[i], TRUE);
    }
  /* A round trip of every byte value through the generator. */
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(JsonGenerator) gen = json_generator_new ();
    g_autofree char *data = NULL;
    char s[2] = { 0, 0 };

    json_builder_begin_array (b);
    for (int c = 1; c < 128; c++)
      {
        s[0] = (char) c;
        json_builder_add_string_value (b, s);
      }
    json_builder_end_array (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    data = json_generator_to_data (gen, NULL);
    parse_one ("generator output", data, TRUE);
    {
      /* to_gstring appends to what the string holds. */
      g_autoptr(GString) text = g_string_new ("prefix:");
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_indent (gen, 2);
      json_generator_to_gstring (gen, text);
      printf ("to_gstring: %s\n", text->str);
    }
  }
  memset (deep, '[', 200);
  memset (deep + 200, ']', 200);
  deep[400] = '\0';
  parse_one ("200 levels", deep, FALSE);

#ifdef JSON_GLIB_LITE
  for (int i = 0; parse_lite_refuses[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      if (json_parser_load_from_data (parser, parse_lite_refuses[i], -1, &error))
        {
          fprintf (stderr, "json-glib-lite accepts %s\n", parse_lite_refuses[i]);
          exit (1);
        }
    }
  memset (deep, '[', 2000);
  memset (deep + 2000, ']', 2000);
  deep[4000] = '\0';
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    if (json_parser_load_from_data (parser, deep, -1, NULL))
      {
        fprintf (stderr, "json-glib-lite accepts 2000 levels of nesting\n");
        exit (1);
      }
  }
#else
  (void) parse_lite_refuses;
#endif
}

/* Every getter on a member (and an element) of every kind. */
static void
getters_all (void)
{
  static const char *const names[] = { "s", "i", "d", "dn", "b", "t0", "n", "o", "a", "missing" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonArray *a;

  printf ("== typed getters\n");
  if (!json_parser_load_from_data (parser,
        "{\"s\":\"str\",\"i\":7,\"d\":2.9,\"dn\":-2.9,\"b\":true,\"t0\":0,\"n\":null,\"o\":{\"x\":1},"
        "\"a\":[1,\"2\",2.5,false,null,{},[]]}", -1, NULL))
    {
      printf ("getter document refused\n");
      return;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *m = names[i];
      const char *s;
      int c;

      /* The value is taken before the count is read: argument order is
       * unspecified. */
#define SHOW(fmt, expr) \
      do { \
        __typeof__ (expr) v_; \
        c = n_criticals; \
        v_ = (expr); \
        printf (fmt " c%d ", v_, n_criticals - c); \
      } while (0)
      printf ("%s:", m);
      SHOW ("i=%" G_GINT64_FORMAT, json_object_get_int_member (o, m));
      SHOW ("iwd=%" G_GINT64_FORMAT, json_object_get_int_member_with_default (o, m, -5));
      SHOW ("f=%g", json_object_get_double_member (o, m));
      SHOW ("fwd=%g", json_object_get_double_member_with_default (o, m, -5.5));
      SHOW ("b=%d", json_object_get_boolean_member (o, m));
      SHOW ("bwd=%d", json_object_get_boolean_member_with_default (o, m, 7));
      c = n_criticals;
      s = json_object_get_string_member (o, m);
      printf ("s=%s c%d ", s != NULL ? s : "(null)", n_criticals - c);
      c = n_criticals;
      s = json_object_get_string_member_with_default (o, m, "DEF");
      printf ("swd=%s c%d ", s != NULL ? s : "(null)", n_criticals - c);
      SHOW ("obj=%d", json_object_get_object_member (o, m) != NULL);
      SHOW ("arr=%d", json_object_get_array_member (o, m) != NULL);
      SHOW ("null=%d", json_object_get_null_member (o, m));
      printf ("\n");
    }
  a = json_object_get_array_member (o, "a");
  for (guint i = 0; i <= json_array_get_length (a); i++)
    {
      const char *s;
      int c;

      printf ("[%u]:", i);
      SHOW ("i=%" G_GINT64_FORMAT, json_array_get_int_element (a, i));
      SHOW ("f=%g", json_array_get_double_element (a, i));
      SHOW ("b=%d", json_array_get_boolean_element (a, i));
      c = n_criticals;
      s = json_array_get_string_element (a, i);
      printf ("s=%s c%d ", s != NULL ? s : "(null)", n_criticals - c);
      SHOW ("null=%d", json_array_get_null_element (a, i));
      SHOW ("obj=%d", json_array_get_object_element (a, i) != NULL);
      SHOW ("arr=%d", json_array_get_array_element (a, i) != NULL);
      if (i < json_array_get_length (a))
        {
          JsonNode *n = json_array_get_element (a, i);
          SHOW ("node-i=%" G_GINT64_FORMAT, json_node_get_int (n));
          SHOW ("node-f=%g", json_node_get_double (n));
          SHOW ("node-b=%d", json_node_get_boolean (n));
          c = n_criticals;
          s = json_node_get_string (n);
          printf ("node-s=%s c%d ", s != NULL ? s : "(null)", n_criticals - c);
          SHOW ("node-obj=%d", json_node_get_object (n) != NULL);
          SHOW ("node-arr=%d", json_node_get_array (n) != NULL);
          SHOW ("holds=%d", JSON_NODE_HOLDS_OBJECT (n) * 8 + JSON_NODE_HOLDS_ARRAY (n) * 4 +
                            JSON_NODE_HOLDS_VALUE (n) * 2 + JSON_NODE_HOLDS_NULL (n));
        }
      printf ("\n");
#undef SHOW
    }
}

static void
print_tree (const char *label, JsonNode *root)
{
  static const struct { gboolean pretty; guint indent; gunichar ch; } styles[] = {
    { FALSE, 2, ' ' }, { TRUE, 2, ' ' }, { TRUE, 0, ' ' }, { TRUE, 3, '\t' }, { TRUE, 1, 0x2003 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *data = NULL;
      gsize len = 0;

      json_generator_set_pretty (gen, styles[i].pretty);
      json_generator_set_indent (gen, styles[i].indent);
      json_generator_set_indent_char (gen, styles[i].ch);
      json_generator_set_root (gen, root);
      data = json_generator_to_data (gen, &len);
      printf ("== %s style %u (%u bytes)\n%s\n", label, (unsigned) i, (unsigned) len, data);
    }
}

static JsonNode *
every_byte (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  for (int c = 1; c < 256; c++)
    {
      char s[4] = { 'k', (char) c, 'v', 0 };
      json_builder_set_member_name (b, s);
      json_builder_add_string_value (b, s + 1);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
nested (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "empty-object");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "empty-array");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, G_MININT64);
  json_builder_add_int_value (b, G_MAXINT64);
  json_builder_add_int_value (b, 0);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_add_boolean_value (b, FALSE);
  json_builder_add_null_value (b);
  json_builder_add_string_value (b, "");
  json_builder_add_string_value (b, "caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80 \xff\xfe");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_begin_array (b);
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_add_value (b, json_node_init_string (json_node_alloc (), "added"));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dup");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "after-dup");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "x");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "dup");
  json_builder_add_string_value (b, "replaced");
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
root_array (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  json_builder_add_int_value (b, 42);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "a");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "b");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

#define MISUSE(label, expr) \
  do { \
    int before_ = n_criticals; \
    gboolean ok_ = (expr) != NULL; \
    printf ("%s: %d c%d\n", label, ok_, n_criticals - before_); \
  } while (0)

static void
misuse (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) unfinished = NULL;
  g_autoptr(JsonNode) root = NULL;

  printf ("== misuse\n");
  MISUSE ("value at top", json_builder_add_int_value (b, 1));
  MISUSE ("end with nothing open", json_builder_end_object (b));
  MISUSE ("name outside object", json_builder_set_member_name (b, "x"));
  json_builder_begin_object (b);
  MISUSE ("value without name", json_builder_add_string_value (b, "v"));
  MISUSE ("end array in object", json_builder_end_array (b));
  MISUSE ("name", json_builder_set_member_name (b, "x"));
  MISUSE ("second name", json_builder_set_member_name (b, "y"));
  MISUSE ("end with name pending", json_builder_end_object (b));
  unfinished = json_builder_get_root (b);
  MISUSE ("root while open", unfinished);
  MISUSE ("value", json_builder_add_boolean_value (b, FALSE));
  MISUSE ("end", json_builder_end_object (b));
  MISUSE ("begin after root", json_builder_begin_array (b));
  root = json_builder_get_root (b);
  print_tree ("misuse result", root);
  json_builder_reset (b);
  MISUSE ("root after reset", json_builder_get_root (b));
  MISUSE ("begin after reset", json_builder_begin_array (b));
}

static void
getters (JsonNode *root)
{
  JsonObject *o = json_node_get_object (root);
  JsonArray *values = json_node_get_array (json_object_get_member (o, "values"));
  g_autoptr(GList) members = json_object_get_members (o);

  printf ("== getters\n");
  printf ("type %d size %u has dup %d has nope %d\n", json_node_get_node_type (root),
          json_object_get_size (o), json_object_has_member (o, "dup"), json_object_has_member (o, "nope"));
  for (GList *l = members; l != NULL; l = l->next)
    printf ("member %s\n", (const char *) l->data);
  printf ("dup %s\n", json_node_get_string (json_object_get_member (o, "dup")));
  printf ("length %u\n", json_array_get_length (values));
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *n = json_array_get_element (values, i);
      printf ("element %u: type %d null %d value-type %s int %" G_GINT64_FORMAT " bool %d string %s\n", i,
              json_node_get_node_type (n), json_node_is_null (n), g_type_name (json_node_get_value_type (n)),
              json_node_get_node_type (n) == JSON_NODE_VALUE ? json_node_get_int (n) : -1,
              json_node_get_node_type (n) == JSON_NODE_VALUE ? json_node_get_boolean (n) : -1,
              json_node_get_node_type (n) == JSON_NODE_VALUE && json_node_get_string (n) != NULL
                ? json_node_get_string (n) : "(none)");
    }
}

static void
show_value (const char *label, JsonNode *node, gboolean pretty)
{
  g_autofree char *s = json_to_string (node, pretty);
  printf ("%s: %s\n", label, s);
}

/* Setters on a value node, json_to_string in both styles. */
static void
setters (void)
{
  g_autoptr(JsonNode) v = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) o = json_node_init_object (json_node_alloc (), NULL);
  g_autoptr(JsonNode) tree = nested ();
  g_autofree char *compact = json_to_string (tree, FALSE);
  g_autofree char *pretty = json_to_string (tree, TRUE);
  int c;

  printf ("== setters\n");
  json_node_set_string (v, "a \"quoted\" \\ action\n");
  show_value ("string", v, FALSE);
  json_node_set_int (v, -42);
  show_value ("int", v, TRUE);
  json_node_set_boolean (v, TRUE);
  show_value ("boolean", v, FALSE);
  json_node_set_double (v, 0.25);
  show_value ("double", v, FALSE);
  c = n_criticals;
  json_node_set_string (o, "x");
  printf ("set_string on an object node: c%d type %d\n", n_criticals - c, json_node_get_node_type (o));
  printf ("compact: %s\npretty: %s\n", compact, pretty);
}

int
main (void)
{
  g_log_set_handler ("Json", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, count_critical, NULL);
  g_autoptr(JsonNode) bytes = every_byte ();
  g_autoptr(JsonNode) tree = nested ();
  g_autoptr(JsonNode) arr = root_array ();
  g_autoptr(JsonGenerator) empty = json_generator_new ();
  g_autofree char *nothing = json_generator_to_data (empty, NULL);

  printf ("== no root: [%s]\n", nothing);
  print_tree ("every byte", bytes);
  print_tree ("nested", tree);
  print_tree ("root array", arr);
  printf ("== %d critical warnings so far\n", n_criticals);
  getters (tree);
  printf ("== %d critical warnings so far\n", n_criticals);
  misuse ();
  printf ("== %d critical warnings so far\n", n_criticals);
  getters_all ();
  printf ("== %d critical warnings so far\n", n_criticals);
  setters ();
  printf ("== %d critical warnings so far\n", n_criticals);
  parse_all ();
  printf ("== %d critical warnings in all\n", n_criticals);
  return 0;
}
