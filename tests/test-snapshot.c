/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-snapshot.c: machine snapshots round-trip exactly, are written
 * deterministically and atomically, and damaged or contradictory files give
 * a tag and no machine, never a crash. */
#include "wsi-test-util.h"
#include "wsi-xml-private.h"

#include <glib/gstdio.h>
#include <string.h>

#define SNAP_OPEN "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"%s\">\n"
#define ENTRY_ATTRS "provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"1\" " \
  "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" " \
  "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\""

static gboolean
catalogs_equal (const WsiCatalog *a, const WsiCatalog *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (wsi_catalog_get_size (a) != wsi_catalog_get_size (b) ||
      wsi_catalog_get_next_id (a) != wsi_catalog_get_next_id (b) ||
      wsi_catalog_get_serial (a) != wsi_catalog_get_serial (b))
    return FALSE;
  for (guint i = 0; i < wsi_catalog_get_size (a); i++)
    if (!wsi_entry_equal (wsi_catalog_get_entry (a, i), wsi_catalog_get_entry (b, i)))
      return FALSE;
  return TRUE;
}

static gboolean
machines_equal (const WsiMachine *a, const WsiMachine *b)
{
  return wsi_machine_get_kind (a) == wsi_machine_get_kind (b) &&
         g_strcmp0 (wsi_machine_get_description (a), wsi_machine_get_description (b)) == 0 &&
         catalogs_equal (wsi_machine_peek_catalog (a, WSI_CATALOG_32), wsi_machine_peek_catalog (b, WSI_CATALOG_32)) &&
         catalogs_equal (wsi_machine_peek_catalog (a, WSI_CATALOG_64), wsi_machine_peek_catalog (b, WSI_CATALOG_64)) &&
         wsi_registry_equal (wsi_machine_peek_registry (a), wsi_machine_peek_registry (b));
}

static WsiMachine *
load_text (const char *text, WsiDiagList *diags)
{
  return wsi_snapshot_load_memory (text, strlen (text), "t.xml", diags);
}

