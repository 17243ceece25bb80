/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-object.c: JsonObject and JsonArray, and their typed getters.
 *
 * A getter's answer for a member or element of each kind follows json-glib
 * 1.6 (tools/win/check-json-lite.sh compares all of them): a missing member
 * or an out-of-range index is a programming error (critical warning) except
 * for the _with_default getters, which return the default for missing and
 * null members; a container asked for a scalar, or the wrong container, is
 * one too; null reads as 0, FALSE or NULL. Objects are small here (the
 * engine's records have a few dozen members), so members are looked up by
 * a linear search that keeps their order without a second index. */
#include "json-lite-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (JsonObject, json_object, json_object_ref, json_object_unref)
G_DEFINE_BOXED_TYPE (JsonArray, json_array, json_array_ref, json_array_unref)

JsonObject *
json_object_new (void)
{
  JsonObject *object = g_new0 (JsonObject, 1);

  g_atomic_ref_count_init (&object->ref_count);
  object->names = g_ptr_array_new_with_free_func (g_free);
  object->values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  return object;
}

JsonObject *
json_object_ref (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);
  g_atomic_ref_count_inc (&object->ref_count);
  return object;
}

void
json_object_unref (JsonObject *object)
{
  g_return_if_fail (object != NULL);
  if (!g_atomic_ref_count_dec (&object->ref_count))
    return;
  g_ptr_array_unref (object->names);
  g_ptr_array_unref (object->values);
  g_free (object);
}

static gboolean
json_object_find (JsonObject *object, const gchar *member_name, guint *index_)
{
  for (guint i = 0; i < object->names->len; i++)
    if (strcmp (g_ptr_array_index (object->names, i), member_name) == 0)
      {
        *index_ = i;
        return TRUE;
      }
  return FALSE;
}

/* Takes ownership of @node. */
void
json_object_set_member (JsonObject *object, const gchar *member_name, JsonNode *node)
{
  guint i;

  g_return_if_fail (object != NULL);
  g_return_if_fail (member_name != NULL);
  g_return_if_fail (node != NULL);
  if (json_object_find (object, member_name, &i))
    {
      json_node_unref (g_ptr_array_index (object->values, i));
      g_ptr_array_index (object->values, i) = node;
      return;
    }
  g_ptr_array_add (object->names, g_strdup (member_name));
  g_ptr_array_add (object->values, node);
}

gboolean
json_object_has_member (JsonObject *object, const gchar *member_name)
{
  guint i;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member_name != NULL, FALSE);
  return json_object_find (object, member_name, &i);
}

JsonNode *
json_object_get_member (JsonObject *object, const gchar *member_name)
{
  guint i;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member_name != NULL, NULL);
  if (!json_object_find (object, member_name, &i))
    return NULL;
  return g_ptr_array_index (object->values, i);
}

guint
json_object_get_size (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, 0);
  return object->names->len;
}

/* The member names in order; the list is the caller's, the names are not. */
GList *
json_object_get_members (JsonObject *object)
{
  GList *members = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  for (guint i = object->names->len; i > 0; i--)
    members = g_list_prepend (members, g_ptr_array_index (object->names, i - 1));
  return members;
}

JsonArray *
json_array_new (void)
{
  JsonArray *array = g_new0 (JsonArray, 1);

  g_atomic_ref_count_init (&array->ref_count);
  array->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  return array;
}

JsonArray *
json_array_ref (JsonArray *array)
{
  g_return_val_if_fail (array != NULL, NULL);
  g_atomic_ref_count_inc (&array->ref_count);
  return array;
}

void
json_array_unref (JsonArray *array)
{
  g_return_if_fail (array != NULL);
  if (!g_atomic_ref_count_dec (&array->ref_count))
    return;
  g_ptr_array_unref (array->elements);
  g_free (array);
}

/* Takes ownership of @node. */
void
json_array_add_element (JsonArray *array, JsonNode *node)
{
  g_return_if_fail (array != NULL);
  g_return_if_fail (node != NULL);
  g_ptr_array_add (array->elements, node);
}

JsonNode *
json_array_get_element (JsonArray *array, guint index_)
{
  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (index_ < array->elements->len, NULL);
  return g_ptr_array_index (array->elements, index_);
}

guint
json_array_get_length (JsonArray *array)
{
  g_return_val_if_fail (array != NULL, 0);
  return array->elements->len;
}

JsonObject *
json_object_get_object_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member_name != NULL, NULL);
  node = json_object_get_member (object, member_name);
  g_return_val_if_fail (node != NULL, NULL);
  if (node->type == JSON_NODE_NULL)
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
json_object_get_array_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member_name != NULL, NULL);
  node = json_object_get_member (object, member_name);
  g_return_val_if_fail (node != NULL, NULL);
  if (node->type == JSON_NODE_NULL)
    return NULL;
  return json_node_get_array (node);
}

