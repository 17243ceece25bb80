/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-lite-private.h: the node tree shared by the builder and generator. */
#ifndef JSON_LITE_PRIVATE_H
#define JSON_LITE_PRIVATE_H

#include "json-glib/json-glib.h"

G_BEGIN_DECLS

typedef enum {
  JSON_LITE_VALUE_INT,
  JSON_LITE_VALUE_DOUBLE,
  JSON_LITE_VALUE_BOOLEAN,
  JSON_LITE_VALUE_STRING,
} JsonLiteValueType;

struct _JsonNode {
  gatomicrefcount ref_count;
  JsonNodeType type;
  JsonLiteValueType value_type;  /* JSON_NODE_VALUE only */
  union {
    JsonObject *object;
    JsonArray *array;
    gint64 v_int;
    gdouble v_double;
    gboolean v_boolean;
    char *v_string;
  } data;
};

/* Members in insertion order; setting an existing member replaces its
 * value in place, as json_object_set_member does. */
struct _JsonObject {
  gatomicrefcount ref_count;
  GPtrArray *names;    /* char *, owned */
  GPtrArray *values;   /* JsonNode *, owned */
};

struct _JsonArray {
  gatomicrefcount ref_count;
  GPtrArray *elements; /* JsonNode *, owned */
};

G_END_DECLS

#endif