/* A machine that uses every corner of the format. */
static WsiMachine *
make_odd_machine (void)
{
  WsiMachine *m = wsi_machine_new (WSI_MACHINE_X64);
  WsiCatalog *c64 = wsi_machine_get_catalog (m, WSI_CATALOG_64);
  WsiRegistry *r = wsi_machine_get_registry (m);
  WsiEntry *e;
  static const guint8 no_nul[] = { 'a', 0, 'b', 0 };
  static const guint8 odd[] = { 'a', 0, 'b' };
  static const guint8 three[] = { 1, 2, 3 };
  static const guint8 empty_multi4[] = { 0, 0, 0, 0 };
  static const char *const transports[] = { "Tcpip", "Tcpip6", "Sp\xc3\xa4" "ce & <more>", NULL };
  g_autoptr(GBytes) b1 = g_bytes_new_static (no_nul, sizeof no_nul);
  g_autoptr(GBytes) b2 = g_bytes_new_static (odd, sizeof odd);
  g_autoptr(GBytes) b3 = g_bytes_new_static (three, sizeof three);
  g_autoptr(GBytes) b4 = g_bytes_new_static (empty_multi4, sizeof empty_multi4);
  g_autoptr(GBytes) b5 = g_bytes_new_static (three, 0);

  wsi_machine_set_description (m, "odd \"machine\" <&>\ttab\r\nline");
  /* One counter for both catalogs of an x64 machine. */
  wsi_catalog_set_next_id (c64, 2000);
  wsi_catalog_set_serial (c64, G_MAXUINT32);

  e = wsi_entry_new ();   /* a base entry with garbage in unused slots and unknown bits */
  e->catalog_id = 1001;
  wsi_guid_parse ("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", &e->provider_id);
  e->chain_len = 1;
  e->chain[0] = 77;
  e->chain[6] = 0xFFFFFFFF;
  e->service_flags[0] = WSI_XP1_IFS_HANDLES | 0x80000000u;
  e->service_flags[1] = 5;
  e->service_flags[3] = 0xFFFFFFFF;
  e->provider_flags = WSI_PFL_HIDDEN | 0x100u;
  e->version = 2;
  e->address_family = 17;
  e->socket_type = 5;
  e->protocol = -6;
  e->protocol_max_offset = -1;
  e->max_sockaddr = G_MAXINT32;
  e->min_sockaddr = G_MININT32;
  e->network_byte_order = 1;
  e->security_scheme = 3;
  e->message_size = 0xFFFFFFFF;
  e->provider_reserved = 42;
  e->lsp_categories = WSI_LSP_SYSTEM | WSI_LSP_PROXY | 0x100;
  wsi_entry_set_name (e, "MSAFD NetBIOS [\\Device\\NetBT] \"q\" & <x>\x01\x1f ctl");
  wsi_entry_set_path (e, "");
  wsi_catalog_append_loaded (c64, e);

  e = wsi_entry_new ();   /* a chain with a corrupt length: loads, check reports it */
  e->catalog_id = 1500;
  e->chain_len = 9;
  for (int i = 0; i < 7; i++)
    e->chain[i] = 1001 + (guint32) i;
  e->address_family = 99;
  e->socket_type = -3;
  wsi_catalog_append_loaded (c64, e);

  e = wsi_entry_new ();   /* a real chain, no name, no path, duplicate ID */
  e->catalog_id = 1500;
  e->chain_len = 3;
  e->chain[0] = 1600;
  e->chain[1] = 1500;
  e->chain[2] = 1001;
  wsi_catalog_append_loaded (c64, e);

  wsi_registry_set_multi_sz (r, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports", transports);
  wsi_registry_set (r, "Weird\\Key", "no nul", WSI_REG_SZ, b1);
  wsi_registry_set (r, "Weird\\Key", "odd", WSI_REG_EXPAND_SZ, b2);
  wsi_registry_set (r, "Weird\\Key", "short dword", WSI_REG_DWORD, b3);
  wsi_registry_set (r, "Weird\\Key", "empty multi (4 bytes)", WSI_REG_MULTI_SZ, b4);
  wsi_registry_set (r, "Weird\\Key", "qword", (WsiRegType) 11, b3);
  wsi_registry_set (r, "Weird\\Key", "empty binary", WSI_REG_BINARY, b5);
  wsi_registry_set (r, "Weird\\Key", "ctl\x02name", WSI_REG_BINARY, b3);
  wsi_registry_set_string (r, "Weird\\Key", "empty", WSI_REG_SZ, "");
  wsi_registry_set_string (r, "Weird\\Key", "spaces", WSI_REG_SZ, "  lead and trail \r\n ");
  wsi_registry_set_string (r, "Weird\\Key", "control", WSI_REG_SZ, "bell\x07");
  wsi_registry_set_dword (r, "Tcpip\\Parameters\\Winsock", "MinSockaddrLength", 16);
  return m;
}

START_TEST (every_field_round_trips_exactly)
{
  g_autoptr(WsiMachine) m = make_odd_machine ();
  g_autofree char *text = wsi_snapshot_to_string (m);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) back = load_text (text, diags);
  g_autofree char *again = NULL;
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (back != NULL, "did not load:\n%s\n%s", all, text);
  /* The description is free text and keeps what XML can carry. */
  ck_assert_str_eq (wsi_machine_get_description (back), "odd \"machine\" <&>\ttab\r\nline");
  ck_assert (machines_equal (m, back));
  again = wsi_snapshot_to_string (back);
  ck_assert_str_eq (text, again);
}
END_TEST

START_TEST (reference_snapshot_is_byte_identical_after_a_round_trip)
{
  static const char *const files[] = { "snapshots/win10-1709-x64.xml", "snapshots/win7-x86.xml" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = wsi_test_data_path (files[i]);
      g_autofree char *contents = NULL;
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = wsi_snapshot_load_file (path, diags);
      g_autofree char *text = NULL;

      ck_assert_ptr_nonnull (m);
      ck_assert (g_file_get_contents (path, &contents, NULL, NULL));
      text = wsi_snapshot_to_string (m);
      ck_assert_str_eq (text, contents);
    }
}
END_TEST

