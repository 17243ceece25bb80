/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-planner-registry.c: the registry values a manifest installs (TCP on
 * SAN registrations, WSH helpers' Winsock parameters) and its product
 * record, the list of what it installed that uninstall and upgrades read.
 * Every write passes the registry write policy (wsi-policy.h), and a value
 * someone else set is never taken over. */
#include "wsi-planner-private.h"

static gboolean
wsi_ensure_registry (WsiPlanner *self, const WsiManifest *m, int line, const char *key, const char *name,
                     WsiRegType type, GBytes *data)
{
  const WsiRegistry *reg = wsi_machine_peek_registry (wsi_planner_machine (self));
  WsiRegType have_type = 0;
  g_autoptr(GBytes) have = NULL;
  WsiPlanStep *step;

  if (wsi_registry_get (reg, key, name, &have_type, &have) &&
      (data != NULL && have_type == type && g_bytes_equal (have, data)))
    return TRUE;
  if (data == NULL && !wsi_registry_get (reg, key, name, NULL, NULL))
    return TRUE;
  if (!wsi_planner_check_policy (self, m, line, key, name))
    return FALSE;
  step = wsi_planner_step_new (WSI_STEP_SET_REGISTRY_VALUE, 0, wsi_planner_machine (self), m->file, line);
  step->reg_key = g_strdup (key);
  step->reg_name = g_strdup (name);
  step->reg_type = type;
  step->reg_data = data != NULL ? g_bytes_ref (data) : NULL;
  step->summary = data != NULL ? g_strdup_printf ("set %s\\%s", key, name)
                               : g_strdup_printf ("delete %s\\%s", key, name);
  return wsi_planner_add_step (self, step);
}

static GBytes *
wsi_dword_bytes (guint32 v)
{
  guint8 b[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 & 0xff };
  return g_bytes_new (b, 4);
}

static GBytes *
wsi_mapping_bytes (const WsiManifestWshHelper *h)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint32 head[2] = { h->mappings->len, 3 };

  /* WINSOCK_MAPPING: Rows, Columns (3), then {af, type, protocol} rows. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) d = wsi_dword_bytes (head[i]);
      g_byte_array_append (out, g_bytes_get_data (d, NULL), 4);
    }
  for (guint r = 0; r < h->mappings->len; r++)
    {
      const WsiManifestMapping *map = g_ptr_array_index (h->mappings, r);
      gint32 row[3] = { map->address_family, map->socket_type, map->protocol };
      for (int i = 0; i < 3; i++)
        {
          g_autoptr(GBytes) d = wsi_dword_bytes ((guint32) row[i]);
          g_byte_array_append (out, g_bytes_get_data (d, NULL), 4);
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
wsi_planner_product_key (const WsiManifest *m)
{
  return g_strdup_printf ("%s\\%s", WSI_REG_KEY_PRODUCTS, m->product.id);
}

/* The transports this product registered helpers for, as its record says
 * (an upgrade may rewrite them; nothing else may). */
static gboolean
wsi_product_owns_transport (const WsiRegistry *reg, const WsiManifest *m, const char *transport)
{
  g_autofree char *key = wsi_planner_product_key (m);
  g_auto(GStrv) owned = wsi_registry_get_multi_sz (reg, key, "Transports");

  for (guint i = 0; owned != NULL && owned[i] != NULL; i++)
    if (g_ascii_strcasecmp (owned[i], transport) == 0)
      return TRUE;
  return FALSE;
}

/* A value someone else owns is never taken over: another transport's WSH
 * helper (Tcpip's wshtcpip.dll, say) or another provider's TCP on SAN
 * registration. Equal data is no takeover (re-planning an installed
 * manifest). */
static gboolean
wsi_refuse_takeover (WsiPlanner *self, const WsiManifest *m, int line, const char *key, const char *name,
                     GBytes *want, const char *whose)
{
  const WsiRegistry *reg = wsi_machine_peek_registry (wsi_planner_machine (self));
  g_autoptr(GBytes) have = NULL;

  if (!wsi_registry_get (reg, key, name, NULL, &have) || g_bytes_equal (have, want))
    return TRUE;
  wsi_diag_list_add (self->diags, "registry-value-owned-elsewhere", m->file, line,
                     "%s\\%s is already set by %s; the manifest may not overwrite it", key, name, whose);
  self->failed = TRUE;
  return FALSE;
}

gboolean
wsi_planner_plan_registry (WsiPlanner *self, const WsiManifest *m)
{
  const WsiRegistry *reg;

  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      guint8 raw[16];
      g_autoptr(GBytes) data = NULL;

      if (!p->san)
        continue;
      wsi_guid_to_bytes (&p->guid, raw);
      data = g_bytes_new (raw, 16);
      if (!wsi_refuse_takeover (self, m, p->line, WSI_REG_KEY_TCP_ON_SAN, p->san_registration, data,
                                "another SAN provider") ||
          !wsi_ensure_registry (self, m, p->line, WSI_REG_KEY_TCP_ON_SAN, p->san_registration, WSI_REG_BINARY, data))
        return FALSE;
    }
  for (guint i = 0; i < m->wsh_helpers->len; i++)
    {
      const WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, i);
      g_autofree char *key = g_strdup_printf ("%s\\Parameters\\Winsock", h->transport);
      g_auto(GStrv) transports = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) wanted = NULL;
      g_autoptr(GBytes) mapping = wsi_mapping_bytes (h);
      g_autoptr(GBytes) dll = wsi_reg_encode_string (h->dll);
      g_autoptr(GBytes) min = wsi_dword_bytes ((guint32) h->min_sockaddr);
      g_autoptr(GBytes) max = wsi_dword_bytes ((guint32) h->max_sockaddr);
      gboolean listed = FALSE;

      reg = wsi_machine_peek_registry (wsi_planner_machine (self));
      if (!wsi_product_owns_transport (reg, m, h->transport) &&
          !wsi_refuse_takeover (self, m, h->line, key, "HelperDllName", dll, "another transport's helper"))
        return FALSE;
      transports = wsi_registry_get_multi_sz (reg, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
      for (guint k = 0; transports != NULL && transports[k] != NULL; k++)
        {
          listed |= g_ascii_strcasecmp (transports[k], h->transport) == 0;
          g_strv_builder_add (builder, transports[k]);
        }
      if (!listed)
        {
          g_autoptr(GBytes) list = NULL;
          g_strv_builder_add (builder, h->transport);
          wanted = g_strv_builder_end (builder);
          list = wsi_reg_encode_multi_sz ((const char * const *) wanted);
          if (!wsi_ensure_registry (self, m, h->line, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports",
                                    WSI_REG_MULTI_SZ, list))
            return FALSE;
        }
      if (!wsi_ensure_registry (self, m, h->line, key, "Mapping", WSI_REG_BINARY, mapping) ||
          !wsi_ensure_registry (self, m, h->line, key, "HelperDllName", WSI_REG_EXPAND_SZ, dll) ||
          !wsi_ensure_registry (self, m, h->line, key, "MinSockaddrLength", WSI_REG_DWORD, min) ||
          !wsi_ensure_registry (self, m, h->line, key, "MaxSockaddrLength", WSI_REG_DWORD, max))
        return FALSE;
    }
  return TRUE;
}

