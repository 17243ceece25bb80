/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-import-netsh.c: the `netsh winsock show catalog` listing importer:
 * listings from the field (tests/data/netsh), excerpts, localised labels,
 * UTF-16, two listings for an x64 machine, and damaged listings. */
#include "wsi-test-import.h"

#include <string.h>

#include "wsi-import-private.h"

static WsiMachine *
import_netsh_text (const char *text, gsize len, const WsiImportOptions *options, WsiDiagList *diags)
{
  return wsi_import_netsh_memory ((const guint8 *) text, len, "netsh.txt", NULL, 0, NULL, options, diags);
}

static WsiMachine *
import_netsh_data (const char *name, const WsiImportOptions *options, WsiDiagList *diags)
{
  g_autofree char *file = g_strconcat ("netsh/", name, NULL);
  g_autofree char *path = wsi_test_data_path (file);

  return wsi_import_netsh_file (path, NULL, options, diags);
}

START_TEST (generated_listing_matches_the_reg_import_where_netsh_has_the_field)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = import_netsh_data ("win7-x86-generated.txt", NULL, diags);
  g_autoptr(WsiMachine) reg = wsi_test_import_reference ("win7-x86");
  const WsiCatalog *a, *b;

  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  a = wsi_machine_peek_catalog (m, WSI_CATALOG_32);
  b = wsi_machine_peek_catalog (reg, WSI_CATALOG_32);
  ck_assert_uint_eq (wsi_catalog_get_size (a), wsi_catalog_get_size (b));
  /* max ID 1074 + 1: here the real counter happens to agree */
  ck_assert_uint_eq (wsi_catalog_get_next_id (a), 1075);
  for (guint i = 0; i < wsi_catalog_get_size (a); i++)
    {
      WsiEntry *x = wsi_entry_copy (wsi_catalog_get_entry (a, i));
      const WsiEntry *y = wsi_catalog_get_entry (b, i);

      /* what netsh does not print */
      x->provider_flags = y->provider_flags;
      x->protocol_max_offset = y->protocol_max_offset;
      x->message_size = y->message_size;
      x->network_byte_order = y->network_byte_order;
      x->security_scheme = y->security_scheme;
      ck_assert_msg (wsi_entry_equal (x, y), "entry %u", i + 1);
      wsi_entry_free (x);
    }
  ck_assert_ptr_nonnull (strstr (wsi_machine_get_description (m), "highest ID + 1 = 1075"));
}
END_TEST

START_TEST (lavasoft_listing_keeps_chains_and_layered_entries)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = import_netsh_data ("lavasoft-win10-x64.txt", NULL, diags);
  const WsiCatalog *c;
  const WsiEntry *chain, *layered;
  g_autofree char *guid = NULL;

  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_int_eq (wsi_machine_get_kind (m), WSI_MACHINE_X86);
  c = wsi_machine_peek_catalog (m, WSI_CATALOG_32);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 3);
  chain = wsi_catalog_get_entry (c, 0);
  ck_assert_uint_eq (chain->catalog_id, 1032);
  ck_assert_int_eq (chain->chain_len, 2);
  ck_assert_uint_eq (chain->chain[0], 1031);
  ck_assert_uint_eq (chain->chain[1], 1006);
  ck_assert_uint_eq (chain->service_flags[0], 0x66);
  ck_assert_str_eq (chain->path, "C:\\WINDOWS\\system32\\LavasoftTcpService64.dll");
  guid = wsi_guid_to_string (&chain->provider_id);
  ck_assert_str_eq (guid, "{1C39A736-9641-4F43-9C20-AEED81692A07}");
  layered = wsi_catalog_get_entry (c, 2);
  ck_assert_int_eq (wsi_entry_get_kind (layered), WSI_ENTRY_LAYERED);
  ck_assert_str_eq (layered->name, "LavasoftLSP");
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1033);
}
END_TEST

START_TEST (excerpts_need_allow_partial)
{
  WsiImportOptions partial = { FALSE, WSI_MACHINE_X86, NULL, TRUE };
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  const WsiEntry *e;

  ck_assert_ptr_null (import_netsh_data ("windows-internals-3.txt", NULL, d1));
  ck_assert_diag (d1, "netsh-malformed", 0);
  m = import_netsh_data ("windows-internals-3.txt", &partial, d2);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (d2));
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 3);
  e = wsi_catalog_get_entry (wsi_machine_peek_catalog (m, WSI_CATALOG_32), 2);
  ck_assert_str_eq (e->name, "MSAFD Tcpip [RAW/IP]");
  ck_assert_int_eq (e->socket_type, 3);
  ck_assert_uint_eq (e->service_flags[0], 0x20609);
  /* the book's "." elision is not a listing, partial or not */
  ck_assert_ptr_null (import_netsh_data ("windows-internals-elided.txt", &partial, d3));
  ck_assert_diag (d3, "netsh-malformed", 47);
}
END_TEST

