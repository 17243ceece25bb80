/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-guid.c: GUID text and Windows byte order. */
#include "wsi-test-util.h"

#include <string.h>

START_TEST (parse_format_round_trip_upper_case)
{
  WsiGuid g;
  g_autofree char *s = NULL;

  ck_assert (wsi_guid_parse ("{e70f1aa0-ab8b-11cf-8ca3-00805f48a192}", &g));
  s = wsi_guid_to_string (&g);
  ck_assert_str_eq (s, "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}");
  ck_assert (wsi_guid_parse ("E70F1AA0-AB8B-11CF-8CA3-00805F48A192", &g));
}
END_TEST

START_TEST (windows_byte_order_matches_registry_dump)
{
  /* ProviderId of MSAFD Tcpip as stored in a real PackedCatalogItem:
   * Data1..3 little endian, Data4 as is. */
  static const guint8 raw[16] = { 0xa0, 0x1a, 0x0f, 0xe7, 0x8b, 0xab, 0xcf, 0x11,
                                  0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 };
  WsiGuid g, parsed;
  guint8 back[16];

  wsi_guid_from_bytes (raw, &g);
  ck_assert (wsi_guid_parse ("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", &parsed));
  ck_assert (wsi_guid_equal (&g, &parsed));
  wsi_guid_to_bytes (&g, back);
  ck_assert_mem_eq (back, raw, 16);
}
END_TEST

START_TEST (malformed_guids_are_refused)
{
  static const char *bad[] = {
    "", "{}", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192", "E70F1AA0-AB8B-11CF-8CA3-00805F48A192}",
    "{E70F1AA0AB8B-11CF-8CA3-00805F48A1920}", "{G70F1AA0-AB8B-11CF-8CA3-00805F48A192}",
    "{E70F1AA0-AB8B-11CF-8CA3-00805F48A19}", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A1922}",
    " E70F1AA0-AB8B-11CF-8CA3-00805F48A192", "E70F1AA0-AB8B-11CF-8CA3_00805F48A192",
    "(E70F1AA0-AB8B-11CF-8CA3-00805F48A192)", "E70F1AA0-AB8B-11CF-8CA3-00805F48A1\xc3\xa9",
  };
  WsiGuid g;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    ck_assert_msg (!wsi_guid_parse (bad[i], &g), "accepted '%s'", bad[i]);
  ck_assert (!wsi_guid_parse (NULL, &g));
}
END_TEST

START_TEST (derived_guids_are_deterministic_v5)
{
  WsiGuid ns, a, b, c;

  ck_assert (wsi_guid_parse ("{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}", &ns));  /* RFC 4122 DNS namespace */
  wsi_guid_derive (&ns, "www.example.com", &a);
  wsi_guid_derive (&ns, "www.example.com", &b);
  wsi_guid_derive (&ns, "www.example.org", &c);
  ck_assert (wsi_guid_equal (&a, &b));
  ck_assert (!wsi_guid_equal (&a, &c));
  ck_assert_uint_eq (a.data3 >> 12, 5);
  ck_assert_uint_eq (a.data4[0] & 0xc0, 0x80);
  /* Known answer: uuid5(NAMESPACE_DNS, "www.example.com"). */
  {
    g_autofree char *s = wsi_guid_to_string (&a);
    ck_assert_str_eq (s, "{2ED6657D-E927-568B-95E1-2665A8AEA6A2}");
  }
}
END_TEST

START_TEST (compare_hash_and_nil)
{
  WsiGuid a = { 0 }, b;
  ck_assert (wsi_guid_is_nil (&a));
  ck_assert (wsi_guid_parse ("{00000000-0000-0000-0000-000000000001}", &b));
  ck_assert (!wsi_guid_is_nil (&b));
  ck_assert_int_lt (wsi_guid_compare (&a, &b), 0);
  ck_assert_int_eq (wsi_guid_compare (&b, &b), 0);
  ck_assert_uint_eq (wsi_guid_hash (&b), wsi_guid_hash (&b));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("guid");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, parse_format_round_trip_upper_case);
  tcase_add_test (tc, windows_byte_order_matches_registry_dump);
  tcase_add_test (tc, malformed_guids_are_refused);
  tcase_add_test (tc, derived_guids_are_deterministic_v5);
  tcase_add_test (tc, compare_hash_and_nil);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
