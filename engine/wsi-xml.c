/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-xml.c: hardened libxml2 front end. */
#include "wsi-xml-private.h"

#include <string.h>

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlschemas.h>

#include "wsi-file-private.h"

/* Documents never need more than this many schema errors reported: the
 * first few tell the author what is wrong. */
#define WSI_XML_MAX_SCHEMA_DIAGS 50

typedef struct {
  WsiDiagList *diags;
  const char  *name;
  gboolean     dtd_seen;
  int          dtd_line;
  int          error_code;   /* first fatal parser error, 0 if none */
  int          error_line;
  const char  *error_tag;    /* its diagnostic tag, decided when it is raised */
  char        *error_message;
} WsiXmlLoad;

/* No document may make wsinstall open a file or a socket: every external
 * load (DTD, entity, XInclude, schema import) is refused process-wide. */
static xmlParserInputPtr
wsi_xml_refuse_external (const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
  return NULL;
}

/* libxml2 prints some errors (encoding conversion) through its generic
 * channel before any context exists: they are reported as diagnostics. */
static void
wsi_xml_silence (void *ctx, const char *msg, ...)
{
}

/* libxml2 keeps the generic error handler per thread: each thread that
 * parses sets it (xmlThrDefSetGenericErrorFunc covers threads libxml2
 * starts itself). The entity loader is process-wide. */
static GPrivate wsi_xml_thread_ready;

static void
wsi_xml_init (void)
{
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      xmlInitParser ();
      xmlThrDefSetGenericErrorFunc (NULL, wsi_xml_silence);
      xmlSetExternalEntityLoader (wsi_xml_refuse_external);
      g_once_init_leave (&once, 1);
    }
  if (g_private_get (&wsi_xml_thread_ready) == NULL)
    {
      xmlSetGenericErrorFunc (NULL, wsi_xml_silence);
      g_private_set (&wsi_xml_thread_ready, GINT_TO_POINTER (1));
    }
}

static void
wsi_xml_on_internal_subset (void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = ctx;
  WsiXmlLoad *load = ctxt->_private;

  /* Stop at the DOCTYPE, before the internal subset is read: entity
   * declarations (and so expansion bombs) are never even parsed. */
  load->dtd_seen = TRUE;
  load->dtd_line = xmlSAX2GetLineNumber (ctx);
  xmlStopParser (ctxt);
}

/* The tag of a fatal parser error, from its code and fields (never its
 * message). libxml2 2.9 raises two conditions with the generic
 * XML_ERR_INTERNAL_ERROR: the depth limit (the only one that passes a
 * number, the limit, as int1) and a failed conversion from the declared
 * encoding (raised while the input has an encoder, with no string). */
static const char *
wsi_xml_error_tag (xmlParserCtxtPtr ctxt, const xmlError *err)
{
  switch (err->code)
    {
    case XML_ERR_INVALID_CHAR:
    case XML_I18N_CONV_FAILED:
    case XML_I18N_NO_NAME:
    case XML_I18N_NO_HANDLER:
    case XML_ERR_INVALID_ENCODING:
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_UNKNOWN_ENCODING:
      return "encoding-invalid";
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_ENTITY_LOOP:
    case XML_ERR_ENTITY_BOUNDARY:
    case XML_ERR_EXT_ENTITY_STANDALONE:
      return "xml-entities-refused";
    case XML_ERR_INTERNAL_ERROR:
      if (err->int1 > 0)
        return "xml-too-deep";
      if (err->str1 == NULL && ctxt->input != NULL && ctxt->input->buf != NULL && ctxt->input->buf->encoder != NULL)
        return "encoding-invalid";
      return "xml-malformed";
    default:
      return "xml-malformed";
    }
}

static void
wsi_xml_on_parse_error (void *user_data, xmlErrorPtr err)
{
  xmlParserCtxtPtr ctxt = user_data;
  WsiXmlLoad *load = ctxt->_private;

  if (err == NULL || err->level < XML_ERR_ERROR || load->error_code != 0)
    return;
  load->error_code = err->code;
  load->error_line = err->line;
  load->error_tag = wsi_xml_error_tag (ctxt, err);
  load->error_message = g_strchomp (g_strdup (err->message != NULL ? err->message : "parse error"));
}


/* One parser context per thread, reset between documents: creating one
 * (and its dictionary) cost more than a tenth of validating a manifest.
 * The dictionary is shared by the documents parsed with the context, each
 * holding a reference, so a document outlives the next parse. */
static void
wsi_xml_free_parser (gpointer ctxt)
{
  xmlFreeParserCtxt (ctxt);
}

static GPrivate wsi_xml_parser = G_PRIVATE_INIT (wsi_xml_free_parser);

static xmlParserCtxtPtr
wsi_xml_take_parser (void)
{
  xmlParserCtxtPtr ctxt = g_private_get (&wsi_xml_parser);

  if (ctxt != NULL)
    {
      /* Taken: a nested parse on this thread (none today) gets its own. */
      g_private_set (&wsi_xml_parser, NULL);
      return ctxt;
    }
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    g_error ("libxml2 could not allocate a parser context");
  return ctxt;
}

