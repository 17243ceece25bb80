/* wsi-plan-private.h: what the plan's files share. */
#pragma once

#include "wsi-plan.h"

G_BEGIN_DECLS

void       wsi_plan_entry_free        (WsiPlanEntry     *pe);
/* The whole current order of @catalog as refs. */
GArray    *wsi_order_refs_from_live   (const WsiCatalog *catalog);

/* The concrete entries of an install/update step, refs resolved against
 * @catalog (WSI_ERROR_MACHINE_CHANGED when one does not resolve). */
GPtrArray *wsi_plan_step_build_entries (const WsiPlanStep *step,
                                        const WsiCatalog  *catalog,
                                        GError           **error);
/* Does @catalog hold exactly @want (WsiEntry*) under @guid with @path? */
gboolean   wsi_plan_entries_match     (const WsiCatalog *catalog,
                                       const WsiGuid    *guid,
                                       const char       *path,
                                       GPtrArray        *want);

/* The planner's working state, shared by install and removal planning. */
typedef struct {
  WsiPlan      *plan;
  WsiBackend   *sim;        /* memory backend: the machine as the plan leaves it so far */
  WsiDiagList  *diags;
  gboolean      failed;
} WsiPlanner;

/* Computes the inverse against the simulated machine, runs the step on it
 * (predicting the IDs), and appends it to the plan. Takes @step. A step the
 * simulation refuses is a diagnostic (wsc-call-failed) at the step's source
 * line; returns FALSE then. */
gboolean   wsi_planner_add_step       (WsiPlanner       *self,
                                       WsiPlanStep      *step);
WsiMachine *wsi_planner_machine       (WsiPlanner       *self);
/* FALSE with duplicate-catalog-id when the catalog repeats an ID. */
gboolean   wsi_planner_check_unique_ids (WsiPlanner     *self,
                                         WsiBitness      bitness,
                                         const char     *file,
                                         int             line);
/* The registry write policy (wsi-policy.h): FALSE with a
 * registry-write-denied diagnostic at @line when @m may not write the value. */
gboolean   wsi_planner_check_policy   (WsiPlanner        *self,
                                       const WsiManifest *m,
                                       int                line,
                                       const char        *key,
                                       const char        *name);

/* Removal planning, shared by uninstall and remove-by-GUID: removes every
 * entry whose GUID is in @guids and every chain whose first element is one
 * of their layered entries, in @bitness, repairing other chains that name
 * removed IDs. @source_file/@source_line label the steps. */
gboolean   wsi_planner_remove_guids   (WsiPlanner       *self,
                                       WsiBitness        bitness,
                                       GPtrArray        *guids,
                                       const char       *source_file,
                                       int               source_line);

/* Plans removing @manifest's product (entries in every catalog of the
 * machine, its registry values and its product record). */
gboolean   wsi_planner_uninstall_manifest (WsiPlanner        *self,
                                           const WsiManifest *manifest,
                                           GArray            *triples);

/* Preview rows for every triple in @triples (gint32 x3 per element). */
void       wsi_plan_compute_preview   (WsiPlan          *plan,
                                       GArray           *triples);

G_END_DECLS
