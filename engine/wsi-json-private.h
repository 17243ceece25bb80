/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json-private.h: the pieces every JSON document of wsinstall is made
 * of, so that one type has one shape wherever it appears (the JSON Schemas
 * in schema/ describe them):
 *
 *  - a document starts with "format": "wsinstall-KIND" and "version": N
 *    and ends with "diagnostics" and their counts;
 *  - an ID is a number, or null where there is none (never 0);
 *  - a flag set is an array of names with the raw number beside it
 *    ("service_flags": ["IFS_HANDLES", ...], "service_flags_value": 131174);
 *  - a boolean is a JSON boolean.
 *
 * Output is deterministic: fixed member order, no timestamps. */
#pragma once

#include <json-glib/json-glib.h>

#include "wsi-catalog.h"
#include "wsi-diag.h"
#include "wsi-entry.h"
#include "wsi-flags.h"
#include "wsi-json-writer.h"
#include "wsi-plan.h"

G_BEGIN_DECLS

/* The document kinds and their current versions: bump a version when a
 * document changes shape incompatibly (and its schema with it). */
#define WSI_JSON_DIAGNOSTICS  "wsinstall-diagnostics"
#define WSI_JSON_PLAN         "wsinstall-plan"
#define WSI_JSON_CATALOG      "wsinstall-catalog"
#define WSI_JSON_RESOLVE      "wsinstall-resolve"
#define WSI_JSON_DIFF         "wsinstall-diff"
#define WSI_JSON_VERSION      1

void   wsi_json_int          (WsiJsonWriter *b, const char *member, gint64 value);
/* A string, or null for NULL. */
void   wsi_json_str          (WsiJsonWriter *b, const char *member, const char *value);
void   wsi_json_bool         (WsiJsonWriter *b, const char *member, gboolean value);
/* A catalog ID: null for 0 (no entry, not assigned yet). */
void   wsi_json_id           (WsiJsonWriter *b, const char *member, guint32 id);
void   wsi_json_guid         (WsiJsonWriter *b, const char *member, const WsiGuid *guid);
/* "MEMBER": [names], "MEMBER_value": number. */
void   wsi_json_flags        (WsiJsonWriter *b, const char *member, WsiFlagSet set, guint32 value);
/* "catalog": 32 or 64, or null for 0. */
void   wsi_json_catalog      (WsiJsonWriter *b, const char *member, WsiBitness bitness);

/* Begins the document object: "format": "@kind", "version". */
void   wsi_json_begin_document (WsiJsonWriter *b, const char *kind);
/* "diagnostics": [...], "errors", "warnings", "infos" (@diags may be NULL:
 * none), then ends the document object. */
void   wsi_json_end_document   (WsiJsonWriter *b, const WsiDiagList *diags);
/* The document, pretty-printed (two spaces), ending in a newline: the
 * text is taken from @b, not copied. */
char  *wsi_json_to_string      (WsiJsonWriter *b);

/* How one step of a plan is written (the plan document's and the
 * journal's forms differ in their arguments). */
typedef void (*WsiJsonStepWriter) (WsiJsonWriter *b, const WsiPlanStep *step, gboolean with_undo);
/* The members every step ends with in both forms — with @with_undo its
 * inverse (written by @write_step) and predicted IDs — then "source", then
 * the end of the step's object. */
void   wsi_json_step_end       (WsiJsonWriter *b, const WsiPlanStep *step, gboolean with_undo,
                                WsiJsonStepWriter write_step);

/* ---- wsi-entry-json.c: the one shape of a catalog entry ---- */

/* A catalog entry as an object: its ID (null when not assigned), GUID,
 * names, path, kind, chain IDs, triple, flag sets and the rest of
 * WSAPROTOCOL_INFOW. catalog show, resolve, plan steps and diff all use it. */
void   wsi_json_entry        (WsiJsonWriter *b, const WsiEntry *e);
/* A symbolic entry reference of a plan (WsiEntryRef). */
void   wsi_json_entry_ref    (WsiJsonWriter *b, const WsiEntryRef *ref);

G_END_DECLS
