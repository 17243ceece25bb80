/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-machine.c: machines of each kind, the calls that span both catalogs
 * of x64 (64_32 and AndChains64_32), and the registry values. */
#include "wsi-test-util.h"

#include <string.h>

#define TCPIP_GUID "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}"
#define LSP_GUID "{11111111-2222-3333-4444-555555555555}"
#define OTHER_GUID "{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"
#define THIRD_GUID "{CCCCCCCC-0000-0000-0000-000000000003}"

#define ck_assert_wsa(error, code) \
  do { \
    ck_assert_ptr_nonnull (error); \
    ck_assert_msg (wsi_error_get_wsa (error) == (code), "expected WSA %d, got: %s", (code), (error)->message); \
  } while (0)

/* An x64 machine whose catalogs both hold TCP (1001) and UDP (1002). */
static WsiMachine *
make_x64 (void)
{
  WsiMachine *m = wsi_machine_new (WSI_MACHINE_X64);
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "TCP");
  g_autoptr(WsiEntry) udp = wsi_test_base_entry (2, 2, 17, "UDP");
  const WsiEntry *infos[] = { tcp, udp };
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);

  ck_assert (wsi_machine_install_provider_64_32 (m, &tcpip, "%SystemRoot%\\system32\\mswsock.dll", infos, 2, NULL));
  return m;
}

/* Seed 000's scenario: an LSP installed into the 64-bit catalog only. */
static void
desync (WsiMachine *m)
{
  g_autoptr(WsiEntry) only64 = wsi_test_base_entry (2, 1, 6, "64-bit only");
  const WsiEntry *infos[] = { only64 };
  WsiGuid other = wsi_test_guid (OTHER_GUID);

  ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (m, WSI_CATALOG_64), &other, "x.dll", infos, 1, NULL));
}

START_TEST (kinds_have_their_catalogs)
{
  g_autoptr(WsiMachine) x86 = wsi_machine_new (WSI_MACHINE_X86);
  g_autoptr(WsiMachine) x64 = wsi_machine_new (WSI_MACHINE_X64);
  g_autoptr(WsiMachine) ce = wsi_machine_new (WSI_MACHINE_CE);

  ck_assert_ptr_nonnull (wsi_machine_get_catalog (x86, WSI_CATALOG_32));
  ck_assert_ptr_null (wsi_machine_get_catalog (x86, WSI_CATALOG_64));
  ck_assert_ptr_null (wsi_machine_peek_catalog (ce, WSI_CATALOG_64));
  ck_assert_ptr_nonnull (wsi_machine_peek_catalog (x64, WSI_CATALOG_64));
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (x64, WSI_CATALOG_64)), 1001);
  ck_assert_int_eq (wsi_catalog_get_bitness (wsi_machine_peek_catalog (x64, WSI_CATALOG_32)), WSI_CATALOG_32);
  ck_assert (wsi_machine_catalogs_in_sync (x86));
  ck_assert (wsi_machine_catalogs_in_sync (x64));
}
END_TEST

START_TEST (kind_names_round_trip)
{
  WsiMachineKind kind;

  for (int k = WSI_MACHINE_X86; k <= WSI_MACHINE_CE; k++)
    {
      ck_assert (wsi_machine_kind_from_string (wsi_machine_kind_to_string ((WsiMachineKind) k), &kind));
      ck_assert_int_eq (kind, k);
    }
  ck_assert_str_eq (wsi_machine_kind_to_string (WSI_MACHINE_X64), "x64");
  ck_assert (wsi_machine_kind_from_string ("X64", &kind));
  ck_assert (!wsi_machine_kind_from_string ("arm64", &kind));
  ck_assert (!wsi_machine_kind_from_string (NULL, &kind));
}
END_TEST

START_TEST (copy_is_deep_and_description_kept)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  g_autoptr(WsiMachine) c = NULL;
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);

  wsi_machine_set_description (m, "test box");
  wsi_registry_set_dword (wsi_machine_get_registry (m), "Tcpip\\Parameters\\Winsock", "MinSockaddrLength", 16);
  c = wsi_machine_copy (m);
  ck_assert_str_eq (wsi_machine_get_description (c), "test box");
  ck_assert (wsi_registry_equal (wsi_machine_peek_registry (m), wsi_machine_peek_registry (c)));
  ck_assert (wsi_catalog_deinstall_provider (wsi_machine_get_catalog (c, WSI_CATALOG_64), &tcpip, NULL));
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_64)), 2);
  wsi_machine_set_description (m, wsi_machine_get_description (m));
  ck_assert_str_eq (wsi_machine_get_description (m), "test box");
}
END_TEST

