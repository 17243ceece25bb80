/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json-check.c: see wsi-json-check-private.h. */
#include "wsi-json-check-private.h"

#include <string.h>

#include "wsi-error.h"

gboolean
wsi_json_has_shape (JsonNode *node, WsiJsonShape shape)
{
  JsonNodeType type = json_node_get_node_type (node);
  gint64 v;

  switch (shape)
    {
    case WSI_JSON_INT32:
    case WSI_JSON_UINT32:
      if (type != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      v = json_node_get_int (node);
      return shape == WSI_JSON_INT32 ? v >= G_MININT32 && v <= G_MAXINT32 : v >= 0 && v <= (gint64) G_MAXUINT32;
    case WSI_JSON_STRING:
      return type == JSON_NODE_VALUE && json_node_get_value_type (node) == G_TYPE_STRING;
    case WSI_JSON_ARRAY:
      return type == JSON_NODE_ARRAY;
    default:
      return FALSE;
    }
}

gboolean
wsi_json_check_object (JsonNode *node, const char *what, const WsiJsonMember *members, gsize n_members, int code,
                       GError **error)
{
  JsonObject *o;
  g_autoptr(GList) names = NULL;

  if (node == NULL || json_node_get_node_type (node) != JSON_NODE_OBJECT)
    {
      g_set_error (error, WSI_ERROR, code, "%s is not a JSON object", what);
      return FALSE;
    }
  o = json_node_get_object (node);
  names = json_object_get_members (o);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gsize i;
      for (i = 0; i < n_members; i++)
        if (strcmp (members[i].name, name) == 0)
          break;
      if (i == n_members)
        {
          g_set_error (error, WSI_ERROR, code, "%s has a member '%s' it may not have", what, name);
          return FALSE;
        }
      if (!wsi_json_has_shape (json_object_get_member (o, name), members[i].shape))
        {
          g_set_error (error, WSI_ERROR, code, "member '%s' of %s has the wrong type or is out of range", name, what);
          return FALSE;
        }
    }
  for (gsize i = 0; i < n_members; i++)
    if (members[i].required && !json_object_has_member (o, members[i].name))
      {
        g_set_error (error, WSI_ERROR, code, "%s lacks the member '%s'", what, members[i].name);
        return FALSE;
      }
  return TRUE;
}

gboolean
wsi_json_is_one_object (const char *text, int max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  int depth = 0;
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '{')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (*p == '\\')
            escaped = TRUE;
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((*p == '}' || *p == ']') && --depth == 0)
        break;
    }
  if (*p == '\0')
    return FALSE;
  for (p++; g_ascii_isspace (*p); p++)
    ;
  return *p == '\0';
}
