/* test-import.c: importers (reg export, offline hive, netsh listing) and the
 * .reg exporter. The reference exports in tests/data/reg were written by
 * tools/refcat/dump2reg.py from real registry dumps; each NAME.expect holds
 * what the dump's own parser read, independent of this code. */
#include "wsi-config.h"
#include "wsi-test-util.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wsi-import-private.h"
#include "wsi-reg-file-private.h"

#if WSI_HAVE_HIVEX
#include <hivex.h>
#endif

static const char *const reference_names[] = {
  "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64", "win2000-x86",
};

/* Tags an import may give for damaged input. */
static const char *const input_tags[] = {
  "reg-malformed", "hive-malformed", "netsh-malformed", "packed-item-invalid", "catalog-keys-inconsistent",
  "empty-file", "file-too-large", "import-kind-conflict",
};

/* --- helpers -------------------------------------------------------------- */

static GBytes *
read_data (const char *name)
{
  g_autofree char *path = wsi_test_data_path (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  gsize len = 0;

  ck_assert_msg (g_file_get_contents (path, &text, &len, &error), "%s", error ? error->message : "");
  return g_bytes_new_take (text, len);
}

static WsiMachine *
import_reg_bytes (const char *text, gsize len, WsiDiagList *diags)
{
  return wsi_import_reg_memory ((const guint8 *) text, len, "test.reg", NULL, diags);
}

static WsiMachine *
import_reference (const char *name)
{
  g_autofree char *file = g_strconcat ("reg/", name, ".reg", NULL);
  g_autofree char *path = wsi_test_data_path (file);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiMachine *m = wsi_import_reg_file (path, NULL, diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (m != NULL, "%s: %s", name, all);
  ck_assert_msg (wsi_diag_list_get_size (diags) == 0, "%s: %s", name, all);
  return m;
}

/* Everything but the description. */
static gboolean
machines_equal (const WsiMachine *a, const WsiMachine *b, char **why)
{
  const WsiBitness bitness[] = { WSI_CATALOG_32, WSI_CATALOG_64 };

  if (wsi_machine_get_kind (a) != wsi_machine_get_kind (b))
    return (*why = g_strdup ("kind")), FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (bitness); k++)
    {
      const WsiCatalog *ca = wsi_machine_peek_catalog (a, bitness[k]);
      const WsiCatalog *cb = wsi_machine_peek_catalog (b, bitness[k]);

      if ((ca == NULL) != (cb == NULL))
        return (*why = g_strdup_printf ("catalog %d presence", bitness[k])), FALSE;
      if (ca == NULL)
        continue;
      if (wsi_catalog_get_next_id (ca) != wsi_catalog_get_next_id (cb) ||
          wsi_catalog_get_serial (ca) != wsi_catalog_get_serial (cb) ||
          wsi_catalog_get_size (ca) != wsi_catalog_get_size (cb))
        return (*why = g_strdup_printf ("catalog %d counters or size", bitness[k])), FALSE;
      for (guint i = 0; i < wsi_catalog_get_size (ca); i++)
        if (!wsi_entry_equal (wsi_catalog_get_entry (ca, i), wsi_catalog_get_entry (cb, i)))
          return (*why = g_strdup_printf ("catalog %d position %u", bitness[k], i + 1)), FALSE;
    }
  if (!wsi_registry_equal (wsi_machine_peek_registry (a), wsi_machine_peek_registry (b)))
    return (*why = g_strdup ("registry")), FALSE;
  return TRUE;
}

#define ck_assert_machines_equal(a, b) \
  do { \
    g_autofree char *_why = NULL; \
    ck_assert_msg (machines_equal ((a), (b), &_why), "machines differ: %s", _why); \
  } while (0)

static gboolean
has_input_error (const WsiDiagList *diags)
{
  for (gsize i = 0; i < G_N_ELEMENTS (input_tags); i++)
    if (wsi_diag_list_has_tag (diags, input_tags[i]))
      return TRUE;
  return FALSE;
}

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
  g_autoptr(GBytes) bytes = read_data (file);
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

/* A .reg text (REGEDIT4) with one Protocol_Catalog9 and @n entries built
 * from a template entry, with the counters given; @extra is appended. */
static void
append_hex_value (GString *s, const char *name, const char *type, const guint8 *data, gsize len)
{
  g_string_append_printf (s, "\"%s\"=%s:", name, type);
  for (gsize i = 0; i < len; i++)
    {
      g_string_append_printf (s, "%02x%s", data[i], i + 1 < len ? "," : "");
      if (i % 24 == 23 && i + 1 < len)
        g_string_append (s, "\\\r\n  ");
    }
  g_string_append (s, "\r\n");
}

static WsiEntry *
sample_entry (guint32 id)
{
  WsiEntry *e = wsi_entry_new ();

  e->catalog_id = id;
  e->chain_len = 1;
  e->version = 2;
  e->address_family = 2;
  e->socket_type = 1;
  e->protocol = 6;
  e->max_sockaddr = e->min_sockaddr = 16;
  e->service_flags[0] = 0x20066;
  g_assert (wsi_guid_parse ("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", &e->provider_id));
  wsi_entry_set_name (e, "MSAFD Tcpip [TCP/IP]");
  wsi_entry_set_path (e, "%SystemRoot%\\system32\\mswsock.dll");
  return e;
}

static void
append_entry_key (GString *s, const char *root, const char *catalog, guint pos, guint32 id)
{
  g_autoptr(WsiEntry) e = sample_entry (id);
  guint8 packed[WSI_PACKED_ITEM_SIZE];

  g_assert (wsi_entry_pack_catalog_item (e, packed, NULL));
  g_string_append_printf (s, "[%s\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\%s\\%012u]\r\n", root, catalog, pos);
  append_hex_value (s, "PackedCatalogItem", "hex", packed, sizeof packed);
  g_string_append (s, "\"ProtocolName\"=\"MSAFD Tcpip [TCP/IP]\"\r\n\r\n");
}

#define ROOT "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet"

static GString *
small_reg (guint n, const char *counters)
{
  GString *s = g_string_new ("REGEDIT4\r\n\r\n");

  g_string_append (s, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n");
  if (counters != NULL)
    g_string_append (s, counters);
  else
    g_string_append_printf (s, "\"Next_Catalog_Entry_ID\"=dword:%08x\r\n\"Num_Catalog_Entries\"=dword:%08x\r\n"
                               "\"Serial_Access_Num\"=dword:00000007\r\n", 1001 + n, n);
  g_string_append (s, "\r\n[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries]\r\n\r\n");
  for (guint i = 1; i <= n; i++)
    append_entry_key (s, ROOT, "Catalog_Entries", i, 1000 + i);
  return s;
}

static int
count_lines (const GString *s)
{
  int n = 0;

  for (gsize i = 0; i < s->len; i++)
    n += s->str[i] == '\n';
  return n;
}

static WsiMachine *
import_string (const GString *s, WsiDiagList *diags)
{
  return import_reg_bytes (s->str, s->len, diags);
}

static void
assert_refused (const GString *s, const char *tag, int line)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = import_string (s, diags);

  ck_assert_msg (m == NULL, "accepted:\n%.300s", s->str);
  ck_assert_diag (diags, tag, line);
}

/* UTF-8 text to a REGEDIT5 file (BOM + UTF-16LE). */
static GBytes *
to_utf16 (const char *text)
{
  glong n = 0;
  g_autofree gunichar2 *u = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  guint8 *buf = g_malloc ((gsize) n * 2 + 2);

  buf[0] = 0xFF;
  buf[1] = 0xFE;
  for (glong i = 0; i < n; i++)
    {
      buf[2 + 2 * i] = (guint8) u[i];
      buf[3 + 2 * i] = (guint8) (u[i] >> 8);
    }
  return g_bytes_new_take (buf, (gsize) n * 2 + 2);
}

/* --- the reference exports ----------------------------------------------- */

START_TEST (reference_exports_import_as_their_dumps_say)
{
  const char *name = reference_names[_i];
  g_autoptr(WsiMachine) m = import_reference (name);

  check_expectations (m, name);
}
END_TEST

START_TEST (win7_keeps_id_gaps_and_counter)
{
  g_autoptr(WsiMachine) m = import_reference ("win7-x86");
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
  const char *name = reference_names[_i];
  g_autoptr(WsiMachine) m = import_reference (name);
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

START_TEST (snapshot_round_trip_keeps_the_export_byte_identical)
{
  const char *name = reference_names[_i];
  g_autoptr(WsiMachine) m = import_reference (name);
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
  g_autoptr(WsiMachine) m = import_reference ("win81-x64");
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
  pc9 = strstr (text, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n"
                      "\"Next_Catalog_Entry_ID\"=dword:000003f3\r\n\"Num_Catalog_Entries\"=dword:0000000a\r\n"
                      "\"Num_Catalog_Entries64\"=dword:0000000a\r\n\"Serial_Access_Num\"=dword:00000005\r\n");
  e32 = strstr (text, "\\Catalog_Entries\\000000000010]\r\n\"PackedCatalogItem\"=hex:25,53,");
  e64 = strstr (text, "\\Catalog_Entries64\\000000000001]");
  winsock = strstr (text, "[" ROOT "\\Services\\Winsock\\Parameters]\r\n\"Transports\"=hex(7):54,00,63,00");
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
  g_autoptr(WsiMachine) m = import_reference ("win7-x86");
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
  g_autoptr(WsiMachine) m = import_reference ("win7-x86");
  WsiCatalog *c = wsi_machine_get_catalog (m, WSI_CATALOG_32);
  g_autoptr(WsiEntry) e = sample_entry (1075);
  g_autoptr(GError) error = NULL;

  wsi_entry_set_path (e, "C:\\\xe4\xb8\xad\\lsp.dll");
  wsi_catalog_append_loaded (c, g_steal_pointer (&e));
  ck_assert_ptr_null (wsi_export_reg_to_bytes (m, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_PATH_ENCODING));
}
END_TEST

START_TEST (export_refuses_registry_names_with_line_breaks)
{
  g_autoptr(WsiMachine) m = import_reference ("win7-x86");
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

/* --- damaged .reg files ---------------------------------------------------- */

START_TEST (truncated_reg_files_never_give_a_partial_machine)
{
  const char *name = reference_names[_i];
  g_autofree char *file = g_strconcat ("reg/", name, ".reg", NULL);
  g_autoptr(GBytes) bytes = read_data (file);
  g_autoptr(WsiMachine) full = import_reference (name);
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
          ck_assert_msg (has_input_error (diags), "cut at %zu: no input tag:\n%s", cut, all);
          refused++;
        }
      else
        {
          g_autofree char *why = NULL;
          ck_assert_msg (machines_equal (m, full, &why), "cut at %zu of %zu gave a different machine (%s)", cut, len, why);
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
      g_autoptr(WsiMachine) m = import_reg_bytes (cases[i].text, strlen (cases[i].text), diags);
      g_autofree char *all = wsi_test_diags_to_string (diags);

      ck_assert_msg (m == NULL, "case %zu accepted", i);
      ck_assert_msg (wsi_test_has_diag (diags, "reg-malformed", cases[i].line), "case %zu: %s", i, all);
    }
}
END_TEST

START_TEST (damaged_utf16_is_reg_malformed)
{
  g_autoptr(GBytes) good = to_utf16 ("Windows Registry Editor Version 5.00\r\n\r\n[K]\r\n\"a\"=\"b\"\r\n");
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
  m = import_string (s, diags);
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
  g_autoptr(GString) s = small_reg (1, NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autofree char *transports = NULL;
  g_auto(GStrv) list = NULL;
  g_autofree char *helper = NULL;
  WsiRegType t = 0;
  g_autoptr(GBytes) san = NULL;

  g_string_append (s,
    "; a comment, then values regedit writes in every shape\r\n"
    "[" ROOT "\\Services\\Winsock\\Parameters]\r\n"
    "@=\"default \\\"quoted\\\" C:\\\\path\"\r\n"
    "\"Transports\"=hex(7):54,63,70,69,70,00,\\\r\n"
    "    54,63,70,69,70,36,00,00\r\n"
    "  ; indented comment\r\n"
    "\r\n"
    "[" ROOT "\\Services\\Winsock\\Parameters\\TCP on SAN]\r\n"
    "\"Vendor SAN\"=hex:00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff\r\n"
    "\r\n"
    "[" ROOT "\\Services\\Tcpip\\Parameters\\Winsock]\r\n"
    "\"HelperDllName\"=hex(2):25,53,79,73,74,65,6d,52,6f,6f,74,25,5c,e9,00\r\n"
    "\"MinSockaddrLength\"=dword:10\r\n"
    "\"MaxSockAddrLength\"=DWORD:00000010\r\n"
    "\"UseDelayedAcceptance\"=dword:00000000\r\n"
    "\"Mapping\"=hex:01,00,00,00,03,00,00,00,02,00,00,00,01,00,00,00,06,00,00,00\r\n"
    "\r\n"
    "[" ROOT "\\Services\\Tcpip\\Parameters]\r\n"
    "\"Hostname\"=\"ignored\"\r\n");
  m = import_string (s, diags);
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
  g_autoptr(GString) s = small_reg (1, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autofree char *helper = NULL;
  gsize len = 0;
  const guint8 *data;

  g_string_erase (s, 0, strlen ("REGEDIT4"));
  g_string_prepend (s, "Windows Registry Editor Version 5.00");
  g_string_append (s, "[" ROOT "\\Services\\Tcpip\\Parameters\\Winsock]\r\n"
                      "\"HelperDllName\"=hex(2):25,00,e9,00,3d,d8,00,de,00,00\r\n");
  bytes = to_utf16 (s->str);
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
  g_autoptr(GString) ok = small_reg (1, NULL);
  g_autoptr(GString) key = small_reg (1, NULL);
  g_autoptr(GString) value = small_reg (1, NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  int line;

  g_string_append (ok, "[-" ROOT "\\Services\\SomeDriver]\r\n\r\n[" ROOT "\\Services\\Other]\r\n\"x\"=-\r\n");
  m = import_string (ok, diags);
  ck_assert_ptr_nonnull (m);
  line = count_lines (key) + 1;
  g_string_append (key, "[-" ROOT "\\Services\\Tcpip\\Parameters\\Winsock]\r\n");
  assert_refused (key, "reg-malformed", line);
  line = count_lines (value) + 2;
  g_string_append (value, "[" ROOT "\\Services\\Winsock\\Parameters]\r\n\"Transports\"=-\r\n");
  assert_refused (value, "reg-malformed", line);
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
      g_autoptr(GString) s = small_reg (2, NULL);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;
      char *p;

      while ((p = strstr (s->str, ROOT)) != NULL)
        {
          gsize at = (gsize) (p - s->str);
          g_string_erase (s, (gssize) at, strlen (ROOT));
          g_string_insert (s, (gssize) at, roots[i]);
        }
      m = import_string (s, diags);
      ck_assert_msg (m != NULL, "%s: %s", roots[i], wsi_test_diags_to_string (diags));
      ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 2);
    }
}
END_TEST

START_TEST (several_control_sets_need_current_or_select)
{
  g_autoptr(GString) a = small_reg (1, NULL);
  g_autoptr(GString) two = NULL;
  g_autoptr(GString) selected = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  GString *b = small_reg (3, NULL);
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
  assert_refused (two, "reg-malformed", 0);

  selected = g_string_new (two->str);
  g_string_append (selected, "[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\"Current\"=dword:00000002\r\n");
  m = import_string (selected, diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 3);
  g_clear_pointer (&m, wsi_machine_free);

  /* CurrentControlSet, when exported too, is the live one */
  {
    g_autoptr(GString) cur = small_reg (2, NULL);
    g_autoptr(GString) all = g_string_new (two->str);

    g_string_append (all, cur->str + strlen ("REGEDIT4\r\n"));
    m = import_string (all, diags);
    ck_assert_ptr_nonnull (m);
    ck_assert_uint_eq (wsi_catalog_get_size (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), 2);
  }
  g_string_free (b, TRUE);
}
END_TEST

/* --- catalog consistency ---------------------------------------------------- */

START_TEST (catalog_inconsistencies_are_tagged)
{
  const char *pc9 = "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n";

  /* counter says 3, two keys */
  {
    g_autoptr(GString) s = small_reg (2, "\"Next_Catalog_Entry_ID\"=dword:000003eb\r\n\"Num_Catalog_Entries\"=dword:3\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* a gap: keys 1 and 3 */
  {
    g_autoptr(GString) s = small_reg (1, "\"Next_Catalog_Entry_ID\"=dword:000003f0\r\n\"Num_Catalog_Entries\"=dword:2\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    append_entry_key (s, ROOT, "Catalog_Entries", 3, 1003);
    assert_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* a key that is not a position */
  {
    g_autoptr(GString) s = small_reg (1, "\"Next_Catalog_Entry_ID\"=dword:000003f0\r\n\"Num_Catalog_Entries\"=dword:2\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    g_string_append (s, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\00000000000x]\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* an ID at the counter */
  {
    g_autoptr(GString) s = small_reg (2, "\"Next_Catalog_Entry_ID\"=dword:000003ea\r\n\"Num_Catalog_Entries\"=dword:2\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 0);
  }
  /* counters missing or of the wrong type */
  {
    g_autoptr(GString) s = small_reg (1, "\"Num_Catalog_Entries\"=dword:1\r\n\"Serial_Access_Num\"=dword:1\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 3);
  }
  {
    g_autoptr(GString) s = small_reg (1, "\"Next_Catalog_Entry_ID\"=dword:000003ea\r\n\"Num_Catalog_Entries\"=dword:1\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 3);
  }
  {
    g_autoptr(GString) s = small_reg (1, "\"Next_Catalog_Entry_ID\"=hex:ea,03\r\n\"Num_Catalog_Entries\"=dword:1\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 4);
  }
  /* Catalog_Entries64 with no Num_Catalog_Entries64 */
  {
    g_autoptr(GString) s = small_reg (1, NULL);
    append_entry_key (s, ROOT, "Catalog_Entries64", 1, 1001);
    assert_refused (s, "catalog-keys-inconsistent", 3);
  }
  /* no catalog at all / nothing below Services */
  {
    g_autoptr(GString) s = g_string_new ("REGEDIT4\r\n\r\n[" ROOT "\\Services\\Winsock\\Parameters]\r\n\"Transports\"=\"x\"\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 0);
  }
  {
    g_autoptr(GString) s = g_string_new ("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software]\r\n\"a\"=\"b\"\r\n");
    assert_refused (s, "catalog-keys-inconsistent", 0);
  }
  (void) pc9;
}
END_TEST

START_TEST (bad_packed_items_are_tagged_at_their_line)
{
  /* a PackedCatalogItem one byte short, of the wrong type, missing */
  {
    g_autoptr(GString) s = small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n\"Num_Catalog_Entries\"=dword:1\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    guint8 short_item[WSI_PACKED_ITEM_SIZE - 1] = { 'C', 0 };
    g_string_append (s, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n");
    append_hex_value (s, "PackedCatalogItem", "hex", short_item, sizeof short_item);
    assert_refused (s, "packed-item-invalid", 11);
  }
  {
    g_autoptr(GString) s = small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n\"Num_Catalog_Entries\"=dword:1\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    guint8 item[WSI_PACKED_ITEM_SIZE] = { 'C', 0 };
    g_string_append (s, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n");
    append_hex_value (s, "PackedCatalogItem", "hex(4)", item, sizeof item);
    assert_refused (s, "packed-item-invalid", 11);
  }
  {
    g_autoptr(GString) s = small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n\"Num_Catalog_Entries\"=dword:1\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    g_string_append (s, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n"
                        "\"ProtocolName\"=\"x\"\r\n");
    assert_refused (s, "packed-item-invalid", 10);
  }
  /* a name that is not NUL-terminated */
  {
    g_autoptr(GString) s = small_reg (0, "\"Next_Catalog_Entry_ID\"=dword:3ea\r\n\"Num_Catalog_Entries\"=dword:1\r\n"
                                         "\"Serial_Access_Num\"=dword:1\r\n");
    guint8 item[WSI_PACKED_ITEM_SIZE] = { 'C', 0 };
    memset (item + WSI_MAX_PATH + 116, 'x', WSI_PACKED_ITEM_SIZE - WSI_MAX_PATH - 116);
    g_string_append (s, "[" ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n");
    append_hex_value (s, "PackedCatalogItem", "hex", item, sizeof item);
    assert_refused (s, "packed-item-invalid", 11);
  }
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

/* --- offline hives ---------------------------------------------------------- */

#if WSI_HAVE_HIVEX
typedef struct {
  GPtrArray *keys;    /* char* relative paths, in file order */
  GHashTable *values; /* path -> GPtrArray of hive_set_value (owned strings) */
  char *cur;
} HiveSource;

static void
set_value_free (gpointer data)
{
  hive_set_value *v = data;

  g_free (v->key);
  g_free (v->value);
  g_free (v);
}

static WsiRegKeyAction
collect_key (const char *path, gboolean deleted, int line, gpointer user_data)
{
  HiveSource *src = user_data;
  g_autofree char *root = NULL;
  char *rel = NULL;

  g_clear_pointer (&src->cur, g_free);
  if (!wsi_import_split_services_path (path, &root, &rel) || rel[0] == '\0')
    {
      g_free (rel);
      return WSI_REG_KEY_SKIP;
    }
  src->cur = rel;
  if (g_hash_table_lookup (src->values, rel) == NULL)
    {
      g_ptr_array_add (src->keys, g_strdup (rel));
      g_hash_table_insert (src->values, g_strdup (rel), g_ptr_array_new_with_free_func (set_value_free));
    }
  return WSI_REG_KEY_WANT;
}

static gboolean
collect_value (const char *name, guint32 type, GBytes *data, int line, gpointer user_data)
{
  HiveSource *src = user_data;
  hive_set_value *v = g_new0 (hive_set_value, 1);
  gsize len = 0;
  const void *p = g_bytes_get_data (data, &len);

  v->key = g_strdup (name);
  v->t = (hive_type) type;
  v->len = len;
  v->value = g_memdup2 (p, len);
  g_ptr_array_add (g_hash_table_lookup (src->values, src->cur), v);
  return TRUE;
}

static hive_node_h
ensure_path (hive_h *h, hive_node_h node, const char *path)
{
  g_auto(GStrv) segs = g_strsplit (path, "\\", -1);

  for (guint i = 0; segs[i] != NULL; i++)
    {
      hive_node_h child = hivex_node_get_child (h, node, segs[i]);
      if (child == 0)
        child = hivex_node_add_child (h, node, segs[i]);
      ck_assert_msg (child != 0, "adding %s", segs[i]);
      node = child;
    }
  return node;
}

/* A SYSTEM hive with the Services keys of a .reg fixture, built from
 * tests/data/hive/minimal.hive with hivex's write API. @select is the
 * Select\Current value (0: no Select key). */
static char *
build_hive (const char *dir, const char *reg_name, guint32 select)
{
  g_autofree char *minimal = wsi_test_data_path ("hive/minimal.hive");
  g_autofree char *out = g_strdup_printf ("%s/%s.hive", dir, reg_name != NULL ? reg_name : "empty");
  g_autoptr(GBytes) base = NULL;
  HiveSource src = { g_ptr_array_new_with_free_func (g_free),
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref), NULL };
  hive_h *h;
  hive_node_h services;

  base = read_data ("hive/minimal.hive");
  ck_assert (g_file_set_contents (out, g_bytes_get_data (base, NULL), (gssize) g_bytes_get_size (base), NULL));
  if (reg_name != NULL)
    {
      static const WsiRegFileHandler handler = { collect_key, collect_value };
      g_autofree char *file = g_strconcat ("reg/", reg_name, ".reg", NULL);
      g_autoptr(GBytes) reg = read_data (file);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();

      ck_assert (wsi_reg_file_parse (g_bytes_get_data (reg, NULL), g_bytes_get_size (reg), file, &handler, &src,
                                     NULL, diags));
    }
  h = hivex_open (out, HIVEX_OPEN_WRITE);
  ck_assert_ptr_nonnull (h);
  if (select != 0)
    {
      guint8 le[4] = { (guint8) select, 0, 0, 0 };
      hive_set_value v = { (char *) "Current", hive_t_REG_DWORD, 4, (char *) le };
      hive_node_h sel = hivex_node_add_child (h, hivex_root (h), "Select");
      ck_assert_int_eq (hivex_node_set_values (h, sel, 1, &v, 0), 0);
    }
  services = ensure_path (h, hivex_root (h), "ControlSet001\\Services");
  for (guint i = 0; i < src.keys->len; i++)
    {
      const char *path = g_ptr_array_index (src.keys, i);
      GPtrArray *values = g_hash_table_lookup (src.values, path);
      g_autofree hive_set_value *flat = g_new0 (hive_set_value, values->len + 1);
      hive_node_h node = ensure_path (h, services, path);

      for (guint j = 0; j < values->len; j++)
        flat[j] = *(hive_set_value *) g_ptr_array_index (values, j);
      ck_assert_int_eq (hivex_node_set_values (h, node, values->len, flat, 0), 0);
    }
  ck_assert_int_eq (hivex_commit (h, NULL, 0), 0);
  hivex_close (h);
  g_ptr_array_unref (src.keys);
  g_hash_table_unref (src.values);
  g_free (src.cur);
  return g_steal_pointer (&out);
}

START_TEST (hives_import_to_the_same_machine_as_the_reg_exports)
{
  const char *name = reference_names[_i];
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = build_hive (dir, name, 1);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMachine) from_reg = import_reference (name);
  g_autoptr(WsiMachine) m = wsi_import_hive_file (hive, NULL, diags, &error);
  g_autofree char *desc = NULL;

  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (m, from_reg);
  desc = g_strdup_printf ("Imported from %s.hive (offline SYSTEM hive, ControlSet001)", name);
  ck_assert_str_eq (wsi_machine_get_description (m), desc);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (truncated_and_damaged_hives_never_give_a_partial_machine)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = build_hive (dir, "win81-x64", 1);
  g_autofree char *cut_path = g_build_filename (dir, "cut.hive", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WsiMachine) full = import_reference ("win81-x64");
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint refused = 0, tried = 0;

  ck_assert (g_file_get_contents (hive, &contents, &len, NULL));
  for (gsize cut = 0; cut < len; cut += MAX (len / 150, 1))
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;

      ck_assert (g_file_set_contents (cut_path, contents, (gssize) cut, NULL));
      m = wsi_import_hive_file (cut_path, NULL, diags, NULL);
      tried++;
      if (m == NULL)
        {
          ck_assert_msg (has_input_error (diags), "cut at %zu: %s", cut, wsi_test_diags_to_string (diags));
          refused++;
        }
      else
        ck_assert_machines_equal (m, full);
    }
  ck_assert_uint_gt (refused, tried * 8 / 10);

  /* Overwrite a few bytes at many places: whatever comes out, a machine
   * without diagnostics or diagnostics without a machine, never a crash. */
  for (gsize at = 0; at + 4 < len; at += 97)
    {
      g_autofree char *copy = g_memdup2 (contents, len);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;

      memset (copy + at, at % 2 ? 0xFF : 0x00, 4);
      ck_assert (g_file_set_contents (cut_path, copy, (gssize) len, NULL));
      m = wsi_import_hive_file (cut_path, NULL, diags, NULL);
      ck_assert ((m == NULL) == wsi_diag_list_has_errors (diags));
    }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (hives_without_a_usable_control_set_are_hive_malformed)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *no_select = build_hive (dir, NULL, 0);
  g_autofree char *wrong_select = NULL;
  g_autofree char *no_winsock = NULL;
  g_autofree char *text = g_build_filename (dir, "text.hive", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.hive", NULL);
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d4 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d5 = wsi_diag_list_new ();

  ck_assert_ptr_null (wsi_import_hive_file (no_select, NULL, d1, NULL));
  ck_assert_diag (d1, "hive-malformed", 0);
  {
    g_autofree char *sub = g_build_filename (dir, "w", NULL);
    g_mkdir (sub, 0700);
    wrong_select = build_hive (sub, NULL, 2);
  }
  ck_assert_ptr_null (wsi_import_hive_file (wrong_select, NULL, d2, NULL));
  ck_assert_diag (d2, "hive-malformed", 0);
  {
    g_autofree char *sub = g_build_filename (dir, "n", NULL);
    g_mkdir (sub, 0700);
    no_winsock = build_hive (sub, NULL, 1);
  }
  ck_assert_ptr_null (wsi_import_hive_file (no_winsock, NULL, d3, NULL));
  ck_assert_diag (d3, "catalog-keys-inconsistent", 0);
  ck_assert (g_file_set_contents (text, "REGEDIT4\r\n", -1, NULL));
  ck_assert_ptr_null (wsi_import_hive_file (text, NULL, d4, NULL));
  ck_assert_diag (d4, "hive-malformed", 0);
  ck_assert_ptr_null (wsi_import_hive_file (missing, NULL, d5, NULL));
  ck_assert_diag (d5, "file-unreadable", 0);
  ck_assert (wsi_import_hive_supported ());
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (hive_key_names_with_control_characters_are_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = build_hive (dir, "win7-x86", 1);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  hive_h *h = hivex_open (hive, HIVEX_OPEN_WRITE);

  /* Windows never writes such a name; a hostile hive could, and it would
   * not survive a .reg export. */
  ck_assert_ptr_nonnull (h);
  ensure_path (h, hivex_root (h), "ControlSet001\\Services\\Bad\nName\\Parameters\\Winsock");
  ck_assert_int_eq (hivex_commit (h, NULL, 0), 0);
  hivex_close (h);
  ck_assert_ptr_null (wsi_import_hive_file (hive, NULL, diags, NULL));
  ck_assert_diag (diags, "hive-malformed", 0);
  wsi_test_rmtree (dir);
}
END_TEST
#else
START_TEST (hive_import_is_not_supported_without_hivex)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;

  ck_assert (!wsi_import_hive_supported ());
  ck_assert_ptr_null (wsi_import_hive_file ("whatever", NULL, diags, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED));
}
END_TEST
#endif

/* --- netsh listings ---------------------------------------------------------- */

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
  g_autoptr(WsiMachine) reg = import_reference ("win7-x86");
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
  g_autoptr(GBytes) text = read_data ("netsh/lavasoft-win10-x64.txt");
  g_autofree char *utf8 = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  g_autoptr(GBytes) wide = to_utf16 (utf8);
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
  g_autoptr(GBytes) bytes = read_data ("netsh/win7-x86-generated.txt");
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
          ck_assert_msg (has_input_error (diags), "cut at %zu", cut);
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

/* --- the CLI ---------------------------------------------------------------- */

START_TEST (cli_import_writes_the_snapshot_only_on_success)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "m.xml", NULL);
  g_autofree char *reg = g_build_filename (dir, "m.reg", NULL);
  g_autofree char *good = wsi_test_data_path ("reg/win10-x64.reg");
  g_autofree char *bad = wsi_test_data_path ("reg/bad/win7-x86-truncated.reg");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) loaded = NULL;
  g_autoptr(WsiMachine) back = NULL;
  g_autoptr(WsiMachine) expected = import_reference ("win10-x64");
  const char *fail_new[] = { "catalog", "import", "--from=reg", bad, "-o", out, NULL };
  const char *ok[] = { "catalog", "import", "--from=reg", good, "-o", out, NULL };
  const char *export[] = { "catalog", "export", "--to=reg", out, "-o", reg, NULL };

  /* a damaged input: exit 1 and no file at all */
  ck_assert_int_eq (wsi_test_run_cli (fail_new, NULL, NULL), 1);
  ck_assert (!g_file_test (out, G_FILE_TEST_EXISTS));
  ck_assert_int_eq (wsi_test_run_cli (ok, NULL, NULL), 0);
  loaded = wsi_snapshot_load_file (out, diags);
  ck_assert_msg (loaded != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (loaded, expected);
  /* a failed import leaves the previous snapshot as it was */
  ck_assert (g_file_get_contents (out, &before, NULL, NULL));
  ck_assert_int_eq (wsi_test_run_cli (fail_new, NULL, NULL), 1);
  ck_assert (g_file_get_contents (out, &after, NULL, NULL));
  ck_assert_str_eq (before, after);
  /* and export gives back the same machine */
  ck_assert_int_eq (wsi_test_run_cli (export, NULL, NULL), 0);
  back = wsi_import_reg_file (reg, NULL, diags);
  ck_assert_ptr_nonnull (back);
  ck_assert_machines_equal (back, expected);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (cli_reference_catalogs_are_what_the_importer_makes)
{
  /* data/reference/NAME.xml must stay what `catalog import` gives for the
   * .reg fixtures (tools/refcat/make-reference.sh), descriptions aside. */
  const char *name = reference_names[_i];
  g_autofree char *rel = g_strconcat ("data/reference/", name, ".xml", NULL);
  g_autofree char *path = wsi_test_source_path (rel);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) shipped = wsi_snapshot_load_file (path, diags);
  g_autoptr(WsiMachine) imported = import_reference (name);

  ck_assert_msg (shipped != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (shipped, imported);
}
END_TEST

static Suite *
import_suite (void)
{
  Suite *s = suite_create ("import");
  TCase *ref = tcase_create ("reference");
  TCase *reg = tcase_create ("reg");
  TCase *hive = tcase_create ("hive");
  TCase *netsh = tcase_create ("netsh");
  TCase *cli = tcase_create ("cli");
  int n = (int) G_N_ELEMENTS (reference_names);

  tcase_set_timeout (ref, 240);
  tcase_add_loop_test (ref, reference_exports_import_as_their_dumps_say, 0, n);
  tcase_add_test (ref, win7_keeps_id_gaps_and_counter);
  tcase_add_loop_test (ref, export_then_import_round_trips_every_reference_catalog, 0, n);
  tcase_add_loop_test (ref, snapshot_round_trip_keeps_the_export_byte_identical, 0, n);
  tcase_add_loop_test (ref, export_then_import_keeps_lsp_categories, 0, G_N_ELEMENTS (categorised_snapshots));
  tcase_add_test (ref, import_refuses_lsp_categories_that_are_not_a_dword);
  tcase_add_test (ref, export_writes_entries_in_key_order_with_protocol_names);
  tcase_add_test (ref, export_file_is_written_whole);
  tcase_add_test (ref, export_refuses_a_path_the_packed_item_cannot_hold);
  tcase_add_test (ref, export_refuses_registry_names_with_line_breaks);
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
  tcase_add_test (reg, catalog_inconsistencies_are_tagged);
  tcase_add_test (reg, bad_packed_items_are_tagged_at_their_line);
  tcase_add_test (reg, forced_kinds_must_fit_the_input);
  tcase_add_test (reg, services_paths_split_at_their_control_set);
  suite_add_tcase (s, reg);

  tcase_set_timeout (hive, 240);
#if WSI_HAVE_HIVEX
  tcase_add_loop_test (hive, hives_import_to_the_same_machine_as_the_reg_exports, 0, n);
  tcase_add_test (hive, truncated_and_damaged_hives_never_give_a_partial_machine);
  tcase_add_test (hive, hives_without_a_usable_control_set_are_hive_malformed);
  tcase_add_test (hive, hive_key_names_with_control_characters_are_refused);
#else
  tcase_add_test (hive, hive_import_is_not_supported_without_hivex);
#endif
  suite_add_tcase (s, hive);

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

  tcase_set_timeout (cli, 120);
  tcase_add_test (cli, cli_import_writes_the_snapshot_only_on_success);
  tcase_add_loop_test (cli, cli_reference_catalogs_are_what_the_importer_makes, 0, n);
  suite_add_tcase (s, cli);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (import_suite ());
}