START_TEST (install_64_32_writes_the_same_structures_into_both)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  const WsiCatalog *c32 = wsi_machine_peek_catalog (m, WSI_CATALOG_32);
  const WsiCatalog *c64 = wsi_machine_peek_catalog (m, WSI_CATALOG_64);

  ck_assert (wsi_catalog_same_ids (c32, c64));
  ck_assert_uint_eq (wsi_catalog_get_size (c32), 2);
  for (guint i = 0; i < 2; i++)
    ck_assert (wsi_entry_equal (wsi_catalog_get_entry (c32, i), wsi_catalog_get_entry (c64, i)));
}
END_TEST

START_TEST (install_64_32_refused_when_out_of_sync)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  g_autoptr(WsiEntry) chain = wsi_test_base_entry (2, 1, 6, "chain");
  const WsiEntry *infos[] = { chain };
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  g_autoptr(GError) error = NULL;

  desync (m);
  ck_assert (!wsi_machine_catalogs_in_sync (m));
  ck_assert (!wsi_machine_install_provider_64_32 (m, &lsp, "x.dll", infos, 1, &error));
  ck_assert_wsa (error, WSI_WSANO_RECOVERY);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 2);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_64)), 3);
  /* The per-catalog path still works, each catalog with its own call. */
  ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (m, WSI_CATALOG_64), &lsp, "x.dll", infos, 1, NULL));
  ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (m, WSI_CATALOG_32), &lsp, "x32.dll", infos, 1, NULL));
  /* ...where the same provider now has different IDs: the machine has one
   * counter, so the 32-bit call gets the next ID after the 64-bit one. */
  ck_assert_uint_eq (wsi_catalog_get_entry (wsi_machine_peek_catalog (m, WSI_CATALOG_64), 3)->catalog_id, 1004);
  ck_assert_uint_eq (wsi_catalog_get_entry (wsi_machine_peek_catalog (m, WSI_CATALOG_32), 2)->catalog_id, 1005);
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 1006);
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (m, WSI_CATALOG_64)), 1006);
}
END_TEST

START_TEST (install_64_32_needs_an_x64_machine)
{
  g_autoptr(WsiMachine) m = wsi_machine_new (WSI_MACHINE_X86);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *infos[] = { info };
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  ck_assert (!wsi_machine_install_provider_64_32 (m, &lsp, "x.dll", infos, 1, &error));
  ck_assert_wsa (error, WSI_WSAEINVAL);
  ck_assert (!wsi_machine_install_provider_and_chains_64_32 (m, &lsp, "x.dll", "x32.dll", "L", 0, NULL, 0,
                                                            NULL, NULL, &error2));
  ck_assert_wsa (error2, WSI_WSAEINVAL);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 0);
}
END_TEST

START_TEST (install_64_32_is_all_or_nothing)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *infos[] = { info };
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  g_autoptr(GError) error = NULL;
  guint32 next64;

  /* The GUID exists in the 32-bit catalog only, with the same ID as an
   * unrelated 64-bit entry, so the catalogs still agree on IDs (a loaded
   * machine can be like that; the one counter makes installs drift). */
  {
    WsiGuid third = wsi_test_guid (THIRD_GUID);
    WsiEntry *e32 = wsi_entry_copy (info);
    WsiEntry *e64 = wsi_entry_copy (info);
    e32->provider_id = other;
    e64->provider_id = third;
    e32->catalog_id = e64->catalog_id = 1003;
    wsi_catalog_append_loaded (wsi_machine_get_catalog (m, WSI_CATALOG_32), e32);
    wsi_catalog_append_loaded (wsi_machine_get_catalog (m, WSI_CATALOG_64), e64);
    wsi_catalog_set_next_id (wsi_machine_get_catalog (m, WSI_CATALOG_64), 1004);
  }
  ck_assert (wsi_machine_catalogs_in_sync (m));
  next64 = wsi_catalog_get_next_id (wsi_machine_peek_catalog (m, WSI_CATALOG_64));
  ck_assert (!wsi_machine_install_provider_64_32 (m, &other, "x.dll", infos, 1, &error));
  ck_assert_wsa (error, WSI_WSANO_RECOVERY);
  /* The 64-bit half, which alone would have succeeded, did not happen. */
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_64)), 3);
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (m, WSI_CATALOG_64)), next64);
}
END_TEST

