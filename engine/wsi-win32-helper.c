/* wsi-win32-helper.c: building, checking and answering the x86 helper's
 * one-step requests (see wsi-win32-helper.h). The request comes through a
 * pipe from a process of the same installer, but the helper runs with
 * administrator rights and changes the machine: it trusts nothing it has
 * not checked, and json-glib's getters (which emit criticals on a type
 * mismatch) are only used after every member's type has been checked. */
#include "wsi-win32-helper.h"

#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-plan-private.h"

/* ---- building requests ---- */

static WsiPlanStep *
wsi_helper32_step_new (WsiStepOp op, const char *summary)
{
  WsiPlanStep *step = g_new0 (WsiPlanStep, 1);

  step->op = op;
  step->bitness = WSI_CATALOG_32;
  step->needs_32bit_process = TRUE;
  step->summary = g_strdup (summary);
  return step;
}

/* A ref that names @id itself (the caller resolved it a moment ago). */
static WsiEntryRef
wsi_helper32_literal (guint32 id)
{
  WsiEntryRef ref = { 0 };
  ref.predicted_id = id;
  return ref;
}

static GPtrArray *
wsi_helper32_plan_entries (const WsiEntry *const *infos, guint n)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);

  for (guint i = 0; i < n; i++)
    {
      WsiPlanEntry *pe = g_new0 (WsiPlanEntry, 1);
      pe->entry = wsi_entry_copy (infos[i]);
      pe->entry->catalog_id = 0;
      /* Only protocol chains name other entries; layered and base entries
       * keep their ChainEntries verbatim (raw_chain in the JSON form). */
      if (infos[i]->chain_len > 1 && infos[i]->chain_len <= WSI_MAX_PROTOCOL_CHAIN)
        {
          pe->n_refs = (guint) infos[i]->chain_len;
          for (guint k = 0; k < pe->n_refs; k++)
            pe->refs[k] = wsi_helper32_literal (infos[i]->chain[k]);
        }
      g_ptr_array_add (out, pe);
    }
  return out;
}

WsiPlanStep *
wsi_helper32_step_install (const WsiGuid *guid, const char *path, const WsiEntry *const *infos, guint n)
{
  WsiPlanStep *step = wsi_helper32_step_new (WSI_STEP_INSTALL_PROVIDER, "WSCInstallProvider (32-bit catalog)");

  step->guid = *guid;
  step->path = g_strdup (path);
  step->entries = wsi_helper32_plan_entries (infos, n);
  return step;
}

WsiPlanStep *
wsi_helper32_step_update (const WsiGuid *guid, const char *path, const WsiEntry *const *infos, guint n)
{
  WsiPlanStep *step = wsi_helper32_step_new (WSI_STEP_UPDATE_PROVIDER, "WSCUpdateProvider (32-bit catalog)");

  step->guid = *guid;
  step->path = g_strdup (path);
  step->entries = wsi_helper32_plan_entries (infos, n);
  return step;
}

WsiPlanStep *
wsi_helper32_step_deinstall (const WsiGuid *guid)
{
  WsiPlanStep *step = wsi_helper32_step_new (WSI_STEP_DEINSTALL_PROVIDER, "WSCDeinstallProvider (32-bit catalog)");

  step->guid = *guid;
  return step;
}

WsiPlanStep *
wsi_helper32_step_write_order (const guint32 *ids, guint n)
{
  WsiPlanStep *step = wsi_helper32_step_new (WSI_STEP_WRITE_ORDER, "WSCWriteProviderOrder (32-bit catalog)");

  step->order = g_array_sized_new (FALSE, FALSE, sizeof (WsiEntryRef), n);
  for (guint i = 0; i < n; i++)
    {
      WsiEntryRef ref = wsi_helper32_literal (ids[i]);
      g_array_append_val (step->order, ref);
    }
  return step;
}

