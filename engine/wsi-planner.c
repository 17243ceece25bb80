/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner.c: the top of the planner, from manifests (or a GUID, or
 * the damage `catalog check` finds) and a machine to a plan. Each entry
 * point sets up the working state on a simulated copy of the machine,
 * hands it to one stage (install, uninstall, remove by GUID, repair), and
 * finishes the plan the same way: chains re-pointed, the predicted machine
 * taken, the end state verified, the preview computed. No stage calls back
 * up here; wsi-planner-private.h shows the order. */
#include "wsi-planner-private.h"
#include "wsi-backend-private.h"

#include <string.h>

static void
wsi_planner_init (WsiPlanner *self, WsiPlan *plan, WsiBackend *sim, WsiDiagList *diags, WsiPlanFlags flags)
{
  memset (self, 0, sizeof *self);
  self->plan = plan;
  self->sim = sim;
  self->diags = diags;
  self->owners = wsi_ownership_new (plan->before);
  self->adopt = (flags & WSI_PLAN_FLAG_ADOPT) != 0;
  self->force = (flags & WSI_PLAN_FLAG_FORCE) != 0;
}

static void
wsi_planner_clear (WsiPlanner *self)
{
  g_clear_pointer (&self->owners, wsi_ownership_free);
  for (gsize i = 0; i < G_N_ELEMENTS (self->vanished); i++)
    {
      g_clear_pointer (&self->vanished[i], g_hash_table_unref);
      g_clear_pointer (&self->checkpointed[i], g_hash_table_unref);
    }
}

/* The end of every plan: re-points what the plan's removals left (every
 * catalog), takes the predicted machine, and checks the end state
 * (wsi_planner_verify). FALSE when planning failed. */
static gboolean
wsi_planner_finish (WsiPlanner *self)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };

  if (self->failed)
    return FALSE;
  self->product = NULL;
  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    if (!wsi_planner_repoint_chains (self, order[b], NULL, NULL, 0))
      return FALSE;
  /* The simulated machine is the prediction: nothing changes it after
   * this point, so it is taken rather than copied (a machine is megabytes
   * for a large catalog). */
  g_clear_pointer (&self->plan->after, wsi_machine_free);
  self->plan->after = wsi_backend_memory_take_machine (self->sim);
  return wsi_planner_verify (self);
}

/* A plan being built only reads the machine before (plan->before), and the
 * caller's machine outlives the build: the plan borrows it, and takes its
 * own copy only once planning and the self-check (which hold the simulated
 * machine and a replay) are over, so that not every copy exists at once. */
static WsiPlan *
wsi_planner_new_plan (const WsiMachine *machine)
{
  WsiPlan *plan = wsi_plan_new (NULL);

  plan->kind = wsi_machine_get_kind (machine);
  plan->before = (WsiMachine *) machine;
  return plan;
}

/* The end of every entry point: the plan with its own copy of the machine
 * before, or NULL (the plan freed) when planning failed. */
static WsiPlan *
wsi_planner_end_plan (WsiPlan *plan, const WsiMachine *machine, gboolean ok)
{
  plan->before = NULL;
  if (!ok)
    {
      wsi_plan_free (plan);
      return NULL;
    }
  plan->before = wsi_machine_copy (machine);
  return plan;
}

WsiPlan *
wsi_plan_build (const WsiMachine *machine, WsiManifest *const *manifests, guint n_manifests, WsiPlanFlags flags,
                WsiDiagList *diags)
{
  WsiPlan *plan = wsi_planner_new_plan (machine);
  g_autoptr(WsiBackend) sim = wsi_backend_memory_new (machine);
  g_autoptr(GArray) triples = g_array_new (FALSE, FALSE, sizeof (gint32));
  WsiPlanner self;
  gboolean ok;

  wsi_planner_init (&self, plan, sim, diags, flags);
  plan->uninstall = (flags & WSI_PLAN_FLAG_UNINSTALL) != 0;
  for (guint i = 0; i < n_manifests && !self.failed; i++)
    {
      self.product = manifests[i]->product.id;
      if (plan->uninstall)
        wsi_planner_uninstall_manifest (&self, manifests[i], triples);
      else
        wsi_planner_install_manifest (&self, manifests[i], flags, triples);
    }
  ok = wsi_planner_finish (&self);
  wsi_planner_clear (&self);
  if (ok)
    wsi_plan_compute_preview (plan, triples);
  return wsi_planner_end_plan (plan, machine, ok);
}

WsiPlan *
wsi_plan_build_remove_guid (const WsiMachine *machine, const WsiGuid *guid, WsiPlanFlags flags, WsiDiagList *diags)
{
  WsiPlan *plan = wsi_planner_new_plan (machine);
  g_autoptr(WsiBackend) sim = wsi_backend_memory_new (machine);
  g_autoptr(GArray) triples = g_array_new (FALSE, FALSE, sizeof (gint32));
  WsiPlanner self;
  gboolean ok;

  plan->uninstall = TRUE;
  wsi_planner_init (&self, plan, sim, diags, flags);
  ok = wsi_planner_remove_provider (&self, guid, triples) && wsi_planner_finish (&self);
  wsi_planner_clear (&self);
  if (ok)
    wsi_plan_compute_preview (plan, triples);
  return wsi_planner_end_plan (plan, machine, ok);
}

WsiPlan *
wsi_plan_build_repair (const WsiMachine *machine, WsiDiagList *diags)
{
  WsiPlan *plan = wsi_planner_new_plan (machine);
  g_autoptr(WsiBackend) sim = wsi_backend_memory_new (machine);
  WsiPlanner self;
  gboolean ok;

  plan->repair = TRUE;
  wsi_planner_init (&self, plan, sim, diags, WSI_PLAN_FLAG_NONE);
  ok = wsi_planner_repair (&self) && wsi_planner_finish (&self);
  wsi_planner_clear (&self);
  return wsi_planner_end_plan (plan, machine, ok);
}