static void
wsi_xml_give_back_parser (xmlParserCtxtPtr ctxt)
{
  /* A dictionary that grew large (a hostile document full of names) is not
   * kept for the next document. */
  if (g_private_get (&wsi_xml_parser) != NULL || ctxt->dict == NULL || xmlDictSize (ctxt->dict) > 4096)
    {
      xmlFreeParserCtxt (ctxt);
      return;
    }
  xmlCtxtReset (ctxt);
  g_private_set (&wsi_xml_parser, ctxt);
}

#define WSI_XML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING \
                               | XML_PARSE_COMPACT)

/* One parse of @data with @ctxt. libxml2 2.9 copies a memory document
 * into its own buffer; once the parser is within INPUT_CHUNK bytes of its
 * end it asks the (empty) memory reader for more before nearly every
 * token, which cost a tenth of validating a manifest. @no_refill takes the
 * reader away once the copy is made, so the parser sees every byte it
 * would have and no more requests. Two things need the reader: decoding a
 * document in another encoding than UTF-8, done a piece at a time as the
 * parser asks for more (@converted says the document had one: its parse
 * with @no_refill stopped after the first line and must be redone), and
 * libxml2's lookup limit, which spares only a document still read through
 * the memory reader (so documents that large keep it). */
static xmlDoc *
wsi_xml_read (xmlParserCtxtPtr ctxt, const char *data, int len, gboolean no_refill, gboolean *converted)
{
  xmlParserInputBufferPtr buf;
  xmlParserInputPtr stream;
  xmlDoc *doc;

  xmlCtxtReset (ctxt);
  {
    /* libxml2 2.9 copies the document into a new buffer of twice this
     * thread's default size (8 KiB) and grows it if it must: sized to the
     * document instead, the copy of a 1-2 KB manifest is a fifth of that
     * (2 M instructions of `validate` over the bench's 1,000 manifests).
     * Only this allocation sees the size: it is put back at once. */
    int saved = xmlDefaultBufferSize;

    xmlDefaultBufferSize = len / 2 + 64;
    buf = xmlParserInputBufferCreateMem (data, len, XML_CHAR_ENCODING_NONE);
    xmlDefaultBufferSize = saved;
  }
  if (buf == NULL)
    g_error ("libxml2 could not allocate an input buffer");
  if (no_refill)
    buf->readcallback = NULL;
  stream = xmlNewIOInputStream (ctxt, buf, XML_CHAR_ENCODING_NONE);
  if (stream == NULL)
    g_error ("libxml2 could not allocate an input stream");
  inputPush (ctxt, stream);
  xmlCtxtUseOptions (ctxt, WSI_XML_PARSE_OPTIONS);
  xmlParseDocument (ctxt);
  doc = g_steal_pointer (&ctxt->myDoc);
  if (!ctxt->wellFormed)
    g_clear_pointer (&doc, xmlFreeDoc);
  *converted = ctxt->input != NULL && ctxt->input->buf != NULL && ctxt->input->buf->encoder != NULL;
  return doc;
}

static void
wsi_xml_load_reset (WsiXmlLoad *load)
{
  load->dtd_seen = FALSE;
  load->dtd_line = 0;
  load->error_code = 0;
  load->error_line = 0;
  load->error_tag = NULL;
  g_clear_pointer (&load->error_message, g_free);
}