WsiPlanStep *
wsi_helper32_step_categories (const WsiGuid *guid, guint32 categories)
{
  WsiPlanStep *step = wsi_helper32_step_new (WSI_STEP_SET_LSP_CATEGORIES, "WSCSetProviderInfo (32-bit catalog)");

  step->guid = *guid;
  step->categories = categories;
  return step;
}

/* ---- checking requests ---- */

static void
wsi_refusev (GError **error, const char *format, va_list args) G_GNUC_PRINTF (2, 0);

static void
wsi_refusev (GError **error, const char *format, va_list args)
{
  g_autofree char *msg = g_strdup_vprintf (format, args);
  g_set_error_literal (error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID, msg);
}

static gboolean
wsi_refuse (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
wsi_refuse (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_refusev (error, format, args);
  va_end (args);
  return FALSE;
}

/* The same, for the function that returns a step. */
static WsiPlanStep *
wsi_refuse_step (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static WsiPlanStep *
wsi_refuse_step (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_refusev (error, format, args);
  va_end (args);
  return NULL;
}

typedef enum {
  WSI_SHAPE_INT32,       /* a JSON integer that fits gint32 */
  WSI_SHAPE_UINT32,      /* a JSON integer in 0..G_MAXUINT32 */
  WSI_SHAPE_STRING,      /* a string */
  WSI_SHAPE_STRING_NULL, /* a string or null */
  WSI_SHAPE_BOOL,
  WSI_SHAPE_NULL,
  WSI_SHAPE_OBJECT,
  WSI_SHAPE_ARRAY,
} WsiShape;

typedef struct {
  const char *name;
  WsiShape    shape;
  gboolean    required;
} WsiMember;

static gboolean
wsi_node_has_shape (JsonNode *node, WsiShape shape)
{
  JsonNodeType type = json_node_get_node_type (node);
  gint64 v;

  switch (shape)
    {
    case WSI_SHAPE_INT32:
    case WSI_SHAPE_UINT32:
      if (type != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_INT64)
        return FALSE;
      v = json_node_get_int (node);
      return shape == WSI_SHAPE_INT32 ? v >= G_MININT32 && v <= G_MAXINT32 : v >= 0 && v <= (gint64) G_MAXUINT32;
    case WSI_SHAPE_STRING:
      return type == JSON_NODE_VALUE && json_node_get_value_type (node) == G_TYPE_STRING;
    case WSI_SHAPE_STRING_NULL:
      return type == JSON_NODE_NULL || (type == JSON_NODE_VALUE && json_node_get_value_type (node) == G_TYPE_STRING);
    case WSI_SHAPE_BOOL:
      return type == JSON_NODE_VALUE && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
    case WSI_SHAPE_NULL:
      return type == JSON_NODE_NULL;
    case WSI_SHAPE_OBJECT:
      return type == JSON_NODE_OBJECT;
    case WSI_SHAPE_ARRAY:
      return type == JSON_NODE_ARRAY;
    default:
      return FALSE;
    }
}

/* @node must be an object whose members are all in @members with their
 * shapes, the required ones present. */
static gboolean
wsi_check_object (JsonNode *node, const char *what, const WsiMember *members, gsize n_members, GError **error)
{
  JsonObject *o;
  g_autoptr(GList) names = NULL;

  if (node == NULL || json_node_get_node_type (node) != JSON_NODE_OBJECT)
    return wsi_refuse (error, "%s is not a JSON object", what);
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
        return wsi_refuse (error, "%s has a member '%s' that a helper request may not have", what, name);
      if (!wsi_node_has_shape (json_object_get_member (o, name), members[i].shape))
        return wsi_refuse (error, "member '%s' of %s has the wrong type or is out of range", name, what);
    }
  for (gsize i = 0; i < n_members; i++)
    if (members[i].required && !json_object_has_member (o, members[i].name))
      return wsi_refuse (error, "%s lacks the member '%s'", what, members[i].name);
  return TRUE;
}

/* An array of at most @max elements, each checked by @check. */
static gboolean
wsi_check_array (JsonNode *node, const char *what, guint min, guint max,
                 gboolean (*check) (JsonNode *, const char *, GError **), GError **error)
{
  JsonArray *a = json_node_get_array (node);
  guint n = json_array_get_length (a);

  if (n < min || n > max)
    return wsi_refuse (error, "%s has %u elements (allowed: %u to %u)", what, n, min, max);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("element %u of %s", i, what);
      if (!check (json_array_get_element (a, i), label, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
wsi_check_uint32_element (JsonNode *node, const char *what, GError **error)
{
  if (!wsi_node_has_shape (node, WSI_SHAPE_UINT32))
    return wsi_refuse (error, "%s is not a 32-bit unsigned integer", what);
  return TRUE;
}

static const WsiMember wsi_ref_members[] = {
  { "guid", WSI_SHAPE_STRING, TRUE },
  { "af", WSI_SHAPE_INT32, FALSE },
  { "type", WSI_SHAPE_INT32, FALSE },
  { "protocol", WSI_SHAPE_INT32, FALSE },
  { "occurrence", WSI_SHAPE_UINT32, FALSE },
  { "predicted_id", WSI_SHAPE_UINT32, FALSE },
};

static gboolean
wsi_check_ref (JsonNode *node, const char *what, GError **error)
{
  WsiGuid guid;

  if (!wsi_check_object (node, what, wsi_ref_members, G_N_ELEMENTS (wsi_ref_members), error))
    return FALSE;
  if (!wsi_guid_parse (json_object_get_string_member (json_node_get_object (node), "guid"), &guid))
    return wsi_refuse (error, "the guid of %s is not a GUID", what);
  return TRUE;
}

static const WsiMember wsi_entry_members[] = {
  { "name", WSI_SHAPE_STRING_NULL, FALSE },
  { "chain_len", WSI_SHAPE_INT32, TRUE },
  { "chain", WSI_SHAPE_ARRAY, TRUE },
  { "af", WSI_SHAPE_INT32, FALSE },
  { "type", WSI_SHAPE_INT32, FALSE },
  { "protocol", WSI_SHAPE_INT32, FALSE },
  { "service_flags", WSI_SHAPE_STRING, FALSE },
  { "service_flags2", WSI_SHAPE_UINT32, FALSE },
  { "service_flags3", WSI_SHAPE_UINT32, FALSE },
  { "service_flags4", WSI_SHAPE_UINT32, FALSE },
  { "provider_flags", WSI_SHAPE_STRING, FALSE },
  { "version", WSI_SHAPE_INT32, FALSE },
  { "max_sockaddr", WSI_SHAPE_INT32, FALSE },
  { "min_sockaddr", WSI_SHAPE_INT32, FALSE },
  { "protocol_max_offset", WSI_SHAPE_INT32, FALSE },
  { "byte_order", WSI_SHAPE_INT32, FALSE },
  { "security_scheme", WSI_SHAPE_INT32, FALSE },
  { "message_size", WSI_SHAPE_UINT32, FALSE },
  { "provider_reserved", WSI_SHAPE_UINT32, FALSE },
  { "raw_chain", WSI_SHAPE_ARRAY, FALSE },
};

static gboolean
wsi_check_entry (JsonNode *node, const char *what, GError **error)
{
  JsonObject *o;
  gint64 chain_len;
  const char *name;
  JsonNode *chain;
  guint n;

  if (!wsi_check_object (node, what, wsi_entry_members, G_N_ELEMENTS (wsi_entry_members), error))
    return FALSE;
  o = json_node_get_object (node);
  chain_len = json_object_get_int_member (o, "chain_len");
  if (chain_len < 0 || chain_len > WSI_MAX_PROTOCOL_CHAIN)
    return wsi_refuse (error, "%s has ChainLen %" G_GINT64_FORMAT " (0..7 allowed)", what, chain_len);
  name = json_object_get_string_member_with_default (o, "name", NULL);
  if (name != NULL && strlen (name) > 4 * WSI_PROTOCOL_LEN)
    return wsi_refuse (error, "the name of %s is too long", what);
  /* Chains name their members; layered and base entries name none. */
  chain = json_object_get_member (o, "chain");
  n = json_array_get_length (json_node_get_array (chain));
  if (n != (chain_len > 1 ? (guint) chain_len : 0u))
    return wsi_refuse (error, "%s has ChainLen %" G_GINT64_FORMAT " but %u chain elements", what, chain_len, n);
  if (!wsi_check_array (chain, "a chain", 0, WSI_MAX_PROTOCOL_CHAIN, wsi_check_ref, error))
    return FALSE;
  if (json_object_has_member (o, "raw_chain") &&
      !wsi_check_array (json_object_get_member (o, "raw_chain"), "raw_chain", WSI_MAX_PROTOCOL_CHAIN,
                        WSI_MAX_PROTOCOL_CHAIN, wsi_check_uint32_element, error))
    return FALSE;
  return TRUE;
}

static const WsiMember wsi_step_members[] = {
  { "index", WSI_SHAPE_UINT32, FALSE },
  { "catalog", WSI_SHAPE_INT32, TRUE },
  { "op", WSI_SHAPE_STRING, TRUE },
  { "needs_32bit_process", WSI_SHAPE_BOOL, FALSE },
  { "summary", WSI_SHAPE_STRING_NULL, FALSE },
  { "args", WSI_SHAPE_OBJECT, TRUE },
  /* A request is one operation: no inverse to run, no ID predictions. */
  { "undo", WSI_SHAPE_NULL, FALSE },
  { "predicted_ids", WSI_SHAPE_ARRAY, FALSE },
  { "source", WSI_SHAPE_OBJECT, TRUE },
};

static const WsiMember wsi_source_members[] = {
  { "file", WSI_SHAPE_STRING_NULL, FALSE },
  { "line", WSI_SHAPE_INT32, FALSE },
};

static const WsiMember wsi_provider_args[] = {
  { "guid", WSI_SHAPE_STRING, TRUE },
  { "path", WSI_SHAPE_STRING, TRUE },
  { "categories", WSI_SHAPE_UINT32, FALSE },
  { "entries", WSI_SHAPE_ARRAY, TRUE },
};

static const WsiMember wsi_deinstall_args[] = {
  { "guid", WSI_SHAPE_STRING, TRUE },
};

static const WsiMember wsi_order_args[] = {
  { "order", WSI_SHAPE_ARRAY, TRUE },
};

static const WsiMember wsi_categories_args[] = {
  { "guid", WSI_SHAPE_STRING, TRUE },
  { "categories", WSI_SHAPE_UINT32, TRUE },
  { "category_names", WSI_SHAPE_STRING_NULL, FALSE },
};

static gboolean
wsi_check_args (WsiStepOp op, JsonNode *args, GError **error)
{
  JsonObject *o;
  WsiGuid guid;

  switch (op)
    {
    case WSI_STEP_INSTALL_PROVIDER:
    case WSI_STEP_UPDATE_PROVIDER:
      if (!wsi_check_object (args, "args", wsi_provider_args, G_N_ELEMENTS (wsi_provider_args), error))
        return FALSE;
      o = json_node_get_object (args);
      /* MAX_PATH characters; UTF-8 may take up to 3 bytes for each. */
      if (strlen (json_object_get_string_member (o, "path")) > 3 * WSI_MAX_PATH)
        return wsi_refuse (error, "the provider path is too long");
      if (!wsi_check_array (json_object_get_member (o, "entries"), "entries", 1, WSI_HELPER32_MAX_ENTRIES,
                            wsi_check_entry, error))
        return FALSE;
      break;
    case WSI_STEP_DEINSTALL_PROVIDER:
      if (!wsi_check_object (args, "args", wsi_deinstall_args, G_N_ELEMENTS (wsi_deinstall_args), error))
        return FALSE;
      break;
    case WSI_STEP_WRITE_ORDER:
      if (!wsi_check_object (args, "args", wsi_order_args, G_N_ELEMENTS (wsi_order_args), error))
        return FALSE;
      return wsi_check_array (json_object_get_member (json_node_get_object (args), "order"), "order", 1,
                              WSI_HELPER32_MAX_ORDER, wsi_check_ref, error);
    case WSI_STEP_SET_LSP_CATEGORIES:
      if (!wsi_check_object (args, "args", wsi_categories_args, G_N_ELEMENTS (wsi_categories_args), error))
        return FALSE;
      break;
    default:
      return wsi_refuse (error, "operation %s is not a 32-bit catalog operation", wsi_step_op_to_string (op));
    }
  if (!wsi_guid_parse (json_object_get_string_member (json_node_get_object (args), "guid"), &guid))
    return wsi_refuse (error, "the provider guid is not a GUID");
  return TRUE;
}

/* Only these run in the helper: the WSC calls a 64-bit process cannot make
 * on the 32-bit catalog. WSCInstallProvider64_32 and registry writes never
 * do (the x64 process makes them itself). */
static gboolean
wsi_helper32_op_from_string (const char *text, WsiStepOp *op)
{
  static const WsiStepOp allowed[] = {
    WSI_STEP_INSTALL_PROVIDER, WSI_STEP_DEINSTALL_PROVIDER, WSI_STEP_UPDATE_PROVIDER,
    WSI_STEP_WRITE_ORDER, WSI_STEP_SET_LSP_CATEGORIES,
  };
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (strcmp (text, wsi_step_op_to_string (allowed[i])) == 0)
      {
        *op = allowed[i];
        return TRUE;
      }
  return FALSE;
}

/* Does @text hold exactly one JSON object (with white space around)?
 * json-glib reads "{...}{...}" without complaint; a request is one step. */
static gboolean
wsi_json_one_object (const char *text)
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
        depth++;
      else if ((*p == '}' || *p == ']') && --depth == 0)
        break;
    }
  if (*p == '\0')
    return FALSE;
  for (p++; g_ascii_isspace (*p); p++)
    ;
  return *p == '\0';
}

WsiPlanStep *
wsi_helper32_request_parse (const char *json, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;
  JsonObject *o;
  WsiStepOp op;
  WsiPlanStep *step;

  g_return_val_if_fail (json != NULL || len == 0, NULL);

  if (len == 0)
    return wsi_refuse_step (error, "the request is empty");
  if (len > WSI_HELPER32_MAX_REQUEST)
    return wsi_refuse_step (error, "the request has %" G_GSIZE_FORMAT " bytes (at most %d)", len,
                       WSI_HELPER32_MAX_REQUEST);
  if (memchr (json, '\0', len) != NULL || !g_utf8_validate (json, (gssize) len, NULL))
    return wsi_refuse_step (error, "the request is not UTF-8 text");
  text = g_strndup (json, len);
  if (!wsi_json_one_object (text))
    return wsi_refuse_step (error, "the request is not one JSON object");
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &local))
    return wsi_refuse_step (error, "the request is not JSON: %s", local->message);
  root = json_parser_get_root (parser);
  if (!wsi_check_object (root, "the request", wsi_step_members, G_N_ELEMENTS (wsi_step_members), error))
    return NULL;
  o = json_node_get_object (root);
  if (json_object_get_int_member (o, "catalog") != WSI_CATALOG_32)
    return wsi_refuse_step (error, "the request is for catalog %" G_GINT64_FORMAT ": the helper serves catalog 32 only",
                       json_object_get_int_member (o, "catalog"));
  if (!wsi_helper32_op_from_string (json_object_get_string_member (o, "op"), &op))
    return wsi_refuse_step (error, "operation '%s' is not one the helper runs", json_object_get_string_member (o, "op"));
  if (json_object_has_member (o, "predicted_ids") &&
      json_array_get_length (json_object_get_array_member (o, "predicted_ids")) != 0)
    return wsi_refuse_step (error, "a request carries no ID predictions");
  if (!wsi_check_object (json_object_get_member (o, "source"), "source", wsi_source_members,
                         G_N_ELEMENTS (wsi_source_members), error))
    return NULL;
  if (!wsi_check_args (op, json_object_get_member (o, "args"), error))
    return NULL;

  /* The shape is right: the journal's reader makes the step. */
  step = wsi_plan_step_from_json (text, &local);
  if (step == NULL)
    return wsi_refuse_step (error, "%s", local->message);
  if (step->op != op || step->bitness != WSI_CATALOG_32 || step->undo != NULL)
    {
      wsi_plan_step_free (step);
      return wsi_refuse_step (error, "the request does not read back as one catalog-32 step");
    }
  return step;
}

