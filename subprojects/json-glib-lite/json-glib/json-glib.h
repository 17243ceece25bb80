/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-glib.h: the part of json-glib 1.6's API that libwsinstall uses, for
 * the Windows builds (see ../README.md for why).
 *
 * Declarations follow json-glib's documented signatures, so the engine
 * compiles unchanged against either library. A function the engine starts
 * to use that is not declared here fails the Windows build at compile time,
 * never at run time. */
#ifndef JSON_GLIB_LITE_H
#define JSON_GLIB_LITE_H

#include <glib-object.h>

G_BEGIN_DECLS

#define JSON_GLIB_LITE 1

typedef enum {
  JSON_NODE_OBJECT,
  JSON_NODE_ARRAY,
  JSON_NODE_VALUE,
  JSON_NODE_NULL
} JsonNodeType;

typedef struct _JsonNode JsonNode;
typedef struct _JsonObject JsonObject;
typedef struct _JsonArray JsonArray;

/* Nodes, objects and arrays: reference-counted boxed types. */
#define JSON_NODE_TYPE(node) (json_node_get_node_type (node))
#define JSON_NODE_HOLDS(node, t) (json_node_get_node_type (node) == (t))
#define JSON_NODE_HOLDS_VALUE(node) (JSON_NODE_HOLDS ((node), JSON_NODE_VALUE))
#define JSON_NODE_HOLDS_OBJECT(node) (JSON_NODE_HOLDS ((node), JSON_NODE_OBJECT))
#define JSON_NODE_HOLDS_ARRAY(node) (JSON_NODE_HOLDS ((node), JSON_NODE_ARRAY))
#define JSON_NODE_HOLDS_NULL(node) (JSON_NODE_HOLDS ((node), JSON_NODE_NULL))

#define JSON_TYPE_NODE (json_node_get_type ())
#define JSON_TYPE_OBJECT (json_object_get_type ())
#define JSON_TYPE_ARRAY (json_array_get_type ())
GType json_node_get_type (void) G_GNUC_CONST;
GType json_object_get_type (void) G_GNUC_CONST;
GType json_array_get_type (void) G_GNUC_CONST;

JsonNode *json_node_alloc (void);
JsonNode *json_node_new (JsonNodeType type);
JsonNode *json_node_init_object (JsonNode *node, JsonObject *object);
JsonNode *json_node_init_array (JsonNode *node, JsonArray *array);
JsonNode *json_node_init_int (JsonNode *node, gint64 value);
JsonNode *json_node_init_double (JsonNode *node, gdouble value);
JsonNode *json_node_init_boolean (JsonNode *node, gboolean value);
JsonNode *json_node_init_string (JsonNode *node, const char *value);
JsonNode *json_node_init_null (JsonNode *node);
void json_node_set_int (JsonNode *node, gint64 value);
void json_node_set_double (JsonNode *node, gdouble value);
void json_node_set_boolean (JsonNode *node, gboolean value);
void json_node_set_string (JsonNode *node, const gchar *value);
JsonNode *json_node_ref (JsonNode *node);
void json_node_unref (JsonNode *node);
void json_node_free (JsonNode *node);
JsonNodeType json_node_get_node_type (JsonNode *node);
GType json_node_get_value_type (JsonNode *node);
gboolean json_node_is_null (JsonNode *node);
JsonObject *json_node_get_object (JsonNode *node);
JsonArray *json_node_get_array (JsonNode *node);
const gchar *json_node_get_string (JsonNode *node);
gint64 json_node_get_int (JsonNode *node);
gdouble json_node_get_double (JsonNode *node);
gboolean json_node_get_boolean (JsonNode *node);

JsonObject *json_object_new (void);
JsonObject *json_object_ref (JsonObject *object);
void json_object_unref (JsonObject *object);
void json_object_set_member (JsonObject *object, const gchar *member_name, JsonNode *node);
gboolean json_object_has_member (JsonObject *object, const gchar *member_name);
JsonNode *json_object_get_member (JsonObject *object, const gchar *member_name);
guint json_object_get_size (JsonObject *object);
GList *json_object_get_members (JsonObject *object);
JsonObject *json_object_get_object_member (JsonObject *object, const gchar *member_name);
JsonArray *json_object_get_array_member (JsonObject *object, const gchar *member_name);
gboolean json_object_get_null_member (JsonObject *object, const gchar *member_name);
gint64 json_object_get_int_member (JsonObject *object, const gchar *member_name);
gint64 json_object_get_int_member_with_default (JsonObject *object, const gchar *member_name,
                                                gint64 default_value);
gdouble json_object_get_double_member (JsonObject *object, const gchar *member_name);
gdouble json_object_get_double_member_with_default (JsonObject *object, const gchar *member_name,
                                                    gdouble default_value);