xmlDoc *
wsi_xml_load_memory (const char *data, gsize len, const char *display_name,
                     gsize max_size, WsiDiagList *diags)
{
  WsiXmlLoad load = { .diags = diags, .name = display_name };
  xmlParserCtxtPtr ctxt;
  xmlDoc *doc;
  gboolean converted = FALSE;

  wsi_xml_init ();
  if (len > max_size)
    {
      wsi_diag_list_add (diags, "file-too-large", display_name, 0,
                         "%" G_GSIZE_FORMAT " bytes; at most %" G_GSIZE_FORMAT " are read", len, max_size);
      return NULL;
    }
  /* Empty means no bytes or only white space; anything else that is not a
   * document (binary garbage) is malformed, whatever libxml2 calls it. */
  {
    gsize i = 0;
    while (i < len && g_ascii_isspace (data[i]))
      i++;
    if (i == len)
      {
        wsi_diag_list_add (diags, "empty-file", display_name, 0, "the file is empty");
        return NULL;
      }
  }
  if (len > G_MAXINT)
    {
      wsi_diag_list_add (diags, "file-too-large", display_name, 0, "%" G_GSIZE_FORMAT " bytes", len);
      return NULL;
    }

  ctxt = wsi_xml_take_parser ();
  ctxt->_private = &load;
  ctxt->sax->internalSubset = wsi_xml_on_internal_subset;
  ctxt->sax->serror = wsi_xml_on_parse_error;
  ctxt->sax->error = NULL;
  ctxt->sax->warning = NULL;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;

  doc = wsi_xml_read (ctxt, data, (int) len, len < XML_MAX_LOOKUP_LIMIT, &converted);
  if (converted && len < XML_MAX_LOOKUP_LIMIT)
    {
      g_clear_pointer (&doc, xmlFreeDoc);
      wsi_xml_load_reset (&load);
      doc = wsi_xml_read (ctxt, data, (int) len, FALSE, &converted);
    }

  if (load.dtd_seen)
    {
      wsi_diag_list_add (diags, "xml-entities-refused", display_name, load.dtd_line,
                         "the document has a DOCTYPE declaration; DTDs and entities are not accepted");
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (doc == NULL || !ctxt->wellFormed || load.error_code != 0)
    {
      const char *tag = load.error_tag != NULL ? load.error_tag : "xml-malformed";
      wsi_diag_list_add (diags, tag, display_name, load.error_line,
                         "%s", load.error_message != NULL ? load.error_message : "not well-formed XML");
      g_clear_pointer (&doc, xmlFreeDoc);
    }
  else if (xmlDocGetRootElement (doc) == NULL)
    {
      wsi_diag_list_add (diags, "xml-malformed", display_name, 0, "the document has no root element");
      g_clear_pointer (&doc, xmlFreeDoc);
    }

  g_free (load.error_message);
  ctxt->_private = NULL;
  wsi_xml_give_back_parser (ctxt);
  return doc;
}

/* Reads at most @max_size + 1 bytes from one open descriptor, so a file that
 * grows between fstat and read, or a FIFO, is still bounded. */
static gboolean
wsi_read_bounded (const char *path, gsize max_size, char **out, gsize *out_len,
                  WsiDiagList *diags)
{
  struct stat st;
  g_autoptr(GByteArray) buf = NULL;
  int fd = open (path, O_RDONLY | O_BINARY | O_CLOEXEC);

  if (fd < 0)
    {
      wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s", g_strerror (errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s", g_strerror (errno));
      close (fd);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      wsi_diag_list_add (diags, "file-unreadable", path, 0, "is a directory");
      close (fd);
      return FALSE;
    }
  if (S_ISREG (st.st_mode) && (guint64) st.st_size > max_size)
    {
      wsi_diag_list_add (diags, "file-too-large", path, 0,
                         "%" G_GUINT64_FORMAT " bytes; at most %" G_GSIZE_FORMAT " are read",
                         (guint64) st.st_size, max_size);
      close (fd);
      return FALSE;
    }
  buf = g_byte_array_sized_new (S_ISREG (st.st_mode) ? (guint) st.st_size + 1 : 65536);
  for (;;)
    {
      guint8 chunk[65536];
      ssize_t n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          wsi_diag_list_add (diags, "file-unreadable", path, 0, "%s", g_strerror (errno));
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      g_byte_array_append (buf, chunk, (guint) n);
      if (buf->len > max_size)
        {
          wsi_diag_list_add (diags, "file-too-large", path, 0,
                             "more than %" G_GSIZE_FORMAT " bytes", max_size);
          close (fd);
          return FALSE;
        }
    }
  close (fd);
  *out_len = buf->len;
  g_byte_array_append (buf, (const guint8 *) "", 1);
  *out = (char *) g_byte_array_free (g_steal_pointer (&buf), FALSE);
  return TRUE;
}

xmlDoc *
wsi_xml_load_file (const char *path, gsize max_size, WsiDiagList *diags)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!wsi_read_bounded (path, max_size, &data, &len, diags))
    return NULL;
  return wsi_xml_load_memory (data, len, path, max_size, diags);
}

/* Takes the identity constraints (xs:unique, xs:key, xs:keyref) out of a
 * schema document. The manifest XSD declares its ids and references for
 * editors; wsinstall reports the same mistakes through the semantic checks
 * and drops libxml2's reports of them (wsi_xml_on_schema_error). Checking
 * them anyway cost about a seventh of validating a manifest: libxml2 runs
 * an XPath stream over every attribute of every element for them. */
static void
wsi_xml_strip_identity_constraints (xmlNode *node)
{
  xmlNode *next;

  for (xmlNode *c = node->children; c != NULL; c = next)
    {
      next = c->next;
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (c->ns != NULL && strcmp ((const char *) c->ns->href, "http://www.w3.org/2001/XMLSchema") == 0
          && (strcmp ((const char *) c->name, "unique") == 0 || strcmp ((const char *) c->name, "key") == 0
              || strcmp ((const char *) c->name, "keyref") == 0))
        {
          xmlUnlinkNode (c);
          xmlFreeNode (c);
          continue;
        }
      wsi_xml_strip_identity_constraints (c);
    }
}

/* The schema documents, parsed once, live as long as the compiled
 * schemas, the process: libxml2 keeps pointers to their annotations. */
static xmlDoc *wsi_xml_schema_docs[2];

