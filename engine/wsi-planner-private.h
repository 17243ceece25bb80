/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-private.h: what the planner's files share, in stage order.
 * Each file calls only the files of the sections above its own:
 *
 *   wsi-planner.c            entry points: life cycle, dispatch, preview
 *     wsi-planner-install.c    one manifest: GUIDs, version, strategy, catalogs
 *       wsi-planner-registry.c   registry values and the product record
 *       wsi-planner-order.c      the catalog order the chains ask for
 *       wsi-planner-layer.c      one layer: its layered entry, then:
 *         wsi-planner-targets.c    what its selectors pick
 *         wsi-planner-chains.c     one chain entry per target
 *         wsi-planner-stale.c      chains an upgrade no longer declares
 *       wsi-planner-provider.c   a provider's entries in one catalog
 *     wsi-planner-uninstall.c  uninstall by manifest
 *     wsi-planner-repair.c     the fix for what `catalog check` finds
 *     wsi-planner-remove.c     removing GUIDs (uninstall, upgrade, by GUID)
 *     wsi-planner-verify.c     the plan checks its own end state
 *     wsi-planner-repoint.c    chains re-pointed after removals
 *     wsi-planner-step.c       adding one step (and the checkpoints a removal needs)
 *
 * Below them all: the plan family (wsi-plan-private.h). */
#pragma once

#include "wsi-plan-private.h"
#include "wsi-ownership.h"

G_BEGIN_DECLS

/* The planner's working state, shared by install, removal and repair
 * planning; wsi-planner.c sets it up and takes the result. */
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

/* ---- wsi-planner-install.c: one manifest ---- */

/* Plans installing (or upgrading to) @manifest: checks its GUIDs' owners
 * and the installed version, picks the strategy, plans each catalog, drops
 * what an earlier version installed and it no longer declares, then the
 * registry values and the product record. Adds the triples it touches to
 * @triples for the preview. */
gboolean   wsi_planner_install_manifest (WsiPlanner        *self,
                                         const WsiManifest *manifest,
                                         WsiPlanFlags       flags,
                                         GArray            *triples);

/* ---- wsi-planner-registry.c: registry values ---- */

/* The key of @m's product record. */
char      *wsi_planner_product_key    (const WsiManifest *m);
/* TCP on SAN registrations and WSH helpers' values, never taking over a
 * value someone else owns. */
gboolean   wsi_planner_plan_registry  (WsiPlanner        *self,
                                       const WsiManifest *m);
/* The product record: version, name, vendor, providers, transports. */
gboolean   wsi_planner_plan_product_record (WsiPlanner        *self,
                                            const WsiManifest *m);

/* ---- the install of one manifest in one catalog ---- */

typedef struct {
  const WsiManifestChain *chain;
  GArray                 *ids;     /* guint32: chain entries placed by this <chain>, target order */
} WsiPlacedGroup;

typedef struct {
  WsiPlanner        *planner;
  const WsiManifest *manifest;
  WsiBitness         bitness;
  gboolean           dual;          /* 64_32 strategy: installs go to both catalogs at once */
  WsiCatalog        *pre;           /* the catalog before this manifest (machine selectors) */
  GHashTable        *own_guids;     /* WsiGuid* -> NULL: providers and layers of the manifest */
  GHashTable        *layer_ids;     /* WsiManifestLayer* -> GUINT(dummy ID in the simulated catalog) */
  GPtrArray         *groups;        /* WsiPlacedGroup*, install order */
  guint              new_chain_entries;  /* chain entries this plan installs in this catalog */
  GArray            *triples;       /* gint32[3] per triple, for the preview */
} WsiCatalogPlan;

/* ---- wsi-planner-order.c ---- */

/* The order the manifest asks for in @bitness's catalog, written when it
 * differs from the current one. */
gboolean   wsi_planner_plan_order     (WsiCatalogPlan   *cp,
                                       WsiBitness        bitness);

