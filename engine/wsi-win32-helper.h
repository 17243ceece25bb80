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
 * The request is ONE plan step in the journal's own JSON form
 * (wsi_plan_step_to_json), read by `wsinstall wsc32 run` on stdin, checked
 * member by member before anything is called: catalog 32 only, WSC
 * operations only (install, deinstall, update, write order, LSP
 * categories), no registry, no inverse, bounded sizes. Chain and order
 * elements are literal IDs (a nil GUID with the ID in predicted_id): the
 * caller resolved them against the 32-bit catalog it just enumerated. The
 * answer is one JSON object on stdout (wsi_helper32_result_to_json).
 *
 * This file is portable (the validator is tested on Linux); the process
 * plumbing lives in wsi-backend-win32.c. */
#pragma once

#include <glib.h>

#include "wsi-plan.h"

G_BEGIN_DECLS

/* Bounds of what the helper reads: a request, and (for the parent) the
 * answer of `wsc32 enum` (a snapshot of one catalog). */
#define WSI_HELPER32_MAX_REQUEST   (1024 * 1024)
#define WSI_HELPER32_MAX_ANSWER    (16 * 1024 * 1024)
#define WSI_HELPER32_MAX_ENTRIES   1024   /* entries of one install/update */
#define WSI_HELPER32_MAX_ORDER     8192   /* elements of one write order */

/* Steps for one backend call on the 32-bit catalog, with literal refs. */
WsiPlanStep *wsi_helper32_step_install      (const WsiGuid         *guid,
                                             const char            *path,
                                             const WsiEntry *const *infos,
                                             guint                  n);
WsiPlanStep *wsi_helper32_step_update       (const WsiGuid         *guid,
                                             const char            *path,
                                             const WsiEntry *const *infos,
                                             guint                  n);
WsiPlanStep *wsi_helper32_step_deinstall    (const WsiGuid         *guid);
WsiPlanStep *wsi_helper32_step_write_order  (const guint32         *ids,
                                             guint                  n);
WsiPlanStep *wsi_helper32_step_categories   (const WsiGuid         *guid,
                                             guint32                categories);

/* Checks @json (@len bytes, not necessarily NUL-terminated) and returns the
 * step it describes. WSI_ERROR_HELPER_REQUEST_INVALID for anything that is
 * not exactly one allowed step. */
WsiPlanStep *wsi_helper32_request_parse     (const char            *json,
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