static xmlSchema *
wsi_xml_compile_schema (WsiSchemaKind kind)
{
  g_autoptr(GBytes) bytes = wsi_schema_get_bytes (kind);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  xmlDoc *doc = xmlReadMemory (data, (int) len, NULL, NULL, XML_PARSE_NONET);
  xmlSchemaParserCtxt *pctxt;
  xmlSchema *schema;

  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    g_error ("the embedded schema %d does not parse", (int) kind);
  wsi_xml_strip_identity_constraints (xmlDocGetRootElement (doc));
  wsi_xml_schema_docs[kind == WSI_SCHEMA_SNAPSHOT] = doc;
  pctxt = xmlSchemaNewDocParserCtxt (doc);
  schema = xmlSchemaParse (pctxt);
  xmlSchemaFreeParserCtxt (pctxt);
  /* The embedded schema is part of the program: failing to compile it is a
   * build defect, not an input error. */
  if (schema == NULL)
    g_error ("the embedded schema %d does not compile", (int) kind);
  return schema;
}

static xmlSchema *
wsi_xml_get_schema (WsiSchemaKind kind)
{
  static gsize manifest_schema = 0;
  static gsize snapshot_schema = 0;
  gsize *slot = kind == WSI_SCHEMA_SNAPSHOT ? &snapshot_schema : &manifest_schema;

  if (g_once_init_enter (slot))
    g_once_init_leave (slot, (gsize) wsi_xml_compile_schema (kind));
  return (xmlSchema *) *slot;
}

int
wsi_xml_get_line (xmlNode *node)
{
  long line;

  if (node == NULL)
    return 0;
  line = xmlGetLineNo (node);
  /* libxml2 (2.9) stamps an element with the line where its start tag
   * *ends*, which for a start tag spread over several lines points at its
   * last attribute. The white space before the element is a text node
   * stamped where it ends, i.e. where "<name" begins: use that when there
   * is one. */
  if (node->type == XML_ELEMENT_NODE && node->prev != NULL && node->prev->type == XML_TEXT_NODE)
    {
      long before = xmlGetLineNo (node->prev);
      if (before > 0 && before <= line)
        line = before;
    }
  return line > 0 && line <= G_MAXINT ? (int) line : 0;
}

/* One validation of a document, possibly in several passes. */
typedef struct {
  WsiDiagList  *diags;
  const char   *name;
  WsiSchemaKind kind;
  guint         n_diags;
  guint         n_left_to_checks;   /* identity-constraint errors not reported (below) */
  gboolean      had_content_error;  /* this pass */
  GHashTable   *reported;           /* "node|message" of every diagnostic made */
  GHashTable   *unexpected;         /* elements of this pass the content model refused */
  GHashTable   *content_done;       /* parents of taken-out elements: their content was reported */
  WsiXmlSchemaReport *report;       /* NULL: one pass, nothing recorded */
} WsiXmlValidation;

static xmlNode *
wsi_xml_error_element (const xmlError *err)
{
  xmlNode *node = err->node;

  while (node != NULL && node->type != XML_ELEMENT_NODE)
    node = node->parent;
  return node;
}