gboolean
json_object_get_null_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member_name != NULL, FALSE);
  node = json_object_get_member (object, member_name);
  g_return_val_if_fail (node != NULL, FALSE);
  return node->type == JSON_NODE_NULL;
}

/* The scalar member getters: @node is the member (NULL when missing). */
static JsonNode *
json_object_get_scalar (JsonObject *object, const gchar *member_name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member_name != NULL, NULL);
  node = json_object_get_member (object, member_name);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (node->type == JSON_NODE_VALUE || node->type == JSON_NODE_NULL, NULL);
  return node;
}

/* The _with_default getters: NULL (use the default) for a missing or null
 * member, and with a critical warning for a container. */
static JsonNode *
json_object_get_scalar_or_default (JsonObject *object, const gchar *member_name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (member_name != NULL, NULL);
  node = json_object_get_member (object, member_name);
  if (node == NULL || node->type == JSON_NODE_NULL)
    return NULL;
  g_return_val_if_fail (node->type == JSON_NODE_VALUE, NULL);
  return node;
}

gint64
json_object_get_int_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node = json_object_get_scalar (object, member_name);
  return node != NULL ? json_node_get_int (node) : 0;
}

gint64
json_object_get_int_member_with_default (JsonObject *object, const gchar *member_name, gint64 default_value)
{
  JsonNode *node = json_object_get_scalar_or_default (object, member_name);
  return node != NULL ? json_node_get_int (node) : default_value;
}

gdouble
json_object_get_double_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node = json_object_get_scalar (object, member_name);
  return node != NULL ? json_node_get_double (node) : 0.0;
}

gdouble
json_object_get_double_member_with_default (JsonObject *object, const gchar *member_name, gdouble default_value)
{
  JsonNode *node = json_object_get_scalar_or_default (object, member_name);
  return node != NULL ? json_node_get_double (node) : default_value;
}

gboolean
json_object_get_boolean_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node = json_object_get_scalar (object, member_name);
  return node != NULL ? json_node_get_boolean (node) : FALSE;
}

gboolean
json_object_get_boolean_member_with_default (JsonObject *object, const gchar *member_name,
                                             gboolean default_value)
{
  JsonNode *node = json_object_get_scalar_or_default (object, member_name);
  return node != NULL ? json_node_get_boolean (node) : default_value;
}

const gchar *
json_object_get_string_member (JsonObject *object, const gchar *member_name)
{
  JsonNode *node = json_object_get_scalar (object, member_name);
  return node != NULL ? json_node_get_string (node) : NULL;
}

const gchar *
json_object_get_string_member_with_default (JsonObject *object, const gchar *member_name,
                                            const gchar *default_value)
{
  JsonNode *node = json_object_get_scalar_or_default (object, member_name);
  return node != NULL ? json_node_get_string (node) : default_value;
}

/* The element getters: NULL for an index out of range, with a critical
 * warning; the callers return their zero value without a second one. */
static JsonNode *
json_array_get_checked (JsonArray *array, guint index_)
{
  g_return_val_if_fail (array != NULL, NULL);
  g_return_val_if_fail (index_ < array->elements->len, NULL);
  return g_ptr_array_index (array->elements, index_);
}

gint64
json_array_get_int_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  if (node == NULL)
    return 0;
  g_return_val_if_fail (node->type == JSON_NODE_VALUE, 0);
  return json_node_get_int (node);
}

gdouble
json_array_get_double_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  if (node == NULL)
    return 0.0;
  g_return_val_if_fail (node->type == JSON_NODE_VALUE, 0.0);
  return json_node_get_double (node);
}

gboolean
json_array_get_boolean_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  if (node == NULL)
    return FALSE;
  g_return_val_if_fail (node->type == JSON_NODE_VALUE, FALSE);
  return json_node_get_boolean (node);
}

const gchar *
json_array_get_string_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  if (node == NULL || node->type == JSON_NODE_NULL)
    return NULL;
  g_return_val_if_fail (node->type == JSON_NODE_VALUE, NULL);
  return json_node_get_string (node);
}

gboolean
json_array_get_null_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  return node != NULL && node->type == JSON_NODE_NULL;
}

JsonObject *
json_array_get_object_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  if (node == NULL || node->type == JSON_NODE_NULL)
    return NULL;
  return json_node_get_object (node);
}

JsonArray *
json_array_get_array_element (JsonArray *array, guint index_)
{
  JsonNode *node = json_array_get_checked (array, index_);

  if (node == NULL || node->type == JSON_NODE_NULL)
    return NULL;
  return json_node_get_array (node);
}
