/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest-load.c: the loader, top of the manifest family: hardened
 * parse (wsi-xml), XSD, model (wsi-manifest-parse.c), semantic checks
 * (wsi-manifest-check.c). The model (wsi-manifest.c) sits below them all
 * and never calls back up. */
#include "wsi-manifest-load-private.h"

#include "wsi-xml-private.h"

/* Real manifests have tens of elements. The semantic checks compare items
 * pairwise and walk the layer graph recursively, so the count is bounded
 * before anything else looks at the document. The loader has bounded the
 * depth, which bounds this recursion. */
static guint
wsi_manifest_count_elements (xmlNode *node, guint limit)
{
  guint n = 0;

  for (xmlNode *c = node; c != NULL && n <= limit; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      n += 1 + wsi_manifest_count_elements (c->children, limit);
  return n;
}

/* Every mistake of a manifest at once: the XSD reports all it finds
 * (wsi_xml_validate_all), the model is built from the elements it did not
 * report, and the semantic checks run on the items whose values parsed.
 * What is left out is recorded so that nothing reports it again as
 * missing: one mistake, one diagnostic. */
static WsiManifest *
wsi_manifest_from_doc (xmlDoc *doc, const char *display_name, WsiDiagList *diags)
{
  g_autoptr(WsiDiagList) local = wsi_diag_list_new ();
  g_autoptr(WsiManifest) manifest = NULL;
  g_autoptr(WsiXmlSchemaReport) schema = wsi_xml_schema_report_new ();
  WsiManifestSkips skips;
  xmlNode *root = xmlDocGetRootElement (doc);

  if (root != NULL && wsi_manifest_count_elements (root, WSI_MANIFEST_MAX_ELEMENTS) > WSI_MANIFEST_MAX_ELEMENTS)
    {
      wsi_diag_list_add (diags, "too-many-elements", display_name, 0,
                         "more than %u elements", WSI_MANIFEST_MAX_ELEMENTS);
      return NULL;
    }
  if (!wsi_xml_validate_all (doc, WSI_SCHEMA_MANIFEST, display_name, local, schema)
      && (!schema->complete || root == NULL || g_strcmp0 ((const char *) root->name, "manifest") != 0))
    {
      /* Not a manifest at all, or too broken to tell its parts apart. */
      wsi_diag_list_take_all (diags, local);
      return NULL;
    }
  manifest = wsi_manifest_new (display_name);
  wsi_manifest_skips_init (&skips, schema);
  wsi_manifest_parse_doc (manifest, doc, &skips, local);
  wsi_manifest_check (manifest, &skips, local);
  wsi_manifest_skips_clear (&skips);
  if (wsi_diag_list_has_errors (local))
    {
      wsi_diag_list_take_all (diags, local);
      return NULL;
    }
  wsi_diag_list_take_all (diags, local);
  return g_steal_pointer (&manifest);
}

WsiManifest *
wsi_manifest_load_file (const char *path, WsiDiagList *diags)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (diags != NULL, NULL);

  doc = wsi_xml_load_file (path, WSI_XML_MAX_MANIFEST_SIZE, diags);
  if (doc == NULL)
    return NULL;
  return wsi_manifest_from_doc (doc, path, diags);
}

WsiManifest *
wsi_manifest_load_memory (const char *data, gsize len, const char *display_name, WsiDiagList *diags)
{
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (diags != NULL, NULL);

  doc = wsi_xml_load_memory (data != NULL ? data : "", len, display_name, WSI_XML_MAX_MANIFEST_SIZE, diags);
  if (doc == NULL)
    return NULL;
  return wsi_manifest_from_doc (doc, display_name, diags);
}
