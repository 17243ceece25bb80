/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-entry.c: the binary forms of a catalog entry (WSAPROTOCOL_INFOW,
 * PackedCatalogItem). */
#include "wsi-test-util.h"

#include <string.h>

/* The real Win7 PackedCatalogItem of tests/data/entry/win7-x86-tcp.hex. */
static GBytes *
load_hex (const char *name)
{
  g_autofree char *path = wsi_test_data_path (name);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GByteArray *bytes = g_byte_array_new ();

  ck_assert_msg (g_file_get_contents (path, &text, NULL, &error), "%s", error ? error->message : "");
  g_strstrip (text);
  for (gsize i = 0; text[i] != '\0' && text[i + 1] != '\0'; i += 2)
    {
      guint8 b = (guint8) (g_ascii_xdigit_value (text[i]) << 4 | g_ascii_xdigit_value (text[i + 1]));
      g_byte_array_append (bytes, &b, 1);
    }
  return g_byte_array_free_to_bytes (bytes);
}

static WsiEntry *
full_entry (void)
{
  WsiEntry *e = wsi_entry_new ();

  for (guint i = 0; i < 4; i++)
    e->service_flags[i] = 0x11110000u + i;
  e->provider_flags = 0x0000000cu;
  g_assert (wsi_guid_parse ("{C52CDAB2-841F-4051-9A63-7EDE5BFC31C8}", &e->provider_id));
  e->catalog_id = 1015;
  e->chain_len = 2;
  for (guint i = 0; i < WSI_MAX_PROTOCOL_CHAIN; i++)
    e->chain[i] = 0xA0000000u + i;   /* slots past ChainLen are kept verbatim */
  e->chain[0] = 1012;
  e->chain[1] = 1004;
  e->version = 2;
  e->address_family = 23;
  e->max_sockaddr = 28;
  e->min_sockaddr = 28;
  e->socket_type = 1;
  e->protocol = -6;
  e->protocol_max_offset = 255;
  e->network_byte_order = 1;
  e->security_scheme = 3;
  e->message_size = 0xFFFFFFFFu;
  e->provider_reserved = 0xDEADBEEFu;
  wsi_entry_set_name (e, "LavasoftLSP over [MSAFD Tcpip [TCP/IPv6]] \xc3\xa9\xf0\x9f\x98\x80");
  wsi_entry_set_path (e, "C:\\Program Files\\Caf\xc3\xa9 \xe2\x82\xac\\lsp.dll");
  return e;
}

START_TEST (real_win7_item_unpacks_to_the_dump_fields)
{
  g_autoptr(GBytes) raw = load_hex ("entry/win7-x86-tcp.hex");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiEntry) e = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (raw, &len);
  g_autofree char *guid = NULL;

  ck_assert_uint_eq (len, WSI_PACKED_ITEM_SIZE);
  e = wsi_entry_unpack_catalog_item (data, len, &error);
  ck_assert_msg (e != NULL, "%s", error ? error->message : "");
  /* The dump's parsed line: path='%SystemRoot%\system32\mswsock.dll'
   * flags1=0x20066 provflags=0x8 guid={E70F1AA0-...} id=1001 chainlen=1
   * ver=2 af=2 max=16 min=16 type=1 proto=6 maxoff=0 order=0 sec=0 msgsize=0x0 */
  ck_assert_str_eq (e->path, "%SystemRoot%\\system32\\mswsock.dll");
  ck_assert_str_eq (e->name, "@%SystemRoot%\\System32\\wshtcpip.dll,-60100");
  ck_assert_uint_eq (e->service_flags[0], 0x20066);
  ck_assert_uint_eq (e->provider_flags, 0x8);
  guid = wsi_guid_to_string (&e->provider_id);
  ck_assert_str_eq (guid, "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}");
  ck_assert_uint_eq (e->catalog_id, 1001);
  ck_assert_int_eq (e->chain_len, 1);
  ck_assert_int_eq (wsi_entry_get_kind (e), WSI_ENTRY_BASE);
  ck_assert_int_eq (e->version, 2);
  ck_assert_int_eq (e->address_family, 2);
  ck_assert_int_eq (e->max_sockaddr, 16);
  ck_assert_int_eq (e->min_sockaddr, 16);
  ck_assert_int_eq (e->socket_type, 1);
  ck_assert_int_eq (e->protocol, 6);
  ck_assert_uint_eq (e->message_size, 0);
}
END_TEST

