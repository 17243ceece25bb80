/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-xml-private.h: the only way libwsinstall parses XML. Every document
 * wsinstall reads is untrusted (vendors' manifests, customers' snapshots),
 * so this loader refuses DTDs and entities, never touches the network or
 * another file, bounds size and depth, and reports through diagnostics. */
#pragma once

#include <libxml/tree.h>

#include "wsi-diag.h"
#include "wsi-schema.h"

G_BEGIN_DECLS

/* Size limits per kind of input: far above any real document, far below
 * what would hurt a build agent. */
#define WSI_XML_MAX_MANIFEST_SIZE (4u * 1024 * 1024)
#define WSI_XML_MAX_SNAPSHOT_SIZE (64u * 1024 * 1024)

/* Reads @path (refusing it unread when larger than @max_size) and parses it.
 * On failure adds one diagnostic (file-unreadable, file-too-large,
 * empty-file, xml-malformed, xml-entities-refused, xml-too-deep,
 * encoding-invalid) and returns NULL. */
xmlDoc   *wsi_xml_load_file     (const char  *path,
                                 gsize        max_size,
                                 WsiDiagList *diags);
/* The same for bytes in memory; @display_name is used in diagnostics. */
xmlDoc   *wsi_xml_load_memory   (const char  *data,
                                 gsize        len,
                                 const char  *display_name,
                                 gsize        max_size,
                                 WsiDiagList *diags);

/* Validates against the embedded schema @kind: checks the root namespace
 * first (unsupported-version for another version of the same format), then
 * the XSD (one schema-invalid diagnostic per problem, with its line).
 * Returns TRUE when valid. The compiled schema is cached for the process. */
gboolean  wsi_xml_validate      (xmlDoc        *doc,
                                 WsiSchemaKind  kind,
                                 const char    *display_name,
                                 WsiDiagList   *diags);

/* What a validation found, for a model builder that uses the valid parts
 * of an invalid document. */
typedef struct {
  GHashTable *invalid;    /* xmlNode * elements a schema error was reported on;
                           * NULL until there is one (most documents are
                           * valid): ask wsi_xml_schema_report_is_invalid() */
  GPtrArray  *detached;   /* elements the content model refused, taken out of
                           * the document (also in @invalid); freed with the
                           * report, which must go before the document */
  gboolean    complete;   /* FALSE: not every element was validated (too many
                           * errors, or the root itself is wrong) */
} WsiXmlSchemaReport;

WsiXmlSchemaReport *wsi_xml_schema_report_new  (void);
void                wsi_xml_schema_report_free (WsiXmlSchemaReport *self);
gboolean            wsi_xml_schema_report_is_invalid (const WsiXmlSchemaReport *self,
                                                      const xmlNode            *element);

/* Like wsi_xml_validate(), but reports every problem of the document: an
 * element the content model refuses is taken out and the document
 * validated again, so the elements after it are checked too; @report says
 * which elements were reported. Keys and keyrefs of the manifest schema
 * are not reported (the semantic checks report them with their tags). */
gboolean  wsi_xml_validate_all  (xmlDoc             *doc,
                                 WsiSchemaKind       kind,
                                 const char         *display_name,
                                 WsiDiagList        *diags,
                                 WsiXmlSchemaReport *report);

/* Streaming: the document read piece by piece and validated against the
 * schema as it is read, with no tree; @start, @end and @text see the
 * events in document order. Only for the common case of a good document:
 * a streaming load makes no diagnostics, so a caller that gets FALSE
 * loads the document again with wsi_xml_load_file() or
 * wsi_xml_load_memory() and wsi_xml_validate(), which say what is wrong
 * and where. */
typedef struct {
  /* @attrs: @n_attrs attributes, five pointers each as libxml2's SAX2
   * gives them (local name, prefix, namespace URI, value, value end; the
   * value is not NUL-terminated, see wsi_xml_stream_attr()). Returns
   * FALSE to stop reading (the load then returns FALSE). */
  gboolean (*start) (gpointer       user_data,
                     const char    *localname,
                     int            n_attrs,
                     const xmlChar **attrs);
  gboolean (*end)   (gpointer       user_data);
  /* Character data, possibly in several pieces (not NUL-terminated). */
  gboolean (*text)  (gpointer       user_data,
                     const char    *text,
                     int            len);
} WsiXmlStreamHandler;

/* Returns TRUE when the document is well-formed, has no DOCTYPE, is within
 * the loader's size and depth limits, follows the schema @kind (root
 * namespace included) and no handler stopped it. */
gboolean  wsi_xml_stream_file   (const char                *path,
                                 gsize                      max_size,
                                 WsiSchemaKind              kind,
                                 const WsiXmlStreamHandler *handler,
                                 gpointer                   user_data);
gboolean  wsi_xml_stream_memory (const char                *data,
                                 gsize                      len,
                                 gsize                      max_size,
                                 WsiSchemaKind              kind,
                                 const WsiXmlStreamHandler *handler,
                                 gpointer                   user_data);
/* The value of the attribute without a namespace named @name from a
 * @start event, as a tree would hold it (references decoded), or NULL. */
char     *wsi_xml_stream_attr   (int            n_attrs,
                                 const xmlChar **attrs,
                                 const char     *name);

/* The line an element starts on (where "<name" is), 0 if unknown. */
int       wsi_xml_get_line      (xmlNode    *node);

/* Convenience for model builders: the attribute value or NULL (caller frees
 * with g_free, not xmlFree: the string is copied into GLib's allocator). */
char     *wsi_xml_get_prop      (xmlNode    *node,
                                 const char *name);
/* Element children of @node in the manifest/snapshot namespace named @name
 * (NULL: every element child), in document order. */
GPtrArray *wsi_xml_get_children (xmlNode    *node,
                                 const char *name);
/* The element's text content, copied, or NULL. */
char     *wsi_xml_get_text      (xmlNode    *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiXmlSchemaReport, wsi_xml_schema_report_free)

G_END_DECLS
