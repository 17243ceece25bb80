/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-import-reg.c: the .reg importer (regedit exports, REGEDIT4 and
 * REGEDIT5) and the .reg exporter. The reference exports in tests/data/reg
 * were written by tools/refcat/dump2reg.py from real registry dumps; each
 * NAME.expect holds what the dump's own parser read, independent of this
 * code. */
#include "wsi-test-import.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wsi-import-private.h"
#include "wsi-reg-file-private.h"

/* --- expectations of the reference exports --------------------------------- */

static guint32
le32 (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (bytes, &len);

  ck_assert_uint_eq (len, 4);
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static char *
bytes_to_hex (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02x", p[i]);
  return g_string_free (s, FALSE);
}

/* "key=value" out of an .expect entry line. */
static const char *
field (GHashTable *fields, const char *name)
{
  const char *v = g_hash_table_lookup (fields, name);

  ck_assert_msg (v != NULL, "expectation has no %s", name);
  return v;
}

static void
check_entry_line (const WsiEntry *e, const char *rest)
{
  g_auto(GStrv) parts = g_strsplit (rest, " ", -1);
  g_autoptr(GHashTable) f = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *guid = wsi_guid_to_string (&e->provider_id);
  g_auto(GStrv) chain = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');
      if (eq != NULL)
        {
          *eq = '\0';
          g_hash_table_insert (f, parts[i], eq + 1);
        }
    }
  ck_assert_uint_eq (e->catalog_id, g_ascii_strtoull (field (f, "id"), NULL, 10));
  ck_assert_str_eq (guid, field (f, "guid"));
  ck_assert_int_eq (e->chain_len, atoi (field (f, "chainlen")));
  chain = g_strsplit (field (f, "chain"), ",", -1);
  for (guint i = 0; chain[i] != NULL && chain[i][0] != '\0'; i++)
    ck_assert_uint_eq (e->chain[i], g_ascii_strtoull (chain[i], NULL, 10));
  ck_assert_int_eq (e->version, atoi (field (f, "ver")));
  ck_assert_int_eq (e->address_family, atoi (field (f, "af")));
  ck_assert_int_eq (e->max_sockaddr, atoi (field (f, "max")));
  ck_assert_int_eq (e->min_sockaddr, atoi (field (f, "min")));
  ck_assert_int_eq (e->socket_type, atoi (field (f, "type")));
  ck_assert_int_eq (e->protocol, (gint32) g_ascii_strtoll (field (f, "proto"), NULL, 10));
  ck_assert_int_eq (e->protocol_max_offset, atoi (field (f, "maxoff")));
  ck_assert_int_eq (e->network_byte_order, atoi (field (f, "order")));
  ck_assert_int_eq (e->security_scheme, atoi (field (f, "sec")));
  ck_assert_uint_eq (e->message_size, g_ascii_strtoull (field (f, "msgsize"), NULL, 16));
  ck_assert_uint_eq (e->service_flags[0], g_ascii_strtoull (field (f, "flags1"), NULL, 16));
  ck_assert_uint_eq (e->provider_flags, g_ascii_strtoull (field (f, "provflags"), NULL, 16));
}

static void
check_registry_line (const WsiRegistry *reg, const char *rest)
{
  char *sp = strchr (rest, ' ');
  g_autofree char *type = g_strndup (rest, (gsize) (sp - rest));
  g_auto(GStrv) parts = g_strsplit (sp + 1, "|", 3);
  WsiRegType t = 0;
  g_autoptr(GBytes) data = NULL;

  ck_assert_msg (wsi_registry_get (reg, parts[0], parts[1], &t, &data), "no registry value %s|%s", parts[0], parts[1]);
  if (strcmp (type, "sz") == 0 || strcmp (type, "expand") == 0)
    {
      g_autofree char *text = wsi_reg_decode_string (data);
      ck_assert_int_eq (t, strcmp (type, "sz") == 0 ? WSI_REG_SZ : WSI_REG_EXPAND_SZ);
      ck_assert_str_eq (text, parts[2]);
    }
  else if (strcmp (type, "dword") == 0)
    {
      ck_assert_int_eq (t, WSI_REG_DWORD);
      ck_assert_uint_eq (le32 (data), g_ascii_strtoull (parts[2], NULL, 10));
    }
  else if (strcmp (type, "multi") == 0)
    {
      g_auto(GStrv) items = wsi_reg_decode_multi_sz (data);
      g_autofree char *joined = g_strjoinv ("|", items);
      ck_assert_int_eq (t, WSI_REG_MULTI_SZ);
      ck_assert_str_eq (joined, parts[2]);
    }
  else
    {
      g_autofree char *hex = bytes_to_hex (data);
      ck_assert_int_eq (t, WSI_REG_BINARY);
      ck_assert_str_eq (hex, parts[2]);
    }
}