static char *
wsi_xml_strip_namespaces (char *msg)
{
  g_autoptr(GString) s = g_string_new (msg);
  const char *ns[] = { "{" WSI_MANIFEST_NS "}", "{" WSI_SNAPSHOT_NS "}" };

  g_free (msg);
  for (gsize i = 0; i < G_N_ELEMENTS (ns); i++)
    g_string_replace (s, ns[i], "", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Both patterns of the manifest's GuidType start so; a pattern error that
 * quotes it is a malformed GUID, which the author should see in the form
 * GUIDs are written in rather than as a regular expression. */
#define WSI_XML_GUID_PATTERN_HEAD "[0-9A-Fa-f]{8}-"

static char *
wsi_xml_schema_message (const xmlError *err, xmlNode *element)
{
  g_autofree char *msg = g_strchomp (g_strdup (err->message != NULL ? err->message : "does not follow the schema"));

  if (err->code == XML_SCHEMAV_CVC_PATTERN_VALID && err->str1 != NULL && err->str2 != NULL
      && strstr (err->str2, WSI_XML_GUID_PATTERN_HEAD) != NULL)
    {
      /* libxml2 begins the message with "Element 'x', attribute 'y': ". */
      const char *facet = strstr (msg, "[facet");
      g_autofree char *where = facet != NULL ? g_strndup (msg, (gsize) (facet - msg)) : NULL;
      if (where == NULL && element != NULL)
        where = g_strdup_printf ("Element '%s': ", (const char *) element->name);
      return wsi_xml_strip_namespaces (g_strdup_printf ("%s'%s' is not a GUID; write it as "
                                                        "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} (X a hex digit)",
                                                        where != NULL ? where : "", err->str1));
    }
  return wsi_xml_strip_namespaces (g_steal_pointer (&msg));
}

static void
wsi_xml_on_schema_error (void *user_data, xmlErrorPtr err)
{
  WsiXmlValidation *v = user_data;
  xmlNode *element;
  g_autofree char *msg = NULL;
  char *key;
  int line;

  if (err == NULL || err->level < XML_ERR_ERROR)
    return;
  /* The manifest XSD's keys and keyrefs (unique ids, declared references)
   * are for editors: wsinstall reports the same mistakes through the
   * semantic checks, with their own tags (duplicate-id,
   * reference-undeclared) and a message that says which kind of item a
   * reference must name. */
  if (v->kind == WSI_SCHEMA_MANIFEST && err->code == XML_SCHEMAV_CVC_IDC)
    {
      v->n_left_to_checks++;
      return;
    }
  /* The sets a report needs, made at its first error: most documents
   * are valid, and three tables per document showed in `validate`. */
  if (v->reported == NULL)
    {
      v->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      v->unexpected = g_hash_table_new (g_direct_hash, g_direct_equal);
      v->content_done = g_hash_table_new (g_direct_hash, g_direct_equal);
    }
  element = wsi_xml_error_element (err);
  if (err->code == XML_SCHEMAV_ELEMENT_CONTENT)
    {
      v->had_content_error = TRUE;
      /* The content of an element that held a refused child was reported
       * with that child: "missing <over>" once the stray child is taken out
       * would say the same mistake again. */
      if (element != NULL && g_hash_table_contains (v->content_done, element))
        return;
    }
  msg = wsi_xml_schema_message (err, element);
  key = g_strdup_printf ("%p|%s", (void *) element, msg);
  if (!g_hash_table_add (v->reported, key))
    return;   /* reported by an earlier pass */
  if (element != NULL)
    {
      if (v->report != NULL)
        {
          if (v->report->invalid == NULL)
            v->report->invalid = g_hash_table_new (g_direct_hash, g_direct_equal);
          g_hash_table_add (v->report->invalid, element);
        }
      /* libxml2 2.9 reports an element the content model refuses on the
       * element itself (and validates none of its later siblings), and
       * missing children on the parent once its children are validated.
       * Either element is unusable: below the root, it is taken out. */
      if (err->code == XML_SCHEMAV_ELEMENT_CONTENT && element->parent != NULL
          && element->parent->type == XML_ELEMENT_NODE)
        g_hash_table_add (v->unexpected, element);
    }
  if (v->n_diags++ >= WSI_XML_MAX_SCHEMA_DIAGS)
    {
      if (v->report != NULL)
        v->report->complete = FALSE;
      return;
    }
  line = element != NULL ? wsi_xml_get_line (element) : 0;
  wsi_diag_list_add (v->diags, "schema-invalid", v->name, line > 0 ? line : err->line, "%s", msg);
}

/* One validation context per thread and schema, reused: libxml2 resets
 * it at the start of each validation. */
static void
wsi_xml_free_validator (gpointer vctxt)
{
  xmlSchemaFreeValidCtxt (vctxt);
}

static GPrivate wsi_xml_validator[] = {
  G_PRIVATE_INIT (wsi_xml_free_validator),
  G_PRIVATE_INIT (wsi_xml_free_validator),
};

static gboolean
wsi_xml_check_root (xmlDoc *doc, WsiSchemaKind kind, const char *display_name, WsiDiagList *diags)
{
  const char *want = kind == WSI_SCHEMA_SNAPSHOT ? WSI_SNAPSHOT_NS : WSI_MANIFEST_NS;
  const char *family = kind == WSI_SCHEMA_SNAPSHOT ? "urn:wsinstall:snapshot:" : "urn:wsinstall:manifest:";
  xmlNode *root = xmlDocGetRootElement (doc);
  const char *href = root != NULL && root->ns != NULL ? (const char *) root->ns->href : NULL;

  if (root == NULL)
    {
      wsi_diag_list_add (diags, "xml-malformed", display_name, 0, "the document has no root element");
      return FALSE;
    }
  if (href != NULL && g_str_has_prefix (href, family) && g_strcmp0 (href, want) != 0)
    {
      wsi_diag_list_add (diags, "unsupported-version", display_name, xmlGetLineNo (root),
                         "namespace %s is not supported; this wsinstall reads %s", href, want);
      return FALSE;
    }
  if (g_strcmp0 (href, want) != 0)
    {
      wsi_diag_list_add (diags, "schema-invalid", display_name, xmlGetLineNo (root),
                         "root element <%s> is not in namespace %s", (const char *) root->name, want);
      return FALSE;
    }
  return TRUE;
}

static int
wsi_xml_validate_pass (xmlDoc *doc, WsiSchemaKind kind, WsiXmlValidation *v)
{
  xmlSchemaValidCtxt *vctxt = g_private_get (&wsi_xml_validator[kind]);
  int rc;

  if (vctxt == NULL)
    {
      vctxt = xmlSchemaNewValidCtxt (wsi_xml_get_schema (kind));
      g_private_set (&wsi_xml_validator[kind], vctxt);
    }
  v->had_content_error = FALSE;
  if (v->unexpected != NULL)
    g_hash_table_remove_all (v->unexpected);
  xmlSchemaSetValidStructuredErrors (vctxt, wsi_xml_on_schema_error, v);
  rc = xmlSchemaValidateDoc (vctxt, doc);
  xmlSchemaSetValidStructuredErrors (vctxt, NULL, NULL);
  return rc;
}

static gboolean
wsi_xml_validate_full (xmlDoc *doc, WsiSchemaKind kind, const char *display_name, WsiDiagList *diags,
                       WsiXmlSchemaReport *report)
{
  WsiXmlValidation v = { .diags = diags, .name = display_name, .kind = kind, .report = report };
  int rc;

  wsi_xml_init ();
  if (!wsi_xml_check_root (doc, kind, display_name, diags))
    {
      if (report != NULL)
        report->complete = FALSE;
      return FALSE;
    }
  rc = wsi_xml_validate_pass (doc, kind, &v);
  /* After an element its content model refuses, libxml2 2.9 validates
   * none of the following children of the same parent. To report every
   * mistake at once, the refused elements are taken out (they are unusable
   * anyway) and the document is validated again; what an earlier pass
   * reported is not repeated. Each pass takes out at least one element
   * and the number of diagnostics is bounded, so this ends. */
  for (guint pass = 1; report != NULL && rc != 0 && v.had_content_error && g_hash_table_size (v.unexpected) > 0; pass++)
    {
      GHashTableIter iter;
      gpointer node;

      if (v.n_diags >= WSI_XML_MAX_SCHEMA_DIAGS || pass >= WSI_XML_MAX_SCHEMA_DIAGS)
        {
          report->complete = FALSE;
          break;
        }
      g_hash_table_iter_init (&iter, v.unexpected);
      while (g_hash_table_iter_next (&iter, &node, NULL))
        {
          xmlNode *element = node;
          if (element->parent != NULL)
            g_hash_table_add (v.content_done, element->parent);
          xmlUnlinkNode (element);
          g_ptr_array_add (report->detached, element);
        }
      (void) wsi_xml_validate_pass (doc, kind, &v);
      rc = v.n_diags > 0 ? 1 : 0;
    }
  if (rc != 0 && v.n_diags == 0 && v.n_left_to_checks == 0)
    wsi_diag_list_add (diags, "schema-invalid", display_name, 0, "the document does not follow the schema");
  g_clear_pointer (&v.reported, g_hash_table_unref);
  g_clear_pointer (&v.unexpected, g_hash_table_unref);
  g_clear_pointer (&v.content_done, g_hash_table_unref);
  return v.n_diags == 0 && (rc == 0 || v.n_left_to_checks > 0);
}

gboolean
wsi_xml_validate (xmlDoc *doc, WsiSchemaKind kind, const char *display_name, WsiDiagList *diags)
{
  return wsi_xml_validate_full (doc, kind, display_name, diags, NULL);
}

static void
wsi_xml_free_detached (gpointer node)
{
  xmlFreeNode (node);
}

WsiXmlSchemaReport *
wsi_xml_schema_report_new (void)
{
  WsiXmlSchemaReport *self = g_new0 (WsiXmlSchemaReport, 1);

  self->detached = g_ptr_array_new_with_free_func (wsi_xml_free_detached);
  self->complete = TRUE;
  return self;
}

void
wsi_xml_schema_report_free (WsiXmlSchemaReport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->invalid, g_hash_table_unref);
  g_ptr_array_unref (self->detached);
  g_free (self);
}

gboolean
wsi_xml_schema_report_is_invalid (const WsiXmlSchemaReport *self, const xmlNode *element)
{
  return self != NULL && self->invalid != NULL && g_hash_table_contains (self->invalid, element);
}

gboolean
wsi_xml_validate_all (xmlDoc *doc, WsiSchemaKind kind, const char *display_name, WsiDiagList *diags,
                      WsiXmlSchemaReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return wsi_xml_validate_full (doc, kind, display_name, diags, report);
}

char *
wsi_xml_get_prop (xmlNode *node, const char *name)
{
  xmlChar *v;
  char *copy;

  /* The usual attribute, one text node: copied once, not built by
   * xmlGetNoNsProp and copied again. */
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    if (a->ns == NULL && strcmp ((const char *) a->name, name) == 0)
      {
        if (a->children == NULL)
          return g_strdup ("");
        if (a->children->next == NULL && a->children->type == XML_TEXT_NODE && a->children->content != NULL)
          return g_strdup ((const char *) a->children->content);
        break;
      }
  v = xmlGetNoNsProp (node, (const xmlChar *) name);

  if (v == NULL)
    return NULL;
  copy = g_strdup ((const char *) v);
  xmlFree (v);
  return copy;
}

GPtrArray *
wsi_xml_get_children (xmlNode *node, const char *name)
{
  GPtrArray *out = g_ptr_array_new ();

  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (name == NULL || g_strcmp0 ((const char *) c->name, name) == 0)
        g_ptr_array_add (out, c);
    }
  return out;
}