START_TEST (reference_snapshot_has_the_real_catalog)
{
  g_autofree char *path = wsi_test_data_path ("snapshots/win10-1709-x64.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = wsi_snapshot_load_file (path, diags);
  const WsiCatalog *c64 = wsi_machine_peek_catalog (m, WSI_CATALOG_64);
  g_auto(GStrv) transports = NULL;

  ck_assert_int_eq (wsi_machine_get_kind (m), WSI_MACHINE_X64);
  ck_assert_uint_eq (wsi_catalog_get_size (c64), 16);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c64), 1017);
  ck_assert_uint_eq (wsi_catalog_get_entry (c64, 0)->catalog_id, 1001);
  ck_assert_int_eq (wsi_catalog_get_entry (c64, 0)->address_family, 34);
  ck_assert (wsi_machine_catalogs_in_sync (m));
  transports = wsi_registry_get_multi_sz (wsi_machine_peek_registry (m), WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
  ck_assert_uint_eq (g_strv_length (transports), 6);
}
END_TEST

START_TEST (output_is_deterministic)
{
  g_autoptr(WsiMachine) a = make_odd_machine ();
  g_autoptr(WsiMachine) b = make_odd_machine ();
  g_autoptr(WsiMachine) c = wsi_machine_copy (a);
  g_autofree char *ta = wsi_snapshot_to_string (a);
  g_autofree char *tb = wsi_snapshot_to_string (b);
  g_autofree char *tc = wsi_snapshot_to_string (c);

  ck_assert_str_eq (ta, tb);
  ck_assert_str_eq (ta, tc);
}
END_TEST

START_TEST (save_replaces_the_file_atomically)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "m.xml", NULL);
  g_autoptr(WsiMachine) m = make_odd_machine ();
  g_autoptr(WsiMachine) empty = wsi_machine_new (WSI_MACHINE_CE);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) back = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  ck_assert (wsi_snapshot_save (empty, path, NULL));
  ck_assert (wsi_snapshot_save (m, path, &error));
  back = wsi_snapshot_load_file (path, diags);
  ck_assert_ptr_nonnull (back);
  ck_assert (machines_equal (m, back));
  /* No temporary file stays behind. */
  d = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n_files++;
  ck_assert_uint_eq (n_files, 1);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (save_into_a_missing_directory_is_an_io_error)
{
  g_autoptr(WsiMachine) m = wsi_machine_new (WSI_MACHINE_X86);
  g_autoptr(GError) error = NULL;

  ck_assert (!wsi_snapshot_save (m, "/nonexistent-wsi-dir/sub/m.xml", &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_IO));
}
END_TEST

START_TEST (empty_machines_of_each_kind_round_trip)
{
  for (int k = WSI_MACHINE_X86; k <= WSI_MACHINE_CE; k++)
    {
      g_autoptr(WsiMachine) m = wsi_machine_new ((WsiMachineKind) k);
      g_autofree char *text = wsi_snapshot_to_string (m);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) back = load_text (text, diags);
      ck_assert_ptr_nonnull (back);
      ck_assert (machines_equal (m, back));
    }
}
END_TEST

/* ---------------- refused snapshots ---------------- */

typedef struct {
  const char *what;
  const char *text;
  const char *tag;
  int         line;
} BadCase;

