/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-helper.h: the narrow command interface between the x64 engine
 * and the x86 wsinstall.exe that performs its 32-bit-catalog operations.
 *
 * Why a second process: a 64-bit process cannot install into the 32-bit
 * catalog (there is no WSCInstallProvider32; only WSCInstallProvider64_32,
 * which writes the same structures into both catalogs). A 32-bit process on
 * 64-bit Windows (WOW64) calls WSCInstallProvider and reaches the 32-bit
 * catalog. Older ws2_32 builds (and Wine 8) lack the other *32 calls too, so
 * the backend routes any 32-bit operation it cannot make itself.
 *
 * The request is ONE WSC call in its own JSON form (wsi-wsc-call.h), read
 * by `wsinstall wsc32 run` on stdin and checked before anything is called:
 * the call record's strict reader, then the helper's own rules: catalog 32
 * only; WSCInstallProvider, WSCDeinstallProvider, WSCUpdateProvider,
 * WSCWriteProviderOrder and WSCSetProviderInfo only (never
 * WSCInstallProvider64_32, which the x64 process makes itself, and nothing
 * that is not a WSC call: no registry); provider DLL paths held to the
 * write policy (wsi_policy_check_dll_path). The helper makes that one call
 * on its native (32-bit) backend and nothing else: it is a remote backend,
 * and the x64 caller checks the effect by enumerating again, as it does
 * after its own calls. Chain and order elements are literal IDs the caller
 * resolved against the 32-bit catalog it just enumerated. The answer is one
 * JSON object on stdout (wsi_helper32_result_to_json).
 *
 * This file is portable (the validator is tested on Linux); the process
 * plumbing lives in wsi-backend-win32.c. */
#pragma once

#include <glib.h>

#include "wsi-wsc-call.h"

G_BEGIN_DECLS

/* Bounds of what the helper reads: a request, and (for the parent) the
 * answer of `wsc32 enum` (a snapshot of one catalog). */
#define WSI_HELPER32_MAX_REQUEST   WSI_WSC_CALL_MAX_JSON
#define WSI_HELPER32_MAX_ANSWER    (16 * 1024 * 1024)
#define WSI_HELPER32_MAX_ENTRIES   WSI_WSC_CALL_MAX_ENTRIES
#define WSI_HELPER32_MAX_ORDER     WSI_WSC_CALL_MAX_ORDER

/* Checks @json (@len bytes, not necessarily NUL-terminated) and returns the
 * call it describes. WSI_ERROR_HELPER_REQUEST_INVALID for anything that is
 * not exactly one call the helper makes; a provider DLL path the write
 * policy refuses keeps the policy's code (WSI_ERROR_PATH_NOT_ALLOWED, ...). */
WsiWscCall  *wsi_helper32_request_parse     (const char            *json,
                                             gsize                  len,
                                             GError               **error);

/* The helper's answer: {"status":"ok"} or {"status":"failed","domain":D,
 * "code":N,"message":"..."}: D is "wsa" for a WSI_WSA_ERROR (N the WSA
 * code) and "wsi" for a WSI_ERROR (N its code); any other domain travels
 * as WSI_ERROR_FAILED. */
char        *wsi_helper32_result_to_json    (const GError          *error);
/* The parent's side: TRUE for "ok"; FALSE with the helper's error (its
 * domain and code restored) for "failed"; FALSE with WSI_ERROR_HELPER_FAILED when the answer is not one of the two or
 * contradicts @exit_status (0 for ok, 1 for failed). */
gboolean     wsi_helper32_result_parse      (const char            *json,
                                             gsize                  len,
                                             int                    exit_status,
                                             GError               **error);

G_END_DECLS