static guint
count_registry_values (const WsiRegistry *reg)
{
  g_auto(GStrv) keys = wsi_registry_list_keys (reg);
  guint n = 0;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_auto(GStrv) values = wsi_registry_list_values (reg, keys[i]);
      n += g_strv_length (values);
    }
  return n;
}

/* Checks @m against tests/data/reg/NAME.expect. */

static void
check_expectations (const WsiMachine *m, const char *name)
{
  g_autofree char *file = g_strconcat ("reg/", name, ".expect", NULL);
  g_autoptr(GBytes) bytes = wsi_test_read_data (file);
  g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  const WsiRegistry *reg = wsi_machine_peek_registry (m);
  guint reg_lines = 0, entries_checked = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      if (l[0] == '#' || l[0] == '\0')
        continue;
      if (g_str_has_prefix (l, "kind "))
        ck_assert_str_eq (wsi_machine_kind_to_string (wsi_machine_get_kind (m)), l + 5);
      else if (g_str_has_prefix (l, "catalog "))
        {
          guint bitness = 0, next = 0, serial = 0, count = 0;
          const WsiCatalog *c;

          ck_assert_int_eq (sscanf (l, "catalog %u next=%u serial=%u count=%u", &bitness, &next, &serial, &count), 4);
          c = wsi_machine_peek_catalog (m, (WsiBitness) bitness);
          ck_assert_ptr_nonnull (c);
          ck_assert_uint_eq (wsi_catalog_get_next_id (c), next);
          ck_assert_uint_eq (wsi_catalog_get_serial (c), serial);
          ck_assert_uint_eq (wsi_catalog_get_size (c), count);
        }
      else if (g_str_has_prefix (l, "entry ") || g_str_has_prefix (l, "path ") || g_str_has_prefix (l, "name "))
        {
          g_auto(GStrv) head = g_strsplit (l, " ", 4);
          const WsiCatalog *c = wsi_machine_peek_catalog (m, (WsiBitness) atoi (head[1]));
          guint pos = (guint) atoi (head[2]);
          const WsiEntry *e;
          const char *rest = head[3] != NULL ? head[3] : "";

          ck_assert_ptr_nonnull (c);
          ck_assert_uint_le (pos, wsi_catalog_get_size (c));
          e = wsi_catalog_get_entry (c, pos - 1);
          if (head[0][0] == 'e')
            {
              check_entry_line (e, rest);
              entries_checked++;
            }
          else if (head[0][0] == 'p')
            ck_assert_str_eq (e->path, rest);
          else
            ck_assert_str_eq (e->name, rest);
        }
      else if (g_str_has_prefix (l, "reg "))
        {
          check_registry_line (reg, l + 4);
          reg_lines++;
        }
      else
        ck_abort_msg ("%s: unknown expectation line '%s'", name, l);
    }
  ck_assert_uint_gt (entries_checked, 0);
  /* Nothing beyond what the dump lists among the values wsinstall owns. */
  ck_assert_uint_eq (count_registry_values (reg), reg_lines);
}

static int
count_lines (const GString *s)
{
  int n = 0;

  for (gsize i = 0; i < s->len; i++)
    n += s->str[i] == '\n';
  return n;
}

/* --- the reference exports ----------------------------------------------- */

START_TEST (reference_exports_import_as_their_dumps_say)
{
  const char *name = wsi_test_reference_names[_i];
  g_autoptr(WsiMachine) m = wsi_test_import_reference (name);

  check_expectations (m, name);
}
END_TEST

START_TEST (win7_keeps_id_gaps_and_counter)
{
  g_autoptr(WsiMachine) m = wsi_test_import_reference ("win7-x86");
  const WsiCatalog *c = wsi_machine_peek_catalog (m, WSI_CATALOG_32);

  /* IDs 1001-1006, 1011-1014, 1061-1074; the counter at 1075 (never reused). */
  ck_assert_int_eq (wsi_machine_get_kind (m), WSI_MACHINE_X86);
  ck_assert_ptr_null (wsi_machine_peek_catalog (m, WSI_CATALOG_64));
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 6)->catalog_id, 1011);
  ck_assert_uint_eq (wsi_catalog_get_entry (c, 10)->catalog_id, 1061);
  ck_assert_uint_eq (wsi_catalog_get_next_id (c), 1075);
  ck_assert_str_eq (wsi_machine_get_description (m), "Imported from win7-x86.reg (reg export, REGEDIT4, CurrentControlSet)");
}
END_TEST