START_TEST (simplified_chinese_labels_are_understood)
{
  WsiImportOptions partial = { FALSE, WSI_MACHINE_X86, NULL, TRUE };
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = import_netsh_data ("sangfor-zh-cn.txt", &partial, diags);
  const WsiEntry *e;

  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  e = wsi_catalog_get_entry (wsi_machine_peek_catalog (m, WSI_CATALOG_32), 0);
  ck_assert_uint_eq (e->catalog_id, 1019);
  ck_assert_str_eq (e->name, "SangforLSP_x64 over [MSAFD Tcpip [TCP/IP]]");
  ck_assert_str_eq (e->path, "C:\\Program Files (x86)\\Sangfor\\SSL\\ClientComponent\\31_SangforTcpX64.dll");
  ck_assert_int_eq (e->chain_len, 2);
  ck_assert_uint_eq (e->chain[0], 1018);
  ck_assert_uint_eq (e->chain[1], 1004);
  ck_assert_int_eq (e->address_family, 2);
}
END_TEST

START_TEST (utf16_listing_reads_like_utf8)
{
  g_autoptr(GBytes) text = wsi_test_read_data ("netsh/lavasoft-win10-x64.txt");
  g_autofree char *utf8 = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  g_autoptr(GBytes) wide = wsi_test_to_utf16 (utf8);
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiMachine) a = import_netsh_text (utf8, strlen (utf8), NULL, d1);
  g_autoptr(WsiMachine) b = wsi_import_netsh_memory (g_bytes_get_data (wide, NULL), g_bytes_get_size (wide), "w.txt",
                                                     NULL, 0, NULL, NULL, d2);

  ck_assert_ptr_nonnull (a);
  ck_assert_msg (b != NULL, "%s", wsi_test_diags_to_string (d2));
  ck_assert_machines_equal (a, b);
}
END_TEST

START_TEST (two_listings_make_an_x64_machine)
{
  g_autofree char *p64 = wsi_test_data_path ("netsh/lavasoft-win10-x64.txt");
  g_autofree char *p32 = wsi_test_data_path ("netsh/win7-x86-generated.txt");
  WsiImportOptions force64 = { TRUE, WSI_MACHINE_X64, NULL, FALSE };
  WsiImportOptions force86 = { TRUE, WSI_MACHINE_X86, NULL, FALSE };
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiMachine) both = wsi_import_netsh_file (p64, p32, NULL, d1);
  g_autoptr(WsiMachine) copied = wsi_import_netsh_file (p64, NULL, &force64, d2);

  ck_assert_ptr_nonnull (both);
  ck_assert_int_eq (wsi_machine_get_kind (both), WSI_MACHINE_X64);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (both, WSI_CATALOG_64)), 3);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (both, WSI_CATALOG_32)), 24);
  /* one counter for both catalogs, above every ID of either */
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (both, WSI_CATALOG_64)), 1075);
  ck_assert_ptr_nonnull (copied);
  ck_assert (wsi_catalog_same_ids (wsi_machine_peek_catalog (copied, WSI_CATALOG_32),
                                   wsi_machine_peek_catalog (copied, WSI_CATALOG_64)));
  ck_assert_ptr_nonnull (strstr (wsi_machine_get_description (copied), "32-bit catalog is assumed"));
  ck_assert_ptr_null (wsi_import_netsh_file (p64, p32, &force86, d3));
  ck_assert_diag (d3, "import-kind-conflict", 0);
}
END_TEST

/* One listing entry; "%s" is replaced by the case's lines. */
#define NETSH_HEAD "Winsock Catalog Provider Entry\r\n------------------------------------------------------\r\n"
#define NETSH_TAIL "\r\nName Space Provider Entry\r\n------------------------------------------------------\r\n" \
                   "Description: NTDS\r\n"
