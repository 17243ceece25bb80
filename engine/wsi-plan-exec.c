/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-exec.c: running one step on a backend, shared by the planner's
 * simulation and the executor, so a plan's predictions come from the code
 * that applies it. Every call is checked against the live catalog
 * afterwards: success without the effect is an error (wsc-no-effect). */
#include "wsi-plan-private.h"
#include "wsi-error.h"

/* Compares what a catalog holds for @guid with what was asked, ignoring the
 * fields the catalog assigns (ID, ProviderId) or does not store. */
gboolean
wsi_plan_entries_match (const WsiCatalog *catalog, const WsiGuid *guid, const char *path, GPtrArray *want)
{
  g_autoptr(GPtrArray) have = wsi_catalog_find_guid (catalog, guid);

  if (have->len != want->len)
    return FALSE;
  for (guint i = 0; i < have->len; i++)
    {
      g_autoptr(WsiEntry) a = wsi_entry_copy (g_ptr_array_index (have, i));
      g_autoptr(WsiEntry) b = wsi_entry_copy (g_ptr_array_index (want, i));
      a->catalog_id = b->catalog_id = 0;
      a->provider_id = b->provider_id = *guid;
      a->lsp_categories = b->lsp_categories = 0;
      g_free (b->path);
      b->path = g_strdup (path);
      if (!wsi_entry_equal (a, b))
        return FALSE;
    }
  return TRUE;
}

static gboolean
wsi_no_effect (GError **error, const char *what)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_NO_EFFECT, "the call reported success but %s", what);
  return FALSE;
}

static const WsiCatalog *
wsi_live_catalog (WsiBackend *backend, WsiBitness bitness, GError **error)
{
  const WsiMachine *m = wsi_backend_peek (backend, error);
  const WsiCatalog *c;

  if (m == NULL)
    return NULL;
  c = wsi_machine_peek_catalog (m, bitness);
  if (c == NULL)
    g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE, "the machine has no %d-bit catalog", (int) bitness);
  return c;
}

static gboolean
wsi_guid_present (WsiBackend *backend, WsiBitness bitness, const WsiGuid *guid, gboolean *present, GError **error)
{
  const WsiCatalog *c = wsi_live_catalog (backend, bitness, error);
  g_autoptr(GPtrArray) found = NULL;

  if (c == NULL)
    return FALSE;
  found = wsi_catalog_find_guid (c, guid);
  *present = found->len > 0;
  return TRUE;
}

static gint
wsi_guint32_compare (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return (x > y) - (x < y);
}