START_TEST (repacking_a_real_item_gives_its_bytes_with_the_garbage_after_the_path_cleared)
{
  g_autoptr(GBytes) raw = load_hex ("entry/win7-x86-tcp.hex");
  g_autoptr(WsiEntry) e = NULL;
  guint8 out[WSI_PACKED_ITEM_SIZE];
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (raw, &len);
  gsize path_len = strlen ((const char *) data);

  e = wsi_entry_unpack_catalog_item (data, len, NULL);
  ck_assert_ptr_nonnull (e);
  ck_assert (wsi_entry_pack_catalog_item (e, out, NULL));
  /* the real item has garbage after the path's NUL (Windows 7) */
  ck_assert_int_ne (data[path_len + 1], 0);
  ck_assert_mem_eq (out, data, path_len + 1);
  for (gsize i = path_len + 1; i < WSI_MAX_PATH; i++)
    ck_assert_uint_eq (out[i], 0);
  ck_assert_mem_eq (out + WSI_MAX_PATH, data + WSI_MAX_PATH, WSI_PROTOCOL_INFO_SIZE);
}
END_TEST

START_TEST (pack_then_unpack_keeps_every_field)
{
  g_autoptr(WsiEntry) e = full_entry ();
  g_autoptr(WsiEntry) back = NULL;
  g_autoptr(GError) error = NULL;
  guint8 item[WSI_PACKED_ITEM_SIZE];

  ck_assert (wsi_entry_pack_catalog_item (e, item, &error));
  back = wsi_entry_unpack_catalog_item (item, sizeof item, &error);
  ck_assert_msg (back != NULL, "%s", error ? error->message : "");
  /* LSP categories are not part of the packed form. */
  ck_assert (wsi_entry_equal (e, back));
  ck_assert_uint_eq (back->chain[6], 0xA0000006u);
}
END_TEST

START_TEST (protocol_info_fields_sit_at_the_documented_offsets)
{
  g_autoptr(WsiEntry) e = full_entry ();
  guint8 p[WSI_PROTOCOL_INFO_SIZE];
  static const guint8 guid_bytes[16] = { 0xb2, 0xda, 0x2c, 0xc5, 0x1f, 0x84, 0x51, 0x40,
                                         0x9a, 0x63, 0x7e, 0xde, 0x5b, 0xfc, 0x31, 0xc8 };

  wsi_entry_pack_protocol_info (e, p);
  ck_assert_uint_eq (p[0], 0x00);
  ck_assert_uint_eq (p[2], 0x11);      /* dwServiceFlags1 = 0x11110000 LE */
  ck_assert_uint_eq (p[12], 0x03);     /* dwServiceFlags4 */
  ck_assert_uint_eq (p[16], 0x0c);     /* dwProviderFlags */
  ck_assert_mem_eq (p + 20, guid_bytes, 16);
  ck_assert_uint_eq (p[36] | p[37] << 8, 1015);      /* dwCatalogEntryId */
  ck_assert_uint_eq (p[40], 2);                      /* ChainLen */
  ck_assert_uint_eq (p[44] | p[45] << 8, 1012);      /* ChainEntries[0] */
  ck_assert_uint_eq (p[48] | p[49] << 8, 1004);
  ck_assert_uint_eq (p[72], 2);                      /* iVersion */
  ck_assert_uint_eq (p[76], 23);                     /* iAddressFamily */
  ck_assert_uint_eq (p[92], 0xfa);                   /* iProtocol = -6 */
  ck_assert_uint_eq (p[95], 0xff);
  ck_assert_uint_eq (p[96], 255);                    /* iProtocolMaxOffset */
  ck_assert_uint_eq (p[104], 3);                     /* iSecurityScheme */
  ck_assert_uint_eq (p[108], 0xff);                  /* dwMessageSize */
  ck_assert_uint_eq (p[112], 0xef);                  /* dwProviderReserved */
  ck_assert_uint_eq (p[116], 'L');                   /* szProtocol, UTF-16LE */
  ck_assert_uint_eq (p[117], 0);
  ck_assert_uint_eq (p[626], 0);
  ck_assert_uint_eq (p[627], 0);
}
END_TEST

START_TEST (protocol_info_round_trips_alone)
{
  g_autoptr(WsiEntry) e = full_entry ();
  g_autoptr(WsiEntry) back = NULL;
  guint8 p[WSI_PROTOCOL_INFO_SIZE];

  wsi_entry_pack_protocol_info (e, p);
  back = wsi_entry_unpack_protocol_info (p, sizeof p, NULL);
  ck_assert_ptr_nonnull (back);
  ck_assert_ptr_null (back->path);
  wsi_entry_set_path (back, e->path);
  ck_assert (wsi_entry_equal (e, back));
}
END_TEST

static void
assert_packed_invalid (const GError *error)
{
  ck_assert_ptr_nonnull (error);
  ck_assert_msg (g_error_matches (error, WSI_ERROR, WSI_ERROR_PACKED_ITEM_INVALID), "%s", error->message);
  ck_assert_str_eq (wsi_error_to_tag (error), "packed-item-invalid");
}

