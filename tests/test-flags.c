/* test-flags.c: flag sets and enumerations by name. */
#include "wsi-test-util.h"

START_TEST (service_flags_parse_names_prefixes_and_numbers)
{
  guint32 v = 0;
  g_autofree char *bad = NULL;

  ck_assert (wsi_flags_parse (WSI_FLAG_SET_SERVICE, "IFS_HANDLES|xp1_graceful_close 0x4", &v, NULL));
  ck_assert_uint_eq (v, WSI_XP1_IFS_HANDLES | WSI_XP1_GRACEFUL_CLOSE | WSI_XP1_GUARANTEED_ORDER);
  ck_assert (!wsi_flags_parse (WSI_FLAG_SET_SERVICE, "IFS_HANDLES NOT_A_FLAG", &v, &bad));
  ck_assert_str_eq (bad, "NOT_A_FLAG");
  ck_assert (!wsi_flags_parse (WSI_FLAG_SET_SERVICE, "0x1ffffffff", &v, NULL));
  ck_assert (wsi_flags_parse (WSI_FLAG_SET_PROVIDER, "", &v, NULL) && v == 0);
}
END_TEST

START_TEST (flags_format_canonically_with_unknown_bits)
{
  g_autofree char *a = wsi_flags_format (WSI_FLAG_SET_SERVICE, 0x20066);
  g_autofree char *b = wsi_flags_format (WSI_FLAG_SET_PROVIDER, WSI_PFL_HIDDEN | 0x100);
  g_autofree char *c = wsi_flags_format (WSI_FLAG_SET_LSP_CATEGORY, WSI_LSP_SYSTEM | WSI_LSP_FIREWALL);
  g_autofree char *z = wsi_flags_format (WSI_FLAG_SET_PROVIDER, 0);
  guint32 v;

  /* 0x20066 is MSAFD Tcpip [TCP/IP]'s dwServiceFlags1 in the real dumps. */
  ck_assert_str_eq (a, "GUARANTEED_DELIVERY|GUARANTEED_ORDER|GRACEFUL_CLOSE|EXPEDITED_DATA|IFS_HANDLES");
  ck_assert_str_eq (b, "HIDDEN|0x100");
  ck_assert_str_eq (c, "FIREWALL|SYSTEM");
  ck_assert_str_eq (z, "0");
  ck_assert (wsi_flags_parse (WSI_FLAG_SET_SERVICE, a, &v, NULL) && v == 0x20066);
}
END_TEST

START_TEST (enums_parse_names_aliases_and_numbers)
{
  gint32 v;
  ck_assert (wsi_enum_parse (WSI_ENUM_ADDRESS_FAMILY, "inet6", &v) && v == 23);
  ck_assert (wsi_enum_parse (WSI_ENUM_ADDRESS_FAMILY, "AF_INET", &v) && v == 2);
  ck_assert (wsi_enum_parse (WSI_ENUM_ADDRESS_FAMILY, "40", &v) && v == 40);
  ck_assert (wsi_enum_parse (WSI_ENUM_SOCKET_TYPE, "dgram", &v) && v == 2);
  ck_assert (wsi_enum_parse (WSI_ENUM_PROTOCOL, "IPPROTO_UDP", &v) && v == 17);
  ck_assert (wsi_enum_parse (WSI_ENUM_PROTOCOL, "-3", &v) && v == -3);
  ck_assert (!wsi_enum_parse (WSI_ENUM_PROTOCOL, "tcpx", &v));
  ck_assert (!wsi_enum_parse (WSI_ENUM_PROTOCOL, "99999999999", &v));
  ck_assert (!wsi_enum_parse (WSI_ENUM_PROTOCOL, "", &v));
  ck_assert_str_eq (wsi_enum_name (WSI_ENUM_SOCKET_TYPE, 3), "raw");
  ck_assert_ptr_null (wsi_enum_name (WSI_ENUM_ADDRESS_FAMILY, 999));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("flags");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, service_flags_parse_names_prefixes_and_numbers);
  tcase_add_test (tc, flags_format_canonically_with_unknown_bits);
  tcase_add_test (tc, enums_parse_names_aliases_and_numbers);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