START_TEST (export_then_import_round_trips_every_reference_catalog)
{
  const char *name = wsi_test_reference_names[_i];
  g_autoptr(WsiMachine) m = wsi_test_import_reference (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = wsi_export_reg_to_bytes (m, &error);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) back = NULL;
  g_autoptr(GBytes) again = NULL;
  gsize len = 0;
  const guint8 *data;

  ck_assert_msg (exported != NULL, "%s", error ? error->message : "");
  data = g_bytes_get_data (exported, &len);
  /* REGEDIT5: UTF-16LE with a BOM */
  ck_assert_uint_eq (data[0], 0xFF);
  ck_assert_uint_eq (data[1], 0xFE);
  back = wsi_import_reg_memory (data, len, "exported.reg", NULL, diags);
  ck_assert_msg (back != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (m, back);
  again = wsi_export_reg_to_bytes (back, NULL);
  ck_assert (g_bytes_equal (exported, again));
}
END_TEST

/* Machines whose layered entries carry LSP categories (what
 * WSCSetProviderInfo set): export then import must keep them. */
static const char *const categorised_snapshots[] = { "snapshots/win7-x86-lsp.xml", "snapshots/repairable-x64.xml", "snapshots/broken-x64.xml" };

START_TEST (export_then_import_keeps_lsp_categories)
{
  g_autofree char *path = wsi_test_data_path (categorised_snapshots[_i]);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = wsi_snapshot_load_file (path, diags);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(WsiMachine) back = NULL;
  const WsiBitness bitness[] = { WSI_CATALOG_32, WSI_CATALOG_64 };
  guint categorised = 0;
  gsize len = 0;
  const guint8 *data;

  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  exported = wsi_export_reg_to_bytes (m, &error);
  ck_assert_msg (exported != NULL, "%s", error ? error->message : "");
  data = g_bytes_get_data (exported, &len);
  back = wsi_import_reg_memory (data, len, "exported.reg", NULL, diags);
  ck_assert_msg (back != NULL, "%s", wsi_test_diags_to_string (diags));
  for (guint k = 0; k < G_N_ELEMENTS (bitness); k++)
    {
      const WsiCatalog *a = wsi_machine_peek_catalog (m, bitness[k]);
      const WsiCatalog *b = wsi_machine_peek_catalog (back, bitness[k]);
      if (a == NULL)
        continue;
      ck_assert_ptr_nonnull (b);
      ck_assert_uint_eq (wsi_catalog_get_size (a), wsi_catalog_get_size (b));
      for (guint i = 0; i < wsi_catalog_get_size (a); i++)
        {
          ck_assert_uint_eq (wsi_catalog_get_entry (a, i)->lsp_categories, wsi_catalog_get_entry (b, i)->lsp_categories);
          categorised += wsi_catalog_get_entry (a, i)->lsp_categories != 0;
        }
    }
  /* The fixture must hold categories, or the test proves nothing. */
  ck_assert_uint_gt (categorised, 0);
  ck_assert_machines_equal (m, back);
}
END_TEST

START_TEST (snapshot_round_trip_keeps_the_export_byte_identical)
{
  const char *name = wsi_test_reference_names[_i];
  g_autoptr(WsiMachine) m = wsi_test_import_reference (name);
  g_autofree char *snapshot = wsi_snapshot_to_string (m);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) loaded = wsi_snapshot_load_memory (snapshot, strlen (snapshot), "snap.xml", diags);
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;

  ck_assert_msg (loaded != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (m, loaded);
  ck_assert_str_eq (wsi_machine_get_description (loaded), wsi_machine_get_description (m));
  a = wsi_export_reg_to_bytes (m, NULL);
  b = wsi_export_reg_to_bytes (loaded, NULL);
  ck_assert (g_bytes_equal (a, b));
}
END_TEST

START_TEST (export_writes_entries_in_key_order_with_protocol_names)
{
  g_autoptr(WsiMachine) m = wsi_test_import_reference ("win81-x64");
  g_autoptr(GBytes) exported = wsi_export_reg_to_bytes (m, NULL);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (exported, &len);
  g_autofree gunichar2 *units = g_new (gunichar2, len / 2);
  g_autofree char *text = NULL;
  const char *pc9, *e32, *e64, *winsock;

  for (gsize i = 0; i < len / 2; i++)
    units[i] = (gunichar2) (data[2 * i] | data[2 * i + 1] << 8);
  text = g_utf16_to_utf8 (units + 1, (glong) (len / 2 - 1), NULL, NULL, NULL);
  ck_assert (g_str_has_prefix (text, "Windows Registry Editor Version 5.00\r\n\r\n"));
  pc9 = strstr (text, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n"
                      "\"Next_Catalog_Entry_ID\"=dword:000003f3\r\n\"Num_Catalog_Entries\"=dword:0000000a\r\n"
                      "\"Num_Catalog_Entries64\"=dword:0000000a\r\n\"Serial_Access_Num\"=dword:00000005\r\n");
  e32 = strstr (text, "\\Catalog_Entries\\000000000010]\r\n\"PackedCatalogItem\"=hex:25,53,");
  e64 = strstr (text, "\\Catalog_Entries64\\000000000001]");
  winsock = strstr (text, "[" WSI_TEST_REG_ROOT "\\Services\\Winsock\\Parameters]\r\n"
                          "\"Transports\"=hex(7):54,00,63,00");
  ck_assert_ptr_nonnull (pc9);
  ck_assert_ptr_nonnull (e32);
  ck_assert_ptr_nonnull (e64);
  ck_assert_ptr_nonnull (winsock);
  /* reg export order: Winsock before WinSock2, 32-bit entries before 64 */
  ck_assert (winsock < pc9);
  ck_assert (e32 < e64);
  ck_assert_ptr_nonnull (strstr (text, "\"ProtocolName\"=\"@%SystemRoot%\\\\System32\\\\wshqos.dll,-103\"\r\n"));
  ck_assert (g_str_has_suffix (text, "\r\n\r\n"));
}
END_TEST

START_TEST (export_file_is_written_whole)
{
  g_autoptr(WsiMachine) m = wsi_test_import_reference ("win7-x86");
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "out.reg", NULL);
  g_autofree char *bad = g_build_filename (dir, "no-such-dir", "out.reg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) back = NULL;

  ck_assert (wsi_export_reg_file (m, path, &error));
  back = wsi_import_reg_file (path, NULL, diags);
  ck_assert_ptr_nonnull (back);
  ck_assert_machines_equal (m, back);
  ck_assert (!wsi_export_reg_file (m, bad, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_IO));
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (export_refuses_a_path_the_packed_item_cannot_hold)
{
  g_autoptr(WsiMachine) m = wsi_test_import_reference ("win7-x86");
  WsiCatalog *c = wsi_machine_get_catalog (m, WSI_CATALOG_32);
  g_autoptr(WsiEntry) e = wsi_test_sample_entry (1075);
  g_autoptr(GError) error = NULL;

  wsi_entry_set_path (e, "C:\\\xe4\xb8\xad\\lsp.dll");
  wsi_catalog_append_loaded (c, g_steal_pointer (&e));
  ck_assert_ptr_null (wsi_export_reg_to_bytes (m, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_PATH_ENCODING));
}
END_TEST

START_TEST (export_refuses_registry_names_with_line_breaks)
{
  g_autoptr(WsiMachine) m = wsi_test_import_reference ("win7-x86");
  WsiRegistry *reg = wsi_machine_get_registry (m);
  g_autoptr(GBytes) guid = g_bytes_new ("0123456789abcdef", 16);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GBytes) ok = NULL;

  /* other control characters survive the round trip */
  wsi_registry_set (reg, WSI_REG_KEY_TCP_ON_SAN, "tab\there", WSI_REG_BINARY, guid);
  ok = wsi_export_reg_to_bytes (m, NULL);
  ck_assert_ptr_nonnull (ok);
  wsi_registry_set (reg, WSI_REG_KEY_TCP_ON_SAN, "two\nlines", WSI_REG_BINARY, guid);
  ck_assert_ptr_null (wsi_export_reg_to_bytes (m, &e1));
  ck_assert (g_error_matches (e1, WSI_ERROR, WSI_ERROR_POLICY));
  ck_assert_str_eq (wsi_error_to_tag (e1), "registry-write-denied");
  ck_assert (wsi_registry_delete (reg, WSI_REG_KEY_TCP_ON_SAN, "two\nlines"));
  wsi_registry_set (reg, "Bad\rKey\\Parameters\\Winsock", "Mapping", WSI_REG_BINARY, guid);
  ck_assert_ptr_null (wsi_export_reg_to_bytes (m, &e2));
  ck_assert (g_error_matches (e2, WSI_ERROR, WSI_ERROR_POLICY));
}
END_TEST

/* wsinstall's own records (HKLM\SOFTWARE\wsinstall, absolute keys in the
 * model) are written where they live, after the Services tree, and never
 * as a key named HKLM below Services (which importing the file would
 * create). The importer leaves them out, as before. */
START_TEST (export_writes_absolute_keys_where_they_live)
{
  g_autoptr(WsiMachine) m = wsi_test_import_reference ("win7-x86");
  g_autoptr(GBytes) guid = g_bytes_new ("0123456789abcdef", 16);
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) back = NULL;
  g_autofree char *text = NULL;
  const char *own, *services;
  gsize len = 0;
  const guint8 *data;

  wsi_registry_set (wsi_machine_get_registry (m), WSI_REG_KEY_PRODUCTS "\\test-product", "Provider0",
                    WSI_REG_BINARY, guid);
  exported = wsi_export_reg_to_bytes (m, NULL);
  ck_assert_ptr_nonnull (exported);
  data = g_bytes_get_data (exported, &len);
  text = g_utf16_to_utf8 ((const gunichar2 *) (data + 2), (glong) (len - 2) / 2, NULL, NULL, NULL);
  ck_assert_ptr_nonnull (text);
  ck_assert_ptr_null (strstr (text, "Services\\HKLM"));
  ck_assert_ptr_null (strstr (text, "[HKEY_LOCAL_MACHINE\\SOFTWARE]"));
  own = strstr (text, "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\wsinstall]\r\n");
  ck_assert_ptr_nonnull (own);
  ck_assert_ptr_nonnull (strstr (text, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\wsinstall\\Products\\test-product]\r\n"
                                       "\"Provider0\"=hex:30,31,32"));
  services = g_strrstr (text, "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services");
  ck_assert (services != NULL && services < own);
  back = wsi_import_reg_memory (data, len, "exported.reg", NULL, diags);
  ck_assert_msg (back != NULL, "%s", wsi_test_diags_to_string (diags));
}
END_TEST

