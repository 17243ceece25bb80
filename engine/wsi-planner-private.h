/* wsi-planner-private.h: what the planner's files share. */
#pragma once

#include "wsi-plan-private.h"
#include "wsi-ownership.h"

G_BEGIN_DECLS

/* The planner's working state, shared by install, removal and repair
 * planning (wsi_planner_init / wsi_planner_finish / wsi_planner_clear). */
typedef struct {
  WsiPlan      *plan;
  WsiBackend   *sim;        /* memory backend: the machine as the plan leaves it so far */
  WsiDiagList  *diags;
  gboolean      failed;
  WsiOwnership *owners;     /* of the machine planned against */
  const char   *product;    /* whose steps are being planned; NULL: none (repair, remove by GUID) */
  gboolean      adopt;      /* WSI_PLAN_FLAG_ADOPT */
  gboolean      force;      /* WSI_PLAN_FLAG_FORCE */
  guint         foreign_ok; /* > 0 while re-pointing chains of other owners */
  GHashTable   *vanished[2];     /* per catalog (64, 32): removed ID -> WsiEntryRef* taken before its removal */
  GHashTable   *checkpointed[2]; /* per catalog: chain GUIDs checkpointed before a removal */
  gboolean      order_checkpointed[2]; /* per catalog: the order is checkpointed (once, before the first removal) */
} WsiPlanner;

void       wsi_planner_init           (WsiPlanner       *self,
                                       WsiPlan          *plan,
                                       WsiBackend       *sim,
                                       WsiDiagList      *diags,
                                       WsiPlanFlags      flags);
void       wsi_planner_clear          (WsiPlanner       *self);
/* The end of every plan: re-points what the plan's removals left (every
 * catalog), takes the predicted machine, and checks the end state
 * (wsi_planner_verify). FALSE when planning failed. */
gboolean   wsi_planner_finish         (WsiPlanner       *self);

/* ---- wsi-planner-repoint.c: no step leaves an ID behind ---- */

/* Called for every step that makes IDs disappear (a deinstall, the first
 * half of a re-install), before it runs on the simulated machine: keeps a
 * symbolic ref of every ID it removes and adds a checkpoint step (an
 * update to itself) for every chain of another GUID that names one, so
 * that a rollback, which re-installs the removed entries under new IDs,
 * ends by pointing that chain at them again. */
gboolean   wsi_planner_before_removal (WsiPlanner        *self,
                                       const WsiPlanStep *step);
/* Adds a step that writes @bitness's catalog order as it is (no call at
 * run time), once per plan and catalog: its inverse, which a rollback runs
 * after re-installing what later steps removed, restores every entry's
 * place in the order. */
gboolean   wsi_planner_checkpoint_order (WsiPlanner     *self,
                                         WsiBitness      bitness,
                                         const char     *source_file,
                                         int             source_line);
/* Re-points every chain of @bitness's catalog, of any owner, that names an
 * ID this plan removed, or an ID in @going (about to be removed; may be
 * NULL): to the entry that now has the removed one's identity (a
 * re-install), else without it (a layer removed), else the chain goes too
 * (its base protocol or its own layer is gone). IDs that were dangling
 * before the plan are left as they are. */
gboolean   wsi_planner_repoint_chains (WsiPlanner       *self,
                                       WsiBitness        bitness,
                                       GHashTable       *going,
                                       const char       *source_file,
                                       int               source_line);

/* ---- wsi-planner-verify.c: the plan checks its own end state ---- */

/* Replays the plan on a fresh copy of the machine and runs `catalog check`
 * on the result: an error that was not there before (orphan, dangling,
 * duplicate, too long, IFS order) is plan-breaks-catalog, naming the step
 * that introduced it. Errors already on the machine are left to the
 * caller (they do not block). */
gboolean   wsi_planner_verify         (WsiPlanner       *self);

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

G_END_DECLS
