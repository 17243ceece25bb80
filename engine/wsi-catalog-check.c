/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-catalog-check.c: finds the damage of section 8 of the domain notes
 * (orphan and dangling chains, out-of-sync catalogs, IFS ordering...) in a
 * loaded catalog. Every check is O(entries x chain length). */
#include "wsi-catalog-check.h"

#include "wsi-flags.h"

typedef struct {
  const WsiCatalog *catalog;
  const char       *file;
  WsiDiagList      *diags;
  int               bits;
} WsiCheck;

static void wsi_check_add (WsiCheck *check, const char *tag, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
wsi_check_add (WsiCheck *check, const char *tag, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  wsi_diag_list_add (check->diags, tag, check->file, 0, "%d-bit catalog: %s", check->bits, msg);
}

static gboolean
wsi_is_ifs (const WsiEntry *entry)
{
  return (entry->service_flags[0] & WSI_XP1_IFS_HANDLES) != 0;
}

/* The layered entry a chain position names, or NULL. */
static const WsiEntry *
wsi_check_layer (const WsiCatalog *catalog, guint32 id)
{
  const WsiEntry *entry = wsi_catalog_find_id (catalog, id);
  return entry != NULL && wsi_entry_get_kind (entry) == WSI_ENTRY_LAYERED ? entry : NULL;
}

static void
wsi_check_chain (WsiCheck *check, const WsiEntry *entry, GHashTable *used_layers)
{
  const WsiCatalog *catalog = check->catalog;
  gint32 n = entry->chain_len;
  gboolean non_ifs_layer = FALSE;

  /* Position 0 is the top-most layer: without a layered entry there the
   * LSP is gone and the chain is left behind. */
  if (wsi_check_layer (catalog, entry->chain[0]) == NULL)
    wsi_check_add (check, "orphan-chain", "chain entry %u starts with ID %u, which is %s",
                   entry->catalog_id, entry->chain[0],
                   wsi_catalog_find_id (catalog, entry->chain[0]) == NULL ? "not in the catalog" : "not a layered entry");

  for (gint32 i = 1; i < n; i++)
    if (wsi_catalog_find_id (catalog, entry->chain[i]) == NULL)
      wsi_check_add (check, "dangling-chain-entry", "chain entry %u names ID %u at position %d, which does not exist",
                     entry->catalog_id, entry->chain[i], i);

  for (gint32 i = 0; i < n; i++)
    {
      g_hash_table_add (used_layers, GUINT_TO_POINTER (entry->chain[i]));
      for (gint32 j = 0; j < i; j++)
        if (entry->chain[j] == entry->chain[i])
          {
            wsi_check_add (check, "duplicate-layer-in-chain", "chain entry %u contains ID %u twice",
                           entry->catalog_id, entry->chain[i]);
            break;
          }
    }

  /* Layers are positions 0..n-2, top first; the last is the base. An IFS
   * layer above (before) a non-IFS one is wrong. */
  for (gint32 i = n - 2; i >= 0; i--)
    {
      const WsiEntry *layer = wsi_check_layer (catalog, entry->chain[i]);
      if (layer == NULL)
        continue;
      if (!wsi_is_ifs (layer))
        non_ifs_layer = TRUE;
      else if (non_ifs_layer)
        {
          wsi_check_add (check, "ifs-above-non-ifs", "chain entry %u puts IFS layer %u above a non-IFS layer",
                         entry->catalog_id, layer->catalog_id);
          break;
        }
    }
  if (non_ifs_layer && wsi_is_ifs (entry))
    wsi_check_add (check, "ifs-handles-on-non-ifs-chain",
                   "chain entry %u advertises IFS_HANDLES over a non-IFS layer", entry->catalog_id);
}

void
wsi_catalog_check (const WsiCatalog *catalog, const char *display_name, WsiDiagList *diags)
{
  WsiCheck check = { catalog, display_name, diags, (int) wsi_catalog_get_bitness (catalog) };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) used_layers = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint size = wsi_catalog_get_size (catalog);

  g_return_if_fail (catalog != NULL && diags != NULL);

  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *entry = wsi_catalog_get_entry (catalog, i);

      /* Report each repeated ID once, at its second occurrence. */
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (seen, GUINT_TO_POINTER (entry->catalog_id))) + 1;

      g_hash_table_insert (seen, GUINT_TO_POINTER (entry->catalog_id), GUINT_TO_POINTER (count));
      if (count == 2)
        wsi_check_add (&check, "duplicate-catalog-id", "ID %u is used by more than one entry (positions %d and %u)",
                       entry->catalog_id, wsi_catalog_find_position (catalog, entry->catalog_id) + 1, i + 1);

      if (entry->chain_len > WSI_MAX_PROTOCOL_CHAIN)
        wsi_check_add (&check, "chain-too-long", "entry %u has ChainLen %d; at most %d fit",
                       entry->catalog_id, entry->chain_len, WSI_MAX_PROTOCOL_CHAIN);
      else if (entry->chain_len < 0)
        wsi_check_add (&check, "packed-item-invalid", "entry %u has a negative ChainLen (%d)",
                       entry->catalog_id, entry->chain_len);
      else if (wsi_entry_get_kind (entry) == WSI_ENTRY_CHAIN)
        wsi_check_chain (&check, entry, used_layers);
    }

  for (guint i = 0; i < size; i++)
    {
      const WsiEntry *entry = wsi_catalog_get_entry (catalog, i);

      if (wsi_entry_get_kind (entry) != WSI_ENTRY_LAYERED)
        continue;
      if (!g_hash_table_contains (used_layers, GUINT_TO_POINTER (entry->catalog_id)))
        wsi_check_add (&check, "layered-entry-unused", "layered entry %u (%s) is used by no chain",
                       entry->catalog_id, entry->name != NULL ? entry->name : "");
      if (entry->lsp_categories == 0)
        wsi_check_add (&check, "uncategorized-lsp", "layered entry %u (%s) has no LSP category",
                       entry->catalog_id, entry->name != NULL ? entry->name : "");
    }
}

void
wsi_catalog_check_machine (const WsiMachine *machine, const char *display_name, WsiDiagList *diags)
{
  const WsiCatalog *c64, *c32;

  g_return_if_fail (machine != NULL && diags != NULL);

  c64 = wsi_machine_peek_catalog (machine, WSI_CATALOG_64);
  c32 = wsi_machine_peek_catalog (machine, WSI_CATALOG_32);
  if (c64 != NULL)
    wsi_catalog_check (c64, display_name, diags);
  wsi_catalog_check (c32, display_name, diags);
  if (c64 == NULL || wsi_catalog_same_ids (c32, c64))
    return;

  {
    guint n32 = wsi_catalog_get_size (c32), n64 = wsi_catalog_get_size (c64);
    guint i = 0;

    while (i < n32 && i < n64 && wsi_catalog_get_entry (c32, i)->catalog_id == wsi_catalog_get_entry (c64, i)->catalog_id)
      i++;
    if (i < n32 && i < n64)
      wsi_diag_list_add (diags, "catalogs-out-of-sync", display_name, 0,
                         "position %u holds ID %u in the 32-bit catalog and ID %u in the 64-bit catalog",
                         i + 1, wsi_catalog_get_entry (c32, i)->catalog_id, wsi_catalog_get_entry (c64, i)->catalog_id);
    else
      wsi_diag_list_add (diags, "catalogs-out-of-sync", display_name, 0,
                         "the 32-bit catalog has %u entries, the 64-bit catalog %u; they agree on the first %u",
                         n32, n64, i);
  }
}