/* --- damaged .reg files ---------------------------------------------------- */

START_TEST (truncated_reg_files_never_give_a_partial_machine)
{
  const char *name = wsi_test_reference_names[_i];
  g_autofree char *file = g_strconcat ("reg/", name, ".reg", NULL);
  g_autoptr(GBytes) bytes = wsi_test_read_data (file);
  g_autoptr(WsiMachine) full = wsi_test_import_reference (name);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint refused = 0, tried = 0;

  /* Evenly spread offsets plus every offset of the last 200 bytes. */
  for (gsize cut = 0; cut < len; cut += (cut + 200 >= len) ? 1 : MAX (len / 211, 1))
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = wsi_import_reg_memory (data, cut, "cut.reg", NULL, diags);

      tried++;
      if (m == NULL)
        {
          g_autofree char *all = wsi_test_diags_to_string (diags);
          ck_assert_msg (wsi_test_has_input_error (diags), "cut at %zu: no input tag:\n%s", cut, all);
          refused++;
        }
      else
        {
          g_autofree char *why = NULL;
          ck_assert_msg (wsi_test_machines_equal (m, full, &why), "cut at %zu of %zu gave a different machine (%s)", cut, len, why);
        }
    }
  /* Only cuts after the last PackedCatalogItem may still be complete. */
  ck_assert_uint_gt (refused, tried * 8 / 10);
}
END_TEST