START_TEST (and_chains_64_32_builds_chains_from_each_catalogs_ids)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  guint32 id64 = 0, id32 = 0;
  const WsiCatalog *c32, *c64;
  g_autoptr(GError) error = NULL;

  desync (m);   /* 64-bit catalog: 1001 1002 1003; 32-bit: 1001 1002 */
  ck_assert_msg (wsi_machine_install_provider_and_chains_64_32 (m, &lsp, "C:\\lsp64.dll", "C:\\lsp32.dll", "Demo",
                                                               0, NULL, 0, &id64, &id32, &error),
                 "%s", error ? error->message : "");
  c32 = wsi_machine_peek_catalog (m, WSI_CATALOG_32);
  c64 = wsi_machine_peek_catalog (m, WSI_CATALOG_64);
  /* One counter: the 64-bit half takes 1004 (layered) and 1005-1006
   * (chains), the 32-bit half continues at 1007. */
  ck_assert_uint_eq (id64, 1004);
  ck_assert_uint_eq (id32, 1007);
  /* Every chain names its own catalog's layered entry, and the right path. */
  ck_assert_uint_eq (wsi_catalog_get_entry (c64, 0)->chain[0], 1004);
  ck_assert_uint_eq (wsi_catalog_get_entry (c32, 0)->chain[0], 1007);
  ck_assert_str_eq (wsi_catalog_get_entry (c64, 0)->path, "C:\\lsp64.dll");
  ck_assert_str_eq (wsi_catalog_get_entry (c32, 0)->path, "C:\\lsp32.dll");
  /* 64-bit: two base triples (TCP twice counts once) -> 2 chains. */
  ck_assert_uint_eq (wsi_catalog_get_size (c64), 3 + 1 + 2);
  ck_assert_uint_eq (wsi_catalog_get_size (c32), 2 + 1 + 2);
}
END_TEST

START_TEST (and_chains_64_32_without_path32_needs_system32)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  ck_assert (!wsi_machine_install_provider_and_chains_64_32 (m, &lsp, "C:\\Program Files\\lsp.dll", NULL, "Demo",
                                                            0, NULL, 0, NULL, NULL, &error));
  ck_assert_wsa (error, WSI_WSAEINVAL);
  ck_assert (!wsi_machine_install_provider_and_chains_64_32 (m, &lsp, NULL, NULL, "Demo",
                                                            0, NULL, 0, NULL, NULL, &error2));
  ck_assert_wsa (error2, WSI_WSAEFAULT);
  ck_assert (wsi_machine_install_provider_and_chains_64_32 (m, &lsp, "%windir%\\system32\\lsp.dll", NULL, "Demo",
                                                           0, NULL, 0, NULL, NULL, NULL));
  ck_assert_str_eq (wsi_catalog_get_entry (wsi_machine_peek_catalog (m, WSI_CATALOG_32), 0)->path,
                    "%windir%\\system32\\lsp.dll");
}
END_TEST

START_TEST (and_chains_64_32_is_all_or_nothing)
{
  g_autoptr(WsiMachine) m = make_x64 ();
  g_autoptr(WsiMachine) before = NULL;
  WsiGuid lsp = wsi_test_guid (LSP_GUID), other = wsi_test_guid (OTHER_GUID);
  g_autoptr(GError) error = NULL;

  /* "Demo" exists in the 32-bit catalog only: the 64-bit half would work. */
  ck_assert (wsi_catalog_install_provider_and_chains (wsi_machine_get_catalog (m, WSI_CATALOG_32), &other, "x.dll",
                                                      "Demo", 0, NULL, 0, NULL, NULL));
  before = wsi_machine_copy (m);
  ck_assert (!wsi_machine_install_provider_and_chains_64_32 (m, &lsp, "a.dll", "b.dll", "Demo", 0, NULL, 0,
                                                            NULL, NULL, &error));
  ck_assert_wsa (error, WSI_WSAEINVAL);
  ck_assert (wsi_catalog_same_ids (wsi_machine_peek_catalog (m, WSI_CATALOG_64),
                                   wsi_machine_peek_catalog (before, WSI_CATALOG_64)));
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (m, WSI_CATALOG_64)),
                     wsi_catalog_get_next_id (wsi_machine_peek_catalog (before, WSI_CATALOG_64)));
}
END_TEST