#define NETSH_FIELDS \
  "Entry Type:                         Base Service Provider\r\n" \
  "Description:                        MSAFD Tcpip [TCP/IP]\r\n" \
  "Provider ID:                        {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\r\n" \
  "Provider Path:                      %SystemRoot%\\system32\\mswsock.dll\r\n" \
  "Catalog Entry ID:                   1001\r\n" \
  "Version:                            2\r\n" \
  "Address Family:                     2\r\n" \
  "Max Address Length:                 16\r\n" \
  "Min Address Length:                 16\r\n" \
  "Socket Type:                        1\r\n" \
  "Protocol:                           6\r\n" \
  "Service Flags:                      0x20066\r\n"
/* The same, up to (not including) Service Flags. */
#define NETSH_FIELDS_TO_FLAGS \
  "Entry Type:                         Base Service Provider\r\n" \
  "Description:                        MSAFD Tcpip [TCP/IP]\r\n" \
  "Provider ID:                        {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\r\n" \
  "Provider Path:                      %SystemRoot%\\system32\\mswsock.dll\r\n" \
  "Catalog Entry ID:                   1001\r\n" \
  "Version:                            2\r\n" \
  "Address Family:                     2\r\n" \
  "Max Address Length:                 16\r\n" \
  "Min Address Length:                 16\r\n" \
  "Socket Type:                        1\r\n" \
  "Protocol:                           6\r\n"

START_TEST (netsh_damage_is_netsh_malformed_at_its_line)
{
  static const struct { const char *text; int line; } cases[] = {
    /* 0: German labels */
    { NETSH_HEAD "Eintragstyp: Basisdienstanbieter\r\n" NETSH_TAIL, 3 },
    /* 1: cut short (the issue tracker's "[... truncated ...]") */
    { NETSH_HEAD "Entry Type: Base Service Provider\r\nDescription: X\r\nP[... truncated ...]\r\n" NETSH_TAIL, 5 },
    /* 2: a missing field (no Protocol Chain Length) */
    { NETSH_HEAD NETSH_FIELDS NETSH_TAIL, 1 },
    /* 3: chain length and chain disagree */
    { NETSH_HEAD NETSH_FIELDS "Protocol Chain Length: 2\r\nProtocol Chain: 1001 : 1002 : 1003\r\n" NETSH_TAIL, 16 },
    /* 4: a chain without its chain line */
    { NETSH_HEAD NETSH_FIELDS "Protocol Chain Length: 3\r\n" NETSH_TAIL, 15 },
    /* 5: a field twice */
    { NETSH_HEAD NETSH_FIELDS "Protocol:                           17\r\nProtocol Chain Length: 1\r\n" NETSH_TAIL, 15 },
    /* 6: chain length over 7 */
    { NETSH_HEAD NETSH_FIELDS "Protocol Chain Length: 8\r\n" NETSH_TAIL, 15 },
    /* 7: no blocks at all */
    { "C:\\>netsh winsock show catalog\r\nThe following command was not found.\r\n", 0 },
    /* 8-10: hex with no digits, with a sign, with a second prefix */
    { NETSH_HEAD NETSH_FIELDS_TO_FLAGS "Service Flags: 0x\r\nProtocol Chain Length: 1\r\n" NETSH_TAIL, 14 },
    { NETSH_HEAD NETSH_FIELDS_TO_FLAGS "Service Flags: 0x-5\r\nProtocol Chain Length: 1\r\n" NETSH_TAIL, 14 },
    { NETSH_HEAD NETSH_FIELDS_TO_FLAGS "Service Flags: 0x0x5\r\nProtocol Chain Length: 1\r\n" NETSH_TAIL, 14 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = import_netsh_text (cases[i].text, strlen (cases[i].text), NULL, diags);
      g_autofree char *all = wsi_test_diags_to_string (diags);

      ck_assert_msg (m == NULL, "case %zu accepted", i);
      ck_assert_msg (wsi_test_has_diag (diags, "netsh-malformed", cases[i].line), "case %zu: %s", i, all);
    }
}
END_TEST

START_TEST (netsh_bad_values_are_refused)
{
  static const char *const replace[][2] = {
    { "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", "{E70F1AA0-AB8B-11CF-8CA3}" },
    { "1001\r\n", "1001x\r\n" },
    { "0x20066", "0x1FFFFFFFF" },
    { "Socket Type:                        1", "Socket Type:                        stream" },
    { "%SystemRoot%\\system32\\mswsock.dll", "C:\\\xe4\xb8\xad\\lsp.dll" },
  };
  const char *good = NETSH_HEAD NETSH_FIELDS "Protocol Chain Length: 1\r\n" NETSH_TAIL;
  g_autoptr(WsiDiagList) ok_diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) ok = import_netsh_text (good, strlen (good), NULL, ok_diags);

  ck_assert_msg (ok != NULL, "%s", wsi_test_diags_to_string (ok_diags));
  for (gsize i = 0; i < G_N_ELEMENTS (replace); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;
      g_autoptr(GString) s = g_string_new (good);
      const char *found = strstr (s->str, replace[i][0]);
      gssize at;

      ck_assert_ptr_nonnull (found);
      at = found - s->str;
      g_string_erase (s, at, (gssize) strlen (replace[i][0]));
      g_string_insert (s, at, replace[i][1]);
      m = import_netsh_text (s->str, s->len, NULL, diags);
      ck_assert_msg (m == NULL, "case %zu accepted", i);
      ck_assert_diag (diags, "netsh-malformed", 0);
    }
  /* a description over 255 characters */
  {
    g_autoptr(GString) s = g_string_new (good);
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    g_autoptr(WsiMachine) m = NULL;
    gssize at = strstr (s->str, "MSAFD Tcpip [TCP/IP]") - s->str;

    for (guint k = 0; k < 256; k++)
      g_string_insert_c (s, at, 'x');
    m = import_netsh_text (s->str, s->len, NULL, diags);
    ck_assert_ptr_null (m);
    ck_assert_diag (diags, "netsh-malformed", 4);
  }
  /* a console code page (GBK bytes) is refused, not guessed */
  {
    static const char gbk[] = "\xcf\xee\xc0\xe0\xd0\xcd: x\r\n";  /* GBK, not UTF-8 */
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    ck_assert_ptr_null (import_netsh_text (gbk, strlen (gbk), NULL, diags));
    ck_assert_diag (diags, "netsh-malformed", 1);
  }
  /* empty, odd UTF-16 */
  {
    static const guint8 odd[] = { 0xFF, 0xFE, 'W', 0, 'i' };
    g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
    g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
    ck_assert_ptr_null (import_netsh_text ("", 0, NULL, d1));
    ck_assert_diag (d1, "empty-file", 0);
    ck_assert_ptr_null (wsi_import_netsh_memory (odd, sizeof odd, "o.txt", NULL, 0, NULL, NULL, d2));
    ck_assert_diag (d2, "netsh-malformed", 0);
  }
}
END_TEST