START_TEST (contradictions_are_snapshot_inconsistent)
{
  static const BadCase cases[] = {
    { "id at next-id",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1002\" serial=\"0\">\n"
      "<entry id=\"1001\" " ENTRY_ATTRS "/>\n"
      "<entry id=\"1002\" " ENTRY_ATTRS "/>\n"
      "</catalog></machine>", "snapshot-inconsistent", 4 },
    { "64-bit catalog on x86",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"64\" next-id=\"1001\" serial=\"0\"/>\n"
      "<catalog bitness=\"32\" next-id=\"1001\" serial=\"0\"/>\n"
      "</machine>", "snapshot-inconsistent", 2 },
    { "x64 without its 64-bit catalog",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x64\">\n"
      "<catalog bitness=\"32\" next-id=\"1001\" serial=\"0\"/>\n"
      "</machine>", "snapshot-inconsistent", 1 },
    { "ce without a 32-bit catalog",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"ce\">\n"
      "<catalog bitness=\"64\" next-id=\"1001\" serial=\"0\"/>\n"
      "</machine>", "snapshot-inconsistent", 1 },
    { "a catalog twice",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1001\" serial=\"0\"/>\n"
      "<catalog bitness=\"32\" next-id=\"1001\" serial=\"0\"/>\n"
      "</machine>", "snapshot-inconsistent", 3 },
    { "chain shorter than chain-len",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"3\" chain=\"1002 1003\" "
      "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
      "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
      "</catalog></machine>", "snapshot-inconsistent", 3 },
    { "a chain without its IDs",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"2\" "
      "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
      "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
      "</catalog></machine>", "snapshot-inconsistent", 3 },
    { "chain on a base entry",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" chain=\"1\" " ENTRY_ATTRS "/>\n"
      "</catalog></machine>", "snapshot-inconsistent", 3 },
    { "chain-slots with six IDs",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" chain-slots=\"1 2 3 4 5 6\" " ENTRY_ATTRS "/>\n"
      "</catalog></machine>", "snapshot-inconsistent", 3 },
    { "chain and chain-slots disagree",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"2\" chain=\"1 2\" "
      "chain-slots=\"1 3 0 0 0 0 9\" "
      "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
      "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
      "</catalog></machine>", "snapshot-inconsistent", 3 },
    { "a registry value twice",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1001\" serial=\"0\"/>\n"
      "<registry><key path=\"K\">\n"
      "<value name=\"v\" type=\"REG_DWORD\">1</value>\n"
      "<value name=\"V\" type=\"REG_DWORD\">2</value>\n"
      "</key></registry></machine>", "snapshot-inconsistent", 5 },
    { "a registry key twice",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n"
      "<catalog bitness=\"32\" next-id=\"1001\" serial=\"0\"/>\n"
      "<registry><key path=\"K\"><value name=\"v\" type=\"REG_DWORD\">1</value></key>\n"
      "<key path=\"k\"><value name=\"w\" type=\"REG_DWORD\">1</value></key>\n"
      "</registry></machine>", "snapshot-inconsistent", 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = load_text (cases[i].text, diags);
      g_autofree char *all = wsi_test_diags_to_string (diags);

      ck_assert_msg (m == NULL, "%s: loaded", cases[i].what);
      ck_assert_msg (wsi_test_has_diag (diags, cases[i].tag, cases[i].line), "%s: expected [%s] at line %d, got\n%s",
                     cases[i].what, cases[i].tag, cases[i].line, all);
    }
}
END_TEST

START_TEST (malformed_values_are_schema_invalid)
{
  static const BadCase cases[] = {
    { "unknown flag name",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"1\" "
      "service-flags=\"TELEPATHY\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
      "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
      "</catalog></machine>", "schema-invalid", 3 },
    { "unknown address family name",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"1\" "
      "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"martian\" type=\"stream\" protocol=\"6\" "
      "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
      "</catalog></machine>", "schema-invalid", 3 },
    { "lower-case GUID",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" provider-id=\"{e70f1aa0-ab8b-11cf-8ca3-00805f48a192}\" chain-len=\"1\" "
      "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
      "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
      "</catalog></machine>", "schema-invalid", 3 },
    { "missing attribute",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\"/>\n</catalog></machine>", "schema-invalid", 3 },
    { "negative id",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"-1\" " ENTRY_ATTRS "/>\n</catalog></machine>", "schema-invalid", 3 },
    { "unknown element",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\"/>\n"
      "<surprise/>\n</machine>", "schema-invalid", 3 },
    { "unknown kind",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"arm64\">\n<catalog bitness=\"32\" next-id=\"1\" serial=\"0\"/>\n"
      "</machine>", "schema-invalid", 1 },
    { "odd hex",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1\" serial=\"0\"/>\n"
      "<registry><key path=\"K\">\n<value name=\"v\" type=\"REG_BINARY\">abc</value>\n</key></registry></machine>",
      "schema-invalid", 0 },
    { "DWORD too large",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1\" serial=\"0\"/>\n"
      "<registry><key path=\"K\">\n<value name=\"v\" type=\"REG_DWORD\">4294967296</value>\n</key></registry></machine>",
      "schema-invalid", 4 },
    { "strings in a REG_SZ",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1\" serial=\"0\"/>\n"
      "<registry><key path=\"K\">\n<value name=\"v\" type=\"REG_SZ\"><string>a</string></value>\n</key></registry></machine>",
      "schema-invalid", 4 },
    { "empty multi-sz item",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1\" serial=\"0\"/>\n"
      "<registry><key path=\"K\">\n<value name=\"v\" type=\"REG_MULTI_SZ\"><string>a</string><string/></value>\n"
      "</key></registry></machine>", "schema-invalid", 4 },
    { "name and name-hex together",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" name=\"a\" name-hex=\"61\" " ENTRY_ATTRS "/>\n</catalog></machine>", "schema-invalid", 3 },
    { "name-hex not UTF-8",
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" name-hex=\"ff00\" " ENTRY_ATTRS "/>\n</catalog></machine>", "schema-invalid", 3 },
    { "another version",
      "<machine xmlns=\"urn:wsinstall:snapshot:2\" kind=\"x86\"/>", "unsupported-version", 1 },
    { "a manifest instead",
      "<manifest xmlns=\"urn:wsinstall:manifest:1\"/>", "schema-invalid", 1 },
    { "a DTD",
      "<!DOCTYPE machine [<!ENTITY x \"y\">]>\n<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\"/>",
      "xml-entities-refused", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = load_text (cases[i].text, diags);
      g_autofree char *all = wsi_test_diags_to_string (diags);

      ck_assert_msg (m == NULL, "%s: loaded", cases[i].what);
      ck_assert_msg (wsi_test_has_diag (diags, cases[i].tag, cases[i].line), "%s: expected [%s] at line %d, got\n%s",
                     cases[i].what, cases[i].tag, cases[i].line, all);
    }
}
END_TEST

START_TEST (long_names_are_inconsistent)
{
  g_autofree char *name = g_strnfill (256, 'n');
  g_autofree char *text = g_strdup_printf (
      "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
      "<entry id=\"1001\" name=\"%s\" " ENTRY_ATTRS "/>\n</catalog></machine>", name);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = load_text (text, diags);

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "snapshot-inconsistent", 3);
}
END_TEST

START_TEST (damage_that_check_reports_still_loads)
{
  /* Duplicate IDs, an orphan chain, a dangling chain entry, ChainLen 9. */
  static const char text[] =
    "<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n<catalog bitness=\"32\" next-id=\"1005\" serial=\"0\">\n"
    "<entry id=\"1001\" " ENTRY_ATTRS "/>\n"
    "<entry id=\"1001\" " ENTRY_ATTRS "/>\n"
    "<entry id=\"1002\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"2\" chain=\"1003 4000\" "
    "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
    "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
    "<entry id=\"1003\" provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\" chain-len=\"9\" chain-slots=\"1 2 3 4 5 6 7\" "
    "service-flags=\"0\" provider-flags=\"0\" version=\"2\" af=\"inet\" type=\"stream\" protocol=\"6\" "
    "protocol-max-offset=\"0\" max-sockaddr=\"16\" min-sockaddr=\"16\" byte-order=\"0\" security-scheme=\"0\" message-size=\"0\"/>\n"
    "</catalog></machine>";
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = load_text (text, diags);
  const WsiCatalog *c;

  ck_assert_ptr_nonnull (m);
  c = wsi_machine_peek_catalog (m, WSI_CATALOG_32);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 4);
  ck_assert_int_eq (wsi_catalog_get_entry (c, 3)->chain_len, 9);
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 3)->chain[6], 7);
  ck_assert_uint_eq (wsi_diag_list_get_size (diags), 0);
}
END_TEST

