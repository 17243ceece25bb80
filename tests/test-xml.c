/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-xml.c: the hardened XML front end refuses hostile documents quickly,
 * opens no file and no connection. */
#include "wsi-test-util.h"
#include "wsi-xml-private.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#define MANIFEST_OPEN "<manifest xmlns=\"urn:wsinstall:manifest:1\">"

static xmlDoc *
load (const char *text, WsiDiagList *diags)
{
  return wsi_xml_load_memory (text, strlen (text), "t.xml", WSI_XML_MAX_MANIFEST_SIZE, diags);
}

START_TEST (well_formed_document_loads)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(xmlDoc) doc = load ("<?xml version=\"1.0\"?>\n" MANIFEST_OPEN "</manifest>", diags);
  ck_assert_ptr_nonnull (doc);
  ck_assert_uint_eq (wsi_diag_list_get_size (diags), 0);
}
END_TEST

START_TEST (external_file_entity_is_refused_unread)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *secret = g_build_filename (dir, "secret.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  g_file_set_contents (secret, "TOP-SECRET", -1, NULL);
  text = g_strdup_printf ("<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n<!ENTITY x SYSTEM \"file://%s\">\n]>\n"
                          MANIFEST_OPEN "&x;</manifest>", secret);
  doc = load (text, diags);
  ck_assert_ptr_null (doc);
  ck_assert_diag (diags, "xml-entities-refused", 2);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    ck_assert (strstr (wsi_diag_list_get (diags, i)->message, "TOP-SECRET") == NULL);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (network_entity_and_external_dtd_open_no_connection)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) client = NULL;
  guint port;
  const char *forms[] = {
    "<!DOCTYPE manifest SYSTEM \"http://127.0.0.1:PORT/evil.dtd\">\n" MANIFEST_OPEN "</manifest>",
    "<!DOCTYPE manifest [<!ENTITY x SYSTEM \"http://127.0.0.1:PORT/x\">]>\n" MANIFEST_OPEN "&x;</manifest>",
    MANIFEST_OPEN "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"http://127.0.0.1:PORT/x\"/></manifest>",
  };

  ck_assert_ptr_nonnull (server);
  ck_assert (g_socket_bind (server, any_port, TRUE, &error));
  ck_assert (g_socket_listen (server, &error));
  bound = g_socket_get_local_address (server, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GString) text = g_string_new (forms[i]);
      g_autofree char *port_text = g_strdup_printf ("%u", port);
      g_autoptr(xmlDoc) doc = NULL;
      g_string_replace (text, "PORT", port_text, 0);
      doc = load (text->str, diags);
      /* The XInclude form is well-formed; validation must not follow it. */
      if (doc != NULL)
        (void) wsi_xml_validate (doc, WSI_SCHEMA_MANIFEST, "t.xml", diags);
    }
  ck_assert_diag (diags, "xml-entities-refused", 1);

  /* Nothing may have connected: a non-blocking accept finds no client. */
  g_socket_set_blocking (server, FALSE);
  client = g_socket_accept (server, NULL, &error);
  ck_assert_ptr_null (client);
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
}
END_TEST

START_TEST (entity_expansion_bomb_is_refused_fast)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GString) text = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY l0 \"lol\">\n");
  gint64 start = g_get_monotonic_time ();
  g_autoptr(xmlDoc) doc = NULL;

  for (int i = 1; i < 12; i++)
    {
      g_string_append_printf (text, "<!ENTITY l%d \"", i);
      for (int k = 0; k < 10; k++)
        g_string_append_printf (text, "&l%d;", i - 1);
      g_string_append (text, "\">\n");
    }
  g_string_append (text, "]>\n" MANIFEST_OPEN "&l11;</manifest>");
  doc = load (text->str, diags);
  ck_assert_ptr_null (doc);
  ck_assert_diag (diags, "xml-entities-refused", 2);
  ck_assert_int_lt (g_get_monotonic_time () - start, G_USEC_PER_SEC);
}
END_TEST

