/* check.c: prints what json-glib makes of a set of trees and builder calls.
 * tools/win/check-json-lite.sh builds it against the real json-glib and
 * against json-glib-lite and requires identical output. Builder misuse
 * prints only whether a call returned NULL (the critical warnings go to
 * stderr, whose wording differs). */
#include <json-glib/json-glib.h>
#include <stdio.h>

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

static void
misuse (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) unfinished = NULL;
  g_autoptr(JsonNode) root = NULL;

  printf ("== misuse\n");
  printf ("value at top: %d\n", json_builder_add_int_value (b, 1) != NULL);
  printf ("end with nothing open: %d\n", json_builder_end_object (b) != NULL);
  printf ("name outside object: %d\n", json_builder_set_member_name (b, "x") != NULL);
  json_builder_begin_object (b);
  printf ("value without name: %d\n", json_builder_add_string_value (b, "v") != NULL);
  printf ("end array in object: %d\n", json_builder_end_array (b) != NULL);
  printf ("name: %d\n", json_builder_set_member_name (b, "x") != NULL);
  printf ("second name: %d\n", json_builder_set_member_name (b, "y") != NULL);
  printf ("end with name pending: %d\n", json_builder_end_object (b) != NULL);
  unfinished = json_builder_get_root (b);
  printf ("root while open: %d\n", unfinished != NULL);
  printf ("value: %d\n", json_builder_add_boolean_value (b, FALSE) != NULL);
  printf ("end: %d\n", json_builder_end_object (b) != NULL);
  printf ("begin after root: %d\n", json_builder_begin_array (b) != NULL);
  root = json_builder_get_root (b);
  print_tree ("misuse result", root);
  json_builder_reset (b);
  printf ("root after reset: %d\n", json_builder_get_root (b) != NULL);
  printf ("begin after reset: %d\n", json_builder_begin_array (b) != NULL);
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

int
main (void)
{
  g_autoptr(JsonNode) bytes = every_byte ();
  g_autoptr(JsonNode) tree = nested ();
  g_autoptr(JsonNode) arr = root_array ();
  g_autoptr(JsonGenerator) empty = json_generator_new ();
  g_autofree char *nothing = json_generator_to_data (empty, NULL);

  printf ("== no root: [%s]\n", nothing);
  print_tree ("every byte", bytes);
  print_tree ("nested", tree);
  print_tree ("root array", arr);
  getters (tree);
  misuse ();
  return 0;
}
