/* wsi-error.h: the one error domain of libwsinstall. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WSI_ERROR (wsi_error_quark ())

/* Stable codes: callers (the CLI, the MSI custom action) map them to exit
 * codes, so never renumber; append only. */
typedef enum {
  WSI_ERROR_FAILED,            /* anything without a better code */
  WSI_ERROR_INVALID_MANIFEST,  /* the manifest has errors (see the diagnostics) */
  WSI_ERROR_INVALID_MACHINE,   /* a snapshot, import or live catalog is unusable */
  WSI_ERROR_WINSOCK,           /* a WSC call failed; see wsi_error_get_wsa() */
  WSI_ERROR_IO,                /* a file could not be read or written */
  WSI_ERROR_LOCKED,            /* another writer holds the machine */
  WSI_ERROR_INVALID_ARGUMENT,  /* a caller passed something malformed */
  WSI_ERROR_NOT_SUPPORTED,     /* not available in this build or on this machine */
  WSI_ERROR_POLICY,            /* refused by the write policy */
  WSI_ERROR_NO_EFFECT,         /* a call reported success but the catalog shows no change */
  WSI_ERROR_MACHINE_CHANGED,   /* the machine is not the one the plan was made for */
  WSI_ERROR_UNTRUSTED,         /* a file or folder others than SYSTEM and administrators could write */
} WsiError;

/* Windows Sockets error codes the simulator and the Windows backend use.
 * Values from winerror.h / winsock2.h. */
#define WSI_WSA_NOT_ENOUGH_MEMORY 8
#define WSI_WSAEFAULT            10014
#define WSI_WSAEINVAL            10022
#define WSI_WSAEINPROGRESS       10036
#define WSI_WSAENOBUFS           10055
#define WSI_WSANO_RECOVERY       11003

GQuark       wsi_error_quark        (void);

/* Sets a WSI_ERROR_WINSOCK error carrying @wsa; always returns FALSE so a
 * guard clause can `return wsi_set_wsa_error (...)`. */
gboolean     wsi_set_wsa_error      (GError    **error,
                                     int         wsa,
                                     const char *format,
                                     ...) G_GNUC_PRINTF (3, 4);

/* The WSA code of a WSI_ERROR_WINSOCK error, or 0. */
int          wsi_error_get_wsa      (const GError *error);

/* "WSAEINVAL" for 10022; "WSA error N" style names are never returned:
 * unknown codes give NULL. */
const char  *wsi_wsa_error_name     (int wsa);

G_END_DECLS
