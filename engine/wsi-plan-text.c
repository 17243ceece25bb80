/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-text.c: a plan as a vendor reads it: strategy, steps per catalog
 * with predicted IDs and source lines, and what sockets get before/after. */
#include "wsi-plan-private.h"
#include "wsi-flags.h"

static void
wsi_append_triple (GString *out, gint32 af, gint32 type, gint32 protocol)
{
  const char *a = wsi_enum_name (WSI_ENUM_ADDRESS_FAMILY, af);
  const char *t = wsi_enum_name (WSI_ENUM_SOCKET_TYPE, type);
  const char *p = wsi_enum_name (WSI_ENUM_PROTOCOL, protocol);

  if (a != NULL) g_string_append (out, a); else g_string_append_printf (out, "af %d", af);
  g_string_append_c (out, ' ');
  if (t != NULL) g_string_append (out, t); else g_string_append_printf (out, "type %d", type);
  g_string_append_c (out, ' ');
  if (p != NULL && protocol != 0) g_string_append (out, p); else g_string_append_printf (out, "%d", protocol);
}

static void
wsi_append_socket (GString *out, guint32 id, const char *name, GArray *chain)
{
  if (id == 0)
    {
      g_string_append (out, "(no provider)");
      return;
    }
  g_string_append_printf (out, "%u %s", id, name != NULL ? name : "");
  if (chain != NULL && chain->len > 0)
    {
      g_string_append (out, " [chain");
      for (guint i = 0; i < chain->len; i++)
        g_string_append_printf (out, " %u", g_array_index (chain, guint32, i));
      g_string_append_c (out, ']');
    }
}

/* The order after the plan, new entries marked with '+', runs of entries
 * that keep their relative place folded: where the vendor's entries land. */
static void
wsi_append_order (GString *out, const WsiPlan *plan, WsiBitness bitness)
{
  const WsiCatalog *before = wsi_machine_peek_catalog (plan->before, bitness);
  const WsiCatalog *after = wsi_machine_peek_catalog (plan->after, bitness);
  guint size, folded = 0;
  gboolean changed = FALSE;

  if (before == NULL || after == NULL)
    return;
  size = wsi_catalog_get_size (after);
  /* Only catalogs that gain entries: removals show in the steps. */
  for (guint i = 0; i < size && !changed; i++)
    changed = wsi_catalog_find_id (before, wsi_catalog_get_entry (after, i)->catalog_id) == NULL;
  if (!changed)
    return;
  g_string_append_printf (out, "  %d-bit:", (int) bitness);
  for (guint i = 0; i < size; i++)
    {
      guint32 id = wsi_catalog_get_entry (after, i)->catalog_id;
      gboolean is_new = wsi_catalog_find_id (before, id) == NULL;
      if (!is_new)
        {
          folded++;
          continue;
        }
      if (folded > 0)
        g_string_append_printf (out, " (%u existing)", folded);
      folded = 0;
      g_string_append_printf (out, " +%u", id);
    }
  if (folded > 0)
    g_string_append_printf (out, " (%u existing)", folded);
  g_string_append_c (out, '\n');
}

char *
wsi_plan_to_text (const WsiPlan *plan)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "Plan: %s on an %s machine, %u step%s\n", plan->repair ? "repair" : plan->uninstall ? "uninstall" : "install",
                          wsi_machine_kind_to_string (plan->kind), plan->steps->len,
                          plan->steps->len == 1 ? "" : "s");
  for (guint i = 0; i < plan->strategies->len; i++)
    {
      const WsiPlanStrategy *s = g_ptr_array_index (plan->strategies, i);
      g_string_append_printf (out, "Strategy (%s): %s — %s\n", s->catalogs, s->name, s->reason);
    }
  for (guint i = 0; i < plan->notes->len; i++)
    g_string_append_printf (out, "Note: %s\n", (const char *) g_ptr_array_index (plan->notes, i));
  if (plan->steps->len == 0)
    g_string_append (out, "\nNothing to do: the machine already is as the manifest declares.\n");
  else
    g_string_append (out, "\nSteps:\n");
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (plan->steps, i);
      g_string_append_printf (out, "%3u. [%s] %s", step->index + 1, wsi_plan_step_catalog_label (step), step->summary);
      if (step->predicted_ids != NULL && step->predicted_ids->len > 0)
        {
          g_string_append (out, step->predicted_ids->len == 1 ? " -> ID" : " -> IDs");
          for (guint k = 0; k < step->predicted_ids->len; k++)
            g_string_append_printf (out, " %u", g_array_index (step->predicted_ids, guint32, k));
        }
      if (step->needs_32bit_process)
        g_string_append (out, " (32-bit helper)");
      g_string_append_c (out, '\n');
      if (step->entries != NULL)
        for (guint k = 0; k < step->entries->len; k++)
          {
            const WsiPlanEntry *pe = g_ptr_array_index (step->entries, k);
            if (pe->n_refs == 0)
              continue;
            g_string_append (out, "       chain:");
            for (guint r = 0; r < pe->n_refs; r++)
              g_string_append_printf (out, " %u", pe->refs[r].predicted_id);
            g_string_append_c (out, '\n');
          }
      if (step->source_file != NULL)
        g_string_append_printf (out, "       from %s:%d\n", step->source_file, step->source_line);
      if (step->undo != NULL)
        g_string_append_printf (out, "       undo: %s\n", step->undo->summary);
    }
  if (plan->steps->len > 0 && plan->after != NULL)
    {
      gsize mark = out->len;
      g_string_append (out, "\nOrder afterwards (+ new entries, existing ones keep their relative order):\n");
      {
        gsize before_len = out->len;
        wsi_append_order (out, plan, WSI_CATALOG_64);
        wsi_append_order (out, plan, WSI_CATALOG_32);
        if (out->len == before_len)
          g_string_truncate (out, mark);
      }
    }
  if (plan->preview->len > 0)
    {
      g_string_append (out, "\nSockets (what socket() gets, before -> after):\n");
      for (guint i = 0; i < plan->preview->len; i++)
        {
          const WsiPreviewRow *row = g_ptr_array_index (plan->preview, i);
          g_string_append_printf (out, "  %d-bit  ", (int) row->bitness);
          wsi_append_triple (out, row->address_family, row->socket_type, row->protocol);
          g_string_append (out, ":\n    before: ");
          wsi_append_socket (out, row->before_id, row->before_name, row->before_chain);
          g_string_append (out, "\n    after:  ");
          wsi_append_socket (out, row->after_id, row->after_name, row->after_chain);
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
