/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-helper.c: checking the x86 helper's one-call requests and
 * answering them (see wsi-win32-helper.h). The request comes through a pipe
 * from a process of the same installer, but the helper runs with
 * administrator rights and changes the machine: it trusts nothing it has
 * not checked. The call record's reader (wsi-wsc-call.c) checks the form;
 * this file adds what the helper may be asked to do. */
#include "wsi-win32-helper.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-json-check-private.h"
#include "wsi-policy.h"

/* ---- requests ---- */

WsiWscCall *
wsi_helper32_request_parse (const char *json, gsize len, GError **error)
{
  g_autoptr(WsiWscCall) call = NULL;

  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  call = wsi_wsc_call_from_json (json, len, error);
  if (call == NULL)
    return NULL;
  /* WSCInstallProvider64_32 is the x64 process's own call; the helper
   * makes the calls a 64-bit process cannot make on the 32-bit catalog. */
  if (call->op == WSI_WSC_INSTALL_PROVIDER_64_32)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID, "%s is not a call the helper makes",
                   wsi_wsc_op_to_string (call->op));
      return NULL;
    }
  if (call->catalog != WSI_CATALOG_32)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID,
                   "the call is for catalog %d: the helper serves catalog 32 only", (int) call->catalog);
      return NULL;
    }
  /* The same rule as for every DLL path wsinstall writes (the planner's,
   * a replayed journal's): only places administrators alone can write. The
   * helper serves x64 Windows. */
  if (call->path != NULL && !wsi_policy_check_dll_path (WSI_PROFILE_DESKTOP_X64, call->path, error))
    return NULL;
  return g_steal_pointer (&call);
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

static const WsiJsonMember wsi_answer_members[] = {
  { "status", WSI_JSON_STRING, TRUE },
  { "domain", WSI_JSON_STRING, FALSE },
  { "code", WSI_JSON_INT32, FALSE },
  { "message", WSI_JSON_STRING, FALSE },
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
      !wsi_json_check_object (json_parser_get_root (parser), "the answer", wsi_answer_members,
                              G_N_ELEMENTS (wsi_answer_members), WSI_ERROR_HELPER_FAILED, &shape))
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