START_TEST (every_truncation_is_refused_without_a_crash)
{
  g_autofree char *path = wsi_test_data_path ("snapshots/win7-x86.xml");
  g_autofree char *contents = NULL;
  gsize len = 0;

  ck_assert (g_file_get_contents (path, &contents, &len, NULL));
  /* Cut before the final newline of </machine> every way there is. */
  for (gsize cut = 0; cut + 1 < len; cut += (cut < 200 ? 1 : 7))
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = wsi_snapshot_load_memory (contents, cut, "cut.xml", diags);
      ck_assert_msg (m == NULL, "a snapshot cut at %zu loaded", cut);
      ck_assert_msg (wsi_diag_list_has_errors (diags), "no diagnostic for a cut at %zu", cut);
    }
}
END_TEST

START_TEST (random_corruption_never_crashes_or_half_loads)
{
  g_autofree char *path = wsi_test_data_path ("snapshots/win10-1709-x64.xml");
  g_autofree char *contents = NULL;
  gsize len = 0;
  GRand *rand = g_rand_new_with_seed (20240611);
  guint refused = 0;

  ck_assert (g_file_get_contents (path, &contents, &len, NULL));
  for (guint round = 0; round < 400; round++)
    {
      g_autofree char *copy = g_memdup2 (contents, len);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;
      guint flips = 1 + (guint) g_rand_int_range (rand, 0, 4);

      for (guint f = 0; f < flips; f++)
        copy[g_rand_int_range (rand, 0, (gint32) len)] = (char) g_rand_int_range (rand, 0, 256);
      m = wsi_snapshot_load_memory (copy, len, "fuzz.xml", diags);
      /* Either a whole machine and no error, or no machine and an error. */
      ck_assert ((m == NULL) == wsi_diag_list_has_errors (diags));
      refused += m == NULL;
    }
  ck_assert_uint_gt (refused, 100);
  g_rand_free (rand);
}
END_TEST

