/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-catalog.c: one catalog and the WSC semantics on it: IDs from the
 * counter, order, every documented error code, socket resolution and
 * WSCInstallProviderAndChains. */
#include "wsi-test-util.h"

#include <string.h>

#define TCPIP_GUID "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}"
#define TCPIP6_GUID "{F9EAB0C0-26D4-11D0-BBBF-00AA006C34E4}"
#define LSP_GUID "{11111111-2222-3333-4444-555555555555}"
#define OTHER_GUID "{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"

static void
install (WsiCatalog *c, const char *g, const WsiEntry *const *infos, guint n)
{
  g_autoptr(GError) error = NULL;
  WsiGuid id = wsi_test_guid (g);
  ck_assert_msg (wsi_catalog_install_provider (c, &id, "%SystemRoot%\\system32\\mswsock.dll", infos, n, &error),
                 "%s", error != NULL ? error->message : "");
}

/* A catalog like Windows 7's first entries: TCP, UDP, RAW over IPv4 (IDs
 * 1001-1003) and TCP, UDP over IPv6 (1004-1005). */
static WsiCatalog *
make_catalog (WsiBitness bitness)
{
  WsiCatalog *c = wsi_catalog_new (bitness);
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "MSAFD Tcpip [TCP/IP]");
  g_autoptr(WsiEntry) udp = wsi_test_base_entry (2, 2, 17, "MSAFD Tcpip [UDP/IP]");
  g_autoptr(WsiEntry) raw = wsi_test_base_entry (2, 3, 0, "MSAFD Tcpip [RAW/IP]");
  g_autoptr(WsiEntry) tcp6 = wsi_test_base_entry (23, 1, 6, "MSAFD Tcpip [TCP/IPv6]");
  g_autoptr(WsiEntry) udp6 = wsi_test_base_entry (23, 2, 17, "MSAFD Tcpip [UDP/IPv6]");
  const WsiEntry *v4[] = { tcp, udp, raw };
  const WsiEntry *v6[] = { tcp6, udp6 };

  udp->service_flags[0] = WSI_XP1_CONNECTIONLESS | WSI_XP1_MESSAGE_ORIENTED | WSI_XP1_IFS_HANDLES;
  raw->protocol_max_offset = 255;
  raw->provider_flags |= WSI_PFL_HIDDEN;
  install (c, TCPIP_GUID, v4, 3);
  install (c, TCPIP6_GUID, v6, 2);
  return c;
}

static void
assert_order (const WsiCatalog *c, const guint32 *ids, guint n)
{
  ck_assert_uint_eq (wsi_catalog_get_size (c), n);
  for (guint i = 0; i < n; i++)
    ck_assert_uint_eq (wsi_catalog_get_entry (c, i)->catalog_id, ids[i]);
}

#define ck_assert_wsa(error, code) \
  do { \
    ck_assert_ptr_nonnull (error); \
    ck_assert_msg (wsi_error_get_wsa (error) == (code), "expected WSA %d, got: %s", (code), (error)->message); \
  } while (0)

/* ---------------- storage and lookups ---------------- */

START_TEST (new_catalog_is_empty_with_counter_at_1001)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_64);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 0);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1001);
  ck_assert_int_eq (wsi_catalog_get_bitness (c), WSI_CATALOG_64);
  ck_assert_ptr_null (wsi_catalog_get_entry (c, 0));
  ck_assert_ptr_null (wsi_catalog_find_id (c, 1001));
  ck_assert_int_eq (wsi_catalog_find_position (c, 1001), -1);
}
END_TEST

START_TEST (install_appends_with_ids_from_the_counter)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  static const guint32 want[] = { 1001, 1002, 1003, 1004, 1005 };
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);
  const WsiEntry *e;

  assert_order (c, want, 5);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1006);
  e = wsi_catalog_find_id (c, 1003);
  ck_assert_str_eq (e->name, "MSAFD Tcpip [RAW/IP]");
  ck_assert (wsi_guid_equal (&e->provider_id, &tcpip));
  ck_assert_str_eq (e->path, "%SystemRoot%\\system32\\mswsock.dll");
  ck_assert_int_eq (wsi_catalog_find_position (c, 1004), 3);
}
END_TEST

START_TEST (ids_are_never_reused_after_removal)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "again");
  const WsiEntry *infos[] = { info };
  WsiGuid tcpip6 = wsi_test_guid (TCPIP6_GUID);
  g_autoptr(GError) error = NULL;

  ck_assert (wsi_catalog_deinstall_provider (c, &tcpip6, &error));
  install (c, TCPIP6_GUID, infos, 1);
  /* 1004 and 1005 are gone for good; the reinstall gets 1006. */
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 3)->catalog_id, 1006);
  ck_assert_ptr_null (wsi_catalog_find_id (c, 1004));
}
END_TEST

START_TEST (find_guid_returns_entries_in_catalog_order)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  g_autoptr(GPtrArray) found = wsi_catalog_find_guid (c, &tcpip);
  g_autoptr(GPtrArray) none = wsi_catalog_find_guid (c, &other);
  static const guint32 order[] = { 1003, 1001, 1002, 1004, 1005 };

  ck_assert_uint_eq (found->len, 3);
  ck_assert_uint_eq (none->len, 0);
  ck_assert (wsi_catalog_write_order (c, order, 5, NULL));
  g_ptr_array_unref (found);
  found = wsi_catalog_find_guid (c, &tcpip);
  ck_assert_uint_eq (((const WsiEntry *) found->pdata[0])->catalog_id, 1003);
  ck_assert_uint_eq (((const WsiEntry *) found->pdata[2])->catalog_id, 1002);
}
END_TEST

