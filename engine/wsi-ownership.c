/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-ownership.c: the owner of every provider GUID of a machine (see the
 * header for the rules). Computed once per plan from the machine as it was
 * before the plan: what a plan installs itself is its own. */
#include "wsi-ownership.h"

#include <string.h>

typedef struct {
  WsiOwnerKind  kind;
  char         *product;   /* WSI_OWNER_PRODUCT */
} WsiOwner;

struct _WsiOwnership {
  GHashTable *owners;      /* WsiGuid* (owned) -> WsiOwner* */
};

/* Microsoft's own transport providers, from the catalogs of real Windows
 * 2000 to 11 machines (data/reference and the netsh listings). */
static const char *const windows_provider_guids[] = {
  "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", /* MSAFD Tcpip (TCP/UDP/RAW over IPv4) */
  "{F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4}", /* MSAFD Tcpip6 */
  "{9D60A9E0-337A-11D0-BD88-0000C082E69A}", /* RSVP (QoS) service provider */
  "{3972523D-2AF1-11D1-B655-00805F3642CC}", /* MSAFD Irda */
  "{9FC48064-7298-43E4-B7BD-181F2089792A}", /* MSAFD RfComm / L2CAP (Bluetooth) */
  "{8D5F1830-C273-11CF-95C8-00805F48A192}", /* MSAFD NetBIOS */
  "{1234191B-4BF7-4CA7-86E0-DFD7C32B5445}", /* Hyper-V RAW */
  "{A00943D9-9C2E-4633-9B59-0057A3160994}", /* AF_UNIX */
  "{4AB6B77B-60F0-5F87-A6C7-3C0D00A1009A}", /* MSAFD ATM AAL5 (Windows 2000) */
};

gboolean
wsi_guid_is_windows_provider (const WsiGuid *guid)
{
  g_return_val_if_fail (guid != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (windows_provider_guids); i++)
    {
      WsiGuid known;
      if (wsi_guid_parse (windows_provider_guids[i], &known) && wsi_guid_equal (&known, guid))
        return TRUE;
    }
  return FALSE;
}

/* A base provider Windows installed, though its GUID is not in the list:
 * a DLL of System32 and a name only Windows gives (MSAFD NetBIOS has one
 * GUID per adapter on older systems; IPX/SPX, AppleTalk, ...). */
static gboolean
wsi_entry_looks_like_windows (const WsiEntry *e)
{
  if (wsi_entry_get_kind (e) != WSI_ENTRY_BASE || e->path == NULL || e->name == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (e->path, "%SystemRoot%\\system32\\", strlen ("%SystemRoot%\\system32\\")) != 0)
    return FALSE;
  return g_str_has_prefix (e->name, "MSAFD ") || g_str_has_prefix (e->name, "RSVP ") ||
         g_ascii_strncasecmp (e->name, "@%SystemRoot%\\", strlen ("@%SystemRoot%\\")) == 0;
}

static void
wsi_owner_free (WsiOwner *o)
{
  g_free (o->product);
  g_free (o);
}

static void
wsi_ownership_set (WsiOwnership *self, const WsiGuid *guid, WsiOwnerKind kind, const char *product)
{
  WsiOwner *o;

  if (g_hash_table_contains (self->owners, guid))
    return;
  o = g_new0 (WsiOwner, 1);
  o->kind = kind;
  o->product = g_strdup (product);
  g_hash_table_insert (self->owners, g_memdup2 (guid, sizeof *guid), o);
}

static gint
wsi_compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* GUID -> product id from the install records, in product id order so
 * that a GUID two records claim (a damaged registry) goes to one of them
 * deterministically. */
static GHashTable *
wsi_recorded_guids (const WsiMachine *machine)
{
  const WsiRegistry *reg = wsi_machine_peek_registry (machine);
  GHashTable *out = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free, g_free);
  g_auto(GStrv) keys = wsi_registry_list_keys (reg);
  g_autoptr(GPtrArray) products = g_ptr_array_new ();
  gsize prefix = strlen (WSI_REG_KEY_PRODUCTS "\\");

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (g_ascii_strncasecmp (keys[i], WSI_REG_KEY_PRODUCTS "\\", prefix) == 0 && keys[i][prefix] != '\0' &&
        strchr (keys[i] + prefix, '\\') == NULL)
      g_ptr_array_add (products, keys[i]);
  g_ptr_array_sort (products, wsi_compare_strings);
  for (guint i = 0; i < products->len; i++)
    {
      const char *key = g_ptr_array_index (products, i);
      g_auto(GStrv) guids = wsi_registry_get_multi_sz (reg, key, "Providers");
      for (guint k = 0; guids != NULL && guids[k] != NULL; k++)
        {
          WsiGuid g;
          if (wsi_guid_parse (guids[k], &g) && !g_hash_table_contains (out, &g))
            g_hash_table_insert (out, g_memdup2 (&g, sizeof g), g_strdup (key + prefix));
        }
    }
  return out;
}