START_TEST (truncated_netsh_listings_never_give_a_partial_machine)
{
  g_autoptr(GBytes) bytes = wsi_test_read_data ("netsh/win7-x86-generated.txt");
  g_autoptr(WsiDiagList) full_diags = wsi_diag_list_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(WsiMachine) full = import_netsh_text (data, len, NULL, full_diags);
  const char *ns = strstr (data, "Name Space Provider Entry");
  guint refused = 0, tried = 0;

  ck_assert_ptr_nonnull (full);
  for (gsize cut = 0; cut < len; cut += MAX (len / 300, 1))
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = import_netsh_text (data, cut, NULL, diags);

      tried++;
      if (m == NULL)
        {
          ck_assert_msg (wsi_test_has_input_error (diags), "cut at %zu", cut);
          refused++;
        }
      else
        {
          /* only once the name space section has begun */
          ck_assert_uint_gt (cut, (gsize) (ns - data));
          ck_assert_machines_equal (m, full);
        }
    }
  ck_assert_uint_gt (refused, tried / 2);
}
END_TEST

static Suite *
import_netsh_suite (void)
{
  Suite *s = suite_create ("import-netsh");
  TCase *netsh = tcase_create ("netsh");

  tcase_set_timeout (netsh, 120);
  tcase_add_test (netsh, generated_listing_matches_the_reg_import_where_netsh_has_the_field);
  tcase_add_test (netsh, lavasoft_listing_keeps_chains_and_layered_entries);
  tcase_add_test (netsh, excerpts_need_allow_partial);
  tcase_add_test (netsh, simplified_chinese_labels_are_understood);
  tcase_add_test (netsh, utf16_listing_reads_like_utf8);
  tcase_add_test (netsh, two_listings_make_an_x64_machine);
  tcase_add_test (netsh, netsh_damage_is_netsh_malformed_at_its_line);
  tcase_add_test (netsh, netsh_bad_values_are_refused);
  tcase_add_test (netsh, truncated_netsh_listings_never_give_a_partial_machine);
  suite_add_tcase (s, netsh);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (import_netsh_suite ());
}