START_TEST (duplicate_ids_load_and_the_first_wins)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  WsiEntry *a = wsi_test_base_entry (2, 1, 6, "first");
  WsiEntry *b = wsi_test_base_entry (2, 2, 17, "second");

  a->catalog_id = b->catalog_id = 1007;
  wsi_catalog_append_loaded (c, a);
  wsi_catalog_append_loaded (c, b);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 2);
  ck_assert_str_eq (wsi_catalog_find_id (c, 1007)->name, "first");
  ck_assert_int_eq (wsi_catalog_find_position (c, 1007), 0);
  /* Loading touches neither counter nor serial. */
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1001);
  ck_assert_uint_eq (wsi_catalog_get_serial (c), 0);
}
END_TEST

START_TEST (removing_one_duplicate_keeps_the_other_findable)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  WsiEntry *a = wsi_test_base_entry (2, 1, 6, "first");
  WsiEntry *b = wsi_test_base_entry (2, 2, 17, "second");
  WsiGuid other = wsi_test_guid (OTHER_GUID);

  a->catalog_id = b->catalog_id = 1007;
  b->provider_id = other;
  wsi_catalog_append_loaded (c, a);
  wsi_catalog_append_loaded (c, b);
  ck_assert (wsi_catalog_deinstall_provider (c, &a->provider_id, NULL));
  ck_assert_str_eq (wsi_catalog_find_id (c, 1007)->name, "second");
  ck_assert_int_eq (wsi_catalog_find_position (c, 1007), 0);
}
END_TEST

START_TEST (copy_is_deep)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiCatalog) d = wsi_catalog_copy (c);
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);

  ck_assert (wsi_catalog_same_ids (c, d));
  ck_assert (wsi_entry_equal (wsi_catalog_get_entry (c, 2), wsi_catalog_get_entry (d, 2)));
  ck_assert (wsi_catalog_deinstall_provider (d, &tcpip, NULL));
  ck_assert_uint_eq (wsi_catalog_get_size (c), 5);
  ck_assert_uint_eq (wsi_catalog_get_size (d), 2);
  ck_assert (!wsi_catalog_same_ids (c, d));
}
END_TEST

/* ---------------- WSCInstallProvider ---------------- */

START_TEST (install_refuses_a_guid_already_installed)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "dup");
  const WsiEntry *infos[] = { info };
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);
  g_autoptr(GError) error = NULL;
  guint32 serial = wsi_catalog_get_serial (c);

  ck_assert (!wsi_catalog_install_provider (c, &tcpip, "x.dll", infos, 1, &error));
  ck_assert_wsa (error, WSI_WSANO_RECOVERY);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 5);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1006);
  ck_assert_uint_eq (wsi_catalog_get_serial (c), serial);
}
END_TEST

START_TEST (install_refuses_invalid_arguments_with_wsaeinval)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) bad_len = wsi_test_base_entry (2, 1, 6, "x");
  g_autoptr(WsiEntry) neg_len = wsi_test_base_entry (2, 1, 6, "x");
  g_autoptr(WsiEntry) long_name = wsi_test_base_entry (2, 1, 6, NULL);
  g_autoptr(WsiEntry) ok = wsi_test_base_entry (2, 1, 6, "ok");
  g_autofree char *name256 = g_strnfill (256, 'n');
  g_autofree char *path260 = g_strnfill (260, 'p');
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  const WsiEntry *infos_bad_len[] = { ok, bad_len };
  const WsiEntry *infos_neg_len[] = { neg_len };
  const WsiEntry *infos_long_name[] = { long_name };
  const WsiEntry *infos_ok[] = { ok };

  bad_len->chain_len = 8;
  neg_len->chain_len = -1;
  wsi_entry_set_name (long_name, name256);
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_install_provider (c, &other, "x.dll", infos_ok, 0, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_install_provider (c, &other, "x.dll", infos_bad_len, 2, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_install_provider (c, &other, "x.dll", infos_neg_len, 1, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_install_provider (c, &other, "x.dll", infos_long_name, 1, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_install_provider (c, &other, path260, infos_ok, 1, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  /* Nothing of the failed calls stayed behind (the first info of the
   * bad_len call was valid). */
  ck_assert_uint_eq (wsi_catalog_get_size (c), 5);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1006);
}
END_TEST

START_TEST (install_limits_count_utf16_units)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *path259 = g_strnfill (259, 'p');
  const WsiEntry *infos[] = { info };
  WsiGuid a = wsi_test_guid (OTHER_GUID), b = wsi_test_guid (LSP_GUID);
  g_autoptr(GError) error = NULL;

  /* 127 characters outside the BMP + 1 = 255 UTF-16 units: accepted. */
  for (int i = 0; i < 127; i++)
    g_string_append (name, "\xf0\x9f\x98\x80");
  g_string_append_c (name, 'x');
  wsi_entry_set_name (info, name->str);
  ck_assert (wsi_catalog_install_provider (c, &a, path259, infos, 1, NULL));
  /* One more unit is one too many, though it is only 129 characters. */
  g_string_append_c (name, 'y');
  wsi_entry_set_name (info, name->str);
  ck_assert (!wsi_catalog_install_provider (c, &b, "x.dll", infos, 1, &error));
  ck_assert_wsa (error, WSI_WSAEINVAL);
}
END_TEST

START_TEST (install_refuses_missing_pointers_with_wsaefault)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) ok = wsi_test_base_entry (2, 1, 6, "ok");
  const WsiEntry *infos[] = { ok };
  const WsiEntry *holes[] = { ok, NULL };
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  struct { const WsiGuid *g; const char *path; const WsiEntry *const *infos; guint n; } cases[] = {
    { NULL, "x.dll", infos, 1 },
    { &other, NULL, infos, 1 },
    { &other, "x.dll", NULL, 1 },
    { &other, "x.dll", holes, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      ck_assert (!wsi_catalog_install_provider (c, cases[i].g, cases[i].path, cases[i].infos, cases[i].n, &error));
      ck_assert_wsa (error, WSI_WSAEFAULT);
    }
  ck_assert_uint_eq (wsi_catalog_get_size (c), 0);
}
END_TEST

START_TEST (install_does_not_check_chain_members)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) chain = wsi_test_base_entry (2, 1, 6, "dangling");
  const WsiEntry *infos[] = { chain };

  /* Like ws2_32: a chain naming IDs that do not exist is accepted (this is
   * how the LSP64_32 damage happens). */
  chain->chain_len = 2;
  chain->chain[0] = 5555;
  chain->chain[1] = 6666;
  install (c, OTHER_GUID, infos, 1);
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 0)->chain[0], 5555);
}
END_TEST

