/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-inverse.c: the step that undoes a step, computed against the
 * machine right before it runs, by the planner as by the executor's
 * journal. Entries come back through refs (wsi-plan-ref.c): a removal is
 * undone by re-installing the same identities under new IDs. */
#include "wsi-plan-private.h"
#include "wsi-error.h"

static WsiPlanStep *
wsi_step_new_like (const WsiPlanStep *step, WsiStepOp op, const WsiMachine *machine)
{
  WsiPlanStep *inv = g_new0 (WsiPlanStep, 1);

  inv->index = step->index;
  inv->op = op;
  inv->bitness = step->bitness;
  inv->needs_32bit_process = wsi_step_needs_32bit_process (wsi_machine_get_kind (machine), op, step->bitness);
  inv->guid = step->guid;
  inv->source_file = g_strdup (step->source_file);
  inv->source_line = step->source_line;
  return inv;
}

/* The entries of @guid as plan entries whose chains are refs, so they can be
 * re-installed (or updated back) after the IDs they name have changed. */
static GPtrArray *
wsi_plan_entries_from_live (const WsiCatalog *catalog, const WsiGuid *guid, GError **error)
{
  g_autoptr(GPtrArray) live = wsi_catalog_find_guid (catalog, guid);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);

  for (guint i = 0; i < live->len; i++)
    {
      const WsiEntry *e = g_ptr_array_index (live, i);
      WsiPlanEntry *pe = g_new0 (WsiPlanEntry, 1);

      pe->entry = wsi_entry_copy (e);
      g_ptr_array_add (out, pe);
      if (wsi_entry_get_kind (e) != WSI_ENTRY_CHAIN)
        continue;
      pe->n_refs = (guint) e->chain_len;
      /* An ID that names nothing stays a literal, so the entry comes back
       * exactly as it was. */
      for (guint k = 0; k < pe->n_refs; k++)
        wsi_entry_ref_from_id (catalog, e->chain[k], &pe->refs[k]);
    }
  return g_steal_pointer (&out);
}

/* The first entry of @guid, or NULL with WSAEINVAL as WSC* would give. */
static const WsiEntry *
wsi_first_live_entry (const WsiCatalog *catalog, const WsiGuid *guid, WsiBitness bitness, GError **error)
{
  g_autoptr(GPtrArray) live = wsi_catalog_find_guid (catalog, guid);
  char buf[WSI_GUID_STRING_LEN + 1];

  if (live->len > 0)
    return g_ptr_array_index (live, 0);
  wsi_guid_format (guid, buf);
  wsi_set_wsa_error (error, WSI_WSAEINVAL, "provider %s is not installed in the %d-bit catalog", buf, (int) bitness);
  return NULL;
}

WsiPlanStep *
wsi_plan_step_make_inverse (const WsiPlanStep *step, const WsiMachine *machine, GError **error)
{
  const WsiCatalog *catalog = step->bitness != 0 ? wsi_machine_peek_catalog (machine, step->bitness) : NULL;
  g_autoptr(WsiPlanStep) inv = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];

  if (step->bitness != 0 && catalog == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE, "the machine has no %d-bit catalog",
                   (int) step->bitness);
      return NULL;
    }
  wsi_guid_format (&step->guid, buf);

  switch (step->op)
    {
    case WSI_STEP_INSTALL_PROVIDER:
    case WSI_STEP_INSTALL_PROVIDER_64_32:
      /* bitness 0 on the inverse of a 64_32 install: both catalogs. */
      inv = wsi_step_new_like (step, WSI_STEP_DEINSTALL_PROVIDER, machine);
      inv->summary = g_strdup_printf ("deinstall %s", buf);
      break;

    case WSI_STEP_DEINSTALL_PROVIDER:
    case WSI_STEP_UPDATE_PROVIDER:
      {
        const WsiEntry *first;
        gboolean reinstall = step->op == WSI_STEP_DEINSTALL_PROVIDER;
        if (step->bitness == 0)
          {
            g_set_error (error, WSI_ERROR, WSI_ERROR_FAILED, "a two-catalog %s has no inverse",
                         wsi_step_op_to_string (step->op));
            return NULL;
          }
        first = wsi_first_live_entry (catalog, &step->guid, step->bitness, error);
        if (first == NULL)
          return NULL;
        /* A removal comes back as an install of the same entries (new IDs,
         * the same identities), an update as the update back. */
        inv = wsi_step_new_like (step, reinstall ? WSI_STEP_INSTALL_PROVIDER : WSI_STEP_UPDATE_PROVIDER, machine);
        inv->path = g_strdup (first->path);
        if (reinstall)
          inv->categories = first->lsp_categories;
        inv->entries = wsi_plan_entries_from_live (catalog, &step->guid, error);
        if (inv->entries == NULL)
          return NULL;
        inv->summary = reinstall ? g_strdup_printf ("re-install %s (%u entries)", buf, inv->entries->len)
                                 : g_strdup_printf ("update %s back", buf);
        break;
      }

    case WSI_STEP_WRITE_ORDER:
      inv = wsi_step_new_like (step, WSI_STEP_WRITE_ORDER, machine);
      inv->order = wsi_order_refs_from_live (catalog);
      inv->summary = g_strdup ("restore the previous order");
      break;

    case WSI_STEP_SET_LSP_CATEGORIES:
      {
        const WsiEntry *first = wsi_first_live_entry (catalog, &step->guid, step->bitness, error);
        if (first == NULL)
          return NULL;
        inv = wsi_step_new_like (step, WSI_STEP_SET_LSP_CATEGORIES, machine);
        inv->categories = first->lsp_categories;
        inv->summary = g_strdup_printf ("restore LSP categories 0x%X", first->lsp_categories);
        break;
      }

    case WSI_STEP_SET_REGISTRY_VALUE:
      {
        WsiRegType type = 0;
        g_autoptr(GBytes) data = NULL;
        inv = wsi_step_new_like (step, WSI_STEP_SET_REGISTRY_VALUE, machine);
        inv->reg_key = g_strdup (step->reg_key);
        inv->reg_name = g_strdup (step->reg_name);
        if (wsi_registry_get (wsi_machine_peek_registry (machine), step->reg_key, step->reg_name, &type, &data))
          {
            inv->reg_type = type;
            inv->reg_data = g_steal_pointer (&data);
            inv->summary = g_strdup_printf ("restore %s\\%s", step->reg_key, step->reg_name);
          }
        else
          inv->summary = g_strdup_printf ("delete %s\\%s", step->reg_key, step->reg_name);
        break;
      }

    default:
      g_set_error (error, WSI_ERROR, WSI_ERROR_FAILED, "unknown step operation %d", (int) step->op);
      return NULL;
    }
  return g_steal_pointer (&inv);
}