/* ---- answers ---- */

char *
wsi_helper32_result_to_json (const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, error == NULL ? "ok" : "failed");
  if (error != NULL)
    {
      gboolean wsa = error->domain == WSI_WSA_ERROR;
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, wsa ? "wsa" : "wsi");
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, wsa || error->domain == WSI_ERROR ? error->code : WSI_ERROR_FAILED);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
wsi_helper32_bad_answer (GError **error, const char *what, int exit_status)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "the x86 helper %s (exit status %d)", what, exit_status);
  return FALSE;
}

static const WsiMember wsi_answer_members[] = {
  { "status", WSI_SHAPE_STRING, TRUE },
  { "domain", WSI_SHAPE_STRING, FALSE },
  { "code", WSI_SHAPE_INT32, FALSE },
  { "message", WSI_SHAPE_STRING, FALSE },
};

gboolean
wsi_helper32_result_parse (const char *json, gsize len, int exit_status, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) shape = NULL;
  g_autofree char *text = NULL;
  JsonObject *o;
  const char *status;
  const char *domain;
  gint64 code;

  if (json == NULL || len == 0)
    return wsi_helper32_bad_answer (error, "gave no answer", exit_status);
  if (len > 64 * 1024 || memchr (json, '\0', len) != NULL || !g_utf8_validate (json, (gssize) len, NULL))
    return wsi_helper32_bad_answer (error, "gave an answer that is not a short text", exit_status);
  text = g_strndup (json, len);
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !wsi_check_object (json_parser_get_root (parser), "the answer", wsi_answer_members,
                         G_N_ELEMENTS (wsi_answer_members), &shape))
    return wsi_helper32_bad_answer (error, "gave an answer that is not one", exit_status);
  o = json_node_get_object (json_parser_get_root (parser));
  status = json_object_get_string_member (o, "status");
  if (strcmp (status, "ok") == 0 && exit_status == 0)
    return TRUE;
  if (strcmp (status, "failed") != 0 || (exit_status != 1 && exit_status != 2) ||
      !json_object_has_member (o, "code") || !json_object_has_member (o, "message"))
    return wsi_helper32_bad_answer (error, "answered something that contradicts its exit status", exit_status);
  code = json_object_get_int_member (o, "code");
  domain = json_object_has_member (o, "domain") ? json_object_get_string_member (o, "domain") : "wsi";
  if (strcmp (domain, "wsa") == 0 && code > 0 && code <= G_MAXINT32)
    {
      g_set_error_literal (error, WSI_WSA_ERROR, (int) code, json_object_get_string_member (o, "message"));
      return FALSE;
    }
  if (strcmp (domain, "wsi") != 0 || code < 0 || code > WSI_ERROR_LAST)
    code = WSI_ERROR_FAILED;
  g_set_error_literal (error, WSI_ERROR, (int) code, json_object_get_string_member (o, "message"));
  return FALSE;
}
