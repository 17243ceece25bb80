/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-check.c: crafted broken catalogs raise each `catalog check` tag;
 * healthy ones raise none. */
#include "wsi-test-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define LSP_GUID "{11111111-2222-3333-4444-555555555555}"

static WsiEntry *
entry (guint32 id, gint32 chain_len, const guint32 *chain, guint32 xp1)
{
  WsiEntry *e = wsi_entry_new ();

  e->catalog_id = id;
  e->chain_len = chain_len;
  for (gint32 i = 0; chain != NULL && i < MIN (chain_len, WSI_MAX_PROTOCOL_CHAIN); i++)
    e->chain[i] = chain[i];
  e->service_flags[0] = xp1;
  e->address_family = 2;
  e->socket_type = chain_len == 0 ? 0 : 1;
  e->protocol = chain_len == 0 ? 0 : 6;
  e->version = 2;
  {
    char name[16];
    g_snprintf (name, sizeof name, "%u", id);
    wsi_guid_derive (&(WsiGuid) { 0 }, name, &e->provider_id);
  }
  return e;
}

/* Appends; layered entries get a category unless told otherwise. */
static void
add (WsiCatalog *c, WsiEntry *e)
{
  if (e->chain_len == 0 && e->lsp_categories == 0)
    e->lsp_categories = WSI_LSP_FIREWALL;
  if (e->catalog_id >= wsi_catalog_get_next_id (c))
    wsi_catalog_set_next_id (c, e->catalog_id + 1);
  wsi_catalog_append_loaded (c, e);
}

/* A healthy catalog: base 1001 (TCP), a non-IFS LSP 1002 and its chain
 * 1003 = [1002, 1001] above the base. */
static WsiCatalog *
healthy (WsiBitness bits)
{
  WsiCatalog *c = wsi_catalog_new (bits);
  static const guint32 chain[] = { 1002, 1001 };

  add (c, entry (1003, 2, chain, WSI_XP1_GUARANTEED_DELIVERY));
  add (c, entry (1001, 1, NULL, WSI_XP1_IFS_HANDLES | WSI_XP1_GUARANTEED_DELIVERY));
  add (c, entry (1002, 0, NULL, 0));
  return c;
}

static WsiDiagList *
check (const WsiCatalog *c)
{
  WsiDiagList *diags = wsi_diag_list_new ();
  wsi_catalog_check (c, "m.xml", diags);
  return diags;
}

static guint
count_tag (const WsiDiagList *diags, const char *tag)
{
  guint n = 0;
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    n += g_strcmp0 (wsi_diag_list_get (diags, i)->tag, tag) == 0;
  return n;
}

START_TEST (healthy_catalog_has_no_findings)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = check (c);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (wsi_diag_list_get_size (diags) == 0, "%s", all);
}
END_TEST

START_TEST (reference_machine_is_healthy)
{
  g_autofree char *path = wsi_test_data_path ("snapshots/win10-1709-x64.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = wsi_snapshot_load_file (path, diags);
  g_autofree char *all = NULL;

  ck_assert_ptr_nonnull (m);
  wsi_catalog_check_machine (m, path, diags);
  all = wsi_test_diags_to_string (diags);
  ck_assert_msg (wsi_diag_list_get_size (diags) == 0, "%s", all);
}
END_TEST

START_TEST (chain_without_its_layer_is_an_orphan)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 gone[] = { 1500, 1001 };
  static const guint32 base_on_top[] = { 1001, 1001 };
  const WsiDiag *d;

  add (c, entry (1004, 2, gone, 0));          /* the LSP was removed */
  add (c, entry (1005, 2, base_on_top, 0));   /* position 0 is a base entry */
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "orphan-chain"), 2);
  /* A missing position 0 is an orphan, not also a dangling entry. */
  ck_assert_uint_eq (count_tag (diags, "dangling-chain-entry"), 0);
  d = wsi_diag_list_get (diags, 0);
  ck_assert_str_eq (d->file, "m.xml");
  ck_assert_int_eq (d->line, 0);
  ck_assert_ptr_nonnull (strstr (d->message, "32-bit"));
  ck_assert_ptr_nonnull (strstr (d->message, "1004"));
}
END_TEST

