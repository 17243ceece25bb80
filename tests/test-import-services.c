/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-import-services.c: from the Winsock keys below Services (read out of
 * a .reg export or an offline hive) to a machine: catalog counters and
 * keys, PackedCatalogItem values, wsinstall's own values, forced machine
 * kinds, and which keys an import reads. The inputs are small .reg texts. */
#include "wsi-test-import.h"

#include <string.h>

#include "wsi-import-private.h"

START_TEST (catalog_inconsistencies_are_tagged)
{
  const char *pc9 = "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n";

  /* counter says 3, two keys */
  {
    g_autoptr(GString) s = wsi_test_small_reg (2, "\"Next_Catalog_Entry_ID\"=dword:000003eb\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:3\r\n\"Serial_Access_Num\"=dword:1\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* a gap: keys 1 and 3 */
  {
    g_autoptr(GString) s = wsi_test_small_reg (1, "\"Next_Catalog_Entry_ID\"=dword:000003f0\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:2\r\n\"Serial_Access_Num\"=dword:1\r\n");
    wsi_test_reg_append_entry_key (s, WSI_TEST_REG_ROOT, "Catalog_Entries", 3, 1003);
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* a key that is not a position */
  {
    g_autoptr(GString) s = wsi_test_small_reg (1, "\"Next_Catalog_Entry_ID\"=dword:000003f0\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:2\r\n\"Serial_Access_Num\"=dword:1\r\n");
    g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\00000000000x]\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* an ID at the counter */
  {
    g_autoptr(GString) s = wsi_test_small_reg (2, "\"Next_Catalog_Entry_ID\"=dword:000003ea\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:2\r\n\"Serial_Access_Num\"=dword:1\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* counters missing or of the wrong type */
  {
    g_autoptr(GString) s = wsi_test_small_reg (1, "\"Num_Catalog_Entries\"=dword:1\r\n"
                                                  "\"Serial_Access_Num\"=dword:1\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 3);
  }
  {
    g_autoptr(GString) s = wsi_test_small_reg (1, "\"Next_Catalog_Entry_ID\"=dword:000003ea\r\n\"Num_Catalog_Entries\"=dword:1\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 3);
  }
  {
    g_autoptr(GString) s = wsi_test_small_reg (1, "\"Next_Catalog_Entry_ID\"=hex:ea,03\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:1\r\n\"Serial_Access_Num\"=dword:1\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 4);
  }
  /* Catalog_Entries64 with no Num_Catalog_Entries64 */
  {
    g_autoptr(GString) s = wsi_test_small_reg (1, NULL);
    wsi_test_reg_append_entry_key (s, WSI_TEST_REG_ROOT, "Catalog_Entries64", 1, 1001);
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 3);
  }
  /* no catalog at all / nothing below Services */
  {
    g_autoptr(GString) s = g_string_new ("REGEDIT4\r\n\r\n[" WSI_TEST_REG_ROOT "\\Services\\Winsock\\Parameters]\r\n\"Transports\"=\"x\"\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 0);
  }
  {
    g_autoptr(GString) s = g_string_new ("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software]\r\n\"a\"=\"b\"\r\n");
    wsi_test_assert_reg_refused (s, "catalog-keys-inconsistent", 0);
  }
  (void) pc9;
}
END_TEST

START_TEST (bad_packed_items_are_tagged_at_their_line)
{
  /* a PackedCatalogItem one byte short, of the wrong type, missing */
  {
    g_autoptr(GString) s = wsi_test_small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:1\r\n\"Serial_Access_Num\"=dword:1\r\n");
    guint8 short_item[WSI_PACKED_ITEM_SIZE - 1] = { 'C', 0 };
    g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n");
    wsi_test_reg_append_hex_value (s, "PackedCatalogItem", "hex", short_item, sizeof short_item);
    wsi_test_assert_reg_refused (s, "packed-item-invalid", 11);
  }
  {
    g_autoptr(GString) s = wsi_test_small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:1\r\n\"Serial_Access_Num\"=dword:1\r\n");
    guint8 item[WSI_PACKED_ITEM_SIZE] = { 'C', 0 };
    g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n");
    wsi_test_reg_append_hex_value (s, "PackedCatalogItem", "hex(4)", item, sizeof item);
    wsi_test_assert_reg_refused (s, "packed-item-invalid", 11);
  }
  {
    g_autoptr(GString) s = wsi_test_small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:1\r\n\"Serial_Access_Num\"=dword:1\r\n");
    g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n"
                        "\"ProtocolName\"=\"x\"\r\n");
    wsi_test_assert_reg_refused (s, "packed-item-invalid", 10);
  }
  /* a name that is not NUL-terminated */
  {
    g_autoptr(GString) s = wsi_test_small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n"
                                                  "\"Num_Catalog_Entries\"=dword:1\r\n\"Serial_Access_Num\"=dword:1\r\n");
    guint8 item[WSI_PACKED_ITEM_SIZE] = { 'C', 0 };
    memset (item + WSI_MAX_PATH + 116, 'x', WSI_PACKED_ITEM_SIZE - WSI_MAX_PATH - 116);
    g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n");
    wsi_test_reg_append_hex_value (s, "PackedCatalogItem", "hex", item, sizeof item);
    wsi_test_assert_reg_refused (s, "packed-item-invalid", 11);
  }
}
END_TEST

START_TEST (import_refuses_lsp_categories_that_are_not_a_dword)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autoptr(WsiMachine) source = wsi_test_load_reference ("win7-x86");
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GString) edited = NULL;
  g_autofree char *utf8 = NULL;
  gsize len = 0;
  const guint8 *data;

  /* Export a real machine, then give its first entry key a REG_SZ where
   * the DWORD belongs. */
  exported = wsi_export_reg_to_bytes (source, NULL);
  data = g_bytes_get_data (exported, &len);
  utf8 = g_utf16_to_utf8 ((const gunichar2 *) (data + 2), (glong) (len - 2) / 2, NULL, NULL, NULL);
  ck_assert_ptr_nonnull (utf8);
  edited = g_string_new (utf8);
  ck_assert_uint_gt (g_string_replace (edited, "\"ProtocolName\"=", "\"WsinstallLspCategories\"=\"inspector\"\r\n\"ProtocolName\"=", 1), 0);
  m = wsi_import_reg_memory ((const guint8 *) edited->str, edited->len, "edited.reg", NULL, diags);
  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "packed-item-invalid", 0);
}
END_TEST

