/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-plan.c: the planner on a manifest × machine pair. Byte 0 chooses a
 * reference machine, byte 1 the flags (uninstall, force); the rest is a
 * manifest. A plan is rendered (text, JSON) and every step and inverse must
 * survive the journal's JSON round trip. */
#include "wsi-fuzz.h"

#include <string.h>

#include "wsi-plan.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  guint n;

  wsi_fuzz_init ();
  wsi_fuzz_reference_machines (&n);
  return 0;
}

static void
check_step_json (const WsiPlanStep *step)
{
  g_autofree char *json = wsi_plan_step_to_json (step);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiPlanStep) back = wsi_plan_step_from_json (json, &error);
  g_autofree char *again = NULL;

  if (back == NULL)
    g_error ("a step's journal record does not load: %s\n%s", error->message, json);
  again = wsi_plan_step_to_json (back);
  if (g_strcmp0 (json, again) != 0)
    g_error ("a step's journal record changed in a round trip:\n%s\n%s", json, again);
}

static char *
machine_text (WsiBackend *backend)
{
  g_autoptr(GError) error = NULL;
  const WsiMachine *m = wsi_backend_peek (backend, &error);

  if (m == NULL)
    g_error ("peek: %s", error->message);
  return wsi_snapshot_to_string (m);
}

/* Running the plan on a copy of the machine gives the predicted machine;
 * running the inverses backwards gives the machine back (what rollback
 * promises). */
static void
check_execution (const WsiMachine *machine, const WsiPlan *plan)
{
  g_autoptr(WsiBackend) backend = wsi_backend_memory_new (machine);
  g_autofree char *after = NULL;
  g_autofree char *predicted = NULL;

  for (guint i = 0; i < plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (plan->steps, i);
      g_autoptr(GError) error = NULL;
      if (!wsi_plan_step_execute (step, backend, FALSE, NULL, &error))
        g_error ("step %u (%s) of a plan fails on the machine it was planned for: %s", i,
                 wsi_step_op_to_string (step->op), error->message);
    }
  if (plan->after != NULL)
    {
      after = machine_text (backend);
      predicted = wsi_snapshot_to_string (plan->after);
      if (strcmp (after, predicted) != 0)
        g_error ("the plan's predicted machine differs from the executed one:\n%s\n---\n%s", predicted, after);
    }
  for (guint i = plan->steps->len; i-- > 0;)
    {
      const WsiPlanStep *step = g_ptr_array_index (plan->steps, i);
      g_autoptr(GError) error = NULL;
      if (step->undo == NULL)
        continue;
      if (!wsi_plan_step_execute (step->undo, backend, TRUE, NULL, &error))
        g_error ("the inverse of step %u (%s) fails: %s", i, wsi_step_op_to_string (step->op), error->message);
    }
  {
    g_autoptr(GError) error = NULL;
    const WsiMachine *now = wsi_backend_peek (backend, &error);
    g_autoptr(WsiDiff) diff = NULL;

    if (now == NULL)
      g_error ("peek: %s", error->message);
    /* By provider identity: a rollback re-installs what it removed under
     * new IDs, and the counters only go up. */
    diff = wsi_machine_diff (machine, now);
    if (!wsi_diff_is_equivalent (diff))
      {
        g_autofree char *text = wsi_diff_to_text (diff);
        g_error ("running every inverse does not restore the machine:\n%s", text);
      }
  }
}

/* The planner and the write policy agree: every registry write of the
 * plan is one the manifest owns (or unregisters one of its SAN GUIDs), and
 * every DLL path it installs passes the path rules of the profile. */
static void
check_policy (const WsiManifest *m, const WsiPlan *plan)
{
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (plan->steps, i);
      g_autoptr(GError) error = NULL;

      if (step->op == WSI_STEP_SET_REGISTRY_VALUE
          && !wsi_policy_check_registry_write (m, step->reg_key, step->reg_name, &error))
        {
          gboolean unregisters = FALSE;
          for (guint k = 0; step->reg_data == NULL && k < m->providers->len && !unregisters; k++)
            {
              const WsiManifestProvider *p = g_ptr_array_index (m->providers, k);
              unregisters = p->san && g_ascii_strcasecmp (step->reg_key, WSI_REG_KEY_TCP_ON_SAN) == 0
                            && wsi_policy_check_san_unregister (wsi_machine_peek_registry (plan->before), step->reg_name,
                                                                &p->guid, NULL);
            }
          if (!unregisters)
            g_error ("step %u writes outside the policy: %s", i, error->message);
        }
      if (!plan->uninstall && (step->op == WSI_STEP_INSTALL_PROVIDER || step->op == WSI_STEP_INSTALL_PROVIDER_64_32)
          && !wsi_policy_check_dll_path (m->target.profile, step->path, &error))
        g_error ("step %u installs a DLL path the policy refuses: %s", i, error->message);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  wsi_fuzz_set_input (data, size);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = NULL;
  g_autoptr(WsiPlan) plan = NULL;
  WsiMachine *const *machines;
  WsiPlanFlags flags = WSI_PLAN_FLAG_NONE;
  guint n_machines;

  if (size < 2)
    return 0;
  machines = wsi_fuzz_reference_machines (&n_machines);
  if (data[1] & 1)
    flags |= WSI_PLAN_FLAG_UNINSTALL;
  if (data[1] & 2)
    flags |= WSI_PLAN_FLAG_FORCE;
  m = wsi_manifest_load_memory ((const char *) data + 2, size - 2, "fuzz.xml", diags);
  if (m == NULL)
    return 0;
  plan = wsi_plan_build (machines[data[0] % n_machines], &m, 1, flags, diags);
  wsi_fuzz_check_result (plan, diags, "plan");
  if (plan == NULL)
    return 0;
  check_policy (m, plan);
  g_free (wsi_plan_to_text (plan));
  g_free (wsi_plan_to_json (plan));
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (plan->steps, i);
      check_step_json (step);
      if (step->undo != NULL)
        check_step_json (step->undo);
    }
  if (plan->after != NULL)
    wsi_fuzz_check_snapshot_roundtrip (plan->after);
  check_execution (machines[data[0] % n_machines], plan);
  return 0;
}
