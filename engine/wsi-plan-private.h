/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-private.h: what the plan family's files share (the model,
 * wsi-plan.c; references, wsi-plan-ref.c; inverses, wsi-plan-inverse.c;
 * the step executor, wsi-plan-exec.c), and what the planner, the
 * renderers and the helper use of it beyond the public API. */
#pragma once

#include "wsi-plan.h"

#include <stdio.h>

G_BEGIN_DECLS

/* ---- wsi-plan.c: the model ---- */

/* Takes @entry. */
WsiPlanEntry *wsi_plan_entry_new      (WsiEntry         *entry);
void       wsi_plan_entry_free        (WsiPlanEntry     *pe);
/* An empty plan against a copy of @machine (NULL: none yet). */
WsiPlan   *wsi_plan_new               (const WsiMachine *machine);
void       wsi_plan_add_strategy      (WsiPlan          *plan,
                                       const char       *catalogs,
                                       const char       *name,
                                       const char       *reason);
/* Preview rows for every triple in @triples (gint32 x3 per element),
 * from the plan's machines before and after. */
void       wsi_plan_compute_preview   (WsiPlan          *plan,
                                       GArray           *triples);

/* ---- wsi-plan-document.c ---- */

/* wsi_plan_render_json's document written to @file as it is made (a plan
 * of a large catalog is megabytes of text): FALSE when a write failed. */
gboolean   wsi_plan_write_json        (const WsiPlan      *plan,
                                       const WsiDiagList  *diags,
                                       FILE               *file);

/* ---- wsi-plan-ref.c: symbolic entry references ---- */

/* The whole current order of @catalog as refs. */
GArray    *wsi_order_refs_from_live   (const WsiCatalog *catalog);
/* The concrete entries of an install/update step, refs resolved against
 * @catalog (WSI_ERROR_MACHINE_CHANGED when one does not resolve). */
GPtrArray *wsi_plan_step_build_entries (const WsiPlanStep *step,
                                        const WsiCatalog  *catalog,
                                        GError           **error);

/* ---- wsi-plan-exec.c: running a step ---- */

/* Does @catalog hold exactly @want (WsiEntry*) under @guid with @path? */
gboolean   wsi_plan_entries_match     (const WsiCatalog *catalog,
                                       const WsiGuid    *guid,
                                       const char       *path,
                                       GPtrArray        *want);

/* Where a step acts, for people: "64-bit", "32-bit", "64+32" (a 64_32
 * install) or "registry". The text and HTML renderings share it. */
const char *wsi_plan_step_catalog_label (const WsiPlanStep *step);

G_END_DECLS