START_TEST (forced_kinds_must_fit_the_input)
{
  g_autofree char *x86 = wsi_test_data_path ("reg/win7-x86.reg");
  g_autofree char *x64 = wsi_test_data_path ("reg/win81-x64.reg");
  WsiImportOptions ce = { TRUE, WSI_MACHINE_CE, "CE test", FALSE };
  WsiImportOptions force64 = { TRUE, WSI_MACHINE_X64, NULL, FALSE };
  WsiImportOptions force86 = { TRUE, WSI_MACHINE_X86, NULL, FALSE };
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = wsi_import_reg_file (x86, &ce, d1);

  ck_assert_ptr_nonnull (m);
  ck_assert_int_eq (wsi_machine_get_kind (m), WSI_MACHINE_CE);
  ck_assert_str_eq (wsi_machine_get_description (m), "CE test");
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 24);
  ck_assert_ptr_null (wsi_import_reg_file (x86, &force64, d2));
  ck_assert_diag (d2, "import-kind-conflict", 0);
  ck_assert_ptr_null (wsi_import_reg_file (x64, &force86, d3));
  ck_assert_diag (d3, "import-kind-conflict", 0);
}
END_TEST

START_TEST (services_paths_split_at_their_control_set)
{
  g_autofree char *root = NULL;
  g_autofree char *rel = NULL;

  ck_assert (wsi_import_split_services_path ("HKEY_LOCAL_MACHINE\\X\\ControlSet007\\Services\\Tcpip\\Parameters", &root, &rel));
  ck_assert_str_eq (root, "HKEY_LOCAL_MACHINE\\X\\ControlSet007");
  ck_assert_str_eq (rel, "Tcpip\\Parameters");
  g_clear_pointer (&root, g_free);
  g_clear_pointer (&rel, g_free);
  ck_assert (!wsi_import_split_services_path ("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet1\\Services\\X", &root, &rel));
  ck_assert (!wsi_import_split_services_path ("HKEY_LOCAL_MACHINE\\SOFTWARE\\Services\\X", &root, &rel));
  ck_assert (wsi_import_key_is_relevant ("WINSOCK2\\parameters\\PROTOCOL_CATALOG9\\Catalog_Entries64\\000000000001"));
  ck_assert (wsi_import_key_is_relevant ("Winsock\\Parameters\\TCP on SAN"));
  ck_assert (wsi_import_key_is_relevant ("afunix\\Parameters\\Winsock"));
  ck_assert (!wsi_import_key_is_relevant ("WinSock2\\Parameters\\NameSpace_Catalog5"));
  ck_assert (!wsi_import_key_is_relevant ("Tcpip\\Parameters"));
  ck_assert (!wsi_import_key_is_relevant ("Winsock\\Parameters\\Other"));
}
END_TEST

static Suite *
import_services_suite (void)
{
  Suite *s = suite_create ("import-services");
  TCase *services = tcase_create ("services");

  tcase_set_timeout (services, 240);
  tcase_add_test (services, catalog_inconsistencies_are_tagged);
  tcase_add_test (services, bad_packed_items_are_tagged_at_their_line);
  tcase_add_test (services, import_refuses_lsp_categories_that_are_not_a_dword);
  tcase_add_test (services, forced_kinds_must_fit_the_input);
  tcase_add_test (services, services_paths_split_at_their_control_set);
  suite_add_tcase (s, services);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (import_services_suite ());
}
