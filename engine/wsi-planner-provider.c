/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-provider.c: a provider's entries in one catalog. Planning is
 * "ensure" planning: what is already as the manifest wants it gives no
 * step, so an installed manifest plans to nothing; an entry that differs
 * is updated in place when the entry count allows, re-installed
 * otherwise. Base and SAN providers come straight from the manifest; the
 * layer files (wsi-planner-layer.c, -chains.c) ensure their entries here
 * too. */
#include "wsi-planner-private.h"

void
wsi_planner_placed_group_free (WsiPlacedGroup *g)
{
  g_array_unref (g->ids);
  g_free (g);
}

WsiCatalog *
wsi_planner_sim_catalog (WsiCatalogPlan *cp)
{
  return wsi_machine_get_catalog (wsi_planner_machine (cp->planner), cp->bitness);
}

void
wsi_planner_note_triple (GArray *triples, gint32 af, gint32 type, gint32 protocol)
{
  for (guint i = 0; i + 2 < triples->len; i += 3)
    if (g_array_index (triples, gint32, i) == af && g_array_index (triples, gint32, i + 1) == type &&
        g_array_index (triples, gint32, i + 2) == protocol)
      return;
  g_array_append_val (triples, af);
  g_array_append_val (triples, type);
  g_array_append_val (triples, protocol);
}

gboolean
wsi_planner_ensure_provider (WsiCatalogPlan *cp, const WsiGuid *guid, const char *path, GPtrArray *entries,
                             guint32 categories, int line, const char *what)
{
  WsiPlanner *self = cp->planner;
  const WsiMachine *machine = wsi_planner_machine (self);
  WsiCatalog *catalog = wsi_planner_sim_catalog (cp);
  g_autoptr(GPtrArray) existing = wsi_catalog_find_guid (catalog, guid);
  g_autoptr(WsiPlanStep) step = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];
  const char *file = cp->manifest->file;

  wsi_guid_format (guid, buf);
  if (existing->len > 0)
    {
      g_autoptr(WsiPlanStep) probe = wsi_planner_step_new (WSI_STEP_UPDATE_PROVIDER, cp->bitness, machine, file, line);
      g_autoptr(GPtrArray) concrete = NULL;
      g_autoptr(GError) error = NULL;

      probe->guid = *guid;
      probe->path = g_strdup (path);
      probe->entries = g_ptr_array_ref (entries);
      concrete = wsi_plan_step_build_entries (probe, catalog, &error);
      if (concrete == NULL)
        {
          wsi_diag_list_add (self->diags, "wsc-call-failed", file, line, "%s: %s", what, error->message);
          self->failed = TRUE;
          return FALSE;
        }
      if (wsi_plan_entries_match (catalog, guid, path, concrete))
        {
          if (categories != 0 && ((const WsiEntry *) g_ptr_array_index (existing, 0))->lsp_categories != categories)
            {
              step = wsi_planner_step_new (WSI_STEP_SET_LSP_CATEGORIES, cp->bitness, machine, file, line);
              step->guid = *guid;
              step->categories = categories;
              step->summary = g_strdup_printf ("set LSP categories of %s", buf);
              return wsi_planner_add_step (self, g_steal_pointer (&step));
            }
          return TRUE;
        }
      if (existing->len == entries->len)
        {
          probe->summary = g_strdup_printf ("update %s (%s)", what, buf);
          return wsi_planner_add_step (self, g_steal_pointer (&probe));
        }
      step = wsi_planner_step_new (WSI_STEP_DEINSTALL_PROVIDER, cp->bitness, machine, file, line);
      step->guid = *guid;
      step->summary = g_strdup_printf ("deinstall %s (%s) to re-install it with %u entries", what, buf, entries->len);
      if (!wsi_planner_add_step (self, g_steal_pointer (&step)))
        return FALSE;
    }

  step = wsi_planner_step_new (cp->dual ? WSI_STEP_INSTALL_PROVIDER_64_32 : WSI_STEP_INSTALL_PROVIDER,
                               cp->dual ? 0 : cp->bitness, machine, file, line);
  if (cp->dual)
    step->needs_32bit_process = FALSE;
  step->guid = *guid;
  step->path = g_strdup (path);
  step->entries = g_ptr_array_ref (entries);
  step->categories = cp->dual ? 0 : categories;
  step->summary = g_strdup_printf ("install %s (%s)", what, buf);
  if (!wsi_planner_add_step (self, g_steal_pointer (&step)))
    return FALSE;
  /* WSCInstallProvider64_32 has no categories: set them per catalog. */
  if (cp->dual && categories != 0)
    for (int b = 0; b < 2; b++)
      {
        step = wsi_planner_step_new (WSI_STEP_SET_LSP_CATEGORIES, b == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32, machine,
                                     file, line);
        step->guid = *guid;
        step->categories = categories;
        step->summary = g_strdup_printf ("set LSP categories of %s", buf);
        if (!wsi_planner_add_step (self, g_steal_pointer (&step)))
          return FALSE;
      }
  return TRUE;
}

static WsiEntry *
wsi_entry_from_protocol (const WsiManifestProvider *p, const WsiManifestProtocol *proto)
{
  WsiEntry *e = wsi_entry_new ();

  e->service_flags[0] = proto->service_flags;
  e->provider_flags = proto->provider_flags;
  e->provider_id = p->guid;
  e->chain_len = 1;
  e->version = proto->version;
  e->address_family = proto->address_family;
  e->max_sockaddr = proto->max_sockaddr;
  e->min_sockaddr = proto->min_sockaddr;
  e->socket_type = proto->socket_type;
  e->protocol = proto->protocol;
  e->protocol_max_offset = proto->protocol_max_offset;
  e->network_byte_order = proto->network_byte_order;
  e->security_scheme = proto->security_scheme;
  e->message_size = proto->message_size;
  e->provider_reserved = proto->provider_reserved;
  wsi_entry_set_name (e, proto->name);
  return e;
}

gboolean
wsi_planner_plan_providers (WsiCatalogPlan *cp)
{
  const WsiManifest *m = cp->manifest;
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
      g_autofree char *what = g_strdup_printf ("%s provider '%s'", p->san ? "SAN" : "base", p->id);

      for (guint k = 0; k < p->protocols->len; k++)
        {
          const WsiManifestProtocol *proto = g_ptr_array_index (p->protocols, k);
          g_ptr_array_add (entries, wsi_plan_entry_new (wsi_entry_from_protocol (p, proto)));
          wsi_planner_note_triple (cp->triples, proto->address_family, proto->socket_type, proto->protocol);
        }
      ok = wsi_planner_ensure_provider (cp, &p->guid, wsi_manifest_get_path (m, p->path, p->path32, cp->bitness),
                                        entries, 0, p->line, what);
    }
  return ok;
}
