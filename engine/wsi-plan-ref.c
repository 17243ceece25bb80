/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-ref.c: symbolic entry references. A step names an entry as "the
 * n-th entry of GUID X with this triple", never by a bare ID, so a plan
 * stays true when the live catalog assigns other IDs than predicted. This
 * file turns IDs into refs and refs back into IDs (and a step's template
 * entries into concrete ones). */
#include "wsi-plan-private.h"
#include "wsi-error.h"

#include <string.h>

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
  ids = wsi_ref_candidates (catalog, &ref->guid, ref->address_family, ref->socket_type, ref->protocol);
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