/* ---- wsi-planner-layer.c, -targets.c, -chains.c, -stale.c: one layer ---- */

/* Plans one layer in one catalog: its layered entry, categories, and one
 * chain entry per target. */
gboolean   wsi_planner_plan_layer     (WsiCatalogPlan         *cp,
                                       const WsiManifestLayer *layer);

/* One layer's planning state, from its targets to its chains. */
typedef struct {
  WsiCatalogPlan         *cp;
  const WsiManifestLayer *layer;
  const char             *path;          /* the layer's DLL in this catalog */
  GArray                 *targets;       /* guint32: IDs the layer goes over, in selector order */
  GPtrArray              *target_chain;  /* const WsiManifestChain*, per target */
  GPtrArray              *target_sel;    /* const WsiManifestSelector*, per target */
  guint32                 dummy_id;      /* the layered entry's ID in the simulated catalog */
  WsiEntryRef             dummy_ref;
  GHashTable             *wanted_guids;  /* WsiGuid* -> NULL: the chain entries the manifest wants */
} WsiLayerPlan;

/* Fills @lp's targets from the layer's selectors: a target picked by two
 * selectors counts once. FALSE (selector-unresolved) when a selector that
 * is not optional picks nothing. */
gboolean   wsi_planner_layer_targets  (WsiLayerPlan     *lp);
/* One chain entry per target, over the layered entry. Every target is
 * checked (chain length, layer twice, dangling IDs, IFS order) so that all
 * problems are reported at once; FALSE when any is an error. */
gboolean   wsi_planner_layer_chains   (WsiLayerPlan     *lp);
/* Chains of the layer that the manifest no longer wants (an upgrade
 * dropped a target) are removed. */
gboolean   wsi_planner_layer_stale    (WsiLayerPlan     *lp);

/* ---- wsi-planner-provider.c: a provider's entries in one catalog ---- */

WsiCatalog *wsi_planner_sim_catalog   (WsiCatalogPlan   *cp);
/* Adds (af, type, protocol) to @triples unless it is there. */
void       wsi_planner_note_triple    (GArray           *triples,
                                       gint32            af,
                                       gint32            type,
                                       gint32            protocol);
void       wsi_planner_placed_group_free (WsiPlacedGroup *g);
/* Makes the catalog hold @entries under @guid: nothing when it already
 * does, an update when the entry count matches, a re-install otherwise.
 * @what names the provider in summaries and messages. */
gboolean   wsi_planner_ensure_provider (WsiCatalogPlan  *cp,
                                        const WsiGuid   *guid,
                                        const char      *path,
                                        GPtrArray       *entries,
                                        guint32          categories,
                                        int              line,
                                        const char      *what);
/* The manifest's base and SAN providers, in document order. */
gboolean   wsi_planner_plan_providers (WsiCatalogPlan   *cp);

/* ---- wsi-planner-uninstall.c ---- */

/* Plans removing @manifest's product (entries in every catalog of the
 * machine, its registry values and its product record). */
gboolean   wsi_planner_uninstall_manifest (WsiPlanner        *self,
                                           const WsiManifest *manifest,
                                           GArray            *triples);

/* ---- wsi-planner-repair.c ---- */

/* Plans the fix for what `catalog check` finds in both catalogs. */
gboolean   wsi_planner_repair         (WsiPlanner       *self);

/* ---- wsi-planner-remove.c: removal ---- */

gboolean   wsi_planner_guids_contain  (GPtrArray        *guids,
                                       const WsiGuid    *guid);
/* Appends a copy of @guid to @guids (g_free'd) unless it is there. */
void       wsi_planner_guids_add      (GPtrArray        *guids,
                                       const WsiGuid    *guid);
/* Removal planning, shared by uninstall and remove-by-GUID: removes every
 * entry whose GUID is in @guids and every chain whose first element is one
 * of their layered entries, in @bitness, repairing other chains that name
 * removed IDs. @source_file/@source_line label the steps. */