WsiOwnership *
wsi_ownership_new (const WsiMachine *machine)
{
  static const WsiBitness bitness[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  g_autoptr(GHashTable) recorded = NULL;
  WsiOwnership *self;

  g_return_val_if_fail (machine != NULL, NULL);

  self = g_new0 (WsiOwnership, 1);
  self->owners = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free,
                                        (GDestroyNotify) wsi_owner_free);
  recorded = wsi_recorded_guids (machine);

  /* Pass 1: providers and layered entries, by record or by Windows' own
   * marks. Pass 2: chains follow their top-most layer, so another
   * vendor's chain over our layer stays theirs. */
  for (int pass = 0; pass < 2; pass++)
    for (gsize b = 0; b < G_N_ELEMENTS (bitness); b++)
      {
        const WsiCatalog *c = wsi_machine_peek_catalog (machine, bitness[b]);
        for (guint i = 0; c != NULL && i < wsi_catalog_get_size (c); i++)
          {
            const WsiEntry *e = wsi_catalog_get_entry (c, i);
            const char *product = g_hash_table_lookup (recorded, &e->provider_id);
            gboolean chain = wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN;

            if (product != NULL)
              {
                wsi_ownership_set (self, &e->provider_id, WSI_OWNER_PRODUCT, product);
                continue;
              }
            if (pass == 0)
              {
                if (wsi_guid_is_windows_provider (&e->provider_id) || wsi_entry_looks_like_windows (e))
                  wsi_ownership_set (self, &e->provider_id, WSI_OWNER_WINDOWS, NULL);
                continue;
              }
            if (chain && e->chain_len > 0)
              {
                const WsiEntry *top = wsi_catalog_find_id (c, e->chain[0]);
                const char *owner = top != NULL && wsi_entry_get_kind (top) == WSI_ENTRY_LAYERED
                                      ? g_hash_table_lookup (recorded, &top->provider_id) : NULL;
                if (owner != NULL)
                  {
                    wsi_ownership_set (self, &e->provider_id, WSI_OWNER_PRODUCT, owner);
                    continue;
                  }
              }
            wsi_ownership_set (self, &e->provider_id, WSI_OWNER_UNKNOWN, NULL);
          }
      }
  /* A GUID a record claims stays that product's while it is not in the
   * catalog (removed by `uninstall --provider`, or by hand): another
   * manifest may not take it over until the product is uninstalled. */
  {
    GHashTableIter it;
    gpointer guid, product;
    g_hash_table_iter_init (&it, recorded);
    while (g_hash_table_iter_next (&it, &guid, &product))
      wsi_ownership_set (self, guid, WSI_OWNER_PRODUCT, product);
  }
  return self;
}

void
wsi_ownership_free (WsiOwnership *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->owners);
  g_free (self);
}

WsiOwnerKind
wsi_ownership_lookup (const WsiOwnership *self, const WsiGuid *guid, const char **product)
{
  const WsiOwner *o;

  g_return_val_if_fail (self != NULL && guid != NULL, WSI_OWNER_NONE);

  o = g_hash_table_lookup (self->owners, guid);
  if (product != NULL)
    *product = o != NULL ? o->product : NULL;
  return o != NULL ? o->kind : WSI_OWNER_NONE;
}

char *
wsi_ownership_describe (const WsiOwnership *self, const WsiGuid *guid)
{
  const char *product = NULL;

  switch (wsi_ownership_lookup (self, guid, &product))
    {
    case WSI_OWNER_PRODUCT: return g_strdup_printf ("product '%s'", product);
    case WSI_OWNER_WINDOWS: return g_strdup ("Windows");
    case WSI_OWNER_UNKNOWN: return g_strdup ("an unknown third party (no wsinstall install record)");
    case WSI_OWNER_NONE:
    default: return g_strdup ("nobody");
    }
}
