/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-report.c: the outputs people and code scanning services read: the
 * HTML plan report (wsi-plan-html.c) and SARIF's artifact locations and
 * rules (wsi-diag-render.c). The browser checks the report in
 * check-plan-html.py; these run everywhere, without one. */
#include "wsi-test-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "wsi-diag-render.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-plan-html.h"
#include "wsi-snapshot.h"

static WsiMachine *
load_reference (const char *name)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *file = g_strdup_printf ("data/reference/%s.xml", name);
  g_autofree char *path = wsi_test_source_path (file);
  WsiMachine *m = wsi_snapshot_load_file (path, diags);

  ck_assert_msg (m != NULL, "loading %s failed", path);
  return m;
}

/* contoso-web-filter.xml with @name as its layered provider's name (given
 * as it appears in XML, entities and all). */
static WsiPlan *
plan_contoso_named (const WsiMachine *machine, const char *xml_name)
{
  g_autofree char *path = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = NULL;
  g_autofree char *replacement = g_strdup_printf ("name=\"%s\"\n", xml_name);
  WsiPlan *plan;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  edited = g_string_new (text);
  ck_assert (g_string_replace (edited, "name=\"Contoso Web Filter\"\n", replacement, 1) == 1);
  m = wsi_manifest_load_memory (edited->str, edited->len, "contoso.xml", diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  plan = wsi_plan_build (machine, &m, 1, WSI_PLAN_FLAG_NONE, diags);
  ck_assert_msg (plan != NULL, "%s", wsi_test_diags_to_string (diags));
  return plan;
}

static guint
count_occurrences (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

START_TEST (plan_html_escapes_names_from_the_manifest)
{
  g_autoptr(WsiMachine) machine = load_reference ("win10-x64");
  g_autoptr(WsiPlan) plan = plan_contoso_named (machine, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &apos;q&apos;");
  g_autofree char *html = wsi_plan_to_html (plan);

  ck_assert_ptr_null (strstr (html, "<img"));
  ck_assert_ptr_null (strstr (html, "<script"));
  ck_assert_ptr_nonnull (strstr (html, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;"));
}
END_TEST

START_TEST (plan_html_is_self_contained)
{
  g_autoptr(WsiMachine) machine = load_reference ("win10-x64");
  g_autoptr(WsiPlan) plan = plan_contoso_named (machine, "Contoso Web Filter");
  g_autofree char *html = wsi_plan_to_html (plan);

  ck_assert (g_str_has_prefix (html, "<!DOCTYPE html>\n"));
  ck_assert (g_str_has_suffix (html, "</html>\n"));
  ck_assert (g_utf8_validate (html, -1, NULL));
  /* Nothing from elsewhere: no URL, no element that loads one. */
  ck_assert_ptr_null (strstr (html, "http:"));
  ck_assert_ptr_null (strstr (html, "https:"));
  ck_assert_ptr_null (strstr (html, "url("));
  ck_assert_ptr_null (strstr (html, "<link"));
  ck_assert_ptr_null (strstr (html, " src="));
}
END_TEST

START_TEST (plan_html_has_a_stack_per_preview_row_and_every_step)
{
  g_autoptr(WsiMachine) machine = load_reference ("win10-x64");
  g_autoptr(WsiPlan) plan = plan_contoso_named (machine, "Contoso Web Filter");
  g_autofree char *html = wsi_plan_to_html (plan);

  ck_assert_uint_gt (plan->preview->len, 0);
  ck_assert_uint_eq (count_occurrences (html, "<section class=\"socket"), plan->preview->len);
  for (guint i = 0; i < plan->preview->len; i++)
    {
      const WsiPreviewRow *row = g_ptr_array_index (plan->preview, i);
      g_autofree char *attrs = g_strdup_printf ("data-catalog=\"%d\" data-af=\"%d\" data-type=\"%d\" data-protocol=\"%d\"",
                                                (int) row->bitness, row->address_family, row->socket_type,
                                                row->protocol);
      ck_assert_msg (strstr (html, attrs) != NULL, "no section with %s", attrs);
    }
  ck_assert_uint_eq (count_occurrences (html, "<li class=\"step\""), wsi_plan_get_n_steps (plan));
  ck_assert_uint_eq (count_occurrences (html, "<div class=\"undo t\">"), wsi_plan_get_n_steps (plan));
  ck_assert_ptr_nonnull (strstr (html, "from contoso.xml:"));
}
END_TEST

/* The "uri" (and "uriBaseId", or NULL) of result @i's artifact location. */
static const char *
result_uri (JsonObject *run, guint i, const char **base_id, gboolean *has_region)
{
  JsonObject *result = json_array_get_object_element (json_object_get_array_member (run, "results"), i);
  JsonObject *loc = json_array_get_object_element (json_object_get_array_member (result, "locations"), 0);
  JsonObject *phys, *art;

  if (!json_object_has_member (loc, "physicalLocation"))
    {
      *base_id = NULL;
      *has_region = FALSE;
      return NULL;
    }
  phys = json_object_get_object_member (loc, "physicalLocation");
  art = json_object_get_object_member (phys, "artifactLocation");
  *base_id = json_object_has_member (art, "uriBaseId") ? json_object_get_string_member (art, "uriBaseId") : NULL;
  *has_region = json_object_has_member (phys, "region");
  return json_object_get_string_member (art, "uri");
}

START_TEST (sarif_uris_are_encoded_and_relative_to_the_root)
{
  g_autofree char *tmp = wsi_test_mkdtemp ();
  g_autofree char *root = g_build_filename (tmp, "root dir", NULL);
  g_autofree char *inside = g_build_filename (root, "in side.xml", NULL);
  g_autofree char *outside = g_build_filename (tmp, "out%side.xml", NULL);
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autofree char *want_root = NULL;
  g_autoptr(GString) encoded_tmp = g_string_new (NULL);
  JsonObject *run;
  const char *uri, *base;
  gboolean region;

  for (const char *p = tmp; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || strchr ("-._~/", *p) != NULL)
      g_string_append_c (encoded_tmp, *p);
    else
      g_string_append_printf (encoded_tmp, "%%%02X", (guchar) *p);
  want_root = g_strdup_printf ("file://%s/root%%20dir/", encoded_tmp->str);

  wsi_diag_list_add (list, "xml-malformed", inside, 3, "bad");
  wsi_diag_list_add (list, "empty-file", outside, 0, "empty");
  wsi_diag_list_add (list, "file-unreadable", "<embedded default machine>", 0, "not a file");
  text = wsi_diag_render_sarif (list, root);
  ck_assert (json_parser_load_from_data (parser, text, -1, NULL));
  run = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "runs"), 0);
  ck_assert_str_eq (json_object_get_string_member (json_object_get_object_member (
                      json_object_get_object_member (run, "originalUriBaseIds"), "%SRCROOT%"), "uri"), want_root);

  uri = result_uri (run, 0, &base, &region);
  ck_assert_str_eq (uri, "in%20side.xml");
  ck_assert_str_eq (base, "%SRCROOT%");
  ck_assert (region);

  uri = result_uri (run, 1, &base, &region);
  ck_assert (g_str_has_prefix (uri, "file:///"));
  ck_assert (g_str_has_suffix (uri, "/out%25side.xml"));
  ck_assert_ptr_null (base);
  ck_assert (!region);   /* a whole-file result: the entire artifact */

  uri = result_uri (run, 2, &base, &region);
  ck_assert_ptr_null (uri);   /* not a file: a logical location only */
  wsi_test_rmtree (tmp);
}
END_TEST

START_TEST (sarif_rules_describe_tags_in_one_sentence)
{
  g_autoptr(WsiDiagList) list = wsi_diag_list_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = wsi_diag_render (list, WSI_DIAG_FORMAT_SARIF);
  JsonObject *driver;
  JsonArray *rules;
  gboolean seen = FALSE;

  ck_assert (json_parser_load_from_data (parser, text, -1, NULL));
  driver = json_object_get_object_member (json_object_get_object_member (
             json_array_get_object_element (json_object_get_array_member (
               json_node_get_object (json_parser_get_root (parser)), "runs"), 0), "tool"), "driver");
  ck_assert_str_eq (json_object_get_string_member (driver, "semanticVersion"), wsi_version_string ());
  ck_assert (strchr (json_object_get_string_member (driver, "informationUri"), ':') != NULL);
  rules = json_object_get_array_member (driver, "rules");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      if (g_strcmp0 (json_object_get_string_member (rule, "id"), "chain-too-long") != 0)
        continue;
      seen = TRUE;
      /* The parenthesis holds no sentence end; the next sentence is left out. */
      ck_assert_str_eq (json_object_get_string_member (json_object_get_object_member (rule, "shortDescription"), "text"),
                        "A protocol chain holds at most 7 entries (MAX_PROTOCOL_CHAIN), counting the base protocol.");
      ck_assert (json_object_has_member (rule, "help"));
    }
  ck_assert (seen);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("report");
  TCase *tc = tcase_create ("report");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, plan_html_escapes_names_from_the_manifest);
  tcase_add_test (tc, plan_html_is_self_contained);
  tcase_add_test (tc, plan_html_has_a_stack_per_preview_row_and_every_step);
  tcase_add_test (tc, sarif_uris_are_encoded_and_relative_to_the_root);
  tcase_add_test (tc, sarif_rules_describe_tags_in_one_sentence);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