START_TEST (wrong_lengths_are_refused)
{
  guint8 buf[WSI_PACKED_ITEM_SIZE + 1] = { 0 };
  static const gsize item_lengths[] = { 0, 1, 627, 628, 887, 889 };
  static const gsize info_lengths[] = { 0, 627, 629, 888 };

  for (gsize i = 0; i < G_N_ELEMENTS (item_lengths); i++)
    {
      g_autoptr(GError) error = NULL;
      ck_assert_ptr_null (wsi_entry_unpack_catalog_item (buf, item_lengths[i], &error));
      assert_packed_invalid (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (info_lengths); i++)
    {
      g_autoptr(GError) error = NULL;
      ck_assert_ptr_null (wsi_entry_unpack_protocol_info (buf, info_lengths[i], &error));
      assert_packed_invalid (error);
    }
  {
    g_autoptr(GError) error = NULL;
    ck_assert_ptr_null (wsi_entry_unpack_catalog_item (NULL, WSI_PACKED_ITEM_SIZE, &error));
    assert_packed_invalid (error);
  }
}
END_TEST

START_TEST (path_without_nul_is_refused)
{
  guint8 item[WSI_PACKED_ITEM_SIZE] = { 0 };
  g_autoptr(GError) error = NULL;

  memset (item, 'A', WSI_MAX_PATH);
  ck_assert_ptr_null (wsi_entry_unpack_catalog_item (item, sizeof item, &error));
  assert_packed_invalid (error);
}
END_TEST

START_TEST (name_without_nul_is_refused)
{
  guint8 item[WSI_PACKED_ITEM_SIZE] = { 0 };
  g_autoptr(GError) error = NULL;

  for (gsize i = WSI_MAX_PATH + 116; i < WSI_PACKED_ITEM_SIZE; i += 2)
    item[i] = 'x';
  ck_assert_ptr_null (wsi_entry_unpack_catalog_item (item, sizeof item, &error));
  assert_packed_invalid (error);
}
END_TEST

START_TEST (invalid_utf16_name_is_refused)
{
  guint8 item[WSI_PACKED_ITEM_SIZE] = { 0 };
  g_autoptr(GError) error = NULL;

  /* a lone high surrogate, then NUL */
  item[WSI_MAX_PATH + 116] = 0x00;
  item[WSI_MAX_PATH + 117] = 0xD8;
  ck_assert_ptr_null (wsi_entry_unpack_catalog_item (item, sizeof item, &error));
  assert_packed_invalid (error);
}
END_TEST

START_TEST (bytes_after_the_path_nul_are_ignored)
{
  g_autoptr(WsiEntry) e = full_entry ();
  g_autoptr(WsiEntry) back = NULL;
  guint8 item[WSI_PACKED_ITEM_SIZE];
  gsize n;

  ck_assert (wsi_entry_pack_catalog_item (e, item, NULL));
  n = strlen ((const char *) item);
  memset (item + n + 1, 0x5A, WSI_MAX_PATH - n - 1);
  back = wsi_entry_unpack_catalog_item (item, sizeof item, NULL);
  ck_assert_ptr_nonnull (back);
  ck_assert_str_eq (back->path, e->path);
}
END_TEST

START_TEST (ansi_path_is_windows_1252)
{
  guint8 item[WSI_PACKED_ITEM_SIZE] = { 0 };
  g_autoptr(WsiEntry) back = NULL;
  guint8 again[WSI_PACKED_ITEM_SIZE];

  /* 0x80 is the euro sign, 0xE9 e acute, 0x81 is undefined in 1252 and
   * maps to U+0081 as MultiByteToWideChar does. */
  memcpy (item, "C:\\\x80\xe9\x81.dll", 10);
  back = wsi_entry_unpack_catalog_item (item, sizeof item, NULL);
  ck_assert_ptr_nonnull (back);
  ck_assert_str_eq (back->path, "C:\\\xe2\x82\xac\xc3\xa9\xc2\x81.dll");
  ck_assert (wsi_entry_pack_catalog_item (back, again, NULL));
  ck_assert_mem_eq (again, item, WSI_MAX_PATH);
}
END_TEST

START_TEST (long_names_are_truncated_to_255_units_without_splitting_a_pair)
{
  g_autoptr(WsiEntry) e = wsi_entry_new ();
  g_autoptr(WsiEntry) back = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  guint8 p[WSI_PROTOCOL_INFO_SIZE];
  glong units = 0;
  g_autofree gunichar2 *u16 = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_c (name, 'n');
  wsi_entry_set_name (e, name->str);
  wsi_entry_pack_protocol_info (e, p);
  back = wsi_entry_unpack_protocol_info (p, sizeof p, NULL);
  ck_assert_uint_eq (strlen (back->name), 255);
  g_clear_pointer (&back, wsi_entry_free);

  /* 254 letters, then an emoji (2 units): only the letters fit. */
  g_string_truncate (name, 254);
  g_string_append (name, "\xf0\x9f\x98\x80");
  wsi_entry_set_name (e, name->str);
  wsi_entry_pack_protocol_info (e, p);
  back = wsi_entry_unpack_protocol_info (p, sizeof p, NULL);
  ck_assert_ptr_nonnull (back);
  u16 = g_utf8_to_utf16 (back->name, -1, NULL, &units, NULL);
  ck_assert_int_eq (units, 254);
}
END_TEST

START_TEST (paths_that_do_not_fit_are_refused)
{
  g_autoptr(WsiEntry) e = wsi_entry_new ();
  g_autoptr(GString) path = g_string_new ("C:\\");
  guint8 item[WSI_PACKED_ITEM_SIZE];

  while (path->len < 259)
    g_string_append_c (path, 'p');
  wsi_entry_set_path (e, path->str);
  ck_assert (wsi_entry_pack_catalog_item (e, item, NULL));
  g_string_append_c (path, 'p');
  wsi_entry_set_path (e, path->str);
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_entry_pack_catalog_item (e, item, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_PATH_TOO_LONG));
    ck_assert_str_eq (wsi_error_to_tag (error), "path-too-long");
  }
  wsi_entry_set_path (e, "C:\\\xe4\xb8\xad\xe6\x96\x87\\lsp.dll");  /* CJK: not in Windows-1252 */
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_entry_pack_catalog_item (e, item, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_PATH_ENCODING));
    ck_assert_str_eq (wsi_error_to_tag (error), "path-encoding-unsupported");
  }
}
END_TEST