START_TEST (install_64_32_stays_linear)
{
  g_autoptr(WsiMachine) m = wsi_machine_new (WSI_MACHINE_X64);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "bulk");
  const WsiEntry *infos[] = { info };
  WsiGuid ns = wsi_test_guid (OTHER_GUID);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 6000; i++)
    {
      WsiGuid g;
      char name[16];
      g_snprintf (name, sizeof name, "%u", i);
      wsi_guid_derive (&ns, name, &g);
      ck_assert (wsi_machine_install_provider_64_32 (m, &g, "x.dll", infos, 1, NULL));
    }
  ck_assert (wsi_machine_catalogs_in_sync (m));
  /* Copying both catalogs per call took ~40 s here; linear work < 1 s. */
  ck_assert_int_lt (g_get_monotonic_time () - start, 15 * G_USEC_PER_SEC);
}
END_TEST

/* ---------------- registry ---------------- */

START_TEST (registry_names_are_case_insensitive_and_keep_their_spelling)
{
  g_autoptr(WsiRegistry) r = wsi_registry_new ();
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) values = NULL;
  guint32 v = 0;

  wsi_registry_set_dword (r, "Tcpip\\Parameters\\Winsock", "MinSockaddrLength", 16);
  wsi_registry_set_dword (r, "TCPIP\\parameters\\winsock", "minsockaddrlength", 20);
  ck_assert (wsi_registry_get_dword (r, "tcpip\\PARAMETERS\\Winsock", "MINSOCKADDRLENGTH", &v));
  ck_assert_uint_eq (v, 20);
  keys = wsi_registry_list_keys (r);
  ck_assert_uint_eq (g_strv_length (keys), 1);
  ck_assert_str_eq (keys[0], "Tcpip\\Parameters\\Winsock");
  values = wsi_registry_list_values (r, "tcpip\\parameters\\winsock");
  ck_assert_str_eq (values[0], "MinSockaddrLength");
}
END_TEST

START_TEST (registry_lists_are_sorted_and_delete_works)
{
  g_autoptr(WsiRegistry) r = wsi_registry_new ();
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) empty = NULL;

  wsi_registry_set_dword (r, "b", "x", 1);
  wsi_registry_set_dword (r, "A", "y", 1);
  wsi_registry_set_dword (r, "c", "z", 1);
  keys = wsi_registry_list_keys (r);
  ck_assert_str_eq (keys[0], "A");
  ck_assert_str_eq (keys[1], "b");
  ck_assert_str_eq (keys[2], "c");
  ck_assert (wsi_registry_delete (r, "B", "X"));
  ck_assert (!wsi_registry_delete (r, "b", "x"));
  ck_assert (!wsi_registry_delete (r, "nope", "x"));
  g_strfreev (keys);
  keys = wsi_registry_list_keys (r);
  ck_assert_uint_eq (g_strv_length (keys), 2);   /* a key without values is gone */
  empty = wsi_registry_list_values (r, "b");
  ck_assert_ptr_null (empty[0]);
}
END_TEST

START_TEST (registry_strings_are_utf16le_with_nul)
{
  g_autoptr(WsiRegistry) r = wsi_registry_new ();
  g_autoptr(GBytes) data = NULL;
  WsiRegType type;
  g_autofree char *back = NULL;
  static const guint8 want[] = { 'm', 0, 0xe9, 0, 0, 0 };

  wsi_registry_set_string (r, "k", "HelperDllName", WSI_REG_EXPAND_SZ, "m\xc3\xa9");
  ck_assert (wsi_registry_get (r, "k", "HelperDllName", &type, &data));
  ck_assert_int_eq (type, WSI_REG_EXPAND_SZ);
  ck_assert_uint_eq (g_bytes_get_size (data), sizeof want);
  ck_assert_mem_eq (g_bytes_get_data (data, NULL), want, sizeof want);
  back = wsi_registry_get_string (r, "k", "helperdllname");
  ck_assert_str_eq (back, "m\xc3\xa9");
}
END_TEST

START_TEST (registry_reads_damaged_strings_without_overrun)
{
  g_autoptr(WsiRegistry) r = wsi_registry_new ();
  static const guint8 no_nul[] = { 'a', 0, 'b', 0, 'c' };   /* odd, unterminated */
  static const guint8 lone_surrogate[] = { 0x00, 0xd8, 0, 0 };
  g_autoptr(GBytes) a = g_bytes_new_static (no_nul, sizeof no_nul);
  g_autoptr(GBytes) b = g_bytes_new_static (lone_surrogate, sizeof lone_surrogate);
  g_autofree char *s = NULL;
  g_autofree char *t = NULL;
  g_auto(GStrv) u = NULL;
  guint32 v;

  wsi_registry_set (r, "k", "a", WSI_REG_SZ, a);
  wsi_registry_set (r, "k", "b", WSI_REG_SZ, b);
  wsi_registry_set (r, "k", "m", WSI_REG_MULTI_SZ, b);
  wsi_registry_set (r, "k", "d", WSI_REG_DWORD, a);   /* 5 bytes: not a DWORD */
  s = wsi_registry_get_string (r, "k", "a");
  ck_assert_str_eq (s, "ab");
  t = wsi_registry_get_string (r, "k", "b");
  ck_assert_ptr_null (t);
  u = wsi_registry_get_multi_sz (r, "k", "m");
  ck_assert_ptr_null (u);
  ck_assert (!wsi_registry_get_dword (r, "k", "d", &v));
  ck_assert (!wsi_registry_get_dword (r, "k", "a-missing", &v));
  ck_assert_ptr_null (wsi_registry_get_string (r, "k", "d"));   /* wrong type */
}
END_TEST