char *
wsi_xml_get_text (xmlNode *node)
{
  xmlChar *v = xmlNodeGetContent (node);
  char *copy;

  if (v == NULL)
    return NULL;
  copy = g_strdup ((const char *) v);
  xmlFree (v);
  return copy;
}

/* Streaming loads. libxml2's push parser reads the document a piece at a
 * time, and the schema validator is plugged between it and the handler
 * (xmlSchemaSAXPlug): no tree is built, so memory does not grow with the
 * document. Every problem just stops the load; the caller then loads the
 * document the tree way, which reports it with its line. */

/* Pieces of this size are read and parsed at a time. */
#define WSI_XML_STREAM_CHUNK 65536

typedef struct {
  const WsiXmlStreamHandler *handler;
  gpointer                   user_data;
  xmlParserCtxtPtr           ctxt;
  guint                      depth;
  gboolean                   root_seen;
  gboolean                   failed;
} WsiXmlStream;

/* libxml2 hands the parser's error callback the plug's data, not ours:
 * the stream running on this thread is found here. */
static _Thread_local WsiXmlStream *wsi_xml_stream_current;

static void
wsi_xml_stream_fail (WsiXmlStream *s)
{
  s->failed = TRUE;
  if (s->ctxt != NULL)
    xmlStopParser (s->ctxt);
}