START_TEST (install_refuses_when_the_counter_is_exhausted)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) a = wsi_test_base_entry (2, 1, 6, "a");
  const WsiEntry *infos[] = { a, a };
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  g_autoptr(GError) error = NULL;

  wsi_catalog_set_next_id (c, G_MAXUINT32 - 1);
  ck_assert (!wsi_catalog_install_provider (c, &other, "x.dll", infos, 2, &error));
  ck_assert_wsa (error, WSI_WSANO_RECOVERY);
}
END_TEST

/* ---------------- WSCDeinstallProvider ---------------- */

START_TEST (deinstall_removes_every_entry_of_the_guid_and_keeps_order)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  static const guint32 order[] = { 1004, 1001, 1005, 1002, 1003 };
  static const guint32 want[] = { 1004, 1005 };
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);
  guint32 serial;

  ck_assert (wsi_catalog_write_order (c, order, 5, NULL));
  serial = wsi_catalog_get_serial (c);
  ck_assert (wsi_catalog_deinstall_provider (c, &tcpip, NULL));
  assert_order (c, want, 2);
  ck_assert_int_eq (wsi_catalog_find_position (c, 1005), 1);
  ck_assert_ptr_null (wsi_catalog_find_id (c, 1001));
  ck_assert_uint_eq (wsi_catalog_get_serial (c), serial + 1);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1006);
}
END_TEST

START_TEST (deinstall_accepts_a_guid_pointing_into_the_catalog)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  const WsiEntry *first = wsi_catalog_get_entry (c, 0);

  ck_assert (wsi_catalog_deinstall_provider (c, &first->provider_id, NULL));
  ck_assert_uint_eq (wsi_catalog_get_size (c), 2);
}
END_TEST

START_TEST (deinstall_of_an_unknown_guid_fails_with_wsaeinval)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  ck_assert (!wsi_catalog_deinstall_provider (c, &other, &error));
  ck_assert_wsa (error, WSI_WSAEINVAL);
  ck_assert (!wsi_catalog_deinstall_provider (c, NULL, &error2));
  ck_assert_wsa (error2, WSI_WSAEFAULT);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 5);
}
END_TEST

/* ---------------- WSCUpdateProvider ---------------- */

START_TEST (update_rewrites_in_place_keeping_ids_and_positions)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) a = wsi_test_base_entry (23, 1, 6, "new tcp6");
  g_autoptr(WsiEntry) b = wsi_test_base_entry (23, 2, 17, "new udp6");
  const WsiEntry *infos[] = { a, b };
  WsiGuid tcpip6 = wsi_test_guid (TCPIP6_GUID);
  static const guint32 want[] = { 1001, 1002, 1003, 1004, 1005 };
  const WsiEntry *e;

  ck_assert (wsi_catalog_set_lsp_categories (c, &tcpip6, WSI_LSP_FIREWALL, NULL));
  ck_assert (wsi_catalog_update_provider (c, &tcpip6, "C:\\new.dll", infos, 2, NULL));
  assert_order (c, want, 5);
  e = wsi_catalog_find_id (c, 1005);
  ck_assert_str_eq (e->name, "new udp6");
  ck_assert_str_eq (e->path, "C:\\new.dll");
  ck_assert (wsi_guid_equal (&e->provider_id, &tcpip6));
  /* Categories live beside the protocol info: an update keeps them. */
  ck_assert_uint_eq (e->lsp_categories, WSI_LSP_FIREWALL);
}
END_TEST

START_TEST (update_accepts_infos_taken_from_the_catalog_itself)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID);
  g_autoptr(GPtrArray) mine = wsi_catalog_find_guid (c, &tcpip);
  const WsiEntry *rotated[3];
  const WsiEntry *e0 = wsi_catalog_get_entry (c, 0);

  rotated[0] = mine->pdata[1];
  rotated[1] = mine->pdata[2];
  rotated[2] = mine->pdata[0];
  ck_assert (wsi_catalog_update_provider (c, &e0->provider_id, e0->path, rotated, 3, NULL));
  ck_assert_str_eq (wsi_catalog_find_id (c, 1001)->name, "MSAFD Tcpip [UDP/IP]");
  ck_assert_str_eq (wsi_catalog_find_id (c, 1003)->name, "MSAFD Tcpip [TCP/IP]");
  ck_assert_str_eq (wsi_catalog_find_id (c, 1003)->path, "%SystemRoot%\\system32\\mswsock.dll");
}
END_TEST

START_TEST (update_errors_change_nothing)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiCatalog) before = wsi_catalog_copy (c);
  g_autoptr(WsiEntry) a = wsi_test_base_entry (23, 1, 6, "a");
  g_autoptr(WsiEntry) bad = wsi_test_base_entry (23, 1, 6, "bad");
  const WsiEntry *one[] = { a };
  const WsiEntry *two_bad[] = { a, bad };
  WsiGuid tcpip6 = wsi_test_guid (TCPIP6_GUID), other = wsi_test_guid (OTHER_GUID);

  bad->chain_len = 9;
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_update_provider (c, &other, "x.dll", one, 1, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_update_provider (c, &tcpip6, "x.dll", one, 1, &error));   /* 2 entries installed */
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_update_provider (c, &tcpip6, "x.dll", two_bad, 2, &error));
    ck_assert_wsa (error, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_update_provider (c, NULL, "x.dll", one, 1, &error));
    ck_assert_wsa (error, WSI_WSAEFAULT);
  }
  for (guint i = 0; i < 5; i++)
    ck_assert (wsi_entry_equal (wsi_catalog_get_entry (c, i), wsi_catalog_get_entry (before, i)));
  ck_assert_uint_eq (wsi_catalog_get_serial (c), wsi_catalog_get_serial (before));
}
END_TEST