START_TEST (chain_naming_a_missing_id_is_dangling)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_64);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 chain[] = { 1002, 1020 };   /* the seed-000 damage */

  add (c, entry (1004, 2, chain, 0));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "dangling-chain-entry"), 1);
  ck_assert_ptr_nonnull (strstr (wsi_diag_list_get (diags, 0)->message, "64-bit"));
}
END_TEST

START_TEST (repeated_ids_are_reported_once)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;

  add (c, entry (1001, 1, NULL, 0));
  add (c, entry (1001, 1, NULL, 0));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "duplicate-catalog-id"), 1);
}
END_TEST

START_TEST (a_layer_twice_in_one_chain)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 chain[] = { 1002, 1002, 1001 };

  add (c, entry (1004, 3, chain, 0));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "duplicate-layer-in-chain"), 1);
}
END_TEST

START_TEST (chain_len_over_seven_and_negative)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 chain[] = { 1002, 1001, 1001, 1001, 1001, 1001, 1001 };

  add (c, entry (1004, 8, chain, 0));
  add (c, entry (1005, -2, chain, 0));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "chain-too-long"), 1);
  ck_assert_uint_eq (count_tag (diags, "packed-item-invalid"), 1);
}
END_TEST

START_TEST (layered_entry_without_a_chain_is_unused)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;

  add (c, entry (1004, 0, NULL, 0));   /* the SDK sample's failed-install leftover */
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "layered-entry-unused"), 1);
  ck_assert (!wsi_diag_list_has_errors (diags));   /* a warning */
}
END_TEST

START_TEST (a_layer_in_the_middle_of_a_chain_counts_as_used)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 chain[] = { 1004, 1002, 1001 };

  add (c, entry (1004, 0, NULL, 0));
  add (c, entry (1005, 3, chain, 0));
  diags = check (c);
  ck_assert_uint_eq (wsi_diag_list_get_size (diags), 0);
}
END_TEST

START_TEST (ifs_layer_above_a_non_ifs_layer)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 wrong[] = { 1004, 1002, 1001 };   /* IFS 1004 on top of non-IFS 1002 */
  static const guint32 right[] = { 1002, 1004, 1001 };

  add (c, entry (1004, 0, NULL, WSI_XP1_IFS_HANDLES));
  add (c, entry (1005, 3, wrong, 0));
  add (c, entry (1006, 3, right, 0));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "ifs-above-non-ifs"), 1);
  ck_assert_ptr_nonnull (strstr (wsi_diag_list_get (diags, 0)->message, "1005"));
}
END_TEST

START_TEST (ifs_handles_on_a_chain_over_a_non_ifs_layer)
{
  g_autoptr(WsiCatalog) c = healthy (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 chain[] = { 1002, 1001 };

  add (c, entry (1004, 2, chain, WSI_XP1_IFS_HANDLES));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "ifs-handles-on-non-ifs-chain"), 1);
  ck_assert (!wsi_diag_list_has_errors (diags));
}
END_TEST

START_TEST (layered_entry_without_category)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiDiagList) diags = NULL;
  static const guint32 chain[] = { 1002, 1001 };
  WsiEntry *layer = entry (1002, 0, NULL, 0);

  add (c, entry (1001, 1, NULL, 0));
  wsi_catalog_append_loaded (c, layer);   /* no category */
  add (c, entry (1003, 2, chain, 0));
  diags = check (c);
  ck_assert_uint_eq (count_tag (diags, "uncategorized-lsp"), 1);
  ck_assert_int_eq (wsi_diag_list_get (diags, 0)->severity, WSI_SEVERITY_WARNING);
}
END_TEST

