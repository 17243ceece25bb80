/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-node.c: JsonNode, one JSON value.
 *
 * The getters convert like json-glib's: an int, a double and a boolean read
 * as each other, a string reads only as a string, null and containers read
 * as 0, FALSE or NULL, and asking a node that is not an object (or array)
 * for one is a programming error (a critical warning), also for null.
 * tools/win/check-json-lite.sh pins every pair. */
#include "json-lite-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (JsonNode, json_node, json_node_ref, json_node_unref)

static void
json_node_clear_data (JsonNode *node)
{
  if (node->type == JSON_NODE_OBJECT)
    g_clear_pointer (&node->data.object, json_object_unref);
  else if (node->type == JSON_NODE_ARRAY)
    g_clear_pointer (&node->data.array, json_array_unref);
  else if (node->type == JSON_NODE_VALUE && node->value_type == JSON_LITE_VALUE_STRING)
    g_clear_pointer (&node->data.v_string, g_free);
  memset (&node->data, 0, sizeof node->data);
}

JsonNode *
json_node_alloc (void)
{
  JsonNode *node = g_new0 (JsonNode, 1);

  g_atomic_ref_count_init (&node->ref_count);
  node->type = JSON_NODE_NULL;
  return node;
}

JsonNode *
json_node_new (JsonNodeType type)
{
  JsonNode *node;

  g_return_val_if_fail (type >= JSON_NODE_OBJECT && type <= JSON_NODE_NULL, NULL);
  node = json_node_alloc ();
  node->type = type;
  return node;
}

JsonNode *
json_node_init_object (JsonNode *node, JsonObject *object)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_OBJECT;
  node->data.object = object != NULL ? json_object_ref (object) : NULL;
  return node;
}

JsonNode *
json_node_init_array (JsonNode *node, JsonArray *array)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_ARRAY;
  node->data.array = array != NULL ? json_array_ref (array) : NULL;
  return node;
}

JsonNode *
json_node_init_int (JsonNode *node, gint64 value)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_VALUE;
  node->value_type = JSON_LITE_VALUE_INT;
  node->data.v_int = value;
  return node;
}

JsonNode *
json_node_init_double (JsonNode *node, gdouble value)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_VALUE;
  node->value_type = JSON_LITE_VALUE_DOUBLE;
  node->data.v_double = value;
  return node;
}

JsonNode *
json_node_init_boolean (JsonNode *node, gboolean value)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_VALUE;
  node->value_type = JSON_LITE_VALUE_BOOLEAN;
  node->data.v_boolean = value ? TRUE : FALSE;
  return node;
}

JsonNode *
json_node_init_string (JsonNode *node, const char *value)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_VALUE;
  node->value_type = JSON_LITE_VALUE_STRING;
  node->data.v_string = g_strdup (value);
  return node;
}

JsonNode *
json_node_init_null (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  json_node_clear_data (node);
  node->type = JSON_NODE_NULL;
  return node;
}

/* The setters turn a value node into one of another type; other nodes are
 * a programming error, as in json-glib. */
void
json_node_set_int (JsonNode *node, gint64 value)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (node->type == JSON_NODE_VALUE);
  json_node_init_int (node, value);
}

void
json_node_set_double (JsonNode *node, gdouble value)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (node->type == JSON_NODE_VALUE);
  json_node_init_double (node, value);
}

void
json_node_set_boolean (JsonNode *node, gboolean value)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (node->type == JSON_NODE_VALUE);
  json_node_init_boolean (node, value);
}

void
json_node_set_string (JsonNode *node, const gchar *value)
{
  g_return_if_fail (node != NULL);
  g_return_if_fail (node->type == JSON_NODE_VALUE);
  json_node_init_string (node, value);
}

JsonNode *
json_node_ref (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_atomic_ref_count_inc (&node->ref_count);
  return node;
}

void
json_node_unref (JsonNode *node)
{
  g_return_if_fail (node != NULL);
  if (!g_atomic_ref_count_dec (&node->ref_count))
    return;
  json_node_clear_data (node);
  g_free (node);
}

/* json-glib's json_node_free frees regardless of the reference count; here
 * it drops one reference, which is the same for the only owner. */
void
json_node_free (JsonNode *node)
{
  if (node != NULL)
    json_node_unref (node);
}

JsonNodeType
json_node_get_node_type (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, JSON_NODE_NULL);
  return node->type;
}

GType
json_node_get_value_type (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, G_TYPE_INVALID);
  switch (node->type)
    {
    case JSON_NODE_OBJECT: return JSON_TYPE_OBJECT;
    case JSON_NODE_ARRAY: return JSON_TYPE_ARRAY;
    case JSON_NODE_NULL: return G_TYPE_INVALID;
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (node->value_type)
    {
    case JSON_LITE_VALUE_INT: return G_TYPE_INT64;
    case JSON_LITE_VALUE_DOUBLE: return G_TYPE_DOUBLE;
    case JSON_LITE_VALUE_BOOLEAN: return G_TYPE_BOOLEAN;
    case JSON_LITE_VALUE_STRING:
    default: return G_TYPE_STRING;
    }
}

gboolean
json_node_is_null (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, TRUE);
  return node->type == JSON_NODE_NULL;
}

JsonObject *
json_node_get_object (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (node->type == JSON_NODE_OBJECT, NULL);
  return node->data.object;
}

JsonArray *
json_node_get_array (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (node->type == JSON_NODE_ARRAY, NULL);
  return node->data.array;
}

const gchar *
json_node_get_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  if (node->type != JSON_NODE_VALUE || node->value_type != JSON_LITE_VALUE_STRING)
    return NULL;
  return node->data.v_string;
}

gint64
json_node_get_int (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, 0);
  if (node->type != JSON_NODE_VALUE)
    return 0;
  switch (node->value_type)
    {
    case JSON_LITE_VALUE_INT: return node->data.v_int;
    case JSON_LITE_VALUE_DOUBLE: return (gint64) node->data.v_double;
    case JSON_LITE_VALUE_BOOLEAN: return node->data.v_boolean;
    case JSON_LITE_VALUE_STRING:
    default: return 0;
    }
}

gdouble
json_node_get_double (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, 0.0);
  if (node->type != JSON_NODE_VALUE)
    return 0.0;
  switch (node->value_type)
    {
    case JSON_LITE_VALUE_INT: return (gdouble) node->data.v_int;
    case JSON_LITE_VALUE_DOUBLE: return node->data.v_double;
    case JSON_LITE_VALUE_BOOLEAN: return node->data.v_boolean ? 1.0 : 0.0;
    case JSON_LITE_VALUE_STRING:
    default: return 0.0;
    }
}

gboolean
json_node_get_boolean (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, FALSE);
  if (node->type != JSON_NODE_VALUE)
    return FALSE;
  switch (node->value_type)
    {
    case JSON_LITE_VALUE_INT: return node->data.v_int != 0;
    case JSON_LITE_VALUE_DOUBLE: return node->data.v_double != 0.0;
    case JSON_LITE_VALUE_BOOLEAN: return node->data.v_boolean;
    case JSON_LITE_VALUE_STRING:
    default: return FALSE;
    }
}
