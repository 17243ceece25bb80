/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest.c: the manifest model: its life cycle, lookups, and the
 * value types it is made of (profiles, versions). It knows nothing of XML:
 * wsi-manifest-load.c builds models, above it. */
#include "wsi-manifest-private.h"

#include <string.h>

#include "wsi-number-private.h"

static void
wsi_manifest_protocol_free (gpointer data)
{
  WsiManifestProtocol *p = data;
  g_free (p->name);
  g_free (p);
}

static void
wsi_manifest_provider_free (gpointer data)
{
  WsiManifestProvider *p = data;
  g_free (p->id);
  g_free (p->path);
  g_free (p->path32);
  g_free (p->san_registration);
  g_ptr_array_unref (p->protocols);
  g_free (p);
}

static void
wsi_manifest_layer_free (gpointer data)
{
  WsiManifestLayer *l = data;
  g_free (l->id);
  g_free (l->name);
  g_free (l->path);
  g_free (l->path32);
  g_free (l);
}

static void
wsi_manifest_selector_free (gpointer data)
{
  WsiManifestSelector *s = data;
  g_free (s->name_pattern);
  g_free (s->ref);
  g_free (s);
}

static void
wsi_manifest_chain_free (gpointer data)
{
  WsiManifestChain *c = data;
  g_free (c->layer_id);
  g_free (c->relative_to);
  g_free (c->name_template);
  g_ptr_array_unref (c->selectors);
  g_ptr_array_unref (c->entry_guids);
  g_free (c);
}

static void
wsi_manifest_wsh_helper_free (gpointer data)
{
  WsiManifestWshHelper *h = data;
  g_free (h->transport);
  g_free (h->dll);
  g_ptr_array_unref (h->mappings);
  g_free (h);
}

WsiManifestProtocol *
wsi_manifest_protocol_new (void)
{
  WsiManifestProtocol *p = g_new0 (WsiManifestProtocol, 1);
  p->version = 2;
  return p;
}

WsiManifestProvider *
wsi_manifest_provider_new (void)
{
  WsiManifestProvider *p = g_new0 (WsiManifestProvider, 1);
  p->protocols = g_ptr_array_new_with_free_func (wsi_manifest_protocol_free);
  return p;
}

WsiManifestLayer *
wsi_manifest_layer_new (void)
{
  return g_new0 (WsiManifestLayer, 1);
}

WsiManifestSelector *
wsi_manifest_selector_new (void)
{
  return g_new0 (WsiManifestSelector, 1);
}

WsiManifestChain *
wsi_manifest_chain_new (void)
{
  WsiManifestChain *c = g_new0 (WsiManifestChain, 1);
  c->selectors = g_ptr_array_new_with_free_func (wsi_manifest_selector_free);
  c->entry_guids = g_ptr_array_new_with_free_func (g_free);
  c->position = WSI_POSITION_TOP;
  c->relative_kind = WSI_RELATIVE_NONE;
  c->guid_rule = WSI_GUID_RULE_DERIVE;
  c->name_template = g_strdup (WSI_MANIFEST_DEFAULT_NAME_TEMPLATE);
  return c;
}

WsiManifestWshHelper *
wsi_manifest_wsh_helper_new (void)
{
  WsiManifestWshHelper *h = g_new0 (WsiManifestWshHelper, 1);
  h->mappings = g_ptr_array_new_with_free_func (g_free);
  return h;
}

WsiManifest *
wsi_manifest_new (const char *file)
{
  WsiManifest *m = g_new0 (WsiManifest, 1);
  m->file = g_strdup (file);
  m->target.profile = WSI_PROFILE_DESKTOP_X86;
  m->target.catalogs = WSI_MANIFEST_CATALOG_32;
  m->providers = g_ptr_array_new_with_free_func (wsi_manifest_provider_free);
  m->layers = g_ptr_array_new_with_free_func (wsi_manifest_layer_free);
  m->chains = g_ptr_array_new_with_free_func (wsi_manifest_chain_free);
  m->wsh_helpers = g_ptr_array_new_with_free_func (wsi_manifest_wsh_helper_free);
  return m;
}

void
wsi_manifest_free (WsiManifest *self)
{
  if (self == NULL)
    return;
  g_free (self->file);
  g_free (self->product.id);
  g_free (self->product.name);
  g_free (self->product.vendor);
  g_free (self->product.version_string);
  /* Chains borrow layers and providers: free them first. */
  g_ptr_array_unref (self->chains);
  g_ptr_array_unref (self->wsh_helpers);
  g_ptr_array_unref (self->layers);
  g_ptr_array_unref (self->providers);
  g_free (self);
}

WsiManifestProvider *
wsi_manifest_find_provider (const WsiManifest *self, const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; id != NULL && i < self->providers->len; i++)
    {
      WsiManifestProvider *p = g_ptr_array_index (self->providers, i);
      if (g_strcmp0 (p->id, id) == 0)
        return p;
    }
  return NULL;
}

WsiManifestProvider *
wsi_manifest_find_provider_guid (const WsiManifest *self, const WsiGuid *guid)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; guid != NULL && i < self->providers->len; i++)
    {
      WsiManifestProvider *p = g_ptr_array_index (self->providers, i);
      if (wsi_guid_equal (&p->guid, guid))
        return p;
    }
  return NULL;
}