START_TEST (catalogs_out_of_sync_on_x64)
{
  g_autoptr(WsiMachine) m = wsi_machine_new (WSI_MACHINE_X64);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) diags2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) diags3 = wsi_diag_list_new ();
  g_autoptr(WsiCatalog) h64 = healthy (WSI_CATALOG_64);
  g_autoptr(WsiCatalog) h32 = healthy (WSI_CATALOG_32);
  WsiCatalog *c64 = wsi_machine_get_catalog (m, WSI_CATALOG_64);
  WsiCatalog *c32 = wsi_machine_get_catalog (m, WSI_CATALOG_32);
  static const guint32 order[] = { 1001, 1003, 1002 };

  for (guint i = 0; i < 3; i++)
    {
      wsi_catalog_append_loaded (c64, wsi_entry_copy (wsi_catalog_get_entry (h64, i)));
      wsi_catalog_append_loaded (c32, wsi_entry_copy (wsi_catalog_get_entry (h32, i)));
    }
  wsi_catalog_set_next_id (c64, 1004);
  wsi_catalog_set_next_id (c32, 1004);
  wsi_catalog_check_machine (m, "m.xml", diags);
  ck_assert_uint_eq (wsi_diag_list_get_size (diags), 0);

  /* Same IDs, another order. */
  ck_assert (wsi_catalog_write_order (c32, order, 3, NULL));
  wsi_catalog_check_machine (m, "m.xml", diags2);
  ck_assert_uint_eq (count_tag (diags2, "catalogs-out-of-sync"), 1);

  /* An entry in one catalog only. */
  ck_assert (wsi_catalog_write_order (c32, (const guint32[]) { 1003, 1001, 1002 }, 3, NULL));
  add (c64, entry (1004, 1, NULL, 0));
  wsi_catalog_check_machine (m, "m.xml", diags3);
  ck_assert_uint_eq (count_tag (diags3, "catalogs-out-of-sync"), 1);
  ck_assert_uint_eq (wsi_diag_list_get_size (diags3), 1);
}
END_TEST

START_TEST (broken_fixture_raises_every_tag)
{
  g_autofree char *path = wsi_test_data_path ("snapshots/broken-x64.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = wsi_snapshot_load_file (path, diags);
  static const char *const tags[] = {
    "orphan-chain", "dangling-chain-entry", "catalogs-out-of-sync", "duplicate-catalog-id",
    "duplicate-layer-in-chain", "chain-too-long", "layered-entry-unused", "ifs-above-non-ifs",
    "uncategorized-lsp",
  };

  ck_assert_ptr_nonnull (m);
  wsi_catalog_check_machine (m, path, diags);
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    ck_assert_diag (diags, tags[i], 0);
}
END_TEST

START_TEST (cli_reports_sarif_results_and_exit_codes)
{
  g_autofree char *broken = wsi_test_data_path ("snapshots/broken-x64.xml");
  g_autofree char *healthy_path = wsi_test_data_path ("snapshots/win10-1709-x64.xml");
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *sarif[] = { "catalog", "check", "--format=sarif", "--machine", broken, NULL };
  const char *ok[] = { "catalog", "check", "--format=sarif", "--machine", healthy_path, NULL };
  JsonArray *results;
  gboolean saw_orphan = FALSE;

  ck_assert_int_eq (wsi_test_run_cli (sarif, &out, NULL), 1);
  ck_assert (json_parser_load_from_data (parser, out, -1, NULL));
  results = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runs"), 0),
    "results");
  ck_assert_uint_eq (json_array_get_length (results), 9);
  for (guint i = 0; i < json_array_get_length (results); i++)
    saw_orphan = saw_orphan || g_strcmp0 (json_object_get_string_member (json_array_get_object_element (results, i), "ruleId"),
                                          "orphan-chain") == 0;
  ck_assert (saw_orphan);
  ck_assert_int_eq (wsi_test_run_cli (ok, &out2, NULL), 0);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("check");
  TCase *tc = tcase_create ("check");

  tcase_add_test (tc, healthy_catalog_has_no_findings);
  tcase_add_test (tc, reference_machine_is_healthy);
  tcase_add_test (tc, chain_without_its_layer_is_an_orphan);
  tcase_add_test (tc, chain_naming_a_missing_id_is_dangling);
  tcase_add_test (tc, repeated_ids_are_reported_once);
  tcase_add_test (tc, a_layer_twice_in_one_chain);
  tcase_add_test (tc, chain_len_over_seven_and_negative);
  tcase_add_test (tc, layered_entry_without_a_chain_is_unused);
  tcase_add_test (tc, a_layer_in_the_middle_of_a_chain_counts_as_used);
  tcase_add_test (tc, ifs_layer_above_a_non_ifs_layer);
  tcase_add_test (tc, ifs_handles_on_a_chain_over_a_non_ifs_layer);
  tcase_add_test (tc, layered_entry_without_category);
  tcase_add_test (tc, catalogs_out_of_sync_on_x64);
  tcase_add_test (tc, broken_fixture_raises_every_tag);
  tcase_add_test (tc, cli_reports_sarif_results_and_exit_codes);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