static void
wsi_xml_stream_on_start (void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                         int n_namespaces, const xmlChar **namespaces, int n_attrs, int n_defaulted,
                         const xmlChar **attrs)
{
  WsiXmlStream *s = ctx;

  if (s->failed)
    return;
  s->root_seen = TRUE;
  s->depth++;
  if (!s->handler->start (s->user_data, (const char *) localname, n_attrs, attrs))
    wsi_xml_stream_fail (s);
}

static void
wsi_xml_stream_on_end (void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  WsiXmlStream *s = ctx;

  if (s->failed)
    return;
  s->depth--;
  if (!s->handler->end (s->user_data))
    wsi_xml_stream_fail (s);
}

static void
wsi_xml_stream_on_text (void *ctx, const xmlChar *text, int len)
{
  WsiXmlStream *s = ctx;

  if (s->failed)
    return;
  if (!s->handler->text (s->user_data, (const char *) text, len))
    wsi_xml_stream_fail (s);
}

/* The tree loader refuses a DOCTYPE before its internal subset is read;
 * so does a stream. */
static void
wsi_xml_stream_on_internal_subset (void *ctx, const xmlChar *name, const xmlChar *external_id,
                                   const xmlChar *system_id)
{
  wsi_xml_stream_fail (ctx);
}

static void
wsi_xml_stream_on_parse_error (void *user_data, xmlErrorPtr err)
{
  /* As in the tree loader: an error, not a warning, fails the document. */
  if (err != NULL && err->level >= XML_ERR_ERROR && wsi_xml_stream_current != NULL)
    wsi_xml_stream_fail (wsi_xml_stream_current);
}

static void
wsi_xml_stream_on_schema_error (void *user_data, xmlErrorPtr err)
{
  if (err != NULL && err->level >= XML_ERR_ERROR)
    wsi_xml_stream_fail (user_data);
}

/* Validation contexts of streams, apart from those of trees: plugging
 * one into a stream leaves it pointing at the (freed) plug. */
static GPrivate wsi_xml_stream_validator[] = {
  G_PRIVATE_INIT (wsi_xml_free_validator),
  G_PRIVATE_INIT (wsi_xml_free_validator),
};

/* Reads pieces of the document with @read until it returns 0 (the end) or
 * less (a failure), parsing each. */
typedef gssize (*WsiXmlStreamRead) (gpointer source, char *buf, gsize size);