WsiManifestLayer *
wsi_manifest_find_layer (const WsiManifest *self, const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; id != NULL && i < self->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (self->layers, i);
      if (g_strcmp0 (l->id, id) == 0)
        return l;
    }
  return NULL;
}

WsiManifestLayer *
wsi_manifest_find_layer_guid (const WsiManifest *self, const WsiGuid *guid)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; guid != NULL && i < self->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (self->layers, i);
      if (wsi_guid_equal (&l->guid, guid))
        return l;
    }
  return NULL;
}

GPtrArray *
wsi_manifest_get_layer_chains (const WsiManifest *self, const WsiManifestLayer *layer)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, out);
  for (guint i = 0; i < self->chains->len; i++)
    {
      WsiManifestChain *c = g_ptr_array_index (self->chains, i);
      if (c->layer == layer || (c->layer == NULL && layer != NULL && g_strcmp0 (c->layer_id, layer->id) == 0))
        g_ptr_array_add (out, c);
    }
  return out;
}

/* Depth-first post-order over chains-of edges; the loader has refused
 * cycles, and @state guards against them anyway (0 new, 1 open, 2 done). */
static void
wsi_manifest_visit_layer (const WsiManifest *self, WsiManifestLayer *layer, GHashTable *state, GPtrArray *out)
{
  gpointer seen = g_hash_table_lookup (state, layer);

  if (seen != NULL)
    return;
  g_hash_table_insert (state, layer, GINT_TO_POINTER (1));
  for (guint i = 0; i < self->chains->len; i++)
    {
      WsiManifestChain *c = g_ptr_array_index (self->chains, i);
      if (c->layer != layer)
        continue;
      for (guint k = 0; k < c->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (c->selectors, k);
          if (s->kind == WSI_SELECTOR_CHAINS_OF && s->layer != NULL)
            wsi_manifest_visit_layer (self, s->layer, state, out);
        }
    }
  g_hash_table_insert (state, layer, GINT_TO_POINTER (2));
  g_ptr_array_add (out, layer);
}

GPtrArray *
wsi_manifest_get_layers_sorted (const WsiManifest *self)
{
  g_autoptr(GHashTable) state = g_hash_table_new (g_direct_hash, g_direct_equal);
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, out);
  for (guint i = 0; i < self->layers->len; i++)
    wsi_manifest_visit_layer (self, g_ptr_array_index (self->layers, i), state, out);
  return out;
}

gboolean
wsi_manifest_targets_catalog (const WsiManifest *self, WsiBitness bitness)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (bitness == WSI_CATALOG_64)
    return (self->target.catalogs & WSI_MANIFEST_CATALOG_64) != 0;
  return (self->target.catalogs & WSI_MANIFEST_CATALOG_32) != 0;
}

const char *
wsi_manifest_get_path (const WsiManifest *self, const char *path, const char *path32, WsiBitness bitness)
{
  g_return_val_if_fail (self != NULL, path);
  /* Only desktop-x64 has two DLLs: on x86 and CE the one catalog is
   * "32-bit" and uses the native path. */
  if (self->target.profile == WSI_PROFILE_DESKTOP_X64 && bitness == WSI_CATALOG_32)
    return path32;
  return path;
}

static const char * const wsi_profile_names[] = {
  [WSI_PROFILE_DESKTOP_X86] = "desktop-x86",
  [WSI_PROFILE_DESKTOP_X64] = "desktop-x64",
  [WSI_PROFILE_CE] = "ce",
};

const char *
wsi_profile_to_string (WsiProfile profile)
{
  if ((guint) profile >= G_N_ELEMENTS (wsi_profile_names))
    return "unknown";
  return wsi_profile_names[profile];
}

gboolean
wsi_profile_from_string (const char *text, WsiProfile *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (wsi_profile_names); i++)
    if (g_strcmp0 (text, wsi_profile_names[i]) == 0)
      {
        if (out != NULL)
          *out = (WsiProfile) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
wsi_version_parse (const char *text, WsiVersion *out)
{
  WsiVersion v = { { 0 }, 0 };
  const char *p = text;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (;;)
    {
      const char *end = NULL;
      guint64 part;

      if (!g_ascii_isdigit (*p) || v.n_parts == G_N_ELEMENTS (v.parts))
        return FALSE;
      if (!wsi_number_scan_unsigned (p, 10, G_MAXUINT32, &part, &end))
        return FALSE;
      v.parts[v.n_parts++] = (guint32) part;
      p = end;
      if (*p == '\0')
        break;
      if (*p != '.')
        return FALSE;
      p++;
    }
  if (out != NULL)
    *out = v;
  return TRUE;
}

int
wsi_version_compare (const WsiVersion *a, const WsiVersion *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);
  for (guint i = 0; i < G_N_ELEMENTS (a->parts); i++)
    {
      guint32 x = i < a->n_parts ? a->parts[i] : 0;
      guint32 y = i < b->n_parts ? b->parts[i] : 0;
      if (x != y)
        return x < y ? -1 : 1;
    }
  return 0;
}