gboolean json_object_get_boolean_member (JsonObject *object, const gchar *member_name);
gboolean json_object_get_boolean_member_with_default (JsonObject *object, const gchar *member_name,
                                                      gboolean default_value);
const gchar *json_object_get_string_member (JsonObject *object, const gchar *member_name);
const gchar *json_object_get_string_member_with_default (JsonObject *object, const gchar *member_name,
                                                         const gchar *default_value);

JsonArray *json_array_new (void);
JsonArray *json_array_ref (JsonArray *array);
void json_array_unref (JsonArray *array);
void json_array_add_element (JsonArray *array, JsonNode *node);
JsonNode *json_array_get_element (JsonArray *array, guint index_);
guint json_array_get_length (JsonArray *array);
gint64 json_array_get_int_element (JsonArray *array, guint index_);
gdouble json_array_get_double_element (JsonArray *array, guint index_);
gboolean json_array_get_boolean_element (JsonArray *array, guint index_);
const gchar *json_array_get_string_element (JsonArray *array, guint index_);
gboolean json_array_get_null_element (JsonArray *array, guint index_);
JsonObject *json_array_get_object_element (JsonArray *array, guint index_);
JsonArray *json_array_get_array_element (JsonArray *array, guint index_);

/* JsonBuilder: builds a tree of nodes one call at a time. */
#define JSON_TYPE_BUILDER (json_builder_get_type ())
G_DECLARE_FINAL_TYPE (JsonBuilder, json_builder, JSON, BUILDER, GObject)

JsonBuilder *json_builder_new (void);
JsonNode *json_builder_get_root (JsonBuilder *builder);
void json_builder_reset (JsonBuilder *builder);
JsonBuilder *json_builder_begin_object (JsonBuilder *builder);
JsonBuilder *json_builder_end_object (JsonBuilder *builder);
JsonBuilder *json_builder_begin_array (JsonBuilder *builder);
JsonBuilder *json_builder_end_array (JsonBuilder *builder);
JsonBuilder *json_builder_set_member_name (JsonBuilder *builder, const gchar *member_name);
JsonBuilder *json_builder_add_value (JsonBuilder *builder, JsonNode *node);
JsonBuilder *json_builder_add_int_value (JsonBuilder *builder, gint64 value);
JsonBuilder *json_builder_add_boolean_value (JsonBuilder *builder, gboolean value);
JsonBuilder *json_builder_add_string_value (JsonBuilder *builder, const gchar *value);
JsonBuilder *json_builder_add_null_value (JsonBuilder *builder);

/* JsonGenerator: serialises a tree, compact or pretty-printed. */
#define JSON_TYPE_GENERATOR (json_generator_get_type ())
G_DECLARE_FINAL_TYPE (JsonGenerator, json_generator, JSON, GENERATOR, GObject)

JsonGenerator *json_generator_new (void);
void json_generator_set_pretty (JsonGenerator *generator, gboolean is_pretty);
gboolean json_generator_get_pretty (JsonGenerator *generator);
void json_generator_set_indent (JsonGenerator *generator, guint indent_level);
guint json_generator_get_indent (JsonGenerator *generator);
void json_generator_set_indent_char (JsonGenerator *generator, gunichar indent_char);
gunichar json_generator_get_indent_char (JsonGenerator *generator);
void json_generator_set_root (JsonGenerator *generator, JsonNode *node);
JsonNode *json_generator_get_root (JsonGenerator *generator);
gchar *json_generator_to_data (JsonGenerator *generator, gsize *length);
GString *json_generator_to_gstring (JsonGenerator *generator, GString *string);
gchar *json_to_string (JsonNode *node, gboolean pretty);

/* JsonParser: reads RFC 8259 JSON (see ../README.md for where it is
 * stricter than json-glib). */
#define JSON_PARSER_ERROR (json_parser_error_quark ())
typedef enum {
  JSON_PARSER_ERROR_PARSE,
  JSON_PARSER_ERROR_TRAILING_COMMA,
  JSON_PARSER_ERROR_MISSING_COMMA,
  JSON_PARSER_ERROR_MISSING_COLON,
  JSON_PARSER_ERROR_INVALID_BAREWORD,
  JSON_PARSER_ERROR_EMPTY_MEMBER_NAME,
  JSON_PARSER_ERROR_INVALID_DATA,
  JSON_PARSER_ERROR_UNKNOWN
} JsonParserError;
GQuark json_parser_error_quark (void);

#define JSON_TYPE_PARSER (json_parser_get_type ())
G_DECLARE_FINAL_TYPE (JsonParser, json_parser, JSON, PARSER, GObject)

JsonParser *json_parser_new (void);
gboolean json_parser_load_from_data (JsonParser *parser, const gchar *data, gssize length, GError **error);
JsonNode *json_parser_get_root (JsonParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JsonNode, json_node_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JsonObject, json_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JsonArray, json_array_unref)

G_END_DECLS

#endif
