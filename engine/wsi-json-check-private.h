/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json-check-private.h: strict checks of JSON that another process
 * wrote (the x86 helper's request and answer). json-glib's getters emit
 * criticals on a type mismatch, so they are only used after a check here
 * said every member has the type it is read as. Engine-only. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  WSI_JSON_INT32,       /* a JSON integer that fits gint32 */
  WSI_JSON_UINT32,      /* a JSON integer in 0..G_MAXUINT32 */
  WSI_JSON_STRING,
  WSI_JSON_ARRAY,
} WsiJsonShape;

typedef struct {
  const char   *name;
  WsiJsonShape  shape;
  gboolean      required;
} WsiJsonMember;

gboolean wsi_json_has_shape     (JsonNode            *node,
                                 WsiJsonShape         shape);
/* @node is an object whose members are all in @members, each with its
 * shape, the required ones present. Otherwise FALSE with WSI_ERROR @code,
 * naming the object @what. */
gboolean wsi_json_check_object  (JsonNode            *node,
                                 const char          *what,
                                 const WsiJsonMember *members,
                                 gsize                n_members,
                                 int                  code,
                                 GError             **error);
/* Does @text hold exactly one JSON object, white space around it aside,
 * nested at most @max_depth deep (the object itself is depth 1)? json-glib
 * reads "{...}{...}" without complaint, and its parser recurses once per
 * level. */
gboolean wsi_json_is_one_object (const char          *text,
                                 int                  max_depth);

G_END_DECLS
