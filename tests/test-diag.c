/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-diag.c: the issue model, the tag registry and the renderers. */
#include "wsi-test-util.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

START_TEST (tag_registry_is_sorted_unique_and_explained)
{
  guint n = 0;
  const WsiTagInfo *tags = wsi_tags_get_all (&n);

  ck_assert_uint_gt (n, 20);
  for (guint i = 0; i < n; i++)
    {
      ck_assert_msg (tags[i].explanation != NULL && strlen (tags[i].explanation) > 20,
                     "tag %s has no explanation", tags[i].tag);
      /* Tags are kebab-case words: stable identifiers in CI configs. */
      for (const char *p = tags[i].tag; *p; p++)
        ck_assert_msg (g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-', "bad tag %s", tags[i].tag);
      if (i > 0)
        ck_assert_msg (strcmp (tags[i - 1].tag, tags[i].tag) < 0,
                       "tags out of order: %s before %s", tags[i - 1].tag, tags[i].tag);
      ck_assert_ptr_eq (wsi_tag_lookup (tags[i].tag), &tags[i]);
    }
  ck_assert_ptr_null (wsi_tag_lookup ("no-such-tag"));
}
END_TEST

START_TEST (every_tag_says_what_to_do)
{
  /* A diagnostic without a next step leaves the author guessing: every
   * tag's row carries a hint, which text, JSON, SARIF and `explain` show. */
  guint n = 0;
  const WsiTagInfo *tags = wsi_tags_get_all (&n);

  ck_assert_uint_gt (n, 0);
  for (guint i = 0; i < n; i++)
    ck_assert_msg (tags[i].hint != NULL && tags[i].hint[0] != '\0', "tag %s has no hint", tags[i].tag);
}
END_TEST

START_TEST (list_counts_and_sorts_stably)
{
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();

  wsi_diag_list_add (list, "chain-too-long", "b.xml", 9, "second file");
  wsi_diag_list_add (list, "uncategorized-lsp", "a.xml", 12, "late line");
  wsi_diag_list_add (list, "duplicate-id", "a.xml", 3, "first");
  wsi_diag_list_add (list, "duplicate-guid", "a.xml", 3, "same line, added after");
  ck_assert_uint_eq (wsi_diag_list_count (list, WSI_SEVERITY_ERROR), 3);
  ck_assert_uint_eq (wsi_diag_list_count (list, WSI_SEVERITY_WARNING), 1);
  ck_assert (wsi_diag_list_has_errors (list));
  ck_assert (wsi_diag_list_has_tag (list, "duplicate-guid"));
  ck_assert (!wsi_diag_list_has_tag (list, "orphan-chain"));

  wsi_diag_list_sort (list);
  ck_assert_str_eq (wsi_diag_list_get (list, 0)->tag, "duplicate-id");
  ck_assert_str_eq (wsi_diag_list_get (list, 1)->tag, "duplicate-guid");
  ck_assert_str_eq (wsi_diag_list_get (list, 2)->tag, "uncategorized-lsp");
  ck_assert_str_eq (wsi_diag_list_get (list, 3)->tag, "chain-too-long");
}
END_TEST

START_TEST (text_rendering_has_file_line_severity_tag)
{
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();
  g_autofree char *text = NULL;

  wsi_diag_list_add (list, "chain-too-long", "m.xml", 7, "chain of 8");
  text = wsi_diag_render (list, WSI_DIAG_FORMAT_TEXT);
  ck_assert_msg (g_str_has_prefix (text, "m.xml:7: error [chain-too-long]: chain of 8\n"), "%s", text);
  ck_assert (strstr (text, "hint: ") != NULL);
}
END_TEST

START_TEST (json_rendering_parses_and_counts)
{
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *root;
  JsonObject *first;

  wsi_diag_list_add (list, "orphan-chain", NULL, 0, "no file \"quoted\"");
  wsi_diag_list_add (list, "uncategorized-lsp", "x.xml", 4, "warn");
  text = wsi_diag_render (list, WSI_DIAG_FORMAT_JSON);
  ck_assert (json_parser_load_from_data (parser, text, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  ck_assert_str_eq (json_object_get_string_member (root, "format"), "wsinstall-diagnostics");
  ck_assert_int_eq (json_object_get_int_member (root, "version"), 1);
  ck_assert_int_eq (json_object_get_int_member (root, "errors"), 1);
  ck_assert_int_eq (json_object_get_int_member (root, "warnings"), 1);
  first = json_array_get_object_element (json_object_get_array_member (root, "diagnostics"), 0);
  ck_assert_str_eq (json_object_get_string_member (first, "tag"), "orphan-chain");
  ck_assert (json_object_get_null_member (first, "file"));
  ck_assert_str_eq (json_object_get_string_member (first, "message"), "no file \"quoted\"");
}
END_TEST

START_TEST (sarif_rendering_has_rules_and_located_results)
{
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *run, *result, *region;
  JsonArray *rules;
  guint n_tags = 0;
  gint64 rule_index;

  wsi_tags_get_all (&n_tags);
  wsi_diag_list_add (list, "uncategorized-lsp", "dir/m.xml", 21, "no category");
  text = wsi_diag_render (list, WSI_DIAG_FORMAT_SARIF);
  ck_assert (json_parser_load_from_data (parser, text, -1, NULL));
  ck_assert_str_eq (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "version"), "2.1.0");
  run = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runs"), 0);
  rules = json_object_get_array_member (json_object_get_object_member (json_object_get_object_member (run, "tool"), "driver"), "rules");
  ck_assert_uint_eq (json_array_get_length (rules), n_tags);
  result = json_array_get_object_element (json_object_get_array_member (run, "results"), 0);
  ck_assert_str_eq (json_object_get_string_member (result, "ruleId"), "uncategorized-lsp");
  ck_assert_str_eq (json_object_get_string_member (result, "level"), "warning");
  rule_index = json_object_get_int_member (result, "ruleIndex");
  ck_assert_str_eq (json_object_get_string_member (json_array_get_object_element (rules, (guint) rule_index), "id"),
                    "uncategorized-lsp");
  region = json_object_get_object_member (json_object_get_object_member (
             json_array_get_object_element (json_object_get_array_member (result, "locations"), 0),
             "physicalLocation"), "region");
  ck_assert_int_eq (json_object_get_int_member (region, "startLine"), 21);
}
END_TEST

START_TEST (github_rendering_escapes_properties_and_data)
{
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();
  g_autofree char *text = NULL;
  WsiDiag *d;

  d = wsi_diag_list_add (list, "duplicate-id", "a,b:c.xml", 5, "100%% bad\nsecond line");
  wsi_diag_set_hint (d, "fix it");
  wsi_diag_list_add (list, "layered-entry-unused", NULL, 0, "w");
  text = wsi_diag_render (list, WSI_DIAG_FORMAT_GITHUB);
  ck_assert_msg (strstr (text, "::error file=a%2Cb%3Ac.xml,line=5,title=duplicate-id::100%25 bad%0Asecond line (fix it)\n") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "::warning title=layered-entry-unused::w") != NULL, "%s", text);
}
END_TEST

START_TEST (formats_parse_by_name)
{
  WsiDiagFormat f;
  ck_assert (wsi_diag_format_from_string ("sarif", &f) && f == WSI_DIAG_FORMAT_SARIF);
  ck_assert (wsi_diag_format_from_string ("github", &f) && f == WSI_DIAG_FORMAT_GITHUB);
  ck_assert (!wsi_diag_format_from_string ("xml", &f));
}
END_TEST

START_TEST (wsa_errors_carry_their_code)
{
  g_autoptr(GError) error = NULL;

  ck_assert (!wsi_set_wsa_error (&error, WSI_WSANO_RECOVERY, "GUID %s installed", "{X}"));
  ck_assert_int_eq (wsi_error_get_wsa (error), WSI_WSANO_RECOVERY);
  ck_assert (strstr (error->message, "WSANO_RECOVERY") != NULL);
  ck_assert_int_eq (wsi_error_get_wsa (NULL), 0);
  /* The domain's code is the WSA value itself, with no parsing. */
  ck_assert (g_error_matches (error, WSI_WSA_ERROR, WSI_WSANO_RECOVERY));
  ck_assert_str_eq (wsi_error_to_tag (error), "wsc-call-failed");
  /* A WSI_ERROR whose message looks like a WSA error is not one. */
  g_clear_error (&error);
  g_set_error (&error, WSI_ERROR, WSI_ERROR_FAILED, "WSAEINVAL (10022): not a WSA error");
  ck_assert_int_eq (wsi_error_get_wsa (error), 0);
}
END_TEST

/* Every code has a registered tag, and the tag comes from the code alone:
 * a message that starts with another tag changes nothing. */
START_TEST (every_error_code_maps_to_a_registered_tag)
{
  for (int code = 0; code <= WSI_ERROR_LAST; code++)
    {
      g_autoptr(GError) error = g_error_new (WSI_ERROR, code, "not-admin: journal-corrupt: a decoy message");
      const char *tag = wsi_error_to_tag (error);
      WsiError back;

      ck_assert_msg (wsi_tag_lookup (tag) != NULL, "code %d maps to unregistered tag %s", code, tag);
      ck_assert_msg (wsi_error_from_tag (tag, &back), "tag %s has no code", tag);
      if (code != WSI_ERROR_WINSOCK)
        ck_assert_int_eq (back, code);
      if (code != WSI_ERROR_NOT_ADMIN)
        ck_assert_str_ne (tag, "not-admin");
    }
  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
    g_autoptr(GError) foreign = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT, "not-admin: x");
    g_autoptr(GError) beyond = g_error_new_literal (WSI_ERROR, WSI_ERROR_LAST + 1, "x");
    WsiError code;

    ck_assert_str_eq (wsi_error_to_tag (cancelled), "cancelled");
    ck_assert_str_eq (wsi_error_to_tag (foreign), "wsc-call-failed");
    ck_assert_str_eq (wsi_error_to_tag (beyond), "wsc-call-failed");
    ck_assert (!wsi_error_from_tag ("orphan-chain", &code));
  }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("diag");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, tag_registry_is_sorted_unique_and_explained);
  tcase_add_test (tc, every_tag_says_what_to_do);
  tcase_add_test (tc, list_counts_and_sorts_stably);
  tcase_add_test (tc, text_rendering_has_file_line_severity_tag);
  tcase_add_test (tc, json_rendering_parses_and_counts);
  tcase_add_test (tc, sarif_rendering_has_rules_and_located_results);
  tcase_add_test (tc, github_rendering_escapes_properties_and_data);
  tcase_add_test (tc, formats_parse_by_name);
  tcase_add_test (tc, wsa_errors_carry_their_code);
  tcase_add_test (tc, every_error_code_maps_to_a_registered_tag);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
