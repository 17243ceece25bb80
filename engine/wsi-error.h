/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-error.h: the error domains of libwsinstall.
 *
 * WSI_ERROR: one code per condition a caller branches on; the code, never
 * the message, says what happened. WSI_WSA_ERROR: a Windows Sockets error
 * of a WSC call, whose code *is* the WSA value (10022 for WSAEINVAL), so a
 * caller compares it with winsock2.h's constants. wsi_error_to_tag() maps
 * either to the diagnostic tag the CLI and the MSI log print. */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

#define WSI_ERROR     (wsi_error_quark ())
#define WSI_WSA_ERROR (wsi_wsa_error_quark ())

/* Stable codes: callers (the CLI, the MSI custom action, vendors' code) map
 * them to exit codes and messages, so never renumber; append only. Each
 * code's diagnostic tag is in brackets. */
typedef enum {
  WSI_ERROR_FAILED,                 /* anything without a better code [wsc-call-failed] */
  WSI_ERROR_INVALID_MANIFEST,       /* the manifest has errors; see the diagnostics [schema-invalid] */
  WSI_ERROR_INVALID_MACHINE,        /* a snapshot, import or live catalog is unusable [snapshot-inconsistent] */
  WSI_ERROR_WINSOCK,                /* no longer set: WSC failures are in WSI_WSA_ERROR; kept so codes stay stable */
  WSI_ERROR_IO,                     /* a file could not be read or written [file-unreadable] */
  WSI_ERROR_LOCKED,                 /* another writer holds the machine [machine-locked] */
  WSI_ERROR_INVALID_ARGUMENT,       /* a caller passed something malformed [invalid-argument] */
  WSI_ERROR_NOT_SUPPORTED,          /* not available in this build or on this machine [not-supported] */
  WSI_ERROR_POLICY,                 /* a registry write the write policy refuses [registry-write-denied] */
  WSI_ERROR_NO_EFFECT,              /* a call reported success but the catalog shows no change [wsc-no-effect] */
  WSI_ERROR_MACHINE_CHANGED,        /* the machine is not the one the plan was made for [machine-changed] */
  WSI_ERROR_UNTRUSTED,              /* a journal or folder others than SYSTEM and administrators could write [journal-untrusted] */
  WSI_ERROR_NOT_ADMIN,              /* the process lacks administrator rights [not-admin] */
  WSI_ERROR_HELPER_FAILED,          /* the x86 helper could not be run or gave no usable answer [helper32-failed] */
  WSI_ERROR_HELPER_REQUEST_INVALID, /* the x86 helper refused its request [helper32-request-invalid] */
  WSI_ERROR_JOURNAL_CORRUPT,        /* a journal that is not one wsinstall wrote [journal-corrupt] */
  WSI_ERROR_JOURNAL_STEP_REFUSED,   /* a journal step the write policy refuses to replay [journal-step-refused] */
  WSI_ERROR_CANCELLED,              /* the caller cancelled; the machine was rolled back [cancelled] */
  WSI_ERROR_FILE_NOT_REGULAR,       /* a link, directory, device or FIFO where a file belongs [file-not-regular] */
  WSI_ERROR_PACKED_ITEM_INVALID,    /* a PackedCatalogItem that cannot be decoded [packed-item-invalid] */
  WSI_ERROR_PATH_TOO_LONG,          /* a provider path that does not fit the catalog [path-too-long] */
  WSI_ERROR_PATH_ENCODING,          /* a provider path the ANSI code page cannot hold [path-encoding-unsupported] */
  WSI_ERROR_PATH_NOT_ABSOLUTE,      /* a DLL path that is not absolute [path-not-absolute] */
  WSI_ERROR_PATH_NOT_CANONICAL,     /* a DLL path with ".", "..", doubled separators... [path-not-canonical] */
  WSI_ERROR_PATH_NOT_ALLOWED,       /* a DLL path the write policy refuses [path-not-allowed] */
  WSI_ERROR_WOW64,                  /* a 32-bit process on 64-bit Windows cannot see the machine [wow64-refused] */
} WsiError;

/* The highest code of this build: codes from a newer peer (the x86 helper
 * answering) above it are read as WSI_ERROR_FAILED. */
#define WSI_ERROR_LAST WSI_ERROR_WOW64

/* Windows Sockets error codes the simulator and the Windows backend use.
 * Values from winerror.h / winsock2.h; they are WSI_WSA_ERROR codes. */
#define WSI_WSA_NOT_ENOUGH_MEMORY 8
#define WSI_WSAEFAULT            10014
#define WSI_WSAEINVAL            10022
#define WSI_WSAEINPROGRESS       10036
#define WSI_WSAENOBUFS           10055
#define WSI_WSANO_RECOVERY       11003

GQuark       wsi_error_quark        (void);
GQuark       wsi_wsa_error_quark    (void);

/* Sets a WSI_WSA_ERROR error with code @wsa; the message starts with the
 * code's name ("WSAEINVAL (10022): ...") for people. Always returns FALSE
 * so a guard clause can `return wsi_set_wsa_error (...)`. */
gboolean     wsi_set_wsa_error      (GError    **error,
                                     int         wsa,
                                     const char *format,
                                     ...) G_GNUC_PRINTF (3, 4);

/* The WSA code of a WSI_WSA_ERROR error, or 0 for any other error. */
int          wsi_error_get_wsa      (const GError *error);

/* "WSAEINVAL" for 10022; "WSA error N" style names are never returned:
 * unknown codes give NULL. */
const char  *wsi_wsa_error_name     (int wsa);

/* The diagnostic tag of @error, from its domain and code alone: the one
 * mapping the CLI, the MSI custom actions and the x86 helper share.
 * G_IO_ERROR_CANCELLED is "cancelled"; a domain wsinstall does not own is
 * "wsc-call-failed". Never NULL. */
const char  *wsi_error_to_tag       (const GError *error);

/* The WSI_ERROR code whose tag is @tag, for an error that crossed a process
 * boundary as its tag (the x86 helper's answer). FALSE for a tag no code
 * has. */
gboolean     wsi_error_from_tag     (const char *tag,
                                     WsiError   *code);

WSI_END_PUBLIC
G_END_DECLS