/* ---------------- WSCWriteProviderOrder ---------------- */

START_TEST (write_order_applies_a_full_permutation)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  static const guint32 order[] = { 1005, 1003, 1001, 1004, 1002 };
  guint32 serial = wsi_catalog_get_serial (c);

  ck_assert (wsi_catalog_write_order (c, order, 5, NULL));
  assert_order (c, order, 5);
  ck_assert_int_eq (wsi_catalog_find_position (c, 1002), 4);
  ck_assert_int_eq (wsi_catalog_find_position (c, 1005), 0);
  ck_assert_uint_eq (wsi_catalog_get_serial (c), serial + 1);
}
END_TEST

START_TEST (write_order_refuses_anything_but_a_permutation)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  static const guint32 short_list[] = { 1001, 1002, 1003, 1004 };
  static const guint32 unknown[] = { 1001, 1002, 1003, 1004, 1099 };
  static const guint32 twice[] = { 1001, 1002, 1003, 1004, 1001 };
  static const guint32 want[] = { 1001, 1002, 1003, 1004, 1005 };
  guint32 serial = wsi_catalog_get_serial (c);
  struct { const guint32 *ids; guint n; int wsa; } cases[] = {
    { short_list, 4, WSI_WSAEINVAL },
    { unknown, 5, WSI_WSAEINVAL },
    { twice, 5, WSI_WSAEINVAL },
    { NULL, 5, WSI_WSAEFAULT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      ck_assert (!wsi_catalog_write_order (c, cases[i].ids, cases[i].n, &error));
      ck_assert_wsa (error, cases[i].wsa);
    }
  assert_order (c, want, 5);
  ck_assert_uint_eq (wsi_catalog_get_serial (c), serial);
}
END_TEST

START_TEST (ten_thousand_entries_stay_fast)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_64);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "bulk");
  const WsiEntry *infos[] = { info };
  g_autofree guint32 *reversed = g_new (guint32, 10000);
  gint64 start = g_get_monotonic_time ();
  WsiGuid ns = wsi_test_guid (OTHER_GUID);

  for (guint i = 0; i < 10000; i++)
    {
      WsiGuid g;
      char name[32];
      g_snprintf (name, sizeof name, "p%u", i);
      wsi_guid_derive (&ns, name, &g);
      ck_assert (wsi_catalog_install_provider (c, &g, "x.dll", infos, 1, NULL));
    }
  for (guint i = 0; i < 10000; i++)
    reversed[i] = 1001 + 9999 - i;
  ck_assert (wsi_catalog_write_order (c, reversed, 10000, NULL));
  for (guint i = 0; i < 10000; i++)
    ck_assert_int_eq (wsi_catalog_find_position (c, 1001 + i), 9999 - (int) i);
  /* Remove every other provider: each removal must not rescan the rest. */
  for (guint i = 0; i < 10000; i += 2)
    ck_assert (wsi_catalog_deinstall_provider (c, &wsi_catalog_get_entry (c, 0)->provider_id, NULL));
  ck_assert_uint_eq (wsi_catalog_get_size (c), 5000);
  /* Generous: quadratic work takes minutes here, linear well under one s. */
  ck_assert_int_lt (g_get_monotonic_time () - start, 20 * G_USEC_PER_SEC);
}
END_TEST

/* ---------------- WSCSetProviderInfo ---------------- */

START_TEST (lsp_categories_go_on_every_entry_of_the_guid)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  WsiGuid tcpip = wsi_test_guid (TCPIP_GUID), other = wsi_test_guid (OTHER_GUID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  ck_assert (wsi_catalog_set_lsp_categories (c, &tcpip, WSI_LSP_PROXY | WSI_LSP_INSPECTOR, NULL));
  ck_assert_uint_eq (wsi_catalog_find_id (c, 1001)->lsp_categories, WSI_LSP_PROXY | WSI_LSP_INSPECTOR);
  ck_assert_uint_eq (wsi_catalog_find_id (c, 1003)->lsp_categories, WSI_LSP_PROXY | WSI_LSP_INSPECTOR);
  ck_assert_uint_eq (wsi_catalog_find_id (c, 1004)->lsp_categories, 0);
  ck_assert (!wsi_catalog_set_lsp_categories (c, &other, WSI_LSP_PROXY, &error));
  ck_assert_wsa (error, WSI_WSAEINVAL);
  ck_assert (!wsi_catalog_set_lsp_categories (c, NULL, WSI_LSP_PROXY, &error2));
  ck_assert_wsa (error2, WSI_WSAEFAULT);
}
END_TEST

START_TEST (install_ignores_categories_in_the_infos)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *infos[] = { info };

  info->lsp_categories = WSI_LSP_FIREWALL;
  install (c, OTHER_GUID, infos, 1);
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 0)->lsp_categories, 0);
}
END_TEST

/* ---------------- socket resolution ---------------- */

START_TEST (resolve_takes_the_first_match_in_order)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) second = wsi_test_base_entry (2, 1, 6, "second TCP");
  const WsiEntry *infos[] = { second };
  static const guint32 order[] = { 1006, 1001, 1002, 1003, 1004, 1005 };

  install (c, OTHER_GUID, infos, 1);
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 1, 6)->catalog_id, 1001);
  ck_assert (wsi_catalog_write_order (c, order, 6, NULL));
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 1, 6)->catalog_id, 1006);
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 23, 2, 17)->catalog_id, 1005);
}
END_TEST

