/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-diff.c: machine differences match entries by identity, not ID. */
#include "wsi-test-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define TCPIP_GUID "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}"
#define LSP_GUID "{11111111-2222-3333-4444-555555555555}"

static void
install_tcpip (WsiCatalog *c)
{
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "TCP");
  g_autoptr(WsiEntry) udp = wsi_test_base_entry (2, 2, 17, "UDP");
  const WsiEntry *infos[] = { tcp, udp };
  WsiGuid g = wsi_test_guid (TCPIP_GUID);

  ck_assert (wsi_catalog_install_provider (c, &g, "mswsock.dll", infos, 2, NULL));
}

static WsiMachine *
make_x86 (void)
{
  WsiMachine *m = wsi_machine_new (WSI_MACHINE_X86);
  g_autoptr(WsiEntry) other = wsi_test_base_entry (2, 5, -6, "NetBIOS");
  const WsiEntry *infos[] = { other };
  WsiGuid g;

  install_tcpip (wsi_machine_get_catalog (m, WSI_CATALOG_32));
  wsi_guid_parse ("{8D5F1830-C273-11CF-95C8-00805F48A192}", &g);
  ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (m, WSI_CATALOG_32), &g, "mswsock.dll", infos, 1, NULL));
  wsi_registry_set_dword (wsi_machine_get_registry (m), "Tcpip\\Parameters\\Winsock", "MinSockaddrLength", 16);
  return m;
}

static guint
count_kind (const WsiDiff *d, WsiDiffKind kind)
{
  guint n = 0;
  for (guint i = 0; i < wsi_diff_get_size (d); i++)
    n += wsi_diff_get (d, i)->kind == kind;
  return n;
}

START_TEST (identical_machines_are_equivalent)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = wsi_machine_copy (a);
  g_autoptr(WsiDiff) d = wsi_machine_diff (a, b);
  g_autofree char *text = wsi_diff_to_text (d);

  ck_assert (wsi_diff_is_equivalent (d));
  ck_assert_uint_eq (wsi_diff_get_size (d), 0);
  ck_assert_str_eq (text, "equivalent\n");
}
END_TEST

START_TEST (a_reinstall_with_new_ids_is_no_difference)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = wsi_machine_copy (a);
  WsiCatalog *c = wsi_machine_get_catalog (b, WSI_CATALOG_32);
  WsiGuid g = wsi_test_guid (TCPIP_GUID);
  g_autoptr(WsiDiff) moved = NULL;
  g_autoptr(WsiDiff) same = NULL;
  static const guint32 order[] = { 1004, 1005, 1003 };

  ck_assert (wsi_catalog_deinstall_provider (c, &g, NULL));
  install_tcpip (c);   /* 1004, 1005, appended below NetBIOS (1003) */
  moved = wsi_machine_diff (a, b);
  ck_assert_uint_eq (count_kind (moved, WSI_DIFF_ADDED) + count_kind (moved, WSI_DIFF_REMOVED), 0);
  ck_assert_uint_eq (count_kind (moved, WSI_DIFF_MOVED), 1);   /* NetBIOS went up: one move explains it */
  ck_assert (!wsi_diff_is_equivalent (moved));

  ck_assert (wsi_catalog_write_order (c, order, 3, NULL));
  same = wsi_machine_diff (a, b);
  ck_assert (wsi_diff_is_equivalent (same));
  /* The counters are reported all the same. */
  ck_assert_uint_eq (count_kind (same, WSI_DIFF_COUNTER), 2);
}
END_TEST

START_TEST (chains_compare_by_what_their_ids_name)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = NULL;
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  g_autoptr(WsiDiff) d = NULL;
  WsiCatalog *cb;

  ck_assert (wsi_catalog_install_provider_and_chains (wsi_machine_get_catalog (a, WSI_CATALOG_32), &lsp, "l.dll",
                                                      "LSP", 0, NULL, 0, NULL, NULL));
  b = wsi_machine_copy (a);
  cb = wsi_machine_get_catalog (b, WSI_CATALOG_32);
  /* Reinstall the whole LSP in B: every ID differs, the meaning does not. */
  {
    g_autoptr(GPtrArray) chains = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < wsi_catalog_get_size (cb); i++)
      if (wsi_entry_get_kind (wsi_catalog_get_entry (cb, i)) == WSI_ENTRY_CHAIN)
        g_ptr_array_add (chains, g_memdup2 (&wsi_catalog_get_entry (cb, i)->provider_id, sizeof (WsiGuid)));
    for (guint i = 0; i < chains->len; i++)
      ck_assert (wsi_catalog_deinstall_provider (cb, chains->pdata[i], NULL));
    ck_assert (wsi_catalog_deinstall_provider (cb, &lsp, NULL));
  }
  ck_assert (wsi_catalog_install_provider_and_chains (cb, &lsp, "l.dll", "LSP", 0, NULL, 0, NULL, NULL));
  d = wsi_machine_diff (a, b);
  {
    g_autofree char *text = wsi_diff_to_text (d);
    ck_assert_msg (wsi_diff_is_equivalent (d), "%s", text);
  }

  /* Now point one chain of B at another base: that is a change. */
  {
    WsiEntry *chain = (WsiEntry *) wsi_catalog_get_entry (cb, 0);
    g_autoptr(WsiDiff) d2 = NULL;
    const WsiDiffItem *item;

    chain->chain[1] = wsi_catalog_get_entry (cb, 4)->catalog_id;   /* UDP instead of TCP */
    d2 = wsi_machine_diff (a, b);
    ck_assert_uint_eq (count_kind (d2, WSI_DIFF_CHANGED), 1);
    item = wsi_diff_get (d2, 0);
    ck_assert_str_eq (item->detail, "chain");
  }
}
END_TEST

