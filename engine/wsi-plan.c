/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan.c: the plan model and its life cycle: plans, steps, plan
 * entries, strategies and preview rows. The rest of the plan family builds
 * on it: symbolic entry references (wsi-plan-ref.c), inverses
 * (wsi-plan-inverse.c), running a step (wsi-plan-exec.c). */
#include "wsi-plan-private.h"
#include "wsi-display-name.h"

const char *
wsi_step_op_to_string (WsiStepOp op)
{
  switch (op)
    {
    case WSI_STEP_INSTALL_PROVIDER: return "install-provider";
    case WSI_STEP_INSTALL_PROVIDER_64_32: return "install-provider-64-32";
    case WSI_STEP_DEINSTALL_PROVIDER: return "deinstall-provider";
    case WSI_STEP_UPDATE_PROVIDER: return "update-provider";
    case WSI_STEP_WRITE_ORDER: return "write-order";
    case WSI_STEP_SET_LSP_CATEGORIES: return "set-lsp-categories";
    case WSI_STEP_SET_REGISTRY_VALUE: return "set-registry-value";
    default: return "unknown";
    }
}

gboolean
wsi_step_needs_32bit_process (WsiMachineKind kind, WsiStepOp op, WsiBitness bitness)
{
  return kind == WSI_MACHINE_X64 && bitness == WSI_CATALOG_32 && op == WSI_STEP_INSTALL_PROVIDER;
}

WsiPlanEntry *
wsi_plan_entry_new (WsiEntry *entry)
{
  WsiPlanEntry *pe = g_new0 (WsiPlanEntry, 1);
  pe->entry = entry;
  return pe;
}

void
wsi_plan_entry_free (WsiPlanEntry *pe)
{
  if (pe == NULL)
    return;
  wsi_entry_free (pe->entry);
  g_free (pe);
}

static WsiPlanEntry *
wsi_plan_entry_copy (const WsiPlanEntry *pe)
{
  WsiPlanEntry *copy = g_new0 (WsiPlanEntry, 1);
  *copy = *pe;
  copy->entry = wsi_entry_copy (pe->entry);
  return copy;
}

void
wsi_plan_step_free (WsiPlanStep *step)
{
  if (step == NULL)
    return;
  g_free (step->path);
  g_clear_pointer (&step->entries, g_ptr_array_unref);
  g_clear_pointer (&step->order, g_array_unref);
  g_free (step->reg_key);
  g_free (step->reg_name);
  g_clear_pointer (&step->reg_data, g_bytes_unref);
  g_clear_pointer (&step->predicted_ids, g_array_unref);
  wsi_plan_step_free (step->undo);
  g_free (step->source_file);
  g_free (step->summary);
  g_free (step);
}

WsiPlanStep *
wsi_plan_step_copy (const WsiPlanStep *step)
{
  WsiPlanStep *copy = g_new0 (WsiPlanStep, 1);

  *copy = *step;
  copy->path = g_strdup (step->path);
  copy->entries = NULL;
  if (step->entries != NULL)
    {
      copy->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
      for (guint i = 0; i < step->entries->len; i++)
        g_ptr_array_add (copy->entries, wsi_plan_entry_copy (g_ptr_array_index (step->entries, i)));
    }
  copy->order = step->order != NULL ? g_array_copy (step->order) : NULL;
  copy->reg_key = g_strdup (step->reg_key);
  copy->reg_name = g_strdup (step->reg_name);
  copy->reg_data = step->reg_data != NULL ? g_bytes_ref (step->reg_data) : NULL;
  copy->predicted_ids = step->predicted_ids != NULL ? g_array_copy (step->predicted_ids) : NULL;
  copy->undo = step->undo != NULL ? wsi_plan_step_copy (step->undo) : NULL;
  copy->source_file = g_strdup (step->source_file);
  copy->summary = g_strdup (step->summary);
  return copy;
}

/* ---- strategies and preview rows ---- */

static void
wsi_strategy_free (WsiPlanStrategy *s)
{
  g_free (s->catalogs);
  g_free (s->name);
  g_free (s->reason);
  g_free (s);
}

void
wsi_plan_add_strategy (WsiPlan *plan, const char *catalogs, const char *name, const char *reason)
{
  WsiPlanStrategy *s = g_new0 (WsiPlanStrategy, 1);
  s->catalogs = g_strdup (catalogs);
  s->name = g_strdup (name);
  s->reason = g_strdup (reason);
  g_ptr_array_add (plan->strategies, s);
}

static void
wsi_preview_row_free (WsiPreviewRow *row)
{
  g_free (row->before_name);
  g_free (row->after_name);
  if (row->before_chain != NULL)
    g_array_unref (row->before_chain);
  if (row->after_chain != NULL)
    g_array_unref (row->after_chain);
  g_free (row);
}

/* ---- the plan ---- */

WsiPlan *
wsi_plan_new (const WsiMachine *machine)
{
  WsiPlan *plan = g_new0 (WsiPlan, 1);

  plan->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_step_free);
  plan->strategies = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_strategy_free);
  plan->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_preview_row_free);
  plan->notes = g_ptr_array_new_with_free_func (g_free);
  if (machine != NULL)
    {
      plan->kind = wsi_machine_get_kind (machine);
      plan->before = wsi_machine_copy (machine);
    }
  return plan;
}

void
wsi_plan_free (WsiPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->steps);
  g_ptr_array_unref (plan->strategies);
  g_ptr_array_unref (plan->preview);
  g_ptr_array_unref (plan->notes);
  wsi_machine_free (plan->before);
  wsi_machine_free (plan->after);
  g_free (plan);
}

/* ---- preview ---- */

static void
wsi_preview_fill (const WsiCatalog *c, gint32 af, gint32 type, gint32 protocol, guint32 *id, char **name,
                  GArray **chain)
{
  const WsiEntry *e = wsi_catalog_resolve_socket (c, af, type, protocol);

  *chain = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (e == NULL)
    return;
  *id = e->catalog_id;
  *name = g_strdup (wsi_display_name (e->name));
  if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
    g_array_append_vals (*chain, e->chain, (guint) e->chain_len);
}

void
wsi_plan_compute_preview (WsiPlan *plan, GArray *triples)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *before = wsi_machine_peek_catalog (plan->before, order[b]);
      const WsiCatalog *after = wsi_machine_peek_catalog (plan->after, order[b]);
      if (before == NULL || after == NULL)
        continue;
      for (guint i = 0; i + 2 < triples->len; i += 3)
        {
          WsiPreviewRow *row = g_new0 (WsiPreviewRow, 1);
          row->bitness = order[b];
          row->address_family = g_array_index (triples, gint32, i);
          row->socket_type = g_array_index (triples, gint32, i + 1);
          row->protocol = g_array_index (triples, gint32, i + 2);
          wsi_preview_fill (before, row->address_family, row->socket_type, row->protocol,
                            &row->before_id, &row->before_name, &row->before_chain);
          wsi_preview_fill (after, row->address_family, row->socket_type, row->protocol,
                            &row->after_id, &row->after_name, &row->after_chain);
          g_ptr_array_add (plan->preview, row);
        }
    }
}

const char *
wsi_plan_step_catalog_label (const WsiPlanStep *step)
{
  if (step->op == WSI_STEP_SET_REGISTRY_VALUE)
    return "registry";
  if (step->bitness == WSI_CATALOG_64)
    return "64-bit";
  if (step->bitness == WSI_CATALOG_32)
    return "32-bit";
  return "64+32";
}
