/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-error.c */
#include "wsi-error.h"

#include <gio/gio.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (wsi-error-quark, wsi_error)
G_DEFINE_QUARK (wsi-wsa-error-quark, wsi_wsa_error)

gboolean
wsi_set_wsa_error (GError **error, int wsa, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  const char *name = wsi_wsa_error_name (wsa);

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, WSI_WSA_ERROR, wsa, "%s (%d): %s", name != NULL ? name : "WSA error", wsa, msg);
  return FALSE;
}

int
wsi_error_get_wsa (const GError *error)
{
  if (error == NULL || error->domain != WSI_WSA_ERROR)
    return 0;
  return error->code;
}

const char *
wsi_wsa_error_name (int wsa)
{
  switch (wsa)
    {
    case WSI_WSA_NOT_ENOUGH_MEMORY: return "WSA_NOT_ENOUGH_MEMORY";
    case WSI_WSAEFAULT: return "WSAEFAULT";
    case WSI_WSAEINVAL: return "WSAEINVAL";
    case WSI_WSAEINPROGRESS: return "WSAEINPROGRESS";
    case WSI_WSAENOBUFS: return "WSAENOBUFS";
    case WSI_WSANO_RECOVERY: return "WSANO_RECOVERY";
    default: return NULL;
    }
}

/* Indexed by WsiError; NULL where the code has no tag of its own. */
static const char *const wsi_error_tags[] = {
  [WSI_ERROR_FAILED] = "wsc-call-failed",
  [WSI_ERROR_INVALID_MANIFEST] = "schema-invalid",
  [WSI_ERROR_INVALID_MACHINE] = "snapshot-inconsistent",
  [WSI_ERROR_WINSOCK] = "wsc-call-failed",
  [WSI_ERROR_IO] = "file-unreadable",
  [WSI_ERROR_LOCKED] = "machine-locked",
  [WSI_ERROR_INVALID_ARGUMENT] = "invalid-argument",
  [WSI_ERROR_NOT_SUPPORTED] = "not-supported",
  [WSI_ERROR_POLICY] = "registry-write-denied",
  [WSI_ERROR_NO_EFFECT] = "wsc-no-effect",
  [WSI_ERROR_MACHINE_CHANGED] = "machine-changed",
  [WSI_ERROR_UNTRUSTED] = "journal-untrusted",
  [WSI_ERROR_NOT_ADMIN] = "not-admin",
  [WSI_ERROR_HELPER_FAILED] = "helper32-failed",
  [WSI_ERROR_HELPER_REQUEST_INVALID] = "helper32-request-invalid",
  [WSI_ERROR_JOURNAL_CORRUPT] = "journal-corrupt",
  [WSI_ERROR_JOURNAL_STEP_REFUSED] = "journal-step-refused",
  [WSI_ERROR_CANCELLED] = "cancelled",
  [WSI_ERROR_FILE_NOT_REGULAR] = "file-not-regular",
  [WSI_ERROR_PACKED_ITEM_INVALID] = "packed-item-invalid",
  [WSI_ERROR_PATH_TOO_LONG] = "path-too-long",
  [WSI_ERROR_PATH_ENCODING] = "path-encoding-unsupported",
  [WSI_ERROR_PATH_NOT_ABSOLUTE] = "path-not-absolute",
  [WSI_ERROR_PATH_NOT_CANONICAL] = "path-not-canonical",
  [WSI_ERROR_PATH_NOT_ALLOWED] = "path-not-allowed",
  [WSI_ERROR_WOW64] = "wow64-refused",
};

const char *
wsi_error_to_tag (const GError *error)
{
  g_return_val_if_fail (error != NULL, "wsc-call-failed");

  if (error->domain == WSI_ERROR && error->code >= 0 && (gsize) error->code < G_N_ELEMENTS (wsi_error_tags) &&
      wsi_error_tags[error->code] != NULL)
    return wsi_error_tags[error->code];
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  return "wsc-call-failed";
}

gboolean
wsi_error_from_tag (const char *tag, WsiError *code)
{
  g_return_val_if_fail (tag != NULL, FALSE);

  /* WSI_ERROR_FAILED and WSI_ERROR_WINSOCK share wsc-call-failed; the
   * first code wins, which is FAILED. */
  for (gsize i = 0; i < G_N_ELEMENTS (wsi_error_tags); i++)
    if (wsi_error_tags[i] != NULL && strcmp (wsi_error_tags[i], tag) == 0)
      {
        *code = (WsiError) i;
        return TRUE;
      }
  return FALSE;
}
