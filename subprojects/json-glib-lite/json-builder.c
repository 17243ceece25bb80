/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-builder.c: JsonBuilder.
 *
 * A stack of open containers. As in json-glib, an object expects
 * set_member_name before each value, the root is set when the outermost
 * container is closed, and a call out of order is a programming error:
 * a critical warning and NULL. */
#include "json-lite-private.h"

typedef enum {
  JSON_LITE_MODE_OBJECT,   /* in an object, waiting for a member name */
  JSON_LITE_MODE_MEMBER,   /* in an object, member name given */
  JSON_LITE_MODE_ARRAY,
} JsonLiteMode;

typedef struct {
  JsonLiteMode mode;
  JsonNode *node;     /* the open container, owned */
  char *member_name;  /* JSON_LITE_MODE_MEMBER only */
} JsonLiteState;

struct _JsonBuilder {
  GObject parent_instance;
  GPtrArray *stack;   /* JsonLiteState *, innermost last */
  JsonNode *root;
};

G_DEFINE_TYPE (JsonBuilder, json_builder, G_TYPE_OBJECT)

static void
json_lite_state_free (JsonLiteState *state)
{
  json_node_unref (state->node);
  g_free (state->member_name);
  g_free (state);
}

static void
json_builder_finalize (GObject *object)
{
  JsonBuilder *builder = JSON_BUILDER (object);

  g_ptr_array_unref (builder->stack);
  g_clear_pointer (&builder->root, json_node_unref);
  G_OBJECT_CLASS (json_builder_parent_class)->finalize (object);
}

static void
json_builder_class_init (JsonBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = json_builder_finalize;
}

static void
json_builder_init (JsonBuilder *builder)
{
  builder->stack = g_ptr_array_new_with_free_func ((GDestroyNotify) json_lite_state_free);
}

JsonBuilder *
json_builder_new (void)
{
  return g_object_new (JSON_TYPE_BUILDER, NULL);
}

static JsonLiteState *
json_builder_top (JsonBuilder *builder)
{
  if (builder->stack->len == 0)
    return NULL;
  return g_ptr_array_index (builder->stack, builder->stack->len - 1);
}

static gboolean
json_builder_is_valid_add_mode (JsonBuilder *builder)
{
  JsonLiteState *top = json_builder_top (builder);

  return top != NULL && (top->mode == JSON_LITE_MODE_MEMBER || top->mode == JSON_LITE_MODE_ARRAY);
}

/* Adds @node (owned) to the innermost container; the caller has checked
 * json_builder_is_valid_add_mode. */
static void
json_builder_add_to_top (JsonBuilder *builder, JsonNode *node)
{
  JsonLiteState *top = json_builder_top (builder);

  if (top->mode == JSON_LITE_MODE_ARRAY)
    {
      json_array_add_element (json_node_get_array (top->node), node);
      return;
    }
  json_object_set_member (json_node_get_object (top->node), top->member_name, node);
  g_clear_pointer (&top->member_name, g_free);
  top->mode = JSON_LITE_MODE_OBJECT;
}

static JsonBuilder *
json_builder_begin (JsonBuilder *builder, JsonNode *container, JsonLiteMode mode)
{
  g_autoptr(JsonNode) node = container;
  JsonLiteState *state;

  g_return_val_if_fail (builder->root == NULL, NULL);
  g_return_val_if_fail (builder->stack->len == 0 || json_builder_is_valid_add_mode (builder), NULL);
  if (builder->stack->len > 0)
    json_builder_add_to_top (builder, json_node_ref (node));
  state = g_new0 (JsonLiteState, 1);
  state->mode = mode;
  state->node = g_steal_pointer (&node);
  g_ptr_array_add (builder->stack, state);
  return builder;
}

static JsonBuilder *
json_builder_end (JsonBuilder *builder, JsonLiteMode mode)
{
  JsonLiteState *top;

  g_return_val_if_fail (builder->stack->len > 0, NULL);
  top = json_builder_top (builder);
  g_return_val_if_fail (top->mode == mode, NULL);
  if (builder->stack->len == 1)
    builder->root = json_node_ref (top->node);
  g_ptr_array_remove_index (builder->stack, builder->stack->len - 1);
  return builder;
}

JsonBuilder *
json_builder_begin_object (JsonBuilder *builder)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  return json_builder_begin (builder, json_node_init_object (json_node_alloc (), object),
                             JSON_LITE_MODE_OBJECT);
}

JsonBuilder *
json_builder_end_object (JsonBuilder *builder)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  return json_builder_end (builder, JSON_LITE_MODE_OBJECT);
}

JsonBuilder *
json_builder_begin_array (JsonBuilder *builder)
{
  g_autoptr(JsonArray) array = json_array_new ();

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  return json_builder_begin (builder, json_node_init_array (json_node_alloc (), array),
                             JSON_LITE_MODE_ARRAY);
}

JsonBuilder *
json_builder_end_array (JsonBuilder *builder)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  return json_builder_end (builder, JSON_LITE_MODE_ARRAY);
}

JsonBuilder *
json_builder_set_member_name (JsonBuilder *builder, const gchar *member_name)
{
  JsonLiteState *top;

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  g_return_val_if_fail (member_name != NULL, NULL);
  top = json_builder_top (builder);
  g_return_val_if_fail (top != NULL && top->mode == JSON_LITE_MODE_OBJECT, NULL);
  top->member_name = g_strdup (member_name);
  top->mode = JSON_LITE_MODE_MEMBER;
  return builder;
}

/* Takes ownership of @node, also when it fails. */
JsonBuilder *
json_builder_add_value (JsonBuilder *builder, JsonNode *node)
{
  g_autoptr(JsonNode) owned = node;

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (json_builder_is_valid_add_mode (builder), NULL);
  json_builder_add_to_top (builder, g_steal_pointer (&owned));
  return builder;
}

JsonBuilder *
json_builder_add_int_value (JsonBuilder *builder, gint64 value)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  g_return_val_if_fail (json_builder_is_valid_add_mode (builder), NULL);
  return json_builder_add_value (builder, json_node_init_int (json_node_alloc (), value));
}

JsonBuilder *
json_builder_add_boolean_value (JsonBuilder *builder, gboolean value)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  g_return_val_if_fail (json_builder_is_valid_add_mode (builder), NULL);
  return json_builder_add_value (builder, json_node_init_boolean (json_node_alloc (), value));
}

JsonBuilder *
json_builder_add_string_value (JsonBuilder *builder, const gchar *value)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  g_return_val_if_fail (json_builder_is_valid_add_mode (builder), NULL);
  return json_builder_add_value (builder, json_node_init_string (json_node_alloc (), value));
}

JsonBuilder *
json_builder_add_null_value (JsonBuilder *builder)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  g_return_val_if_fail (json_builder_is_valid_add_mode (builder), NULL);
  return json_builder_add_value (builder, json_node_init_null (json_node_alloc ()));
}

/* A new reference to the finished tree, or NULL while a container is open. */
JsonNode *
json_builder_get_root (JsonBuilder *builder)
{
  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);
  return builder->root != NULL ? json_node_ref (builder->root) : NULL;
}

void
json_builder_reset (JsonBuilder *builder)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_ptr_array_set_size (builder->stack, 0);
  g_clear_pointer (&builder->root, json_node_unref);
}