/* A snapshot of N entries in one 32-bit catalog, one entry a line from
 * line 3; the entry on line @bad_line (0: none) has an ID at next-id. */
static char *
make_long_snapshot (guint n, int bad_line)
{
  GString *s = g_string_new ("<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">\n");

  g_string_append_printf (s, "<catalog bitness=\"32\" next-id=\"%u\" serial=\"0\">\n", 1001 + n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "<entry id=\"%u\" name=\"entry &amp; %u\" " ENTRY_ATTRS "/>\n",
                            (int) i + 3 == bad_line ? 1001 + n : 1001 + i, i);
  g_string_append (s, "</catalog></machine>\n");
  return g_string_free (s, FALSE);
}

/* A good snapshot is read in pieces as it streams by; a problem anywhere,
 * the last entry included, is still reported with its line. */
START_TEST (a_long_snapshot_loads_in_pieces_and_its_last_entry_is_checked)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "long.xml", NULL);
  g_autofree char *good = make_long_snapshot (3000, 0);
  g_autofree char *bad = make_long_snapshot (3000, 3002);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) memory_diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) from_file = NULL;
  g_autoptr(WsiMachine) from_memory = NULL;
  const WsiCatalog *c;

  ck_assert_uint_gt (strlen (good), 4 * 65536);
  ck_assert (g_file_set_contents (path, good, -1, NULL));
  from_file = wsi_snapshot_load_file (path, diags);
  from_memory = load_text (good, diags);
  ck_assert_uint_eq (wsi_diag_list_get_size (diags), 0);
  ck_assert_ptr_nonnull (from_file);
  ck_assert_ptr_nonnull (from_memory);
  ck_assert (machines_equal (from_file, from_memory));
  c = wsi_machine_peek_catalog (from_file, WSI_CATALOG_32);
  ck_assert_uint_eq (wsi_catalog_get_size (c), 3000);
  ck_assert_str_eq (wsi_catalog_get_entry (c, 2999)->name, "entry & 2999");

  ck_assert (g_file_set_contents (path, bad, -1, NULL));
  ck_assert_ptr_null (wsi_snapshot_load_file (path, diags));
  ck_assert_diag (diags, "snapshot-inconsistent", 3002);
  ck_assert_ptr_null (load_text (bad, memory_diags));
  ck_assert_diag (memory_diags, "snapshot-inconsistent", 3002);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (unreadable_files_are_tagged)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *empty = g_build_filename (dir, "empty.xml", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.xml", NULL);
  g_autofree char *huge = g_build_filename (dir, "huge.xml", NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  FILE *f;

  ck_assert (g_file_set_contents (empty, "", 0, NULL));
  f = fopen (huge, "w");
  ck_assert_ptr_nonnull (f);
  /* Sparse: the size is refused before anything is read. */
  ck_assert_int_eq (fseek (f, WSI_XML_MAX_SNAPSHOT_SIZE + 10, SEEK_SET), 0);
  fputc ('x', f);
  fclose (f);
  ck_assert_ptr_null (wsi_snapshot_load_file (empty, diags));
  ck_assert_diag (diags, "empty-file", 0);
  ck_assert_ptr_null (wsi_snapshot_load_file (missing, diags));
  ck_assert_diag (diags, "file-unreadable", 0);
  ck_assert_ptr_null (wsi_snapshot_load_file (huge, diags));
  ck_assert_diag (diags, "file-too-large", 0);
  wsi_test_rmtree (dir);
}
END_TEST

/* ---------------- the default machine ---------------- */

START_TEST (default_machine_starts_as_the_reference_and_persists)
{
  g_autofree char *path = wsi_default_machine_get_path ();
  g_autofree char *used = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) first = NULL;
  g_autoptr(WsiMachine) again = NULL;
  g_autoptr(WsiMachine) reset = NULL;
  g_autoptr(GBytes) reference = wsi_default_machine_get_reference ();
  g_autofree char *contents = NULL;
  gsize len = 0;
  WsiGuid tcpip;

  g_unlink (path);
  first = wsi_default_machine_load (&used, diags);
  ck_assert_ptr_nonnull (first);
  ck_assert_str_eq (used, path);
  /* The state file is a byte copy of the embedded reference. */
  ck_assert (g_file_get_contents (path, &contents, &len, NULL));
  ck_assert_uint_eq (len, g_bytes_get_size (reference));
  ck_assert_mem_eq (contents, g_bytes_get_data (reference, NULL), len);
  ck_assert_int_eq (wsi_machine_get_kind (first), WSI_MACHINE_X64);

  /* A change saved to it is what the next run sees. */
  wsi_guid_parse ("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", &tcpip);
  ck_assert (wsi_catalog_deinstall_provider (wsi_machine_get_catalog (first, WSI_CATALOG_64), &tcpip, NULL));
  ck_assert (wsi_snapshot_save (first, used, NULL));
  again = wsi_default_machine_load (NULL, diags);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (again, WSI_CATALOG_64)),
                     wsi_catalog_get_size (wsi_machine_peek_catalog (first, WSI_CATALOG_64)));

  ck_assert (wsi_default_machine_reset (NULL));
  reset = wsi_default_machine_load (NULL, diags);
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (reset, WSI_CATALOG_64)), 16);
}
END_TEST

