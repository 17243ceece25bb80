/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-test-import.c: helpers shared by the importer suites. */
#include "wsi-test-import.h"

#include <string.h>

#include "wsi-import-private.h"

const char *const wsi_test_reference_names[WSI_TEST_N_REFERENCES] = {
  "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64", "win2000-x86",
};

/* Tags an import may give for damaged input. */
static const char *const input_tags[] = {
  "reg-malformed", "hive-malformed", "netsh-malformed", "packed-item-invalid", "catalog-keys-inconsistent",
  "empty-file", "file-too-large", "import-kind-conflict",
};

GBytes *
wsi_test_read_data (const char *name)
{
  g_autofree char *path = wsi_test_data_path (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  gsize len = 0;

  ck_assert_msg (g_file_get_contents (path, &text, &len, &error), "%s", error ? error->message : "");
  return g_bytes_new_take (text, len);
}

WsiMachine *
wsi_test_import_reg_bytes (const char *text, gsize len, WsiDiagList *diags)
{
  return wsi_import_reg_memory ((const guint8 *) text, len, "test.reg", NULL, diags);
}

WsiMachine *
wsi_test_import_reference (const char *name)
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
gboolean
wsi_test_machines_equal (const WsiMachine *a, const WsiMachine *b, char **why)
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

gboolean
wsi_test_has_input_error (const WsiDiagList *diags)
{
  for (gsize i = 0; i < G_N_ELEMENTS (input_tags); i++)
    if (wsi_diag_list_has_tag (diags, input_tags[i]))
      return TRUE;
  return FALSE;
}

GBytes *
wsi_test_to_utf16 (const char *text)
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

void
wsi_test_reg_append_hex_value (GString *s, const char *name, const char *type, const guint8 *data, gsize len)
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

WsiEntry *
wsi_test_sample_entry (guint32 id)
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

void
wsi_test_reg_append_entry_key (GString *s, const char *root, const char *catalog, guint pos, guint32 id)
{
  g_autoptr(WsiEntry) e = wsi_test_sample_entry (id);
  guint8 packed[WSI_PACKED_ITEM_SIZE];

  g_assert (wsi_entry_pack_catalog_item (e, packed, NULL));
  g_string_append_printf (s, "[%s\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\%s\\%012u]\r\n", root, catalog, pos);
  wsi_test_reg_append_hex_value (s, "PackedCatalogItem", "hex", packed, sizeof packed);
  g_string_append (s, "\"ProtocolName\"=\"MSAFD Tcpip [TCP/IP]\"\r\n\r\n");
}

GString *
wsi_test_small_reg (guint n, const char *counters)
{
  GString *s = g_string_new ("REGEDIT4\r\n\r\n");

  g_string_append (s, "[" WSI_TEST_REG_ROOT "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n");
  if (counters != NULL)
    g_string_append (s, counters);
  else
    g_string_append_printf (s, "\"Next_Catalog_Entry_ID\"=dword:%08x\r\n\"Num_Catalog_Entries\"=dword:%08x\r\n"
                               "\"Serial_Access_Num\"=dword:00000007\r\n", 1001 + n, n);
  g_string_append (s, "\r\n[" WSI_TEST_REG_ROOT
                      "\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries]\r\n\r\n");
  for (guint i = 1; i <= n; i++)
    wsi_test_reg_append_entry_key (s, WSI_TEST_REG_ROOT, "Catalog_Entries", i, 1000 + i);
  return s;
}

WsiMachine *
wsi_test_import_reg_string (const GString *s, WsiDiagList *diags)
{
  return wsi_test_import_reg_bytes (s->str, s->len, diags);
}

void
wsi_test_assert_reg_refused (const GString *s, const char *tag, int line)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = wsi_test_import_reg_string (s, diags);

  ck_assert_msg (m == NULL, "accepted:\n%.300s", s->str);
  ck_assert_diag (diags, tag, line);
}