START_TEST (resolve_skips_layered_entries_but_serves_hidden_ones)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) layered = wsi_test_base_entry (2, 1, 6, "layered");
  g_autoptr(WsiEntry) hidden = wsi_test_base_entry (2, 2, 17, "hidden");
  const WsiEntry *l[] = { layered };
  const WsiEntry *h[] = { hidden };
  static const guint32 order[] = { 1006, 1007, 1001, 1002, 1003, 1004, 1005 };

  layered->chain_len = 0;
  hidden->provider_flags |= WSI_PFL_HIDDEN;
  install (c, LSP_GUID, l, 1);
  install (c, OTHER_GUID, h, 1);
  ck_assert (wsi_catalog_write_order (c, order, 7, NULL));
  /* The layered entry 1006 is first but never serves a socket. */
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 1, 6)->catalog_id, 1001);
  /* PFL_HIDDEN only hides from WSAEnumProtocols: socket() takes 1007. */
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 2, 17)->catalog_id, 1007);
  /* The hidden RAW entry serves raw sockets of every protocol in its
   * range, as MSAFD Tcpip [RAW/IP] serves ICMP (1) on Windows. */
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 3, 0)->catalog_id, 1003);
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 3, 1)->catalog_id, 1003);
  ck_assert_ptr_null (wsi_catalog_resolve_socket (c, 2, 3, 256));
}
END_TEST

START_TEST (resolve_protocol_zero_and_ranges)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) plain = wsi_test_base_entry (2, 1, 6, "no zero");
  g_autoptr(WsiEntry) zero = wsi_test_base_entry (2, 1, 6, "zero ok");
  g_autoptr(WsiEntry) raw = wsi_test_base_entry (2, 3, 0, "raw");
  const WsiEntry *infos[] = { plain, zero, raw };

  plain->provider_flags = 0;
  raw->provider_flags = 0;
  raw->protocol_max_offset = 255;
  install (c, OTHER_GUID, infos, 3);
  /* Protocol 0 passes over the entry without PFL_MATCHES_PROTOCOL_ZERO. */
  ck_assert_str_eq (wsi_catalog_resolve_socket (c, 2, 1, 0)->name, "zero ok");
  ck_assert_str_eq (wsi_catalog_resolve_socket (c, 2, 1, 6)->name, "no zero");
  /* iProtocolMaxOffset: RAW serves 0..255. */
  ck_assert_str_eq (wsi_catalog_resolve_socket (c, 2, 3, 1)->name, "raw");
  ck_assert_str_eq (wsi_catalog_resolve_socket (c, 2, 3, 255)->name, "raw");
  ck_assert_ptr_null (wsi_catalog_resolve_socket (c, 2, 3, 256));
  ck_assert_ptr_null (wsi_catalog_resolve_socket (c, 2, 1, 17));
  ck_assert_ptr_null (wsi_catalog_resolve_socket (c, 23, 1, 6));
}
END_TEST

/* ---------------- WSCInstallProviderAndChains ---------------- */

static gboolean
and_chains (WsiCatalog *c, const WsiEntry *const *infos, guint n, guint32 *layered, GError **error)
{
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  return wsi_catalog_install_provider_and_chains (c, &lsp, "C:\\lsp\\lsp.dll", "Demo LSP", 0, infos, n,
                                                  layered, error);
}

START_TEST (and_chains_installs_layered_entry_and_chains_on_top)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) want_tcp = wsi_test_base_entry (2, 1, 6, "ignored");
  g_autoptr(WsiEntry) want_udp = wsi_test_base_entry (2, 2, 17, "ignored");
  const WsiEntry *infos[] = { want_tcp, want_udp, want_tcp };   /* a repeated triple counts once */
  static const guint32 want[] = { 1007, 1008, 1001, 1002, 1003, 1004, 1005, 1006 };
  guint32 layered = 0;
  const WsiEntry *l, *chain;
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  g_autoptr(GError) error = NULL;

  ck_assert_msg (and_chains (c, infos, 3, &layered, &error), "%s", error ? error->message : "");
  ck_assert_uint_eq (layered, 1006);
  assert_order (c, want, 8);
  l = wsi_catalog_find_id (c, 1006);
  ck_assert_int_eq (wsi_entry_get_kind (l), WSI_ENTRY_LAYERED);
  ck_assert_str_eq (l->name, "Demo LSP");
  ck_assert (wsi_guid_equal (&l->provider_id, &lsp));
  ck_assert (l->provider_flags & WSI_PFL_HIDDEN);
  chain = wsi_catalog_find_id (c, 1007);
  ck_assert_int_eq (chain->chain_len, 2);
  ck_assert_uint_eq (chain->chain[0], 1006);
  ck_assert_uint_eq (chain->chain[1], 1001);
  ck_assert_str_eq (chain->name, "Demo LSP over [MSAFD Tcpip [TCP/IP]]");
  ck_assert_str_eq (chain->path, "C:\\lsp\\lsp.dll");
  ck_assert (!wsi_guid_equal (&chain->provider_id, &lsp));
  /* A non-IFS LSP (service flags without IFS_HANDLES) clears it. */
  ck_assert_uint_eq (chain->service_flags[0] & WSI_XP1_IFS_HANDLES, 0);
  ck_assert_uint_eq (wsi_catalog_find_id (c, 1008)->chain[1], 1002);
  /* The new socket now goes through the chain. */
  ck_assert_uint_eq (wsi_catalog_resolve_socket (c, 2, 1, 6)->catalog_id, 1007);
}
END_TEST