START_TEST (registry_multi_sz_round_trips)
{
  g_autoptr(WsiRegistry) r = wsi_registry_new ();
  static const char *const transports[] = { "Tcpip", "", "Tcpip6", NULL };
  g_auto(GStrv) back = NULL;
  g_autoptr(GBytes) data = NULL;
  static const guint8 want[] = { 'T', 0, 'c', 0, 'p', 0, 'i', 0, 'p', 0, 0, 0,
                                 'T', 0, 'c', 0, 'p', 0, 'i', 0, 'p', 0, '6', 0, 0, 0, 0, 0 };

  wsi_registry_set_multi_sz (r, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports", transports);
  ck_assert (wsi_registry_get (r, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports", NULL, &data));
  ck_assert_uint_eq (g_bytes_get_size (data), sizeof want);
  ck_assert_mem_eq (g_bytes_get_data (data, NULL), want, sizeof want);
  back = wsi_registry_get_multi_sz (r, WSI_REG_KEY_WINSOCK_PARAMETERS, "transports");
  ck_assert_uint_eq (g_strv_length (back), 2);
  ck_assert_str_eq (back[1], "Tcpip6");
}
END_TEST

START_TEST (registry_equality_and_copy)
{
  g_autoptr(WsiRegistry) a = wsi_registry_new ();
  g_autoptr(WsiRegistry) b = NULL;
  static const guint8 guid_bytes[16] = { 1, 2, 3 };
  g_autoptr(GBytes) data = g_bytes_new_static (guid_bytes, sizeof guid_bytes);

  wsi_registry_set (a, WSI_REG_KEY_TCP_ON_SAN, "Vendor SAN", WSI_REG_BINARY, data);
  b = wsi_registry_copy (a);
  ck_assert (wsi_registry_equal (a, b));
  wsi_registry_set_dword (b, WSI_REG_KEY_TCP_ON_SAN, "Vendor SAN", 1);   /* same name, other type */
  ck_assert (!wsi_registry_equal (a, b));
  wsi_registry_set (b, WSI_REG_KEY_TCP_ON_SAN, "vendor san", WSI_REG_BINARY, data);
  ck_assert (wsi_registry_equal (a, b));
  wsi_registry_set_dword (b, "other", "x", 1);
  ck_assert (!wsi_registry_equal (a, b));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("machine");
  TCase *tc = tcase_create ("machine");
  TCase *reg = tcase_create ("registry");

  tcase_add_test (tc, kinds_have_their_catalogs);
  tcase_add_test (tc, kind_names_round_trip);
  tcase_add_test (tc, copy_is_deep_and_description_kept);
  tcase_add_test (tc, install_64_32_writes_the_same_structures_into_both);
  tcase_add_test (tc, install_64_32_refused_when_out_of_sync);
  tcase_add_test (tc, install_64_32_needs_an_x64_machine);
  tcase_add_test (tc, install_64_32_is_all_or_nothing);
  tcase_add_test (tc, install_64_32_stays_linear);
  tcase_add_test (tc, and_chains_64_32_builds_chains_from_each_catalogs_ids);
  tcase_add_test (tc, and_chains_64_32_without_path32_needs_system32);
  tcase_add_test (tc, and_chains_64_32_is_all_or_nothing);
  suite_add_tcase (s, tc);

  tcase_add_test (reg, registry_names_are_case_insensitive_and_keep_their_spelling);
  tcase_add_test (reg, registry_lists_are_sorted_and_delete_works);
  tcase_add_test (reg, registry_strings_are_utf16le_with_nul);
  tcase_add_test (reg, registry_reads_damaged_strings_without_overrun);
  tcase_add_test (reg, registry_multi_sz_round_trips);
  tcase_add_test (reg, registry_equality_and_copy);
  suite_add_tcase (s, reg);
  return wsi_test_run_suite (s);
}