START_TEST (damaged_default_machine_is_refused)
{
  g_autofree char *path = wsi_default_machine_get_path ();
  g_autofree char *used = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;

  ck_assert (wsi_default_machine_reset (NULL));
  ck_assert (g_file_set_contents (path, "<machine", -1, NULL));
  m = wsi_default_machine_load (&used, diags);
  ck_assert_ptr_null (m);
  ck_assert_ptr_null (used);
  ck_assert_diag (diags, "xml-malformed", 0);
  ck_assert (wsi_default_machine_reset (NULL));
}
END_TEST

START_TEST (cli_uses_the_default_machine_without_state_directory)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *blocker = g_build_filename (dir, "not-a-directory", NULL);
  g_autofree char *out = NULL;
  const char *args[] = { "catalog", "show", "--format=json", NULL };

  /* The state "directory" is a file: nothing can be created there, the
   * embedded reference is still shown. */
  ck_assert (g_file_set_contents (blocker, "", 0, NULL));
  g_setenv ("XDG_STATE_HOME", blocker, TRUE);
  g_unsetenv ("WSINSTALL_MACHINE");
  ck_assert_int_eq (wsi_test_run_cli (args, &out, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out, "\"machine_kind\" : \"x64\""));
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (cli_machine_option_beats_the_environment)
{
  g_autofree char *x86 = wsi_test_data_path ("snapshots/win7-x86.xml");
  g_autofree char *broken = wsi_test_data_path ("snapshots/broken-x64.xml");
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  const char *env_only[] = { "catalog", "show", "--format=json", NULL };
  const char *both[] = { "catalog", "show", "--format=json", "--machine", broken, NULL };

  g_setenv ("WSINSTALL_MACHINE", x86, TRUE);
  ck_assert_int_eq (wsi_test_run_cli (env_only, &out1, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out1, "\"machine_kind\" : \"x86\""));
  ck_assert_int_eq (wsi_test_run_cli (both, &out2, NULL), 0);
  ck_assert_ptr_nonnull (strstr (out2, "\"machine_kind\" : \"x64\""));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("snapshot");
  TCase *rt = tcase_create ("round-trip");
  TCase *bad = tcase_create ("refused");
  TCase *dflt = tcase_create ("default-machine");
  g_autofree char *state = wsi_test_mkdtemp ();
  int rc;

  /* Before anything asks GLib for it: the default machine lives here. */
  g_setenv ("XDG_STATE_HOME", state, TRUE);

  tcase_add_test (rt, every_field_round_trips_exactly);
  tcase_add_test (rt, reference_snapshot_is_byte_identical_after_a_round_trip);
  tcase_add_test (rt, reference_snapshot_has_the_real_catalog);
  tcase_add_test (rt, output_is_deterministic);
  tcase_add_test (rt, save_replaces_the_file_atomically);
  tcase_add_test (rt, save_into_a_missing_directory_is_an_io_error);
  tcase_add_test (rt, empty_machines_of_each_kind_round_trip);
  tcase_add_test (rt, damage_that_check_reports_still_loads);
  tcase_add_test (rt, a_long_snapshot_loads_in_pieces_and_its_last_entry_is_checked);
  suite_add_tcase (s, rt);

  tcase_add_test (bad, contradictions_are_snapshot_inconsistent);
  tcase_add_test (bad, malformed_values_are_schema_invalid);
  tcase_add_test (bad, long_names_are_inconsistent);
  tcase_add_test (bad, every_truncation_is_refused_without_a_crash);
  tcase_add_test (bad, random_corruption_never_crashes_or_half_loads);
  tcase_add_test (bad, unreadable_files_are_tagged);
  suite_add_tcase (s, bad);

  tcase_add_test (dflt, default_machine_starts_as_the_reference_and_persists);
  tcase_add_test (dflt, damaged_default_machine_is_refused);
  tcase_add_test (dflt, cli_uses_the_default_machine_without_state_directory);
  tcase_add_test (dflt, cli_machine_option_beats_the_environment);
  suite_add_tcase (s, dflt);
  rc = wsi_test_run_suite (s);
  wsi_test_rmtree (state);
  return rc;
}
