/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-flags.c: flag sets and enumerations by name. */
#include "wsi-test-util.h"

#include "wsi-number-private.h"

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

/* The number helpers every parser uses: the syntax of g_ascii_strto*,
 * whole strings, overflow told by saturation (not by errno alone). */
START_TEST (numbers_parse_whole_strings_and_tell_overflow_by_saturation)
{
  gint64 s = 0;
  guint64 u = 0;
  const char *end = NULL;

  ck_assert (wsi_number_parse_signed ("9223372036854775807", G_MININT64, G_MAXINT64, &s) && s == G_MAXINT64);
  ck_assert (wsi_number_parse_signed ("-9223372036854775808", G_MININT64, G_MAXINT64, &s) && s == G_MININT64);
  ck_assert (!wsi_number_parse_signed ("9223372036854775808", G_MININT64, G_MAXINT64, &s));
  ck_assert (!wsi_number_parse_signed ("-9223372036854775809", G_MININT64, G_MAXINT64, &s));
  ck_assert (wsi_number_parse_signed ("+7", 0, 10, &s) && s == 7);
  ck_assert (!wsi_number_parse_signed ("11", 0, 10, &s));
  ck_assert (!wsi_number_parse_signed ("7 ", 0, 10, &s));
  ck_assert (!wsi_number_parse_signed ("", 0, 10, &s));
  ck_assert (!wsi_number_parse_signed ("-", 0, 10, &s));

  ck_assert (wsi_number_parse_unsigned ("18446744073709551615", 10, G_MAXUINT64, &u) && u == G_MAXUINT64);
  ck_assert (!wsi_number_parse_unsigned ("18446744073709551616", 10, G_MAXUINT64, &u));
  ck_assert (!wsi_number_parse_unsigned ("-1", 10, G_MAXUINT64, &u));
  ck_assert (!wsi_number_parse_unsigned ("+1", 10, G_MAXUINT64, &u));
  ck_assert (!wsi_number_parse_unsigned (" 1", 10, G_MAXUINT64, &u));
  ck_assert (!wsi_number_parse_unsigned ("", 16, G_MAXUINT64, &u));
  ck_assert (!wsi_number_parse_unsigned ("0x5", 16, G_MAXUINT64, &u));
  ck_assert (wsi_number_parse_unsigned ("ff", 16, 255, &u) && u == 255);
  ck_assert (!wsi_number_parse_unsigned ("100", 16, 255, &u));
  ck_assert (wsi_number_parse_unsigned ("0x1F", 0, G_MAXUINT32, &u) && u == 0x1f);
  ck_assert (wsi_number_parse_unsigned ("017", 0, G_MAXUINT32, &u) && u == 15);
  ck_assert (!wsi_number_parse_unsigned ("0x", 0, G_MAXUINT32, &u));

  ck_assert (wsi_number_scan_unsigned ("4294967295.1", 10, G_MAXUINT32, &u, &end) && u == G_MAXUINT32);
  ck_assert_str_eq (end, ".1");
  ck_assert (!wsi_number_scan_unsigned ("4294967296.1", 10, G_MAXUINT32, &u, &end));
  ck_assert (!wsi_number_scan_unsigned (".1", 10, G_MAXUINT32, &u, &end));
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
  tcase_add_test (tc, numbers_parse_whole_strings_and_tell_overflow_by_saturation);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
