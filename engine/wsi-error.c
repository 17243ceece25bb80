/* wsi-error.c */
#include "wsi-error.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (wsi-error-quark, wsi_error)

/* The WSA code travels in the message prefix "WSAEINVAL (10022): ..." and is
 * parsed back by wsi_error_get_wsa(): GError has no payload slot, and a side
 * table keyed by GError pointers would not survive g_error_copy(). */
gboolean
wsi_set_wsa_error (GError **error, int wsa, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;
  const char *name = wsi_wsa_error_name (wsa);

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, WSI_ERROR, WSI_ERROR_WINSOCK, "%s (%d): %s",
               name != NULL ? name : "WSA error", wsa, msg);
  return FALSE;
}

int
wsi_error_get_wsa (const GError *error)
{
  const char *open;

  if (error == NULL || !g_error_matches (error, WSI_ERROR, WSI_ERROR_WINSOCK))
    return 0;
  open = strchr (error->message, '(');
  if (open == NULL)
    return 0;
  return (int) g_ascii_strtoll (open + 1, NULL, 10);
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