START_TEST (deep_nesting_is_refused)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GString) text = g_string_new (MANIFEST_OPEN);
  g_autoptr(xmlDoc) doc = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append (text, "<a>");
  doc = load (text->str, diags);
  ck_assert_ptr_null (doc);
  ck_assert_diag (diags, "xml-too-deep", 0);
}
END_TEST

START_TEST (garbage_empty_and_bad_utf8_are_tagged)
{
  static const guint8 garbage[] = { 0x7f, 'E', 'L', 'F', 0, 1, 2, 0xff, 0xfe, 0x80, '<', 0 };
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d4 = wsi_diag_list_new ();
  g_autoptr(xmlDoc) a = wsi_xml_load_memory ((const char *) garbage, sizeof garbage, "g.xml", WSI_XML_MAX_MANIFEST_SIZE, d1);
  g_autoptr(xmlDoc) b = wsi_xml_load_memory ("", 0, "e.xml", WSI_XML_MAX_MANIFEST_SIZE, d2);
  g_autoptr(xmlDoc) c = load ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" MANIFEST_OPEN "<x name=\"\xc3\x28\"/></manifest>", d3);
  g_autoptr(xmlDoc) e = load ("   \n  ", d4);

  ck_assert_ptr_null (a);
  ck_assert_uint_eq (wsi_diag_list_get_size (d1), 1);
  ck_assert (wsi_diag_list_has_errors (d1));
  ck_assert_ptr_null (b);
  ck_assert_diag (d2, "empty-file", 0);
  ck_assert_ptr_null (c);
  ck_assert_diag (d3, "encoding-invalid", 2);
  ck_assert_ptr_null (e);
  ck_assert_diag (d4, "empty-file", 0);
}
END_TEST

START_TEST (oversized_file_is_refused_unread)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "big.xml", NULL);
  g_autoptr(xmlDoc) doc = NULL;
  FILE *f = fopen (path, "wb");

  /* A sparse 1 GiB file: refused by its size without reading it. */
  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (fseek (f, (long) 1024 * 1024 * 1024 - 1, SEEK_SET), 0);
  fputc ('>', f);
  fclose (f);
  doc = wsi_xml_load_file (path, WSI_XML_MAX_MANIFEST_SIZE, diags);
  ck_assert_ptr_null (doc);
  ck_assert_diag (diags, "file-too-large", 0);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (missing_file_is_unreadable)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(xmlDoc) doc = wsi_xml_load_file ("/nonexistent/dir/m.xml", WSI_XML_MAX_MANIFEST_SIZE, diags);
  ck_assert_ptr_null (doc);
  ck_assert_diag (diags, "file-unreadable", 0);
}
END_TEST

START_TEST (namespace_versions_are_checked)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(xmlDoc) v2 = load ("<manifest xmlns=\"urn:wsinstall:manifest:2\"/>", diags);
  g_autoptr(xmlDoc) other = load ("<manifest xmlns=\"urn:other\"/>", diags);

  ck_assert (!wsi_xml_validate (v2, WSI_SCHEMA_MANIFEST, "v2.xml", diags));
  ck_assert_diag (diags, "unsupported-version", 1);
  ck_assert (!wsi_xml_validate (other, WSI_SCHEMA_MANIFEST, "o.xml", diags));
  ck_assert_diag (diags, "schema-invalid", 1);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("xml");
  TCase *tc = tcase_create ("hostile");
  tcase_add_test (tc, well_formed_document_loads);
  tcase_add_test (tc, external_file_entity_is_refused_unread);
  tcase_add_test (tc, network_entity_and_external_dtd_open_no_connection);
  tcase_add_test (tc, entity_expansion_bomb_is_refused_fast);
  tcase_add_test (tc, deep_nesting_is_refused);
  tcase_add_test (tc, garbage_empty_and_bad_utf8_are_tagged);
  tcase_add_test (tc, oversized_file_is_refused_unread);
  tcase_add_test (tc, missing_file_is_unreadable);
  tcase_add_test (tc, namespace_versions_are_checked);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