START_TEST (syntax_errors_are_reg_malformed_at_their_line)
{
  static const struct { const char *text; int line; } cases[] = {
    { "REGEDIT3\r\n", 1 },
    { "Windows Registry Editor Version 4.00\r\n", 1 },
    { "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\r\n", 3 },
    { "REGEDIT4\r\n\r\n[]\r\n", 3 },
    { "REGEDIT4\r\n\"a\"=dword:1\r\n", 2 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=dword:123456789\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=dword:\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=dword:12 x\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex:0g\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex:123\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex:01,\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex:01,02 03\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex:01,\\\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex:01,\\\r\n  02,\\\r\n[K2]\r\n", 6 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex(100000000):00\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex(2:00\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=hex 00\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=\"unterminated\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=\"x\" y\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=\"bad \\n escape\"\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\" \"b\"\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a=1\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\n\"a\"=qword:1\r\n", 4 },
    { "REGEDIT4\r\n\r\n[K]\r\ngarbage\r\n", 4 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = wsi_test_import_reg_bytes (cases[i].text, strlen (cases[i].text), diags);
      g_autofree char *all = wsi_test_diags_to_string (diags);

      ck_assert_msg (m == NULL, "case %zu accepted", i);
      ck_assert_msg (wsi_test_has_diag (diags, "reg-malformed", cases[i].line), "case %zu: %s", i, all);
    }
}
END_TEST

START_TEST (damaged_utf16_is_reg_malformed)
{
  g_autoptr(GBytes) good = wsi_test_to_utf16 ("Windows Registry Editor Version 5.00\r\n\r\n[K]\r\n\"a\"=\"b\"\r\n");
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (good, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);
  static const guint8 be[] = { 0xFE, 0xFF, 0, 'R' };
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d4 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d5 = wsi_diag_list_new ();

  /* odd length */
  ck_assert_ptr_null (wsi_import_reg_memory (data, len - 1, "t.reg", NULL, d1));
  ck_assert_diag (d1, "reg-malformed", 0);
  /* a lone low surrogate in line 4 (the value's "b") */
  copy[len - 6] = 0x00;
  copy[len - 5] = 0xDC;
  ck_assert_ptr_null (wsi_import_reg_memory (copy, len, "t.reg", NULL, d2));
  ck_assert_diag (d2, "reg-malformed", 4);
  /* a NUL character */
  copy[len - 6] = 0;
  copy[len - 5] = 0;
  ck_assert_ptr_null (wsi_import_reg_memory (copy, len, "t.reg", NULL, d3));
  ck_assert_diag (d3, "reg-malformed", 4);
  /* big endian */
  ck_assert_ptr_null (wsi_import_reg_memory (be, sizeof be, "t.reg", NULL, d4));
  ck_assert_diag (d4, "reg-malformed", 1);
  /* a high surrogate at the very end */
  copy[len - 6] = '"';
  copy[len - 2] = 0x00;
  copy[len - 1] = 0xD8;
  ck_assert_ptr_null (wsi_import_reg_memory (copy, len, "t.reg", NULL, d5));
  ck_assert_diag (d5, "reg-malformed", 0);
}
END_TEST

START_TEST (oversized_hex_value_is_refused_before_it_grows)
{
  GString *s = g_string_new ("REGEDIT4\r\n\r\n[K]\r\n\"big\"=hex:");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;

  for (guint i = 0; i <= WSI_REG_MAX_VALUE_SIZE; i++)
    g_string_append (s, i % 1024 == 1023 ? "00,\\\r\n" : "00,");
  g_string_append (s, "00\r\n");
  m = wsi_test_import_reg_string (s, diags);
  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "reg-malformed", 4);
  g_string_free (s, TRUE);
}
END_TEST