START_TEST (and_chains_without_infos_layers_over_every_base_triple)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) dup = wsi_test_base_entry (2, 1, 6, "second TCP base");
  const WsiEntry *d[] = { dup };
  guint32 layered = 0;

  install (c, OTHER_GUID, d, 1);   /* 1006: same triple as 1001, below it */
  ck_assert (and_chains (c, NULL, 0, &layered, NULL));
  ck_assert_uint_eq (layered, 1007);
  /* Five unique triples -> five chains (1008..1012) at the top. */
  ck_assert_uint_eq (wsi_catalog_get_size (c), 6 + 1 + 5);
  for (guint i = 0; i < 5; i++)
    ck_assert_int_eq (wsi_entry_get_kind (wsi_catalog_get_entry (c, i)), WSI_ENTRY_CHAIN);
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 0)->chain[1], 1001);
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 4)->chain[1], 1005);
}
END_TEST

START_TEST (and_chains_layers_over_the_top_most_match)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *infos[] = { tcp };
  WsiGuid second = wsi_test_guid (OTHER_GUID);
  guint32 first_layer = 0, second_layer = 0;
  const WsiEntry *top;

  ck_assert (and_chains (c, infos, 1, &first_layer, NULL));
  ck_assert (wsi_catalog_install_provider_and_chains (c, &second, "C:\\b.dll", "Second", WSI_XP1_IFS_HANDLES,
                                                      infos, 1, &second_layer, NULL));
  top = wsi_catalog_get_entry (c, 0);
  ck_assert_int_eq (top->chain_len, 3);
  ck_assert_uint_eq (top->chain[0], second_layer);
  ck_assert_uint_eq (top->chain[1], first_layer);
  ck_assert_uint_eq (top->chain[2], 1001);
  ck_assert_str_eq (top->name, "Second over [Demo LSP over [MSAFD Tcpip [TCP/IP]]]");
}
END_TEST

START_TEST (and_chains_derives_the_same_guids_every_time)
{
  g_autoptr(WsiCatalog) a = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiCatalog) b = make_catalog (WSI_CATALOG_64);

  ck_assert (and_chains (a, NULL, 0, NULL, NULL));
  ck_assert (and_chains (b, NULL, 0, NULL, NULL));
  for (guint i = 0; i < wsi_catalog_get_size (a); i++)
    ck_assert (wsi_guid_equal (&wsi_catalog_get_entry (a, i)->provider_id, &wsi_catalog_get_entry (b, i)->provider_id));
  ck_assert (!wsi_guid_equal (&wsi_catalog_get_entry (a, 0)->provider_id, &wsi_catalog_get_entry (a, 1)->provider_id));
}
END_TEST

START_TEST (and_chains_truncates_chain_names_to_255)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autofree char *lsp_name = g_strnfill (250, 'L');
  WsiGuid lsp = wsi_test_guid (LSP_GUID);

  ck_assert (wsi_catalog_install_provider_and_chains (c, &lsp, "x.dll", lsp_name, 0, NULL, 0, NULL, NULL));
  ck_assert_uint_eq (strlen (wsi_catalog_get_entry (c, 0)->name), 255);
}
END_TEST

START_TEST (and_chains_keeps_ifs_handles_for_an_ifs_lsp)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  WsiGuid lsp = wsi_test_guid (LSP_GUID);

  ck_assert (wsi_catalog_install_provider_and_chains (c, &lsp, "x.dll", "IFS", WSI_XP1_IFS_HANDLES, NULL, 0, NULL, NULL));
  ck_assert (wsi_catalog_get_entry (c, 0)->service_flags[0] & WSI_XP1_IFS_HANDLES);
  ck_assert_uint_eq (wsi_catalog_find_id (c, 1006)->service_flags[0], WSI_XP1_IFS_HANDLES);
}
END_TEST

START_TEST (and_chains_errors_change_nothing)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiCatalog) before = NULL;
  g_autoptr(WsiEntry) none = wsi_test_base_entry (26, 1, 1, "IrDA");
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *no_match[] = { none };
  const WsiEntry *tcp_only[] = { tcp };
  const WsiEntry *hole[] = { NULL };
  g_autofree char *long_name = g_strnfill (256, 'n');
  g_autofree char *long_path = g_strnfill (300, 'p');
  WsiGuid lsp = wsi_test_guid (LSP_GUID), tcpip = wsi_test_guid (TCPIP_GUID), other = wsi_test_guid (OTHER_GUID);

  ck_assert (and_chains (c, tcp_only, 1, NULL, NULL));   /* "Demo LSP" now installed */
  before = wsi_catalog_copy (c);
  {
    g_autoptr(GError) e = NULL;   /* the GUID is taken */
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &lsp, "x.dll", "Other name", 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;   /* a base provider's GUID is taken too */
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &tcpip, "x.dll", "Other name", 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;   /* the LSP name is taken */
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", "Demo LSP", 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", long_name, 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, long_path, "N", 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;   /* no entry for IrDA */
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", "N", 0, no_match, 1, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", "N", 0, tcp_only, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINVAL);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, NULL, "x.dll", "N", 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEFAULT);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", NULL, 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEFAULT);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", "N", 0, NULL, 1, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEFAULT);
  }
  {
    g_autoptr(GError) e = NULL;
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", "N", 0, hole, 1, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEFAULT);
  }
  {
    g_autoptr(GError) e = NULL;   /* another installer holds the catalog */
    wsi_catalog_set_busy (c, TRUE);
    ck_assert (!wsi_catalog_install_provider_and_chains (c, &other, "x.dll", "N", 0, NULL, 0, NULL, &e));
    ck_assert_wsa (e, WSI_WSAEINPROGRESS);
    wsi_catalog_set_busy (c, FALSE);
  }
  ck_assert (wsi_catalog_same_ids (c, before));
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), wsi_catalog_get_next_id (before));
  ck_assert_uint_eq (wsi_catalog_get_serial (c), wsi_catalog_get_serial (before));
}
END_TEST

