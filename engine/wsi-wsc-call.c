/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-wsc-call.c: one WSC call as data, its JSON form, its strict reader,
 * and its execution on a backend (see wsi-wsc-call.h). */
#include "wsi-wsc-call.h"

#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-json-check-private.h"

/* The deepest a call nests: call object, entries, entry, chain. */
#define WSI_WSC_CALL_MAX_DEPTH 4

static const char *const wsi_wsc_op_names[] = {
  [WSI_WSC_INSTALL_PROVIDER] = "WSCInstallProvider",
  [WSI_WSC_INSTALL_PROVIDER_64_32] = "WSCInstallProvider64_32",
  [WSI_WSC_DEINSTALL_PROVIDER] = "WSCDeinstallProvider",
  [WSI_WSC_UPDATE_PROVIDER] = "WSCUpdateProvider",
  [WSI_WSC_WRITE_PROVIDER_ORDER] = "WSCWriteProviderOrder",
  [WSI_WSC_SET_PROVIDER_INFO] = "WSCSetProviderInfo",
};

const char *
wsi_wsc_op_to_string (WsiWscOp op)
{
  if ((guint) op < G_N_ELEMENTS (wsi_wsc_op_names))
    return wsi_wsc_op_names[op];
  return "unknown";
}

static gboolean
wsi_wsc_op_from_string (const char *text, WsiWscOp *op)
{
  for (guint i = 0; i < G_N_ELEMENTS (wsi_wsc_op_names); i++)
    if (strcmp (text, wsi_wsc_op_names[i]) == 0)
      {
        *op = (WsiWscOp) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
wsi_wsc_op_has_entries (WsiWscOp op)
{
  return op == WSI_WSC_INSTALL_PROVIDER || op == WSI_WSC_INSTALL_PROVIDER_64_32 || op == WSI_WSC_UPDATE_PROVIDER;
}

/* ---- records ---- */

static WsiWscCall *
wsi_wsc_call_new (WsiWscOp op, WsiBitness catalog)
{
  WsiWscCall *call = g_new0 (WsiWscCall, 1);

  call->op = op;
  call->catalog = catalog;
  return call;
}

/* @info as a WSAPROTOCOL_INFOW carries it into the call. */
static WsiEntry *
wsi_wsc_call_info (const WsiEntry *info, const WsiGuid *guid)
{
  WsiEntry *e = wsi_entry_copy (info);

  e->provider_id = *guid;
  e->catalog_id = 0;
  e->lsp_categories = 0;
  wsi_entry_set_path (e, NULL);
  if (e->name == NULL)
    wsi_entry_set_name (e, "");
  return e;
}

static WsiWscCall *
wsi_wsc_call_new_provider (WsiWscOp op, WsiBitness catalog, const WsiGuid *guid, const char *path,
                           const WsiEntry *const *infos, guint n)
{
  WsiWscCall *call = wsi_wsc_call_new (op, catalog);

  call->guid = *guid;
  call->path = g_strdup (path);
  call->entries = g_ptr_array_new_full (n, (GDestroyNotify) wsi_entry_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (call->entries, wsi_wsc_call_info (infos[i], guid));
  return call;
}

WsiWscCall *
wsi_wsc_call_new_install (WsiBitness catalog, const WsiGuid *guid, const char *path, const WsiEntry *const *infos,
                          guint n)
{
  g_return_val_if_fail (guid != NULL && (infos != NULL || n == 0), NULL);
  return wsi_wsc_call_new_provider (WSI_WSC_INSTALL_PROVIDER, catalog, guid, path, infos, n);
}

WsiWscCall *
wsi_wsc_call_new_install_64_32 (const WsiGuid *guid, const char *path, const WsiEntry *const *infos, guint n)
{
  g_return_val_if_fail (guid != NULL && (infos != NULL || n == 0), NULL);
  return wsi_wsc_call_new_provider (WSI_WSC_INSTALL_PROVIDER_64_32, 0, guid, path, infos, n);
}

WsiWscCall *
wsi_wsc_call_new_update (WsiBitness catalog, const WsiGuid *guid, const char *path, const WsiEntry *const *infos,
                         guint n)
{
  g_return_val_if_fail (guid != NULL && (infos != NULL || n == 0), NULL);
  return wsi_wsc_call_new_provider (WSI_WSC_UPDATE_PROVIDER, catalog, guid, path, infos, n);
}

WsiWscCall *
wsi_wsc_call_new_deinstall (WsiBitness catalog, const WsiGuid *guid)
{
  WsiWscCall *call;

  g_return_val_if_fail (guid != NULL, NULL);
  call = wsi_wsc_call_new (WSI_WSC_DEINSTALL_PROVIDER, catalog);
  call->guid = *guid;
  return call;
}

WsiWscCall *
wsi_wsc_call_new_write_order (WsiBitness catalog, const guint32 *ids, guint n)
{
  WsiWscCall *call;

  g_return_val_if_fail (ids != NULL || n == 0, NULL);
  call = wsi_wsc_call_new (WSI_WSC_WRITE_PROVIDER_ORDER, catalog);
  call->order = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  g_array_append_vals (call->order, ids, n);
  return call;
}

WsiWscCall *
wsi_wsc_call_new_set_lsp_categories (WsiBitness catalog, const WsiGuid *guid, guint32 categories)
{
  WsiWscCall *call;

  g_return_val_if_fail (guid != NULL, NULL);
  call = wsi_wsc_call_new (WSI_WSC_SET_PROVIDER_INFO, catalog);
  call->guid = *guid;
  call->categories = categories;
  return call;
}

void
wsi_wsc_call_free (WsiWscCall *call)
{
  if (call == NULL)
    return;
  g_free (call->path);
  g_clear_pointer (&call->entries, g_ptr_array_unref);
  g_clear_pointer (&call->order, g_array_unref);
  g_free (call);
}

gboolean
wsi_wsc_call_equal (const WsiWscCall *a, const WsiWscCall *b)
{
  guint na, nb;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->op != b->op || a->catalog != b->catalog ||
      !wsi_guid_equal (&a->guid, &b->guid) || g_strcmp0 (a->path, b->path) != 0 || a->categories != b->categories)
    return FALSE;
  na = a->entries != NULL ? a->entries->len : 0;
  nb = b->entries != NULL ? b->entries->len : 0;
  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (!wsi_entry_equal (g_ptr_array_index (a->entries, i), g_ptr_array_index (b->entries, i)))
      return FALSE;
  na = a->order != NULL ? a->order->len : 0;
  nb = b->order != NULL ? b->order->len : 0;
  return na == nb && (na == 0 || memcmp (a->order->data, b->order->data, na * sizeof (guint32)) == 0);
}

/* ---- writing ---- */

static void
wsi_json_member_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
wsi_json_member_string (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v);
}

static void
wsi_json_uint_array (JsonBuilder *b, const char *name, const guint32 *v, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (b, v[i]);
  json_builder_end_array (b);
}

/* One WSAPROTOCOL_INFOW, in its field order. */
static void
wsi_json_info (JsonBuilder *b, const WsiEntry *e)
{
  json_builder_begin_object (b);
  wsi_json_uint_array (b, "service_flags", e->service_flags, G_N_ELEMENTS (e->service_flags));
  wsi_json_member_int (b, "provider_flags", e->provider_flags);
  wsi_json_member_int (b, "chain_len", e->chain_len);
  wsi_json_uint_array (b, "chain", e->chain, WSI_MAX_PROTOCOL_CHAIN);
  wsi_json_member_int (b, "version", e->version);
  wsi_json_member_int (b, "af", e->address_family);
  wsi_json_member_int (b, "max_sockaddr", e->max_sockaddr);
  wsi_json_member_int (b, "min_sockaddr", e->min_sockaddr);
  wsi_json_member_int (b, "type", e->socket_type);
  wsi_json_member_int (b, "protocol", e->protocol);
  wsi_json_member_int (b, "protocol_max_offset", e->protocol_max_offset);
  wsi_json_member_int (b, "byte_order", e->network_byte_order);
  wsi_json_member_int (b, "security_scheme", e->security_scheme);
  wsi_json_member_int (b, "message_size", e->message_size);
  wsi_json_member_int (b, "provider_reserved", e->provider_reserved);
  wsi_json_member_string (b, "name", e->name != NULL ? e->name : "");
  json_builder_end_object (b);
}

char *
wsi_wsc_call_to_json (const WsiWscCall *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char guid[WSI_GUID_STRING_LEN + 1];

  g_return_val_if_fail (call != NULL, NULL);

  wsi_guid_format (&call->guid, guid);
  json_builder_begin_object (b);
  wsi_json_member_string (b, "call", wsi_wsc_op_to_string (call->op));
  if (call->op != WSI_WSC_INSTALL_PROVIDER_64_32)
    wsi_json_member_int (b, "catalog", call->catalog);
  switch (call->op)
    {
    case WSI_WSC_INSTALL_PROVIDER:
    case WSI_WSC_INSTALL_PROVIDER_64_32:
    case WSI_WSC_UPDATE_PROVIDER:
      wsi_json_member_string (b, "guid", guid);
      wsi_json_member_string (b, "path", call->path != NULL ? call->path : "");
      json_builder_set_member_name (b, "entries");
      json_builder_begin_array (b);
      for (guint i = 0; call->entries != NULL && i < call->entries->len; i++)
        wsi_json_info (b, g_ptr_array_index (call->entries, i));
      json_builder_end_array (b);
      break;
    case WSI_WSC_DEINSTALL_PROVIDER:
      wsi_json_member_string (b, "guid", guid);
      break;
    case WSI_WSC_WRITE_PROVIDER_ORDER:
      wsi_json_uint_array (b, "order", call->order != NULL ? (const guint32 *) call->order->data : NULL,
                           call->order != NULL ? call->order->len : 0);
      break;
    case WSI_WSC_SET_PROVIDER_INFO:
      wsi_json_member_string (b, "guid", guid);
      wsi_json_member_int (b, "lsp_categories", call->categories);
      break;
    default:
      break;
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* ---- reading ---- */

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

/* The same, for the functions that return a call. */
static WsiWscCall *
wsi_refuse_call (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static WsiWscCall *
wsi_refuse_call (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_refusev (error, format, args);
  va_end (args);
  return NULL;
}

static gboolean
wsi_check (JsonNode *node, const char *what, const WsiJsonMember *members, gsize n, GError **error)
{
  return wsi_json_check_object (node, what, members, n, WSI_ERROR_HELPER_REQUEST_INVALID, error);
}

/* UTF-16 code units of @text (valid UTF-8). */
static glong
wsi_utf16_units (const char *text)
{
  glong n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

/* @n unsigned 32-bit integers, exactly, into @out. */
static gboolean
wsi_read_uint_array (JsonNode *node, const char *what, guint32 *out, guint n, GError **error)
{
  JsonArray *a = json_node_get_array (node);

  if (json_array_get_length (a) != n)
    return wsi_refuse (error, "%s has %u elements, not %u", what, json_array_get_length (a), n);
  for (guint i = 0; i < n; i++)
    {
      if (!wsi_json_has_shape (json_array_get_element (a, i), WSI_JSON_UINT32))
        return wsi_refuse (error, "element %u of %s is not a 32-bit unsigned integer", i, what);
      out[i] = (guint32) json_array_get_int_element (a, i);
    }
  return TRUE;
}

static const WsiJsonMember wsi_info_members[] = {
  { "service_flags", WSI_JSON_ARRAY, TRUE },
  { "provider_flags", WSI_JSON_UINT32, TRUE },
  { "chain_len", WSI_JSON_INT32, TRUE },
  { "chain", WSI_JSON_ARRAY, TRUE },
  { "version", WSI_JSON_INT32, TRUE },
  { "af", WSI_JSON_INT32, TRUE },
  { "max_sockaddr", WSI_JSON_INT32, TRUE },
  { "min_sockaddr", WSI_JSON_INT32, TRUE },
  { "type", WSI_JSON_INT32, TRUE },
  { "protocol", WSI_JSON_INT32, TRUE },
  { "protocol_max_offset", WSI_JSON_INT32, TRUE },
  { "byte_order", WSI_JSON_INT32, TRUE },
  { "security_scheme", WSI_JSON_INT32, TRUE },
  { "message_size", WSI_JSON_UINT32, TRUE },
  { "provider_reserved", WSI_JSON_UINT32, TRUE },
  { "name", WSI_JSON_STRING, TRUE },
};

static WsiEntry *
wsi_read_info (JsonNode *node, guint index, const WsiGuid *guid, GError **error)
{
  g_autoptr(WsiEntry) e = NULL;
  g_autofree char *what = g_strdup_printf ("entry %u", index);
  JsonObject *o;

  if (!wsi_check (node, what, wsi_info_members, G_N_ELEMENTS (wsi_info_members), error))
    return NULL;
  o = json_node_get_object (node);
  e = wsi_entry_new ();
  e->provider_id = *guid;
  if (!wsi_read_uint_array (json_object_get_member (o, "service_flags"), "service_flags", e->service_flags,
                            G_N_ELEMENTS (e->service_flags), error) ||
      !wsi_read_uint_array (json_object_get_member (o, "chain"), "chain", e->chain, WSI_MAX_PROTOCOL_CHAIN, error))
    return NULL;
  e->provider_flags = (guint32) json_object_get_int_member (o, "provider_flags");
  e->chain_len = (gint32) json_object_get_int_member (o, "chain_len");
  e->version = (gint32) json_object_get_int_member (o, "version");
  e->address_family = (gint32) json_object_get_int_member (o, "af");
  e->max_sockaddr = (gint32) json_object_get_int_member (o, "max_sockaddr");
  e->min_sockaddr = (gint32) json_object_get_int_member (o, "min_sockaddr");
  e->socket_type = (gint32) json_object_get_int_member (o, "type");
  e->protocol = (gint32) json_object_get_int_member (o, "protocol");
  e->protocol_max_offset = (gint32) json_object_get_int_member (o, "protocol_max_offset");
  e->network_byte_order = (gint32) json_object_get_int_member (o, "byte_order");
  e->security_scheme = (gint32) json_object_get_int_member (o, "security_scheme");
  e->message_size = (guint32) json_object_get_int_member (o, "message_size");
  e->provider_reserved = (guint32) json_object_get_int_member (o, "provider_reserved");
  wsi_entry_set_name (e, json_object_get_string_member (o, "name"));
  if (e->chain_len < 0 || e->chain_len > WSI_MAX_PROTOCOL_CHAIN)
    {
      wsi_refuse (error, "%s has ChainLen %d (0..%d allowed)", what, e->chain_len, WSI_MAX_PROTOCOL_CHAIN);
      return NULL;
    }
  if (wsi_utf16_units (e->name) > WSI_PROTOCOL_LEN)
    {
      wsi_refuse (error, "the name of %s is longer than %d characters", what, WSI_PROTOCOL_LEN);
      return NULL;
    }
  return g_steal_pointer (&e);
}

static gboolean
wsi_read_guid (JsonObject *o, WsiGuid *guid, GError **error)
{
  const char *text = json_object_get_string_member (o, "guid");
  char canonical[WSI_GUID_STRING_LEN + 1];

  if (!wsi_guid_parse (text, guid))
    return wsi_refuse (error, "the provider guid is not a GUID");
  wsi_guid_format (guid, canonical);
  if (strcmp (text, canonical) != 0)
    return wsi_refuse (error, "the provider guid is not written as %s", canonical);
  return TRUE;
}

static const WsiJsonMember wsi_provider_members[] = {
  { "call", WSI_JSON_STRING, TRUE },
  { "catalog", WSI_JSON_INT32, TRUE },
  { "guid", WSI_JSON_STRING, TRUE },
  { "path", WSI_JSON_STRING, TRUE },
  { "entries", WSI_JSON_ARRAY, TRUE },
};

/* WSCInstallProvider64_32 names no catalog: it writes both. */
static const WsiJsonMember wsi_provider_64_32_members[] = {
  { "call", WSI_JSON_STRING, TRUE },
  { "guid", WSI_JSON_STRING, TRUE },
  { "path", WSI_JSON_STRING, TRUE },
  { "entries", WSI_JSON_ARRAY, TRUE },
};

static const WsiJsonMember wsi_deinstall_members[] = {
  { "call", WSI_JSON_STRING, TRUE },
  { "catalog", WSI_JSON_INT32, TRUE },
  { "guid", WSI_JSON_STRING, TRUE },
};

static const WsiJsonMember wsi_order_members[] = {
  { "call", WSI_JSON_STRING, TRUE },
  { "catalog", WSI_JSON_INT32, TRUE },
  { "order", WSI_JSON_ARRAY, TRUE },
};

static const WsiJsonMember wsi_info_call_members[] = {
  { "call", WSI_JSON_STRING, TRUE },
  { "catalog", WSI_JSON_INT32, TRUE },
  { "guid", WSI_JSON_STRING, TRUE },
  { "lsp_categories", WSI_JSON_UINT32, TRUE },
};

static gboolean
wsi_check_call_members (WsiWscOp op, JsonNode *root, GError **error)
{
  switch (op)
    {
    case WSI_WSC_INSTALL_PROVIDER:
    case WSI_WSC_UPDATE_PROVIDER:
      return wsi_check (root, "the call", wsi_provider_members, G_N_ELEMENTS (wsi_provider_members), error);
    case WSI_WSC_INSTALL_PROVIDER_64_32:
      return wsi_check (root, "the call", wsi_provider_64_32_members, G_N_ELEMENTS (wsi_provider_64_32_members),
                        error);
    case WSI_WSC_DEINSTALL_PROVIDER:
      return wsi_check (root, "the call", wsi_deinstall_members, G_N_ELEMENTS (wsi_deinstall_members), error);
    case WSI_WSC_WRITE_PROVIDER_ORDER:
      return wsi_check (root, "the call", wsi_order_members, G_N_ELEMENTS (wsi_order_members), error);
    case WSI_WSC_SET_PROVIDER_INFO:
      return wsi_check (root, "the call", wsi_info_call_members, G_N_ELEMENTS (wsi_info_call_members), error);
    default:
      return wsi_refuse (error, "unknown call");
    }
}

static gboolean
wsi_read_entries (JsonObject *o, WsiWscCall *call, GError **error)
{
  const char *path = json_object_get_string_member (o, "path");
  JsonArray *a = json_object_get_array_member (o, "entries");
  guint n = json_array_get_length (a);

  /* MAX_PATH characters, the NUL included. */
  if (wsi_utf16_units (path) >= WSI_MAX_PATH)
    return wsi_refuse (error, "the provider path is longer than %d characters", WSI_MAX_PATH - 1);
  if (n < 1 || n > WSI_WSC_CALL_MAX_ENTRIES)
    return wsi_refuse (error, "the call has %u entries (allowed: 1 to %d)", n, WSI_WSC_CALL_MAX_ENTRIES);
  call->path = g_strdup (path);
  call->entries = g_ptr_array_new_full (n, (GDestroyNotify) wsi_entry_free);
  for (guint i = 0; i < n; i++)
    {
      WsiEntry *e = wsi_read_info (json_array_get_element (a, i), i, &call->guid, error);
      if (e == NULL)
        return FALSE;
      g_ptr_array_add (call->entries, e);
    }
  return TRUE;
}

static gboolean
wsi_read_order (JsonObject *o, WsiWscCall *call, GError **error)
{
  JsonArray *a = json_object_get_array_member (o, "order");
  guint n = json_array_get_length (a);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  if (n < 1 || n > WSI_WSC_CALL_MAX_ORDER)
    return wsi_refuse (error, "the order has %u IDs (allowed: 1 to %d)", n, WSI_WSC_CALL_MAX_ORDER);
  call->order = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);
  g_array_set_size (call->order, n);
  if (!wsi_read_uint_array (json_object_get_member (o, "order"), "the order", (guint32 *) call->order->data, n,
                            error))
    return FALSE;
  /* WSCWriteProviderOrder takes a permutation of catalog IDs. */
  for (guint i = 0; i < n; i++)
    {
      guint32 id = g_array_index (call->order, guint32, i);
      if (id == 0 || !g_hash_table_add (seen, GUINT_TO_POINTER (id)))
        return wsi_refuse (error, "element %u of the order is 0 or named before", i);
    }
  return TRUE;
}

/* Everything but the check that the text is the record's own spelling. */
static WsiWscCall *
wsi_wsc_call_read (JsonNode *root, GError **error)
{
  g_autoptr(WsiWscCall) call = NULL;
  JsonObject *o;
  JsonNode *name;
  WsiWscOp op;

  if (root == NULL || json_node_get_node_type (root) != JSON_NODE_OBJECT)
    return wsi_refuse_call (error, "the call is not a JSON object");
  o = json_node_get_object (root);
  name = json_object_get_member (o, "call");
  if (name == NULL || !wsi_json_has_shape (name, WSI_JSON_STRING))
    return wsi_refuse_call (error, "the call names no WSC call (member 'call')");
  if (!wsi_wsc_op_from_string (json_node_get_string (name), &op))
    return wsi_refuse_call (error, "'%s' is not a WSC call", json_node_get_string (name));
  if (!wsi_check_call_members (op, root, error))
    return NULL;
  call = wsi_wsc_call_new (op, 0);
  if (op != WSI_WSC_INSTALL_PROVIDER_64_32)
    {
      gint64 catalog = json_object_get_int_member (o, "catalog");
      if (catalog != WSI_CATALOG_32 && catalog != WSI_CATALOG_64)
        return wsi_refuse_call (error, "the call is for catalog %" G_GINT64_FORMAT " (32 or 64 allowed)", catalog);
      call->catalog = (WsiBitness) catalog;
    }
  if (op != WSI_WSC_WRITE_PROVIDER_ORDER && !wsi_read_guid (o, &call->guid, error))
    return NULL;
  switch (op)
    {
    case WSI_WSC_WRITE_PROVIDER_ORDER:
      if (!wsi_read_order (o, call, error))
        return NULL;
      break;
    case WSI_WSC_SET_PROVIDER_INFO:
      call->categories = (guint32) json_object_get_int_member (o, "lsp_categories");
      break;
    case WSI_WSC_DEINSTALL_PROVIDER:
      break;
    default:
      g_assert (wsi_wsc_op_has_entries (op));
      if (!wsi_read_entries (o, call, error))
        return NULL;
      break;
    }
  return g_steal_pointer (&call);
}

WsiWscCall *
wsi_wsc_call_from_json (const char *json, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(WsiWscCall) call = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  gsize end;

  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len == 0)
    return wsi_refuse_call (error, "the call is empty");
  if (len > WSI_WSC_CALL_MAX_JSON)
    return wsi_refuse_call (error, "the call has %" G_GSIZE_FORMAT " bytes (at most %d)", len, WSI_WSC_CALL_MAX_JSON);
  if (memchr (json, '\0', len) != NULL || !g_utf8_validate (json, (gssize) len, NULL))
    return wsi_refuse_call (error, "the call is not UTF-8 text");
  text = g_strndup (json, len);
  if (!wsi_json_is_one_object (text, WSI_WSC_CALL_MAX_DEPTH))
    return wsi_refuse_call (error, "the call is not one JSON object nested at most %d deep", WSI_WSC_CALL_MAX_DEPTH);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &local))
    return wsi_refuse_call (error, "the call is not JSON: %s", local->message);
  call = wsi_wsc_call_read (json_parser_get_root (parser), error);
  if (call == NULL)
    return NULL;
  /* One spelling for one call: what was read must be what it writes, so
   * no two readers (json-glib here, json-glib-lite on Windows, a person)
   * can see different calls in the same text. */
  again = wsi_wsc_call_to_json (call);
  end = len;
  while (end > 0 && g_ascii_isspace (text[end - 1]))
    end--;
  if (strlen (again) != end || memcmp (again, text, end) != 0)
    return wsi_refuse_call (error, "the call is not written in its own form (wsi_wsc_call_to_json)");
  return g_steal_pointer (&call);
}

/* ---- executing ---- */

gboolean
wsi_wsc_call_execute (const WsiWscCall *call, WsiBackend *backend, GError **error)
{
  const WsiEntry *const *infos;
  guint n;

  g_return_val_if_fail (call != NULL && backend != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  infos = call->entries != NULL ? (const WsiEntry *const *) call->entries->pdata : NULL;
  n = call->entries != NULL ? call->entries->len : 0;
  switch (call->op)
    {
    case WSI_WSC_INSTALL_PROVIDER:
      return wsi_backend_install_provider (backend, call->catalog, &call->guid, call->path, infos, n, error);
    case WSI_WSC_INSTALL_PROVIDER_64_32:
      return wsi_backend_install_provider_64_32 (backend, &call->guid, call->path, infos, n, error);
    case WSI_WSC_DEINSTALL_PROVIDER:
      return wsi_backend_deinstall_provider (backend, call->catalog, &call->guid, error);
    case WSI_WSC_UPDATE_PROVIDER:
      return wsi_backend_update_provider (backend, call->catalog, &call->guid, call->path, infos, n, error);
    case WSI_WSC_WRITE_PROVIDER_ORDER:
      return wsi_backend_write_order (backend, call->catalog, (const guint32 *) call->order->data,
                                      call->order->len, error);
    case WSI_WSC_SET_PROVIDER_INFO:
      return wsi_backend_set_lsp_categories (backend, call->catalog, &call->guid, call->categories, error);
    default:
      g_set_error (error, WSI_ERROR, WSI_ERROR_FAILED, "unknown WSC call %d", (int) call->op);
      return FALSE;
    }
}
