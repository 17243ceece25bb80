/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-access.c: the plan's read-only accessors (wsi-plan.h). */
#include "wsi-plan.h"

guint
wsi_plan_get_n_steps (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->steps->len;
}

const WsiPlanStep *
wsi_plan_get_step (const WsiPlan *plan, guint index)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return index < plan->steps->len ? g_ptr_array_index (plan->steps, index) : NULL;
}

gboolean
wsi_plan_is_uninstall (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, FALSE);
  return plan->uninstall;
}

gboolean
wsi_plan_is_repair (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, FALSE);
  return plan->repair;
}

const WsiMachine *
wsi_plan_get_machine_before (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->before;
}

const WsiMachine *
wsi_plan_get_machine_after (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->after;
}

guint
wsi_plan_get_n_notes (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->notes != NULL ? plan->notes->len : 0;
}

const char *
wsi_plan_get_note (const WsiPlan *plan, guint index)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->notes != NULL && index < plan->notes->len ? g_ptr_array_index (plan->notes, index) : NULL;
}

WsiStepOp
wsi_plan_step_get_op (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, WSI_STEP_INSTALL_PROVIDER);
  return step->op;
}

WsiBitness
wsi_plan_step_get_bitness (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, 0);
  return step->bitness;
}

const WsiGuid *
wsi_plan_step_get_guid (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);
  return &step->guid;
}

const char *
wsi_plan_step_get_summary (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);
  return step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op);
}

const char *
wsi_plan_step_get_path (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);
  return step->path;
}

const WsiPlanStep *
wsi_plan_step_get_undo (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);
  return step->undo;
}

const char *
wsi_plan_step_get_source_file (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, NULL);
  return step->source_file;
}

int
wsi_plan_step_get_source_line (const WsiPlanStep *step)
{
  g_return_val_if_fail (step != NULL, 0);
  return step->source_line;
}
