/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest-parse.c: builds the manifest model from a document, valid
 * or not. The elements the XSD reported are left out; this file turns the
 * other elements' attribute text into values and reports what the schema
 * cannot see (names of flags and enums, ranges, nil GUIDs, templates, the
 * form of a selector). An item with such a value is left out too, so the
 * checks run on what is usable; what is left out is recorded in the skips,
 * so that no check reports it missing. */
#include "wsi-manifest-load-private.h"

#include <string.h>

#include "wsi-flags.h"
#include "wsi-number-private.h"
#include "wsi-xml-private.h"

typedef struct {
  WsiManifest      *manifest;
  WsiManifestSkips *skips;
  WsiDiagList      *diags;
  guint             n_invalid;   /* value errors so far: an item is usable when it added none */
} WsiParse;

void
wsi_manifest_skips_init (WsiManifestSkips *self, const WsiXmlSchemaReport *schema)
{
  memset (self, 0, sizeof *self);
  /* The sets stay NULL until something is skipped: most manifests have
   * nothing to skip, and two tables per manifest showed in `validate`. */
  self->schema = schema;
}

void
wsi_manifest_skips_clear (WsiManifestSkips *self)
{
  g_clear_pointer (&self->skipped_ids, g_hash_table_unref);
  g_clear_pointer (&self->skipped_chain_layers, g_hash_table_unref);
}

/* An element the XSD reported: the model does without it. */
static gboolean
wsi_parse_schema_invalid (WsiParse *p, xmlNode *node)
{
  return wsi_xml_schema_report_is_invalid (p->skips->schema, node);
}

/* Records what a left-out element declared: its id (references to it are
 * not undeclared, only unusable) and, for a chain, its layer (which then
 * has a chain, as far as anyone can tell). */
static void
wsi_parse_skip (WsiParse *p, xmlNode *node)
{
  char *id = wsi_xml_get_prop (node, "id");
  char *layer = wsi_xml_get_prop (node, "layer");

  if (id != NULL)
    {
      if (p->skips->skipped_ids == NULL)
        p->skips->skipped_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (p->skips->skipped_ids, g_strstrip (id));
    }
  if (layer != NULL)
    {
      if (p->skips->skipped_chain_layers == NULL)
        p->skips->skipped_chain_layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (p->skips->skipped_chain_layers, g_strstrip (layer));
    }
}

/* Drops the item just added to @items when parsing it reported a value
 * error since @before. */
static gboolean
wsi_parse_keep (WsiParse *p, xmlNode *node, GPtrArray *items, guint before)
{
  if (p->n_invalid == before)
    return TRUE;
  g_ptr_array_remove_index (items, items->len - 1);
  wsi_parse_skip (p, node);
  return FALSE;
}

/* The line an element starts on (wsi-xml.c explains libxml2's lines). */
static int
wsi_line (xmlNode *node)
{
  return wsi_xml_get_line (node);
}

