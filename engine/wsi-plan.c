/* wsi-plan.c: plan steps, symbolic entry references, inverses, and running
 * one step on a backend (shared by the planner's simulation and the
 * executor, so a plan's predictions come from the code that applies it). */
#include "wsi-plan-private.h"
#include "wsi-error.h"
#include "wsi-flags.h"

#include <string.h>

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

/* ---- references ---- */

static gboolean
wsi_entry_has_triple (const WsiEntry *e, gint32 af, gint32 type, gint32 protocol)
{
  return e->address_family == af && e->socket_type == type && e->protocol == protocol;
}

/* IDs of the entries with @guid and the triple, ascending (install order). */
static GArray *
wsi_ref_candidates (const WsiCatalog *catalog, const WsiGuid *guid, gint32 af, gint32 type, gint32 protocol)
{
  g_autoptr(GPtrArray) same = wsi_catalog_find_guid (catalog, guid);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < same->len; i++)
    {
      const WsiEntry *e = g_ptr_array_index (same, i);
      if (wsi_entry_has_triple (e, af, type, protocol))
        g_array_append_val (ids, e->catalog_id);
    }
  /* Few entries share a GUID and triple: insertion sort is enough. */
  for (guint i = 1; i < ids->len; i++)
    for (guint k = i; k > 0 && g_array_index (ids, guint32, k - 1) > g_array_index (ids, guint32, k); k--)
      {
        guint32 t = g_array_index (ids, guint32, k);
        g_array_index (ids, guint32, k) = g_array_index (ids, guint32, k - 1);
        g_array_index (ids, guint32, k - 1) = t;
      }
  return ids;
}

guint32
wsi_entry_ref_resolve (const WsiCatalog *catalog, const WsiEntryRef *ref)
{
  g_autoptr(GArray) ids = NULL;

  /* A literal: an ID that named nothing when the ref was made (a damaged
   * chain that repair rewrites; its undo must restore it verbatim). */
  if (wsi_guid_is_nil (&ref->guid))
    return ref->predicted_id;
  ids = wsi_ref_candidates (catalog, &ref->guid, ref->address_family, ref->socket_type,
                                              ref->protocol);
  return ref->occurrence < ids->len ? g_array_index (ids, guint32, ref->occurrence) : 0;
}

gboolean
wsi_entry_ref_from_id (const WsiCatalog *catalog, guint32 id, WsiEntryRef *out)
{
  const WsiEntry *e = wsi_catalog_find_id (catalog, id);
  g_autoptr(GArray) ids = NULL;

  memset (out, 0, sizeof *out);
  if (e == NULL)
    {
      out->predicted_id = id;
      return FALSE;
    }
  out->guid = e->provider_id;
  out->address_family = e->address_family;
  out->socket_type = e->socket_type;
  out->protocol = e->protocol;
  out->predicted_id = id;
  ids = wsi_ref_candidates (catalog, &e->provider_id, e->address_family, e->socket_type, e->protocol);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint32, i) == id)
      out->occurrence = i;
  return TRUE;
}

/* ---- inverses ---- */

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

GArray *
wsi_order_refs_from_live (const WsiCatalog *catalog)
{
  GArray *order = g_array_sized_new (FALSE, FALSE, sizeof (WsiEntryRef), wsi_catalog_get_size (catalog));

  for (guint i = 0; i < wsi_catalog_get_size (catalog); i++)
    {
      WsiEntryRef ref;
      if (wsi_entry_ref_from_id (catalog, wsi_catalog_get_entry (catalog, i)->catalog_id, &ref))
        g_array_append_val (order, ref);
    }
  return order;
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

/* ---- execution ---- */

/* Builds the concrete WSAPROTOCOL_INFOW array, chain refs resolved against
 * @catalog. */
GPtrArray *
wsi_plan_step_build_entries (const WsiPlanStep *step, const WsiCatalog *catalog, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_entry_free);

  for (guint i = 0; i < step->entries->len; i++)
    {
      const WsiPlanEntry *pe = g_ptr_array_index (step->entries, i);
      WsiEntry *e = wsi_entry_copy (pe->entry);

      g_ptr_array_add (out, e);
      e->catalog_id = 0;
      for (guint k = 0; k < pe->n_refs; k++)
        {
          guint32 id = wsi_entry_ref_resolve (catalog, &pe->refs[k]);
          if (id == 0)
            {
              char buf[WSI_GUID_STRING_LEN + 1];
              wsi_guid_format (&pe->refs[k].guid, buf);
              g_set_error (error, WSI_ERROR, WSI_ERROR_MACHINE_CHANGED,
                           "chain element %u of '%s' names provider %s (%d, %d, %d), which is not in the %d-bit catalog",
                           k, e->name != NULL ? e->name : "", buf, pe->refs[k].address_family,
                           pe->refs[k].socket_type, pe->refs[k].protocol, (int) wsi_catalog_get_bitness (catalog));
              return NULL;
            }
          e->chain[k] = id;
        }
    }
  return g_steal_pointer (&out);
}

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