gboolean
wsi_planner_plan_product_record (WsiPlanner *self, const WsiManifest *m)
{
  g_autofree char *key = wsi_planner_product_key (m);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) guids = NULL;
  g_autoptr(GBytes) version = wsi_reg_encode_string (m->product.version_string);
  g_autoptr(GBytes) name = wsi_reg_encode_string (m->product.name);
  g_autoptr(GBytes) vendor = wsi_reg_encode_string (m->product.vendor != NULL ? m->product.vendor : "");
  g_autoptr(GBytes) list = NULL;
  int line = m->product.line;

  char buf[WSI_GUID_STRING_LEN + 1];

  for (guint i = 0; i < m->providers->len; i++)
    {
      wsi_guid_format (&((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid, buf);
      g_strv_builder_add (builder, buf);
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      wsi_guid_format (&((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid, buf);
      g_strv_builder_add (builder, buf);
    }
  guids = g_strv_builder_end (builder);
  list = wsi_reg_encode_multi_sz ((const char * const *) guids);
  {
    g_autoptr(GStrvBuilder) tb = g_strv_builder_new ();
    g_auto(GStrv) transports = NULL;
    g_autoptr(GBytes) tlist = NULL;
    for (guint i = 0; i < m->wsh_helpers->len; i++)
      g_strv_builder_add (tb, ((WsiManifestWshHelper *) g_ptr_array_index (m->wsh_helpers, i))->transport);
    transports = g_strv_builder_end (tb);
    tlist = wsi_reg_encode_multi_sz ((const char * const *) transports);
    if (m->wsh_helpers->len > 0 &&
        !wsi_ensure_registry (self, m, line, key, "Transports", WSI_REG_MULTI_SZ, tlist))
      return FALSE;
  }
  return wsi_ensure_registry (self, m, line, key, "Version", WSI_REG_SZ, version) &&
         wsi_ensure_registry (self, m, line, key, "Name", WSI_REG_SZ, name) &&
         wsi_ensure_registry (self, m, line, key, "Vendor", WSI_REG_SZ, vendor) &&
         wsi_ensure_registry (self, m, line, key, "Providers", WSI_REG_MULTI_SZ, list);
}