START_TEST (and_chains_refuses_a_chain_longer_than_seven)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autoptr(WsiEntry) tcp = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *infos[] = { tcp };
  WsiGuid ns = wsi_test_guid (OTHER_GUID);
  guint size;
  g_autoptr(GError) error = NULL;

  /* Six layers over the base make a chain of 7: the limit. */
  for (int i = 0; i < 6; i++)
    {
      WsiGuid g;
      char name[16];
      g_snprintf (name, sizeof name, "L%d", i);
      wsi_guid_derive (&ns, name, &g);
      ck_assert (wsi_catalog_install_provider_and_chains (c, &g, "x.dll", name, 0, infos, 1, NULL, NULL));
    }
  ck_assert_int_eq (wsi_catalog_get_entry (c, 0)->chain_len, 7);
  size = wsi_catalog_get_size (c);
  ck_assert (!wsi_catalog_install_provider_and_chains (c, &ns, "x.dll", "L7", 0, infos, 1, NULL, &error));
  ck_assert_wsa (error, WSI_WSANO_RECOVERY);
  ck_assert_uint_eq (wsi_catalog_get_size (c), size);
}
END_TEST

START_TEST (and_chains_needs_a_base_protocol)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  WsiGuid lsp = wsi_test_guid (LSP_GUID);
  g_autoptr(GError) error = NULL;

  ck_assert (!wsi_catalog_install_provider_and_chains (c, &lsp, "x.dll", "N", 0, NULL, 0, NULL, &error));
  ck_assert_wsa (error, WSI_WSANO_RECOVERY);
}
END_TEST

/* ---------------- serial ---------------- */

START_TEST (serial_counts_successful_changes_only)
{
  g_autoptr(WsiCatalog) c = wsi_catalog_new (WSI_CATALOG_32);
  g_autoptr(WsiEntry) info = wsi_test_base_entry (2, 1, 6, "x");
  const WsiEntry *infos[] = { info };
  WsiGuid other = wsi_test_guid (OTHER_GUID);
  guint32 ids[1];

  install (c, OTHER_GUID, infos, 1);
  ck_assert_uint_eq (wsi_catalog_get_serial (c), 1);
  ids[0] = 1001;
  ck_assert (wsi_catalog_write_order (c, ids, 1, NULL));
  ck_assert (wsi_catalog_update_provider (c, &other, "y.dll", infos, 1, NULL));
  ck_assert (wsi_catalog_set_lsp_categories (c, &other, WSI_LSP_PROXY, NULL));
  ck_assert_uint_eq (wsi_catalog_get_serial (c), 4);
  ids[0] = 9999;
  ck_assert (!wsi_catalog_write_order (c, ids, 1, NULL));
  ck_assert_uint_eq (wsi_catalog_get_serial (c), 4);
  ck_assert (wsi_catalog_deinstall_provider (c, &other, NULL));
  ck_assert_uint_eq (wsi_catalog_get_serial (c), 5);
}
END_TEST

START_TEST (entry_kinds_and_equality)
{
  g_autoptr(WsiEntry) e = wsi_entry_new ();
  g_autoptr(WsiEntry) f = NULL;

  ck_assert_int_eq (wsi_entry_get_kind (e), WSI_ENTRY_LAYERED);
  e->chain_len = 1;
  ck_assert_int_eq (wsi_entry_get_kind (e), WSI_ENTRY_BASE);
  e->chain_len = 7;
  ck_assert_int_eq (wsi_entry_get_kind (e), WSI_ENTRY_CHAIN);
  e->chain_len = 8;
  ck_assert_int_eq (wsi_entry_get_kind (e), WSI_ENTRY_INVALID);
  e->chain_len = -1;
  ck_assert_int_eq (wsi_entry_get_kind (e), WSI_ENTRY_INVALID);
  wsi_entry_set_name (e, "n");
  f = wsi_entry_copy (e);
  ck_assert (wsi_entry_equal (e, f));
  f->chain[6] = 1;   /* unused slots count too */
  ck_assert (!wsi_entry_equal (e, f));
  f->chain[6] = 0;
  wsi_entry_set_path (f, "p");
  ck_assert (!wsi_entry_equal (e, f));
  wsi_entry_set_path (f, NULL);
  ck_assert (wsi_entry_equal (e, f));
  wsi_entry_set_name (e, e->name);   /* setting its own string is safe */
  ck_assert_str_eq (e->name, "n");
}
END_TEST

/* ---------------- WSCEnumProtocols ---------------- */

START_TEST (enum_follows_the_wsaenobufs_size_protocol)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  g_autofree guint8 *buf = NULL;
  gsize len = 0;
  guint count = 0;

  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_enum_protocols (c, NULL, NULL, &len, &count, &error));
    ck_assert_wsa (error, WSI_WSAENOBUFS);
    ck_assert_uint_eq (len, 5 * WSI_PROTOCOL_INFO_SIZE);
  }
  buf = g_malloc (len);
  len -= 1;
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_catalog_enum_protocols (c, NULL, buf, &len, &count, &error));
    ck_assert_wsa (error, WSI_WSAENOBUFS);
    ck_assert_uint_eq (len, 5 * WSI_PROTOCOL_INFO_SIZE);
  }
  ck_assert (wsi_catalog_enum_protocols (c, NULL, buf, &len, &count, NULL));
  ck_assert_uint_eq (count, 5);
  /* Hidden entries (RAW) are listed too, in catalog order. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(WsiEntry) back = wsi_entry_unpack_protocol_info (buf + i * WSI_PROTOCOL_INFO_SIZE,
                                                                WSI_PROTOCOL_INFO_SIZE, NULL);
      const WsiEntry *want = wsi_catalog_get_entry (c, i);
      ck_assert_ptr_nonnull (back);
      ck_assert_uint_eq (back->catalog_id, want->catalog_id);
      ck_assert_str_eq (back->name, want->name);
      ck_assert_uint_eq (back->provider_flags, want->provider_flags);
    }
}
END_TEST

START_TEST (enum_filters_by_protocol_with_ranges)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  static const gint32 udp[] = { 17, 0 };
  static const gint32 tcp_only_v4_raw[] = { 6, 256, 0 };
  guint8 buf[6 * WSI_PROTOCOL_INFO_SIZE];
  gsize len = sizeof buf;
  guint count = 0;
  g_autoptr(WsiEntry) first = NULL;

  /* UDP over v4 and v6, and RAW, whose range 0..255 includes 17. */
  ck_assert (wsi_catalog_enum_protocols (c, udp, buf, &len, &count, NULL));
  ck_assert_uint_eq (count, 3);
  first = wsi_entry_unpack_protocol_info (buf, WSI_PROTOCOL_INFO_SIZE, NULL);
  ck_assert_uint_eq (first->catalog_id, 1002);
  ck_assert_uint_eq (len, sizeof buf);   /* left alone on success */
  ck_assert (wsi_catalog_enum_protocols (c, tcp_only_v4_raw, buf, &len, &count, NULL));
  ck_assert_uint_eq (count, 3);          /* TCP, TCPv6, RAW */
}
END_TEST