static void
wsi_collect_ids (const WsiCatalog *c, const WsiGuid *guid, GArray *assigned)
{
  g_autoptr(GPtrArray) found = wsi_catalog_find_guid (c, guid);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (assigned == NULL)
    return;
  for (guint i = 0; i < found->len; i++)
    g_array_append_val (ids, ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
  g_array_sort (ids, wsi_guint32_compare);
  g_array_append_vals (assigned, ids->data, ids->len);
}

/* The provider info an install sets after the install proper: the LSP
 * categories of @step's entries in the catalog whose info the install
 * sets, when they differ (a rollback that finds the entry present). */
static gboolean
wsi_execute_install_categories (const WsiPlanStep *step, WsiBackend *backend, WsiBitness bitness, GError **error)
{
  const WsiCatalog *c = wsi_live_catalog (backend, bitness, error);
  g_autoptr(GPtrArray) found = NULL;
  gboolean differ = FALSE;

  if (c == NULL)
    return FALSE;
  found = wsi_catalog_find_guid (c, &step->guid);
  for (guint i = 0; i < found->len; i++)
    differ |= ((const WsiEntry *) g_ptr_array_index (found, i))->lsp_categories != step->categories;
  if (!differ)
    return TRUE;
  return wsi_backend_set_lsp_categories (backend, bitness, &step->guid, step->categories, error);
}

static gboolean
wsi_execute_install (const WsiPlanStep *step, WsiBackend *backend, gboolean undoing, GArray *assigned,
                     GError **error)
{
  gboolean both = step->op == WSI_STEP_INSTALL_PROVIDER_64_32;
  WsiBitness bitness = both ? WSI_CATALOG_64 : step->bitness;
  const WsiCatalog *c = wsi_live_catalog (backend, bitness, error);
  g_autoptr(GPtrArray) infos = NULL;
  gboolean present = FALSE;
  gboolean ok;

  if (c == NULL || !wsi_guid_present (backend, bitness, &step->guid, &present, error))
    return FALSE;
  /* Rollback re-installing what is there already: a previous recovery
   * attempt got this far, but maybe not past the install's second half,
   * the provider info (WSCSetProviderInfo): the categories are restored
   * here too, or a killed recovery would leave the entry without them. */
  if (undoing && present)
    return wsi_execute_install_categories (step, backend, bitness, error);
  infos = wsi_plan_step_build_entries (step, c, error);
  if (infos == NULL)
    return FALSE;
  if (both)
    ok = wsi_backend_install_provider_64_32 (backend, &step->guid, step->path,
                                             (const WsiEntry *const *) infos->pdata, infos->len, error);
  else
    ok = wsi_backend_install_provider (backend, bitness, &step->guid, step->path,
                                       (const WsiEntry *const *) infos->pdata, infos->len, error);
  if (!ok)
    return FALSE;

  for (int pass = 0; pass < (both ? 2 : 1); pass++)
    {
      WsiBitness b = pass == 0 ? bitness : WSI_CATALOG_32;
      const WsiCatalog *after = wsi_live_catalog (backend, b, error);
      if (after == NULL)
        return FALSE;
      if (!wsi_plan_entries_match (after, &step->guid, step->path, infos))
        return wsi_no_effect (error, "the catalog does not hold the installed entries");
      if (pass == 0)
        wsi_collect_ids (after, &step->guid, assigned);
    }
  if (step->categories != 0)
    {
      if (!wsi_backend_set_lsp_categories (backend, bitness, &step->guid, step->categories, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
wsi_execute_deinstall (const WsiPlanStep *step, WsiBackend *backend, gboolean undoing, GError **error)
{
  WsiBitness list[2] = { step->bitness, 0 };
  guint n = 1;

  if (step->bitness == 0)
    {
      list[0] = WSI_CATALOG_64;
      list[1] = WSI_CATALOG_32;
      n = 2;
    }
  for (guint i = 0; i < n; i++)
    {
      gboolean present = FALSE;
      if (!wsi_guid_present (backend, list[i], &step->guid, &present, error))
        return FALSE;
      if (!present && undoing)
        continue;
      if (!wsi_backend_deinstall_provider (backend, list[i], &step->guid, error))
        return FALSE;
      if (!wsi_guid_present (backend, list[i], &step->guid, &present, error))
        return FALSE;
      if (present)
        return wsi_no_effect (error, "the provider is still in the catalog");
    }
  return TRUE;
}

static gboolean
wsi_execute_update (const WsiPlanStep *step, WsiBackend *backend, gboolean undoing, GError **error)
{
  const WsiCatalog *c = wsi_live_catalog (backend, step->bitness, error);
  g_autoptr(GPtrArray) infos = NULL;
  gboolean present = FALSE;

  if (c == NULL || !wsi_guid_present (backend, step->bitness, &step->guid, &present, error))
    return FALSE;
  if (undoing && !present)
    return TRUE;
  infos = wsi_plan_step_build_entries (step, c, error);
  if (infos == NULL)
    return FALSE;
  /* Already as asked (a checkpoint before a removal, or an inverse that
   * a previous recovery ran): no call, as for the order. */
  if (wsi_plan_entries_match (c, &step->guid, step->path, infos))
    return TRUE;
  if (!wsi_backend_update_provider (backend, step->bitness, &step->guid, step->path,
                                    (const WsiEntry *const *) infos->pdata, infos->len, error))
    return FALSE;
  c = wsi_live_catalog (backend, step->bitness, error);
  if (c == NULL)
    return FALSE;
  if (!wsi_plan_entries_match (c, &step->guid, step->path, infos))
    return wsi_no_effect (error, "the entries were not updated");
  return TRUE;
}

static gboolean
wsi_execute_write_order (const WsiPlanStep *step, WsiBackend *backend, gboolean undoing, GError **error)
{
  const WsiCatalog *c = wsi_live_catalog (backend, step->bitness, error);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint size;

  if (c == NULL)
    return FALSE;
  size = wsi_catalog_get_size (c);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), size);
  for (guint i = 0; i < step->order->len; i++)
    {
      const WsiEntryRef *ref = &g_array_index (step->order, WsiEntryRef, i);
      guint32 id = wsi_entry_ref_resolve (c, ref);
      if (id == 0 || g_hash_table_contains (seen, GUINT_TO_POINTER (id)))
        {
          /* Rolling back, entries the rollback removed are simply gone. */
          if (undoing)
            continue;
          g_set_error (error, WSI_ERROR, WSI_ERROR_MACHINE_CHANGED,
                       "order element %u names an entry that is not in the %d-bit catalog", i, (int) step->bitness);
          return FALSE;
        }
      g_hash_table_add (seen, GUINT_TO_POINTER (id));
      g_array_append_val (ids, id);
    }
  /* Anything the order does not name keeps its relative place at the end:
   * WSCWriteProviderOrder needs a full permutation. */
  for (guint i = 0; i < size; i++)
    {
      guint32 id = wsi_catalog_get_entry (c, i)->catalog_id;
      if (!g_hash_table_contains (seen, GUINT_TO_POINTER (id)))
        g_array_append_val (ids, id);
    }
  /* Writing the order it already has is no change: skip the call. */
  {
    gboolean same = TRUE;
    for (guint i = 0; i < size && same; i++)
      same = wsi_catalog_get_entry (c, i)->catalog_id == g_array_index (ids, guint32, i);
    if (same)
      return TRUE;
  }
  if (!wsi_backend_write_order (backend, step->bitness, (const guint32 *) ids->data, ids->len, error))
    return FALSE;
  c = wsi_live_catalog (backend, step->bitness, error);
  if (c == NULL)
    return FALSE;
  for (guint i = 0; i < size; i++)
    if (wsi_catalog_get_entry (c, i)->catalog_id != g_array_index (ids, guint32, i))
      return wsi_no_effect (error, "the catalog order did not change");
  return TRUE;
}

static gboolean
wsi_execute_categories (const WsiPlanStep *step, WsiBackend *backend, gboolean undoing, GError **error)
{
  const WsiCatalog *c = wsi_live_catalog (backend, step->bitness, error);
  g_autoptr(GPtrArray) found = NULL;

  if (c == NULL)
    return FALSE;
  found = wsi_catalog_find_guid (c, &step->guid);
  if (undoing && found->len == 0)
    return TRUE;
  if (!wsi_backend_set_lsp_categories (backend, step->bitness, &step->guid, step->categories, error))
    return FALSE;
  c = wsi_live_catalog (backend, step->bitness, error);
  if (c == NULL)
    return FALSE;
  g_clear_pointer (&found, g_ptr_array_unref);
  found = wsi_catalog_find_guid (c, &step->guid);
  for (guint i = 0; i < found->len; i++)
    if (((const WsiEntry *) g_ptr_array_index (found, i))->lsp_categories != step->categories)
      return wsi_no_effect (error, "the LSP categories did not change");
  return TRUE;
}

static gboolean
wsi_execute_registry (const WsiPlanStep *step, WsiBackend *backend, GError **error)
{
  const WsiMachine *m;
  WsiRegType type = 0;
  g_autoptr(GBytes) data = NULL;
  gboolean exists;

  if (!wsi_backend_registry_set (backend, step->reg_key, step->reg_name, step->reg_type, step->reg_data, error))
    return FALSE;
  m = wsi_backend_peek (backend, error);
  if (m == NULL)
    return FALSE;
  exists = wsi_registry_get (wsi_machine_peek_registry (m), step->reg_key, step->reg_name, &type, &data);
  if (step->reg_data == NULL ? exists
                             : (!exists || type != step->reg_type || !g_bytes_equal (data, step->reg_data)))
    return wsi_no_effect (error, "the registry value was not written");
  return TRUE;
}

gboolean
wsi_plan_step_execute (const WsiPlanStep *step, WsiBackend *backend, gboolean undoing, GArray *assigned,
                       GError **error)
{
  g_return_val_if_fail (step != NULL && backend != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (step->op)
    {
    case WSI_STEP_INSTALL_PROVIDER:
    case WSI_STEP_INSTALL_PROVIDER_64_32:
      return wsi_execute_install (step, backend, undoing, assigned, error);
    case WSI_STEP_DEINSTALL_PROVIDER:
      return wsi_execute_deinstall (step, backend, undoing, error);
    case WSI_STEP_UPDATE_PROVIDER:
      return wsi_execute_update (step, backend, undoing, error);
    case WSI_STEP_WRITE_ORDER:
      return wsi_execute_write_order (step, backend, undoing, error);
    case WSI_STEP_SET_LSP_CATEGORIES:
      return wsi_execute_categories (step, backend, undoing, error);
    case WSI_STEP_SET_REGISTRY_VALUE:
      return wsi_execute_registry (step, backend, error);
    default:
      g_set_error (error, WSI_ERROR, WSI_ERROR_FAILED, "unknown step operation %d", (int) step->op);
      return FALSE;
    }
}
