/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan.h: a transactional install plan. A plan is an ordered list of
 * steps; each step is one backend operation, carries the inverse that undoes
 * it (computed against the machine right before it, exactly as the executor
 * does at run time), the IDs it is predicted to assign, and the manifest line
 * it comes from. Steps name catalog entries symbolically (WsiEntryRef: "the
 * entry of GUID X with this triple"), never by a bare ID, so a plan stays
 * true when the live catalog assigns other IDs than predicted, and inverses
 * stay true after a rollback re-installs an entry under a new ID. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-backend.h"
#include "wsi-diag.h"
#include "wsi-manifest.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* A symbolic catalog entry: the @occurrence-th (0-based, by ascending ID,
 * i.e. install order) entry with this provider GUID and (af, type,
 * protocol) triple. With a nil GUID, a literal: @predicted_id itself (an ID
 * that named no entry when the ref was made, kept to restore damaged
 * chains verbatim). */
typedef struct {
  WsiGuid  guid;
  gint32   address_family;
  gint32   socket_type;
  gint32   protocol;
  guint    occurrence;
  guint32  predicted_id;   /* what the plan expects; 0 unknown */
} WsiEntryRef;

/* An entry to install or update: a template whose chain IDs are refs. */
typedef struct {
  WsiEntry    *entry;                        /* ChainEntries ignored; see refs */
  guint        n_refs;                       /* == entry->chain_len for chains; 0 otherwise */
  WsiEntryRef  refs[WSI_MAX_PROTOCOL_CHAIN];
} WsiPlanEntry;

typedef enum {
  WSI_STEP_INSTALL_PROVIDER,        /* WSCInstallProvider into one catalog */
  WSI_STEP_INSTALL_PROVIDER_64_32,  /* WSCInstallProvider64_32 (x64, catalogs in sync) */
  WSI_STEP_DEINSTALL_PROVIDER,      /* WSCDeinstallProvider(32) */
  WSI_STEP_UPDATE_PROVIDER,         /* WSCUpdateProvider(32): IDs kept */
  WSI_STEP_WRITE_ORDER,             /* WSCWriteProviderOrder(32) */
  WSI_STEP_SET_LSP_CATEGORIES,      /* WSCSetProviderInfo(32) */
  WSI_STEP_SET_REGISTRY_VALUE,      /* set, or delete when data is NULL */
} WsiStepOp;

typedef struct _WsiPlanStep WsiPlanStep;
struct _WsiPlanStep {
  guint         index;            /* 0-based position in the plan */
  WsiStepOp     op;
  WsiBitness    bitness;          /* catalog steps; 0 for registry and 64_32 steps */
  /* On x64 Windows a 64-bit process has no WSCInstallProvider32: installs
   * into the 32-bit catalog go to the x86 helper process. (Deinstall,
   * update, order and provider info have ...32 variants.) */
  gboolean      needs_32bit_process;
  WsiGuid       guid;             /* provider steps */
  char         *path;             /* install/update */
  GPtrArray    *entries;          /* WsiPlanEntry*: install/update */
  GArray       *order;            /* WsiEntryRef: write order, the full permutation */
  guint32       categories;       /* set categories */
  char         *reg_key;          /* registry steps */
  char         *reg_name;
  WsiRegType    reg_type;
  GBytes       *reg_data;         /* NULL: delete the value */
  GArray       *predicted_ids;    /* guint32: IDs an install step is expected to get */
  WsiPlanStep  *undo;             /* the inverse, NULL only for inverses themselves */
  char         *source_file;
  int           source_line;
  char         *summary;          /* one line for people */
};

typedef struct {
  char    *catalogs;    /* "64+32", "32" */
  char    *name;        /* "per-catalog", "64_32", "single" */
  char    *reason;
} WsiPlanStrategy;

/* What socket(af, type, protocol) gets, before and after, in one catalog. */
typedef struct {
  WsiBitness  bitness;
  gint32      address_family;
  gint32      socket_type;
  gint32      protocol;
  guint32     before_id;     /* 0: no provider */
  char       *before_name;
  GArray     *before_chain;  /* guint32 */
  guint32     after_id;
  char       *after_name;
  GArray     *after_chain;
} WsiPreviewRow;

typedef struct {
  WsiMachineKind  kind;
  gboolean        uninstall;
  gboolean        repair;
  GPtrArray      *steps;        /* WsiPlanStep* */
  GPtrArray      *strategies;   /* WsiPlanStrategy* */
  GPtrArray      *preview;      /* WsiPreviewRow* */
  GPtrArray      *notes;        /* char*: what the planner decided and why (idempotency, upgrade) */
  WsiMachine     *before;       /* the machine planned against (copy) */
  WsiMachine     *after;        /* the predicted result */
} WsiPlan;

typedef enum {
  WSI_PLAN_FLAG_NONE = 0,
  WSI_PLAN_FLAG_FORCE = 1 << 0,      /* allow a downgrade */
  WSI_PLAN_FLAG_UNINSTALL = 1 << 1,
  /* Entries with the manifest's own GUIDs that no install record claims
   * (an unknown third party's, e.g. the product installed by another
   * installer or on a machine imported without its records) may be taken
   * over. Never Windows' or another product's. */
  WSI_PLAN_FLAG_ADOPT = 1 << 2,
} WsiPlanFlags;

/* Plans @manifests (in order) against @machine. Problems (unresolved
 * selectors, chains too long, downgrades, ...) are diagnostics with the
 * manifest line; returns NULL when any is an error. */
WsiPlan     *wsi_plan_build            (const WsiMachine   *machine,
                                        WsiManifest *const *manifests,
                                        guint               n_manifests,
                                        WsiPlanFlags        flags,
                                        WsiDiagList        *diags);