START_TEST (added_removed_and_changed_entries)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = wsi_machine_copy (a);
  WsiCatalog *c = wsi_machine_get_catalog (b, WSI_CATALOG_32);
  g_autoptr(WsiEntry) extra = wsi_test_base_entry (2, 3, 0, "RAW");
  const WsiEntry *infos[] = { extra };
  WsiGuid g = wsi_test_guid (LSP_GUID), netbios;
  g_autoptr(WsiDiff) d = NULL;
  g_autofree char *text = NULL;
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "TCP");
  g_autoptr(WsiEntry) udp = wsi_test_base_entry (2, 2, 17, "UDP renamed");
  const WsiEntry *tcpip[] = { tcp, udp };
  WsiGuid tg = wsi_test_guid (TCPIP_GUID);

  wsi_guid_parse ("{8D5F1830-C273-11CF-95C8-00805F48A192}", &netbios);
  ck_assert (wsi_catalog_install_provider (c, &g, "raw.dll", infos, 1, NULL));
  ck_assert (wsi_catalog_deinstall_provider (c, &netbios, NULL));
  ck_assert (wsi_catalog_update_provider (c, &tg, "new.dll", tcpip, 2, NULL));
  d = wsi_machine_diff (a, b);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_ADDED), 1);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_REMOVED), 1);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_CHANGED), 2);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_MOVED), 0);
  text = wsi_diff_to_text (d);
  ck_assert_ptr_nonnull (strstr (text, "~ 32-bit 1002 -> 1002 \"UDP renamed\""));
  ck_assert_ptr_nonnull (strstr (text, ": name, path\n"));
  ck_assert_ptr_nonnull (strstr (text, "4 differences\n"));
}
END_TEST

START_TEST (registry_values_are_compared)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = wsi_machine_copy (a);
  WsiRegistry *r = wsi_machine_get_registry (b);
  static const char *const t[] = { "Tcpip", NULL };
  g_autoptr(WsiDiff) d = NULL;

  wsi_registry_set_dword (r, "Tcpip\\Parameters\\Winsock", "MinSockaddrLength", 20);
  wsi_registry_set_multi_sz (r, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports", t);
  d = wsi_machine_diff (a, b);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_VALUE_CHANGED), 1);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_VALUE_ADDED), 1);
  g_clear_pointer (&d, wsi_diff_free);
  d = wsi_machine_diff (b, a);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_VALUE_REMOVED), 1);
  ck_assert (!wsi_diff_is_equivalent (d));
}
END_TEST

START_TEST (different_kinds_differ)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = wsi_machine_new (WSI_MACHINE_X64);
  g_autoptr(WsiDiff) d = NULL;

  install_tcpip (wsi_machine_get_catalog (b, WSI_CATALOG_64));
  d = wsi_machine_diff (a, b);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_KIND), 1);
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_ADDED), 2);     /* the 64-bit catalog's entries */
  ck_assert_uint_eq (count_kind (d, WSI_DIFF_REMOVED), 3);   /* the 32-bit catalog is empty in B */
}
END_TEST

START_TEST (equal_identities_match_in_order)
{
  g_autoptr(WsiMachine) a = wsi_machine_new (WSI_MACHINE_X86);
  g_autoptr(WsiMachine) b = NULL;
  WsiCatalog *c = wsi_machine_get_catalog (a, WSI_CATALOG_32);
  g_autoptr(WsiEntry) x = wsi_test_base_entry (2, 5, -6, "adapter 1");
  g_autoptr(WsiEntry) y = wsi_test_base_entry (2, 5, -6, "adapter 2");
  const WsiEntry *infos[] = { x, y };
  WsiGuid g = wsi_test_guid (TCPIP_GUID);
  g_autoptr(WsiDiff) d = NULL;

  ck_assert (wsi_catalog_install_provider (c, &g, "m.dll", infos, 2, NULL));
  b = wsi_machine_copy (a);
  d = wsi_machine_diff (a, b);
  ck_assert (wsi_diff_is_equivalent (d));
  ck_assert_uint_eq (wsi_diff_get_size (d), 0);
}
END_TEST

START_TEST (json_output_is_valid)
{
  g_autoptr(WsiMachine) a = make_x86 ();
  g_autoptr(WsiMachine) b = wsi_machine_copy (a);
  g_autoptr(WsiDiff) d = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  wsi_catalog_set_next_id (wsi_machine_get_catalog (b, WSI_CATALOG_32), 2000);
  wsi_registry_set_dword (wsi_machine_get_registry (b), "K", "v", 1);
  d = wsi_machine_diff (a, b);
  json = wsi_diff_to_json (d);
  ck_assert (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  ck_assert_str_eq (json_object_get_string_member (root, "format"), "wsinstall-diff");
  ck_assert_int_eq (json_object_get_int_member (root, "version"), 1);
  ck_assert (!json_object_get_boolean_member (root, "equivalent"));
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (root, "items")), 2);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("diff");
  TCase *tc = tcase_create ("diff");

  tcase_add_test (tc, identical_machines_are_equivalent);
  tcase_add_test (tc, a_reinstall_with_new_ids_is_no_difference);
  tcase_add_test (tc, chains_compare_by_what_their_ids_name);
  tcase_add_test (tc, added_removed_and_changed_entries);
  tcase_add_test (tc, registry_values_are_compared);
  tcase_add_test (tc, different_kinds_differ);
  tcase_add_test (tc, equal_identities_match_in_order);
  tcase_add_test (tc, json_output_is_valid);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
