/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-wsc-call.c: the x86 helper's input, a WSC call record in JSON
 * (wsi_wsc_call_from_json, wsi_helper32_request_parse). The contracts: a
 * call or an error, never both and never neither, the error one of the
 * codes the helper answers with (its tag registered); what is read is
 * written back as the very same text (one spelling per call) and reads
 * back as the same call; the helper's reader accepts a subset of the
 * record's (catalog 32, never WSCInstallProvider64_32); and executing a
 * call on a machine makes at most that one backend call. */
#include "wsi-fuzz.h"

#include <string.h>

#include "wsi-backend.h"
#include "wsi-win32-helper.h"
#include "wsi-wsc-call.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  guint n;

  wsi_fuzz_init ();
  wsi_fuzz_reference_machines (&n);
  return 0;
}

static void
check_error (const GError *error, const char *what)
{
  if (error == NULL)
    g_error ("%s: no call and no error", what);
  if (error->domain != WSI_ERROR ||
      (error->code != WSI_ERROR_HELPER_REQUEST_INVALID && error->code != WSI_ERROR_PATH_NOT_ABSOLUTE &&
       error->code != WSI_ERROR_PATH_NOT_CANONICAL && error->code != WSI_ERROR_PATH_NOT_ALLOWED))
    g_error ("%s: unexpected error %s %d: %s", what, g_quark_to_string (error->domain), error->code, error->message);
  if (wsi_tag_lookup (wsi_error_to_tag (error)) == NULL)
    g_error ("%s: the error's tag %s is not registered", what, wsi_error_to_tag (error));
}

static void
check_call (const WsiWscCall *call, const uint8_t *data, size_t size)
{
  g_autofree char *json = wsi_wsc_call_to_json (call);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiWscCall) back = NULL;
  size_t end = size;

  while (end > 0 && g_ascii_isspace (data[end - 1]))
    end--;
  if (strlen (json) != end || memcmp (json, data, end) != 0)
    g_error ("a call was read from text that is not its own form:\n%.*s\n%s", (int) size, data, json);
  back = wsi_wsc_call_from_json (json, strlen (json), &error);
  if (back == NULL)
    g_error ("a call's own form does not read back: %s\n%s", error->message, json);
  if (!wsi_wsc_call_equal (back, call))
    g_error ("a call changed in a round trip:\n%s", json);
}

/* On a copy of a reference machine: one backend call or none. */
static void
check_execute (const WsiWscCall *call, const uint8_t *data)
{
  WsiMachine *const *machines;
  guint n;
  g_autoptr(WsiBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  machines = wsi_fuzz_reference_machines (&n);
  backend = wsi_backend_memory_new (machines[data[0] % n]);
  ok = wsi_wsc_call_execute (call, backend, &error);
  if (ok != (error == NULL))
    g_error ("execute: result and error disagree");
  if (backend->n_operations != (ok ? 1u : 0u))
    g_error ("execute made %u backend calls", backend->n_operations);
  if (ok)
    wsi_fuzz_check_snapshot_roundtrip (wsi_backend_memory_get_machine (backend));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) helper_error = NULL;
  g_autoptr(WsiWscCall) call = NULL;
  g_autoptr(WsiWscCall) request = NULL;

  wsi_fuzz_set_input (data, size);
  call = wsi_wsc_call_from_json ((const char *) data, size, &error);
  request = wsi_helper32_request_parse ((const char *) data, size, &helper_error);
  if (call == NULL)
    check_error (error, "wsi_wsc_call_from_json");
  else if (error != NULL)
    g_error ("wsi_wsc_call_from_json: a call and an error");
  if (request == NULL)
    check_error (helper_error, "wsi_helper32_request_parse");
  else if (helper_error != NULL)
    g_error ("wsi_helper32_request_parse: a call and an error");
  if (request != NULL)
    {
      if (call == NULL || !wsi_wsc_call_equal (call, request))
        g_error ("the helper accepted what the call record's reader refused, or read it otherwise");
      if (request->catalog != WSI_CATALOG_32 || request->op == WSI_WSC_INSTALL_PROVIDER_64_32)
        g_error ("the helper accepted a call it must not make: %s on catalog %d", wsi_wsc_op_to_string (request->op),
                 (int) request->catalog);
    }
  if (call == NULL)
    return 0;
  check_call (call, data, size);
  if (wsi_fuzz_sampled ())
    check_execute (call, data);
  return 0;
}