static void wsi_parse_invalid (WsiParse *p, xmlNode *node, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
wsi_parse_invalid (WsiParse *p, xmlNode *node, const char *format, ...)
{
  va_list args;

  p->n_invalid++;
  va_start (args, format);
  wsi_diag_list_add_valist (p->diags, "manifest-invalid-value", p->manifest->file, wsi_line (node), format, args);
  va_end (args);
}

/* XSD collapses white space around numbers, booleans and GUIDs: do the
 * same, so what the schema accepts parses here too. */
static char *
wsi_parse_token (xmlNode *node, const char *attr)
{
  char *v = wsi_xml_get_prop (node, attr);
  return v != NULL ? g_strstrip (v) : NULL;
}

static gboolean
wsi_parse_guid (WsiParse *p, xmlNode *node, const char *attr, WsiGuid *out)
{
  g_autofree char *text = wsi_parse_token (node, attr);

  if (text == NULL)
    {
      wsi_parse_invalid (p, node, "<%s> needs %s=", (const char *) node->name, attr);
      return FALSE;
    }
  if (!wsi_guid_parse (text, out))
    {
      wsi_parse_invalid (p, node, "%s=\"%s\" is not a GUID; write it as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} "
                         "(X a hex digit)", attr, text);
      return FALSE;
    }
  if (wsi_guid_is_nil (out))
    {
      wsi_parse_invalid (p, node, "%s= is the nil GUID; generate a real one (uuidgen)", attr);
      return FALSE;
    }
  return TRUE;
}

static gboolean
wsi_parse_int (WsiParse *p, xmlNode *node, const char *attr, gint64 def, gint64 min, gint64 max, gint64 *out)
{
  g_autofree char *text = wsi_parse_token (node, attr);
  gint64 v;

  if (text == NULL)
    {
      *out = def;
      return TRUE;
    }
  if (!wsi_number_parse_signed (text, min, max, &v))
    {
      wsi_parse_invalid (p, node, "%s=\"%s\" is not a number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                         attr, text, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
wsi_parse_int32 (WsiParse *p, xmlNode *node, const char *attr, gint32 def, gint32 min, gint32 *out)
{
  gint64 v = 0;

  if (!wsi_parse_int (p, node, attr, def, min, G_MAXINT32, &v))
    return FALSE;
  *out = (gint32) v;
  return TRUE;
}

static gboolean
wsi_parse_bool (xmlNode *node, const char *attr, gboolean def)
{
  g_autofree char *text = wsi_parse_token (node, attr);

  if (text == NULL)
    return def;
  return g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "1") == 0;
}

static const char *
wsi_enum_label (WsiEnumKind kind)
{
  switch (kind)
    {
    case WSI_ENUM_SOCKET_TYPE:
      return "socket type";
    case WSI_ENUM_PROTOCOL:
      return "protocol";
    case WSI_ENUM_ADDRESS_FAMILY:
    default:
      return "address family";
    }
}

/* "inet, inet6, ..." in the order of their values: what an author may
 * write instead of an unknown name. */
static char *
wsi_enum_names (WsiEnumKind kind)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gint32 v = 0; v <= 255; v++)
    {
      const char *name = wsi_enum_name (kind, v);
      if (name != NULL)
        g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "inspector, redirector, ...": the names of the set, as written in XML. */
static char *
wsi_flag_names (WsiFlagSet set)
{
  g_autofree char *all = wsi_flags_format (set, G_MAXUINT32);
  g_auto(GStrv) names = g_strsplit (all, "|", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "0x"))
        continue;
      g_strdelimit (names[i], "_", '-');
      g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", names[i]);
    }
  return g_ascii_strdown (out->str, -1);
}

static gboolean
wsi_parse_enum (WsiParse *p, xmlNode *node, const char *attr, WsiEnumKind kind, gint32 *out)
{
  g_autofree char *text = wsi_parse_token (node, attr);

  if (text == NULL)
    {
      wsi_parse_invalid (p, node, "<%s> needs %s=", (const char *) node->name, attr);
      return FALSE;
    }
  if (!wsi_enum_parse (kind, text, out))
    {
      g_autofree char *names = wsi_enum_names (kind);
      wsi_parse_invalid (p, node, "unknown %s '%s' in %s=; use one of: %s, or a number", wsi_enum_label (kind), text,
                         attr, names);
      return FALSE;
    }
  return TRUE;
}

static const char *
wsi_flag_set_label (WsiFlagSet set)
{
  switch (set)
    {
    case WSI_FLAG_SET_PROVIDER:
      return "provider flag";
    case WSI_FLAG_SET_LSP_CATEGORY:
      return "LSP category";
    case WSI_FLAG_SET_SERVICE:
    default:
      return "service flag";
    }
}

/* Flags by name. '-' stands for '_' so that categories read naturally in
 * XML (inbound-modify). *present tells whether the attribute was there. */
static gboolean
wsi_parse_flags (WsiParse *p, xmlNode *node, const char *attr, WsiFlagSet set, guint32 *out, gboolean *present)
{
  g_autofree char *text = wsi_xml_get_prop (node, attr);
  g_autofree char *bad = NULL;

  *present = text != NULL;
  *out = 0;
  if (text == NULL)
    return TRUE;
  g_strdelimit (text, "-", '_');
  if (!wsi_flags_parse (set, text, out, &bad))
    {
      g_autofree char *names = wsi_flag_names (set);
      wsi_parse_invalid (p, node, "unknown %s '%s' in %s=; use any of: %s", wsi_flag_set_label (set),
                         bad != NULL ? bad : text, attr, names);
      return FALSE;
    }
  return TRUE;
}

static void
wsi_parse_product (WsiParse *p, xmlNode *node)
{
  WsiManifestProduct *product = &p->manifest->product;
  guint before = p->n_invalid;

  product->line = wsi_line (node);
  product->id = wsi_xml_get_prop (node, "id");
  product->name = wsi_xml_get_prop (node, "name");
  product->vendor = wsi_xml_get_prop (node, "vendor");
  product->version_string = wsi_parse_token (node, "version");
  if (!wsi_version_parse (product->version_string, &product->version))
    wsi_parse_invalid (p, node, "version=\"%s\" is not 1 to 4 numbers of at most 4294967295 separated by dots",
                       product->version_string != NULL ? product->version_string : "");
  if (product->id == NULL || product->name == NULL)
    wsi_parse_invalid (p, node, "<product> needs id= and name=");
  p->skips->product_known = p->n_invalid == before;
}

static void
wsi_parse_target (WsiParse *p, xmlNode *node)
{
  WsiManifestTarget *target = &p->manifest->target;
  g_autofree char *profile = wsi_parse_token (node, "profile");
  g_autofree char *catalogs = wsi_parse_token (node, "catalogs");
  guint before = p->n_invalid;

  target->line = wsi_line (node);
  if (!wsi_profile_from_string (profile, &target->profile))
    wsi_parse_invalid (p, node, "unknown profile '%s'", profile != NULL ? profile : "");
  /* Unsaid, a 64-bit install covers both kinds of process: a provider in
   * one catalog only is the classic way to break WOW64 applications. */
  if (catalogs == NULL)
    target->catalogs = target->profile == WSI_PROFILE_DESKTOP_X64 ? WSI_MANIFEST_CATALOG_BOTH : WSI_MANIFEST_CATALOG_32;
  else if (g_strcmp0 (catalogs, "32") == 0)
    target->catalogs = WSI_MANIFEST_CATALOG_32;
  else if (g_strcmp0 (catalogs, "64") == 0)
    target->catalogs = WSI_MANIFEST_CATALOG_64;
  else if (g_strcmp0 (catalogs, "both") == 0)
    target->catalogs = WSI_MANIFEST_CATALOG_BOTH;
  else
    wsi_parse_invalid (p, node, "catalogs=\"%s\" is not 32, 64 or both", catalogs);
  target->allow_64_32 = wsi_parse_bool (node, "allow-64-32", FALSE);
  p->skips->target_known = p->n_invalid == before;
}

static void
wsi_parse_message_size (WsiParse *p, xmlNode *node, guint32 *out)
{
  g_autofree char *text = wsi_parse_token (node, "message-size");
  gint64 v = 0;

  if (text == NULL || g_strcmp0 (text, "stream") == 0)
    *out = 0;
  else if (g_strcmp0 (text, "mtu") == 0)
    *out = 1;
  else if (g_strcmp0 (text, "unlimited") == 0)
    *out = G_MAXUINT32;
  else if (wsi_parse_int (p, node, "message-size", 0, 0, G_MAXUINT32, &v))
    *out = (guint32) v;
}

static void
wsi_parse_protocol (WsiParse *p, xmlNode *node, WsiManifestProvider *provider)
{
  WsiManifestProtocol *proto = wsi_manifest_protocol_new ();
  g_autofree char *byte_order = wsi_parse_token (node, "byte-order");
  gint64 reserved = 0;
  gboolean present = FALSE;
  guint before = p->n_invalid;

  g_ptr_array_add (provider->protocols, proto);
  proto->line = wsi_line (node);
  proto->name = wsi_xml_get_prop (node, "name");
  if (proto->name == NULL)
    wsi_parse_invalid (p, node, "<protocol> needs name=");
  wsi_parse_enum (p, node, "af", WSI_ENUM_ADDRESS_FAMILY, &proto->address_family);
  wsi_parse_enum (p, node, "type", WSI_ENUM_SOCKET_TYPE, &proto->socket_type);
  wsi_parse_enum (p, node, "protocol", WSI_ENUM_PROTOCOL, &proto->protocol);
  wsi_parse_int32 (p, node, "min-sockaddr", 0, 0, &proto->min_sockaddr);
  wsi_parse_int32 (p, node, "max-sockaddr", 0, 0, &proto->max_sockaddr);
  wsi_parse_int32 (p, node, "version", 2, G_MININT32, &proto->version);
  wsi_parse_int32 (p, node, "security-scheme", 0, G_MININT32, &proto->security_scheme);
  wsi_parse_int32 (p, node, "protocol-max-offset", 0, G_MININT32, &proto->protocol_max_offset);
  wsi_parse_message_size (p, node, &proto->message_size);
  if (wsi_parse_int (p, node, "provider-reserved", 0, 0, G_MAXUINT32, &reserved))
    proto->provider_reserved = (guint32) reserved;
  /* BIGENDIAN is 0, LITTLEENDIAN 1 (ws2def.h). */
  proto->network_byte_order = g_strcmp0 (byte_order, "little") == 0 ? 1 : 0;
  wsi_parse_flags (p, node, "service-flags", WSI_FLAG_SET_SERVICE, &proto->service_flags, &present);
  wsi_parse_flags (p, node, "provider-flags", WSI_FLAG_SET_PROVIDER, &proto->provider_flags, &present);
  /* A SAN provider must be hidden (seed 002); declaring it as one is
   * enough. An explicit list without HIDDEN is kept and refused by the
   * checks, so the author sees the contradiction. */
  if (provider->san && !present)
    proto->provider_flags = WSI_PFL_HIDDEN;
  wsi_parse_keep (p, node, provider->protocols, before);
}

static void
wsi_parse_provider (WsiParse *p, xmlNode *node, gboolean san)
{
  WsiManifestProvider *provider = wsi_manifest_provider_new ();
  g_autoptr(GPtrArray) protocols = wsi_xml_get_children (node, "protocol");
  guint before = p->n_invalid;

  g_ptr_array_add (p->manifest->providers, provider);
  provider->line = wsi_line (node);
  provider->san = san;
  provider->id = wsi_parse_token (node, "id");
  wsi_parse_guid (p, node, "guid", &provider->guid);
  provider->path = wsi_xml_get_prop (node, "path");
  provider->path32 = wsi_xml_get_prop (node, "path32");
  if (san)
    provider->san_registration = wsi_xml_get_prop (node, "registration");
  if (provider->id == NULL || provider->path == NULL || (san && provider->san_registration == NULL))
    wsi_parse_invalid (p, node, "<%s> needs id=, guid=, path=%s", (const char *) node->name,
                       san ? " and registration=" : "");
  if (!wsi_parse_keep (p, node, p->manifest->providers, before))
    return;
  for (guint i = 0; i < protocols->len; i++)
    if (!wsi_parse_schema_invalid (p, g_ptr_array_index (protocols, i)))
      wsi_parse_protocol (p, g_ptr_array_index (protocols, i), provider);
}

static void
wsi_parse_layer (WsiParse *p, xmlNode *node)
{
  WsiManifestLayer *layer = wsi_manifest_layer_new ();
  gboolean present = FALSE;
  guint before = p->n_invalid;

  g_ptr_array_add (p->manifest->layers, layer);
  layer->line = wsi_line (node);
  layer->id = wsi_parse_token (node, "id");
  wsi_parse_guid (p, node, "guid", &layer->guid);
  layer->name = wsi_xml_get_prop (node, "name");
  layer->path = wsi_xml_get_prop (node, "path");
  layer->path32 = wsi_xml_get_prop (node, "path32");
  layer->ifs = wsi_parse_bool (node, "ifs", FALSE);
  wsi_parse_flags (p, node, "categories", WSI_FLAG_SET_LSP_CATEGORY, &layer->categories, &present);
  if (layer->id == NULL || layer->name == NULL || layer->path == NULL)
    wsi_parse_invalid (p, node, "<layered-provider> needs id=, guid=, name= and path=");
  wsi_parse_keep (p, node, p->manifest->layers, before);
}

static gboolean
wsi_has_prop (xmlNode *node, const char *attr)
{
  return xmlHasProp (node, (const xmlChar *) attr) != NULL;
}

static void wsi_parse_selector_invalid (WsiParse *p, xmlNode *node, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
wsi_parse_selector_invalid (WsiParse *p, xmlNode *node, const char *format, ...)
{
  va_list args;

  p->n_invalid++;
  va_start (args, format);
  wsi_diag_list_add_valist (p->diags, "selector-invalid", p->manifest->file, wsi_line (node), format, args);
  va_end (args);
}

static void
wsi_parse_selector (WsiParse *p, xmlNode *node, WsiManifestChain *chain)
{
  WsiManifestSelector *sel = wsi_manifest_selector_new ();
  gboolean triple = wsi_has_prop (node, "af") || wsi_has_prop (node, "type") || wsi_has_prop (node, "protocol");
  gboolean forms[] = {
    triple,
    wsi_has_prop (node, "guid"),
    wsi_has_prop (node, "name-pattern"),
    wsi_has_prop (node, "all-base"),
    wsi_has_prop (node, "provider"),
    wsi_has_prop (node, "chains-of"),
  };
  guint n_forms = 0;
  guint before = p->n_invalid;

  g_ptr_array_add (chain->selectors, sel);
  sel->line = wsi_line (node);
  sel->optional = wsi_parse_bool (node, "optional", FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    n_forms += forms[i] ? 1 : 0;
  if (n_forms != 1)
    {
      wsi_parse_selector_invalid (p, node, "<over> uses %u ways to choose targets; use exactly one of af+type+protocol, "
                                  "guid, name-pattern, all-base, provider, chains-of", n_forms);
      wsi_parse_keep (p, node, chain->selectors, before);
      return;
    }
  if (!triple && wsi_has_prop (node, "match"))
    wsi_parse_selector_invalid (p, node, "match= applies only to an af+type+protocol selector");

  if (triple)
    {
      g_autofree char *match = wsi_parse_token (node, "match");
      sel->kind = WSI_SELECTOR_TRIPLE;
      if (!wsi_has_prop (node, "af") || !wsi_has_prop (node, "type") || !wsi_has_prop (node, "protocol"))
        {
          wsi_parse_selector_invalid (p, node, "a triple selector needs all of af, type and protocol");
          wsi_parse_keep (p, node, chain->selectors, before);
          return;
        }
      wsi_parse_enum (p, node, "af", WSI_ENUM_ADDRESS_FAMILY, &sel->address_family);
      wsi_parse_enum (p, node, "type", WSI_ENUM_SOCKET_TYPE, &sel->socket_type);
      wsi_parse_enum (p, node, "protocol", WSI_ENUM_PROTOCOL, &sel->protocol);
      if (match == NULL || g_strcmp0 (match, "base") == 0)
        sel->match = WSI_SELECTOR_MATCH_BASE;
      else if (g_strcmp0 (match, "top-most") == 0)
        sel->match = WSI_SELECTOR_MATCH_TOP_MOST;
      else if (g_strcmp0 (match, "all-base") == 0)
        sel->match = WSI_SELECTOR_MATCH_ALL_BASE;
      else
        wsi_parse_invalid (p, node, "match=\"%s\" is not base, top-most or all-base", match);
    }
  else if (forms[1])
    {
      sel->kind = WSI_SELECTOR_GUID;
      wsi_parse_guid (p, node, "guid", &sel->guid);
    }
  else if (forms[2])
    {
      sel->kind = WSI_SELECTOR_NAME_PATTERN;
      sel->name_pattern = wsi_xml_get_prop (node, "name-pattern");
    }
  else if (forms[3])
    {
      sel->kind = WSI_SELECTOR_ALL_BASE;
      if (!wsi_parse_bool (node, "all-base", FALSE))
        wsi_parse_selector_invalid (p, node, "all-base=\"false\" selects nothing; remove the selector");
    }
  else if (forms[4])
    {
      sel->kind = WSI_SELECTOR_PROVIDER;
      sel->ref = wsi_parse_token (node, "provider");
    }
  else
    {
      sel->kind = WSI_SELECTOR_CHAINS_OF;
      sel->ref = wsi_parse_token (node, "chains-of");
    }
  wsi_parse_keep (p, node, chain->selectors, before);
}

/* Only {layer} and {target} are placeholders; any other brace is a mistake
 * the author should hear about rather than find in the catalog. */
static gboolean
wsi_template_valid (const char *text, char **bad)
{
  const char *s = text;

  while ((s = strpbrk (s, "{}")) != NULL)
    {
      const char *close;
      if (*s == '}')
        {
          *bad = g_strdup ("}");
          return FALSE;
        }
      close = strchr (s, '}');
      if (close == NULL)
        {
          *bad = g_strdup (s);
          return FALSE;
        }
      if (strncmp (s, "{layer}", 7) != 0 && strncmp (s, "{target}", 8) != 0)
        {
          *bad = g_strndup (s, (gsize) (close - s + 1));
          return FALSE;
        }
      s = close + 1;
    }
  return TRUE;
}

static void
wsi_parse_chain (WsiParse *p, xmlNode *node)
{
  WsiManifestChain *chain = wsi_manifest_chain_new ();
  g_autofree char *position = wsi_parse_token (node, "position");
  guint before = p->n_invalid;

  g_ptr_array_add (p->manifest->chains, chain);
  chain->line = wsi_line (node);
  chain->layer_id = wsi_parse_token (node, "layer");
  chain->relative_to = wsi_parse_token (node, "relative-to");
  if (position == NULL || g_strcmp0 (position, "top") == 0)
    chain->position = WSI_POSITION_TOP;
  else if (g_strcmp0 (position, "bottom") == 0)
    chain->position = WSI_POSITION_BOTTOM;
  else if (g_strcmp0 (position, "before") == 0)
    chain->position = WSI_POSITION_BEFORE;
  else if (g_strcmp0 (position, "after") == 0)
    chain->position = WSI_POSITION_AFTER;
  else
    wsi_parse_invalid (p, node, "position=\"%s\" is not top, bottom, before or after", position);

  if ((chain->position == WSI_POSITION_BEFORE || chain->position == WSI_POSITION_AFTER) && chain->relative_to == NULL)
    wsi_parse_invalid (p, node, "position=\"%s\" needs relative-to=", position);
  if ((chain->position == WSI_POSITION_TOP || chain->position == WSI_POSITION_BOTTOM) && chain->relative_to != NULL)
    wsi_parse_invalid (p, node, "relative-to= applies only to position=\"before\" or \"after\"");
  if (chain->relative_to != NULL && wsi_guid_parse (chain->relative_to, &chain->relative_guid))
    chain->relative_kind = WSI_RELATIVE_GUID;
  if (chain->layer_id == NULL)
    wsi_parse_invalid (p, node, "<chain> needs layer=");
  if (!wsi_parse_keep (p, node, p->manifest->chains, before))
    return;

  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      const char *name = (const char *) c->name;

      if (c->type != XML_ELEMENT_NODE || wsi_parse_schema_invalid (p, c))
        continue;
      if (g_strcmp0 (name, "over") == 0)
        wsi_parse_selector (p, c, chain);
      else if (g_strcmp0 (name, "entry-name") == 0)
        {
          g_autofree char *bad = NULL;
          g_free (chain->name_template);
          chain->name_template = wsi_xml_get_prop (c, "template");
          chain->name_template_line = wsi_line (c);
          if (chain->name_template == NULL || !wsi_template_valid (chain->name_template, &bad))
            {
              wsi_parse_invalid (p, c, "template has '%s'; the placeholders are {layer} and {target}",
                                 bad != NULL ? bad : "");
              g_clear_pointer (&chain->name_template, g_free);
              chain->name_template_line = 0;
            }
        }
      else if (g_strcmp0 (name, "entry-guids") == 0)
        {
          chain->guid_rule = WSI_GUID_RULE_DERIVE;
          chain->guid_rule_line = wsi_line (c);
          if (!wsi_parse_guid (p, c, "derive-from", &chain->guid_namespace))
            chain->guid_rule_line = 0;   /* the layer's GUID, as if unsaid */
        }
      else if (g_strcmp0 (name, "entry-guid") == 0)
        {
          WsiManifestEntryGuid *eg = g_new0 (WsiManifestEntryGuid, 1);
          g_ptr_array_add (chain->entry_guids, eg);
          eg->line = wsi_line (c);
          if (chain->guid_rule_line == 0)
            chain->guid_rule_line = eg->line;
          chain->guid_rule = WSI_GUID_RULE_EXPLICIT;
          if (!wsi_parse_guid (p, c, "guid", &eg->guid))
            g_ptr_array_remove_index (chain->entry_guids, chain->entry_guids->len - 1);
        }
    }
}

static void
wsi_parse_wsh_helper (WsiParse *p, xmlNode *node)
{
  WsiManifestWshHelper *helper = wsi_manifest_wsh_helper_new ();
  g_autoptr(GPtrArray) mappings = wsi_xml_get_children (node, "mapping");
  guint before = p->n_invalid;

  g_ptr_array_add (p->manifest->wsh_helpers, helper);
  helper->line = wsi_line (node);
  helper->transport = wsi_xml_get_prop (node, "transport");
  helper->dll = wsi_xml_get_prop (node, "dll");
  wsi_parse_int32 (p, node, "min-sockaddr", 0, 0, &helper->min_sockaddr);
  wsi_parse_int32 (p, node, "max-sockaddr", 0, 0, &helper->max_sockaddr);
  if (helper->transport == NULL || helper->dll == NULL)
    wsi_parse_invalid (p, node, "<wsh-helper> needs transport= and dll=");
  if (!wsi_parse_keep (p, node, p->manifest->wsh_helpers, before))
    return;
  for (guint i = 0; i < mappings->len; i++)
    {
      xmlNode *m = g_ptr_array_index (mappings, i);
      WsiManifestMapping *row;
      guint row_before = p->n_invalid;

      if (wsi_parse_schema_invalid (p, m))
        continue;
      row = g_new0 (WsiManifestMapping, 1);
      g_ptr_array_add (helper->mappings, row);
      row->line = wsi_line (m);
      wsi_parse_enum (p, m, "af", WSI_ENUM_ADDRESS_FAMILY, &row->address_family);
      wsi_parse_enum (p, m, "type", WSI_ENUM_SOCKET_TYPE, &row->socket_type);
      wsi_parse_enum (p, m, "protocol", WSI_ENUM_PROTOCOL, &row->protocol);
      wsi_parse_keep (p, m, helper->mappings, row_before);
    }
}

void
wsi_manifest_parse_doc (WsiManifest *self, xmlDoc *doc, WsiManifestSkips *skips, WsiDiagList *diags)
{
  WsiParse p = { .manifest = self, .skips = skips, .diags = diags };
  xmlNode *root = xmlDocGetRootElement (doc);

  g_return_if_fail (self != NULL && doc != NULL && skips != NULL && diags != NULL);
  if (root == NULL)
    return;
  /* Elements the content model refused were taken out of the document;
   * what they declared still counts as declared. */
  for (guint i = 0; skips->schema != NULL && i < skips->schema->detached->len; i++)
    wsi_parse_skip (&p, g_ptr_array_index (skips->schema->detached, i));
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    {
      const char *name = (const char *) c->name;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (wsi_parse_schema_invalid (&p, c))
        {
          wsi_parse_skip (&p, c);
          continue;
        }
      if (g_strcmp0 (name, "product") == 0)
        wsi_parse_product (&p, c);
      else if (g_strcmp0 (name, "target") == 0)
        wsi_parse_target (&p, c);
      else if (g_strcmp0 (name, "base-provider") == 0)
        wsi_parse_provider (&p, c, FALSE);
      else if (g_strcmp0 (name, "san-provider") == 0)
        wsi_parse_provider (&p, c, TRUE);
      else if (g_strcmp0 (name, "layered-provider") == 0)
        wsi_parse_layer (&p, c);
      else if (g_strcmp0 (name, "chain") == 0)
        wsi_parse_chain (&p, c);
      else if (g_strcmp0 (name, "wsh-helper") == 0)
        wsi_parse_wsh_helper (&p, c);
    }
}