START_TEST (out_of_range_chain_length_still_loads_as_invalid)
{
  g_autoptr(WsiEntry) e = full_entry ();
  g_autoptr(WsiEntry) back = NULL;
  guint8 p[WSI_PROTOCOL_INFO_SIZE];

  /* Damage must load so that `catalog check` can report it. */
  e->chain_len = 9;
  wsi_entry_pack_protocol_info (e, p);
  back = wsi_entry_unpack_protocol_info (p, sizeof p, NULL);
  ck_assert_ptr_nonnull (back);
  ck_assert_int_eq (back->chain_len, 9);
  ck_assert_int_eq (wsi_entry_get_kind (back), WSI_ENTRY_INVALID);
  e->chain_len = -1;
  wsi_entry_pack_protocol_info (e, p);
  g_clear_pointer (&back, wsi_entry_free);
  back = wsi_entry_unpack_protocol_info (p, sizeof p, NULL);
  ck_assert_int_eq (back->chain_len, -1);
}
END_TEST

START_TEST (null_name_and_path_pack_as_empty)
{
  g_autoptr(WsiEntry) e = wsi_entry_new ();
  g_autoptr(WsiEntry) back = NULL;
  guint8 item[WSI_PACKED_ITEM_SIZE];

  ck_assert (wsi_entry_pack_catalog_item (e, item, NULL));
  back = wsi_entry_unpack_catalog_item (item, sizeof item, NULL);
  ck_assert_str_eq (back->name, "");
  ck_assert_str_eq (back->path, "");
}
END_TEST

static Suite *
entry_suite (void)
{
  Suite *s = suite_create ("entry");
  TCase *tc = tcase_create ("pack");

  tcase_add_test (tc, real_win7_item_unpacks_to_the_dump_fields);
  tcase_add_test (tc, repacking_a_real_item_gives_its_bytes_with_the_garbage_after_the_path_cleared);
  tcase_add_test (tc, pack_then_unpack_keeps_every_field);
  tcase_add_test (tc, protocol_info_fields_sit_at_the_documented_offsets);
  tcase_add_test (tc, protocol_info_round_trips_alone);
  tcase_add_test (tc, wrong_lengths_are_refused);
  tcase_add_test (tc, path_without_nul_is_refused);
  tcase_add_test (tc, name_without_nul_is_refused);
  tcase_add_test (tc, invalid_utf16_name_is_refused);
  tcase_add_test (tc, bytes_after_the_path_nul_are_ignored);
  tcase_add_test (tc, ansi_path_is_windows_1252);
  tcase_add_test (tc, long_names_are_truncated_to_255_units_without_splitting_a_pair);
  tcase_add_test (tc, paths_that_do_not_fit_are_refused);
  tcase_add_test (tc, out_of_range_chain_length_still_loads_as_invalid);
  tcase_add_test (tc, null_name_and_path_pack_as_empty);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (entry_suite ());
}