/* Plans removing every entry of @guid (a provider or an LSP: its layered
 * entry and its chains) and repairing the chains that layer over it.
 * Windows' own providers are refused (guid-owned-elsewhere) unless @flags
 * has WSI_PLAN_FLAG_FORCE. */
WsiPlan     *wsi_plan_build_remove_guid (const WsiMachine  *machine,
                                         const WsiGuid     *guid,
                                         WsiPlanFlags       flags,
                                         WsiDiagList       *diags);
/* Plans the fix for what `catalog check` finds (orphan chains, dangling
 * entries, layered entries no chain uses), touching no healthy entry. */
WsiPlan     *wsi_plan_build_repair     (const WsiMachine  *machine,
                                        WsiDiagList       *diags);
void         wsi_plan_free             (WsiPlan *plan);

const char  *wsi_step_op_to_string     (WsiStepOp op);
/* Whether @op on the catalog of @bitness of a @kind machine must run in a
 * 32-bit process. */
gboolean     wsi_step_needs_32bit_process (WsiMachineKind kind,
                                           WsiStepOp      op,
                                           WsiBitness     bitness);
void         wsi_plan_step_free        (WsiPlanStep *step);
WsiPlanStep *wsi_plan_step_copy        (const WsiPlanStep *step);

/* The ID @ref names in @catalog now, or 0. */
guint32      wsi_entry_ref_resolve     (const WsiCatalog  *catalog,
                                        const WsiEntryRef *ref);
/* The ref that names the entry with @id in @catalog. FALSE when no entry
 * has @id: *@out is then the literal ref for @id. */
gboolean     wsi_entry_ref_from_id     (const WsiCatalog  *catalog,
                                        guint32            id,
                                        WsiEntryRef       *out);

/* The inverse of @step against @machine as it is right before @step runs
 * (what the executor journals before every step). */
WsiPlanStep *wsi_plan_step_make_inverse (const WsiPlanStep *step,
                                         const WsiMachine  *machine,
                                         GError           **error);
/* Runs @step on @backend, resolving refs against the live catalog. With
 * @undoing, the step is an inverse run during rollback and is idempotent:
 * removing what is absent and installing what is present succeed without a
 * call. @assigned (may be NULL) receives the IDs an install got. Afterwards
 * the live catalog is checked: a call that reports success without the
 * effect fails with WSI_ERROR_WINSOCK (wsc-no-effect). */
gboolean     wsi_plan_step_execute      (const WsiPlanStep *step,
                                         WsiBackend        *backend,
                                         gboolean           undoing,
                                         GArray            *assigned,
                                         GError           **error);

/* The versioned JSON document "wsinstall-plan"
 * (schema/wsinstall-plan.schema.json): the plan (when @plan is not NULL)
 * and @diags (may be NULL); deterministic. wsi_plan_to_json: with no
 * diagnostics. */
char        *wsi_plan_render_json      (const WsiPlan     *plan,
                                        const WsiDiagList *diags);
char        *wsi_plan_to_json          (const WsiPlan *plan);
char        *wsi_plan_to_text          (const WsiPlan *plan);
/* One step (or inverse) as a JSON object string and back: the journal's
 * record and the x86 helper's request, not a command's output. */
char        *wsi_plan_step_to_json     (const WsiPlanStep *step);
WsiPlanStep *wsi_plan_step_from_json   (const char        *json,
                                        GError           **error);

/* --- Read-only accessors: what programs outside the engine use, so the
 * structures above may change (wsi-plan-access.c). --- */
guint              wsi_plan_get_n_steps        (const WsiPlan     *plan);
/* Step @index (0-based; NULL past the end), borrowed from @plan. */
const WsiPlanStep *wsi_plan_get_step           (const WsiPlan     *plan,
                                                guint              index);
gboolean           wsi_plan_is_uninstall       (const WsiPlan     *plan);
gboolean           wsi_plan_is_repair          (const WsiPlan     *plan);
/* The machine planned against, and the one the plan predicts. */
const WsiMachine  *wsi_plan_get_machine_before (const WsiPlan     *plan);
const WsiMachine  *wsi_plan_get_machine_after  (const WsiPlan     *plan);
/* What the planner decided and why, one sentence each. */
guint              wsi_plan_get_n_notes        (const WsiPlan     *plan);
const char        *wsi_plan_get_note           (const WsiPlan     *plan,
                                                guint              index);
WsiStepOp          wsi_plan_step_get_op        (const WsiPlanStep *step);
/* The catalog of a catalog step; 0 for registry and 64_32 steps. */
WsiBitness         wsi_plan_step_get_bitness   (const WsiPlanStep *step);
const WsiGuid     *wsi_plan_step_get_guid      (const WsiPlanStep *step);
/* One line for people: "WSCInstallProvider ... (64-bit catalog)". */
const char        *wsi_plan_step_get_summary   (const WsiPlanStep *step);
/* The DLL of an install or update step, else NULL. */
const char        *wsi_plan_step_get_path      (const WsiPlanStep *step);
/* The inverse the executor journals before the step runs (NULL for an
 * inverse itself). */
const WsiPlanStep *wsi_plan_step_get_undo      (const WsiPlanStep *step);
/* The manifest and line the step comes from (NULL, 0 when none). */
const char        *wsi_plan_step_get_source_file (const WsiPlanStep *step);
int                wsi_plan_step_get_source_line (const WsiPlanStep *step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiPlan, wsi_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiPlanStep, wsi_plan_step_free)

WSI_END_PUBLIC
G_END_DECLS