static gboolean
wsi_xml_stream_run (WsiSchemaKind kind, gsize max_size, WsiXmlStreamRead read, gpointer source,
                    const WsiXmlStreamHandler *handler, gpointer user_data)
{
  WsiXmlStream s = { .handler = handler, .user_data = user_data };
  xmlSchemaValidCtxt *vctxt;
  xmlSAXHandler sax_storage = { 0 };
  xmlSAXHandlerPtr sax = &sax_storage;
  gpointer sax_data = &s;
  xmlSchemaSAXPlugPtr plug;
  g_autofree char *buf = g_malloc (WSI_XML_STREAM_CHUNK);
  gsize total = 0;
  gssize n;
  gboolean ok;

  wsi_xml_init ();
  n = read (source, buf, WSI_XML_STREAM_CHUNK);
  if (n <= 0 || (gsize) n > max_size)
    return FALSE;
  total = (gsize) n;

  vctxt = g_private_get (&wsi_xml_stream_validator[kind]);
  if (vctxt == NULL)
    {
      vctxt = xmlSchemaNewValidCtxt (wsi_xml_get_schema (kind));
      g_private_set (&wsi_xml_stream_validator[kind], vctxt);
    }
  sax_storage.initialized = XML_SAX2_MAGIC;
  sax_storage.startElementNs = wsi_xml_stream_on_start;
  sax_storage.endElementNs = wsi_xml_stream_on_end;
  sax_storage.characters = wsi_xml_stream_on_text;
  sax_storage.ignorableWhitespace = wsi_xml_stream_on_text;
  sax_storage.internalSubset = wsi_xml_stream_on_internal_subset;
  sax_storage.serror = wsi_xml_stream_on_parse_error;
  plug = xmlSchemaSAXPlug (vctxt, &sax, &sax_data);
  if (plug == NULL)
    g_error ("libxml2 could not plug the schema validator");
  xmlSchemaSetValidStructuredErrors (vctxt, wsi_xml_stream_on_schema_error, &s);

  s.ctxt = xmlCreatePushParserCtxt (sax, sax_data, buf, (int) n, NULL);
  if (s.ctxt == NULL)
    g_error ("libxml2 could not allocate a push parser");
  xmlCtxtUseOptions (s.ctxt, WSI_XML_PARSE_OPTIONS);
  wsi_xml_stream_current = &s;

  while (!s.failed && s.ctxt->wellFormed)
    {
      n = read (source, buf, WSI_XML_STREAM_CHUNK);
      if (n < 0 || (gsize) n > max_size - total)
        {
          s.failed = TRUE;
          break;
        }
      total += (gsize) n;
      if (xmlParseChunk (s.ctxt, buf, (int) n, n == 0) != 0 || n == 0)
        break;
    }

  ok = !s.failed && s.ctxt->wellFormed && s.root_seen && s.depth == 0;
  wsi_xml_stream_current = NULL;
  xmlSchemaSAXUnplug (plug);
  ok = ok && xmlSchemaIsValid (vctxt) == 1 && !s.failed;
  xmlSchemaSetValidStructuredErrors (vctxt, NULL, NULL);
  xmlFreeParserCtxt (s.ctxt);
  return ok;
}

typedef struct {
  int fd;
} WsiXmlFdSource;

static gssize
wsi_xml_stream_read_fd (gpointer source, char *buf, gsize size)
{
  WsiXmlFdSource *src = source;

  for (;;)
    {
      gssize n = read (src->fd, buf, size);
      if (n < 0 && errno == EINTR)
        continue;
      return n;
    }
}

gboolean
wsi_xml_stream_file (const char *path, gsize max_size, WsiSchemaKind kind,
                     const WsiXmlStreamHandler *handler, gpointer user_data)
{
  WsiXmlFdSource src = { .fd = open (path, O_RDONLY | O_BINARY | O_CLOEXEC) };
  struct stat st;
  gboolean ok;

  g_return_val_if_fail (path != NULL && handler != NULL, FALSE);

  if (src.fd < 0)
    return FALSE;
  /* What the tree loader refuses unread, a stream does not read either. */
  if (fstat (src.fd, &st) != 0 || !S_ISREG (st.st_mode) || (guint64) st.st_size > max_size)
    {
      close (src.fd);
      return FALSE;
    }
  ok = wsi_xml_stream_run (kind, max_size, wsi_xml_stream_read_fd, &src, handler, user_data);
  close (src.fd);
  return ok;
}

typedef struct {
  const char *data;
  gsize       left;
} WsiXmlMemSource;

static gssize
wsi_xml_stream_read_mem (gpointer source, char *buf, gsize size)
{
  WsiXmlMemSource *src = source;
  gsize n = MIN (size, src->left);

  memcpy (buf, src->data, n);
  src->data += n;
  src->left -= n;
  return (gssize) n;
}

gboolean
wsi_xml_stream_memory (const char *data, gsize len, gsize max_size, WsiSchemaKind kind,
                       const WsiXmlStreamHandler *handler, gpointer user_data)
{
  WsiXmlMemSource src = { .data = data, .left = len };

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (handler != NULL, FALSE);

  if (len > max_size || len > G_MAXINT)
    return FALSE;
  return wsi_xml_stream_run (kind, max_size, wsi_xml_stream_read_mem, &src, handler, user_data);
}

char *
wsi_xml_stream_attr (int n_attrs, const xmlChar **attrs, const char *name)
{
  for (int i = 0; i < n_attrs; i++)
    {
      const xmlChar **a = attrs + 5 * i;
      const char *value = (const char *) a[3];
      gsize len = (gsize) (a[4] - a[3]);
      GString *out;

      if (a[2] != NULL || strcmp ((const char *) a[0], name) != 0)
        continue;
      if (memchr (value, '&', len) == NULL)
        return g_strndup (value, len);
      /* libxml2 decodes every reference in an attribute value but "&amp;"
       * and "&#38;", which it gives as "&#38;" for the tree builder to
       * decode: no other '&' can be left in the value. */
      out = g_string_sized_new (len);
      for (gsize k = 0; k < len; k++)
        {
          if (value[k] == '&' && len - k >= 5 && memcmp (value + k, "&#38;", 5) == 0)
            {
              g_string_append_c (out, '&');
              k += 4;
            }
          else
            g_string_append_c (out, value[k]);
        }
      return g_string_free (out, FALSE);
    }
  return NULL;
}