gboolean   wsi_planner_remove_guids   (WsiPlanner       *self,
                                       WsiBitness        bitness,
                                       GPtrArray        *guids,
                                       const char       *source_file,
                                       int               source_line);
/* Deletes @key\@name when it exists; with @m, only if the registry write
 * policy lets @m write it. */
gboolean   wsi_planner_delete_value   (WsiPlanner        *self,
                                       const WsiManifest *m,
                                       const char        *file,
                                       int                line,
                                       const char        *key,
                                       const char        *name);
/* Deletes the values under TCP on SAN that register @guid, whatever their
 * name. */
gboolean   wsi_planner_unregister_san (WsiPlanner       *self,
                                       const char       *file,
                                       int               line,
                                       const WsiGuid    *guid);
/* Plans removing every entry of @guid (a provider or an LSP: its layered
 * entry and its chains) and its SAN registration; Windows' own providers
 * only with force. Adds the triples it touches to @triples. */
gboolean   wsi_planner_remove_provider (WsiPlanner      *self,
                                        const WsiGuid   *guid,
                                        GArray          *triples);

/* ---- wsi-planner-verify.c: the plan checks its own end state ---- */

/* Replays the plan on a fresh copy of the machine and runs `catalog check`
 * on the result: an error that was not there before (orphan, dangling,
 * duplicate, too long, IFS order) is plan-breaks-catalog, naming the step
 * that introduced it. Errors already on the machine are left to the
 * caller (they do not block). */
gboolean   wsi_planner_verify         (WsiPlanner       *self);

/* ---- wsi-planner-repoint.c: no step leaves an ID behind ---- */

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

/* ---- wsi-planner-step.c: adding a step ---- */

/* The machine as the plan leaves it so far. */
WsiMachine *wsi_planner_machine       (WsiPlanner       *self);
/* A step of @op on @bitness's catalog, labelled with @file:@line. */
WsiPlanStep *wsi_planner_step_new     (WsiStepOp         op,
                                       WsiBitness        bitness,
                                       const WsiMachine *machine,
                                       const char       *file,
                                       int               line);
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
/* Checks that the step's product may touch what it names, checkpoints
 * what a removal would leave behind, computes the inverse against the
 * simulated machine, runs the step on it (predicting the IDs), and appends
 * it to the plan. Takes @step. A step the simulation refuses is a
 * diagnostic (wsc-call-failed) at the step's source line; returns FALSE
 * then. */
gboolean   wsi_planner_add_step       (WsiPlanner       *self,
                                       WsiPlanStep      *step);
/* Adds a step that writes @bitness's catalog order as it is (no call at
 * run time), once per plan and catalog: its inverse, which a rollback runs
 * after re-installing what later steps removed, restores every entry's
 * place in the order. */
gboolean   wsi_planner_checkpoint_order (WsiPlanner     *self,
                                         WsiBitness      bitness,
                                         const char     *source_file,
                                         int             source_line);
/* 0 for the 64-bit catalog, 1 for the 32-bit one: the index of the
 * per-catalog tables in WsiPlanner. */
guint      wsi_planner_catalog_slot   (WsiBitness        bitness);
/* The update that rewrites @guid's entries with @chains (guint32 arrays,
 * one per entry, in the order wsi_catalog_find_guid gives). */
WsiPlanStep *wsi_planner_rewrite_step (WsiPlanner       *self,
                                       WsiBitness        bitness,
                                       const WsiGuid    *guid,
                                       GPtrArray        *chains,
                                       const char       *file,
                                       int               line);
/* The chains of @guid's entries as they are (an empty array for an entry
 * that is no chain), one GArray of guint32 per entry. */
GPtrArray *wsi_planner_live_chains    (const WsiCatalog *c,
                                       const WsiGuid    *guid);

G_END_DECLS