START_TEST (huge_and_missing_files_are_refused_unread)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *huge = g_build_filename (dir, "huge.reg", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.reg", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.reg", NULL);
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d4 = wsi_diag_list_new ();
  int fd = open (huge, O_CREAT | O_WRONLY, 0644);

  /* sparse: no disk space, but the size says 256 MiB + 1 */
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (ftruncate (fd, (off_t) WSI_IMPORT_MAX_REG_SIZE + 1), 0);
  close (fd);
  ck_assert_ptr_null (wsi_import_reg_file (huge, NULL, d1));
  ck_assert_diag (d1, "file-too-large", 0);
  ck_assert (g_file_set_contents (empty, "", 0, NULL));
  ck_assert_ptr_null (wsi_import_reg_file (empty, NULL, d2));
  ck_assert_diag (d2, "empty-file", 0);
  ck_assert_ptr_null (wsi_import_reg_file (missing, NULL, d3));
  ck_assert_diag (d3, "file-unreadable", 0);
  ck_assert_ptr_null (wsi_import_reg_file (dir, NULL, d4));
  ck_assert_diag (d4, "file-unreadable", 0);
  wsi_test_rmtree (dir);
}
END_TEST

/* --- .reg syntax that must work ------------------------------------------ */

START_TEST (continuations_comments_defaults_and_escapes_parse)
{
  g_autoptr(GString) s = wsi_test_small_reg (1, NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autofree char *transports = NULL;
  g_auto(GStrv) list = NULL;
  g_autofree char *helper = NULL;
  WsiRegType t = 0;
  g_autoptr(GBytes) san = NULL;

  g_string_append (s,
    "; a comment, then values regedit writes in every shape\r\n"
    "[" WSI_TEST_REG_ROOT "\\Services\\Winsock\\Parameters]\r\n"
    "@=\"default \\\"quoted\\\" C:\\\\path\"\r\n"
    "\"Transports\"=hex(7):54,63,70,69,70,00,\\\r\n"
    "    54,63,70,69,70,36,00,00\r\n"
    "  ; indented comment\r\n"
    "\r\n"
    "[" WSI_TEST_REG_ROOT "\\Services\\Winsock\\Parameters\\TCP on SAN]\r\n"
    "\"Vendor SAN\"=hex:00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff\r\n"
    "\r\n"
    "[" WSI_TEST_REG_ROOT "\\Services\\Tcpip\\Parameters\\Winsock]\r\n"
    "\"HelperDllName\"=hex(2):25,53,79,73,74,65,6d,52,6f,6f,74,25,5c,e9,00\r\n"
    "\"MinSockaddrLength\"=dword:10\r\n"
    "\"MaxSockAddrLength\"=DWORD:00000010\r\n"
    "\"UseDelayedAcceptance\"=dword:00000000\r\n"
    "\"Mapping\"=hex:01,00,00,00,03,00,00,00,02,00,00,00,01,00,00,00,06,00,00,00\r\n"
    "\r\n"
    "[" WSI_TEST_REG_ROOT "\\Services\\Tcpip\\Parameters]\r\n"
    "\"Hostname\"=\"ignored\"\r\n");
  m = wsi_test_import_reg_string (s, diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  list = wsi_registry_get_multi_sz (wsi_machine_peek_registry (m), "Winsock\\Parameters", "Transports");
  transports = g_strjoinv ("|", list);
  ck_assert_str_eq (transports, "Tcpip|Tcpip6");
  /* REGEDIT4 hex(2) is ANSI: converted to the UTF-16 the registry holds */
  helper = wsi_registry_get_string (wsi_machine_peek_registry (m), "TCPIP\\Parameters\\Winsock", "HelperDllName");
  ck_assert_str_eq (helper, "%SystemRoot%\\\xc3\xa9");
  ck_assert (wsi_registry_get (wsi_machine_peek_registry (m), "Winsock\\Parameters\\TCP on SAN", "Vendor SAN", &t, &san));
  ck_assert_int_eq (t, WSI_REG_BINARY);
  ck_assert_uint_eq (g_bytes_get_size (san), 16);
  /* only the values wsinstall may own: not the default value, not
   * UseDelayedAcceptance, not Tcpip\Parameters */
  ck_assert (!wsi_registry_get (wsi_machine_peek_registry (m), "Winsock\\Parameters", "", NULL, NULL));
  ck_assert (!wsi_registry_get (wsi_machine_peek_registry (m), "Tcpip\\Parameters\\Winsock", "UseDelayedAcceptance",
                                NULL, NULL));
  ck_assert_uint_eq (count_registry_values (wsi_machine_peek_registry (m)), 6);
}
END_TEST

START_TEST (regedit5_strings_are_utf16)
{
  g_autoptr(GString) s = wsi_test_small_reg (1, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autofree char *helper = NULL;
  gsize len = 0;
  const guint8 *data;

  g_string_erase (s, 0, strlen ("REGEDIT4"));
  g_string_prepend (s, "Windows Registry Editor Version 5.00");
  g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\Tcpip\\Parameters\\Winsock]\r\n"
                      "\"HelperDllName\"=hex(2):25,00,e9,00,3d,d8,00,de,00,00\r\n");
  bytes = wsi_test_to_utf16 (s->str);
  data = g_bytes_get_data (bytes, &len);
  m = wsi_import_reg_memory (data, len, "t.reg", NULL, diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  helper = wsi_registry_get_string (wsi_machine_peek_registry (m), "Tcpip\\Parameters\\Winsock", "HelperDllName");
  ck_assert_str_eq (helper, "%\xc3\xa9\xf0\x9f\x98\x80");
  ck_assert_str_eq (wsi_catalog_get_entry (wsi_machine_peek_catalog (m, WSI_CATALOG_32), 0)->name,
                    "MSAFD Tcpip [TCP/IP]");
}
END_TEST

START_TEST (deletions_in_winsock_keys_are_refused_elsewhere_ignored)
{
  g_autoptr(GString) ok = wsi_test_small_reg (1, NULL);
  g_autoptr(GString) key = wsi_test_small_reg (1, NULL);
  g_autoptr(GString) value = wsi_test_small_reg (1, NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  int line;

  g_string_append (ok, "[-" WSI_TEST_REG_ROOT "\\Services\\SomeDriver]\r\n\r\n"
                       "[" WSI_TEST_REG_ROOT "\\Services\\Other]\r\n\"x\"=-\r\n");
  m = wsi_test_import_reg_string (ok, diags);
  ck_assert_ptr_nonnull (m);
  line = count_lines (key) + 1;
  g_string_append (key, "[-" WSI_TEST_REG_ROOT "\\Services\\Tcpip\\Parameters\\Winsock]\r\n");
  wsi_test_assert_reg_refused (key, "reg-malformed", line);
  line = count_lines (value) + 2;
  g_string_append (value, "[" WSI_TEST_REG_ROOT "\\Services\\Winsock\\Parameters]\r\n\"Transports\"=-\r\n");
  wsi_test_assert_reg_refused (value, "reg-malformed", line);
}
END_TEST

START_TEST (key_roots_of_exports_and_mounted_hives_are_found)
{
  static const char *const roots[] = {
    "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001",
    "HKEY_LOCAL_MACHINE\\OFFLINE_SYSTEM\\ControlSet002",
    "\\ControlSet001",
    "HKLM\\SYSTEM\\currentcontrolset",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autoptr(GString) s = wsi_test_small_reg (2, NULL);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;
      char *p;

      while ((p = strstr (s->str, WSI_TEST_REG_ROOT)) != NULL)
        {
          gsize at = (gsize) (p - s->str);
          g_string_erase (s, (gssize) at, strlen (WSI_TEST_REG_ROOT));
          g_string_insert (s, (gssize) at, roots[i]);
        }
      m = wsi_test_import_reg_string (s, diags);
      ck_assert_msg (m != NULL, "%s: %s", roots[i], wsi_test_diags_to_string (diags));
      ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 2);
    }
}
END_TEST

START_TEST (several_control_sets_need_current_or_select)
{
  g_autoptr(GString) a = wsi_test_small_reg (1, NULL);
  g_autoptr(GString) two = NULL;
  g_autoptr(GString) selected = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  GString *b = wsi_test_small_reg (3, NULL);
  char *p;

  /* ControlSet001 has 1 entry, ControlSet002 has 3 */
  while ((p = strstr (a->str, "CurrentControlSet")) != NULL)
    {
      g_string_erase (a, p - a->str, strlen ("CurrentControlSet"));
      g_string_insert (a, p - a->str, "ControlSet001");
    }
  while ((p = strstr (b->str, "CurrentControlSet")) != NULL)
    {
      g_string_erase (b, p - b->str, strlen ("CurrentControlSet"));
      g_string_insert (b, p - b->str, "ControlSet002");
    }
  two = g_string_new (a->str);
  g_string_append (two, b->str + strlen ("REGEDIT4\r\n"));
  wsi_test_assert_reg_refused (two, "reg-malformed", 0);

  selected = g_string_new (two->str);
  g_string_append (selected, "[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\"Current\"=dword:00000002\r\n");
  m = wsi_test_import_reg_string (selected, diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 3);
  g_clear_pointer (&m, wsi_machine_free);

  /* CurrentControlSet, when exported too, is the live one */
  {
    g_autoptr(GString) cur = wsi_test_small_reg (2, NULL);
    g_autoptr(GString) all = g_string_new (two->str);

    g_string_append (all, cur->str + strlen ("REGEDIT4\r\n"));
    m = wsi_test_import_reg_string (all, diags);
    ck_assert_ptr_nonnull (m);
    ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 2);
  }
  g_string_free (b, TRUE);
}
END_TEST

static Suite *
import_reg_suite (void)
{
  Suite *s = suite_create ("import-reg");
  TCase *ref = tcase_create ("reference");
  TCase *reg = tcase_create ("reg");
  int n = WSI_TEST_N_REFERENCES;

  tcase_set_timeout (ref, 240);
  tcase_add_loop_test (ref, reference_exports_import_as_their_dumps_say, 0, n);
  tcase_add_test (ref, win7_keeps_id_gaps_and_counter);
  tcase_add_loop_test (ref, export_then_import_round_trips_every_reference_catalog, 0, n);
  tcase_add_loop_test (ref, snapshot_round_trip_keeps_the_export_byte_identical, 0, n);
  tcase_add_loop_test (ref, export_then_import_keeps_lsp_categories, 0, G_N_ELEMENTS (categorised_snapshots));
  tcase_add_test (ref, export_writes_entries_in_key_order_with_protocol_names);
  tcase_add_test (ref, export_file_is_written_whole);
  tcase_add_test (ref, export_refuses_a_path_the_packed_item_cannot_hold);
  tcase_add_test (ref, export_refuses_registry_names_with_line_breaks);
  tcase_add_test (ref, export_writes_absolute_keys_where_they_live);
  tcase_add_loop_test (ref, truncated_reg_files_never_give_a_partial_machine, 0, n);
  suite_add_tcase (s, ref);

  tcase_set_timeout (reg, 240);
  tcase_add_test (reg, syntax_errors_are_reg_malformed_at_their_line);
  tcase_add_test (reg, damaged_utf16_is_reg_malformed);
  tcase_add_test (reg, oversized_hex_value_is_refused_before_it_grows);
  tcase_add_test (reg, huge_and_missing_files_are_refused_unread);
  tcase_add_test (reg, continuations_comments_defaults_and_escapes_parse);
  tcase_add_test (reg, regedit5_strings_are_utf16);
  tcase_add_test (reg, deletions_in_winsock_keys_are_refused_elsewhere_ignored);
  tcase_add_test (reg, key_roots_of_exports_and_mounted_hives_are_found);
  tcase_add_test (reg, several_control_sets_need_current_or_select);
  suite_add_tcase (s, reg);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (import_reg_suite ());
}