START_TEST (enum_refuses_bad_pointers)
{
  g_autoptr(WsiCatalog) c = make_catalog (WSI_CATALOG_32);
  gsize len = 100;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(WsiCatalog) empty = wsi_catalog_new (WSI_CATALOG_32);
  gsize zero = 0;
  guint count = 99;

  ck_assert (!wsi_catalog_enum_protocols (c, NULL, NULL, &len, NULL, &error));
  ck_assert_wsa (error, WSI_WSAEFAULT);
  ck_assert (!wsi_catalog_enum_protocols (c, NULL, NULL, NULL, NULL, &error2));
  ck_assert_wsa (error2, WSI_WSAEFAULT);
  /* An empty catalog needs no buffer at all. */
  ck_assert (wsi_catalog_enum_protocols (empty, NULL, NULL, &zero, &count, NULL));
  ck_assert_uint_eq (count, 0);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("catalog");
  TCase *store = tcase_create ("storage");
  TCase *wsc = tcase_create ("wsc");
  TCase *chains = tcase_create ("and-chains");
  TCase *resolve = tcase_create ("resolve");

  tcase_add_test (store, new_catalog_is_empty_with_counter_at_1001);
  tcase_add_test (store, install_appends_with_ids_from_the_counter);
  tcase_add_test (store, ids_are_never_reused_after_removal);
  tcase_add_test (store, find_guid_returns_entries_in_catalog_order);
  tcase_add_test (store, duplicate_ids_load_and_the_first_wins);
  tcase_add_test (store, removing_one_duplicate_keeps_the_other_findable);
  tcase_add_test (store, copy_is_deep);
  tcase_add_test (store, entry_kinds_and_equality);
  tcase_add_test (store, serial_counts_successful_changes_only);
  tcase_add_test (store, ten_thousand_entries_stay_fast);
  suite_add_tcase (s, store);

  tcase_add_test (wsc, install_refuses_a_guid_already_installed);
  tcase_add_test (wsc, install_refuses_invalid_arguments_with_wsaeinval);
  tcase_add_test (wsc, install_limits_count_utf16_units);
  tcase_add_test (wsc, install_refuses_missing_pointers_with_wsaefault);
  tcase_add_test (wsc, install_does_not_check_chain_members);
  tcase_add_test (wsc, install_refuses_when_the_counter_is_exhausted);
  tcase_add_test (wsc, install_ignores_categories_in_the_infos);
  tcase_add_test (wsc, deinstall_removes_every_entry_of_the_guid_and_keeps_order);
  tcase_add_test (wsc, deinstall_accepts_a_guid_pointing_into_the_catalog);
  tcase_add_test (wsc, deinstall_of_an_unknown_guid_fails_with_wsaeinval);
  tcase_add_test (wsc, update_rewrites_in_place_keeping_ids_and_positions);
  tcase_add_test (wsc, update_accepts_infos_taken_from_the_catalog_itself);
  tcase_add_test (wsc, update_errors_change_nothing);
  tcase_add_test (wsc, write_order_applies_a_full_permutation);
  tcase_add_test (wsc, write_order_refuses_anything_but_a_permutation);
  tcase_add_test (wsc, lsp_categories_go_on_every_entry_of_the_guid);
  tcase_add_test (wsc, enum_follows_the_wsaenobufs_size_protocol);
  tcase_add_test (wsc, enum_filters_by_protocol_with_ranges);
  tcase_add_test (wsc, enum_refuses_bad_pointers);
  suite_add_tcase (s, wsc);

  tcase_add_test (chains, and_chains_installs_layered_entry_and_chains_on_top);
  tcase_add_test (chains, and_chains_without_infos_layers_over_every_base_triple);
  tcase_add_test (chains, and_chains_layers_over_the_top_most_match);
  tcase_add_test (chains, and_chains_derives_the_same_guids_every_time);
  tcase_add_test (chains, and_chains_truncates_chain_names_to_255);
  tcase_add_test (chains, and_chains_keeps_ifs_handles_for_an_ifs_lsp);
  tcase_add_test (chains, and_chains_errors_change_nothing);
  tcase_add_test (chains, and_chains_refuses_a_chain_longer_than_seven);
  tcase_add_test (chains, and_chains_needs_a_base_protocol);
  suite_add_tcase (s, chains);

  tcase_add_test (resolve, resolve_takes_the_first_match_in_order);
  tcase_add_test (resolve, resolve_skips_layered_entries_but_serves_hidden_ones);
  tcase_add_test (resolve, resolve_protocol_zero_and_ranges);
  suite_add_tcase (s, resolve);
  return wsi_test_run_suite (s);
}
