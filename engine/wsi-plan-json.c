/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-json.c: a step as the journal's record and the x86 helper's
 * request: it carries every field (from_json reads it back), and journals
 * written by older versions must stay readable, so this form changes only
 * with the journal's format. It is not an output of a command: `plan`
 * prints the versioned document of wsi-plan-document.c. Deterministic
 * (fixed member order, no timestamps). */
#include "wsi-plan-private.h"
#include "wsi-error.h"
#include "wsi-flags.h"
#include "wsi-json-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

static void
wsi_json_ref (WsiJsonWriter *b, const WsiEntryRef *ref)
{
  wsi_json_writer_begin_object (b);
  wsi_json_guid (b, "guid", &ref->guid);
  wsi_json_int (b, "af", ref->address_family);
  wsi_json_int (b, "type", ref->socket_type);
  wsi_json_int (b, "protocol", ref->protocol);
  wsi_json_int (b, "occurrence", ref->occurrence);
  wsi_json_int (b, "predicted_id", ref->predicted_id);
  wsi_json_writer_end_object (b);
}

static void
wsi_journal_plan_entry (WsiJsonWriter *b, const WsiPlanEntry *pe)
{
  const WsiEntry *e = pe->entry;
  g_autofree char *svc = wsi_flags_format (WSI_FLAG_SET_SERVICE, e->service_flags[0]);
  g_autofree char *pfl = wsi_flags_format (WSI_FLAG_SET_PROVIDER, e->provider_flags);

  wsi_json_writer_begin_object (b);
  wsi_json_str (b, "name", e->name);
  wsi_json_int (b, "chain_len", e->chain_len);
  wsi_json_writer_member (b, "chain");
  wsi_json_writer_begin_array (b);
  for (guint k = 0; k < pe->n_refs; k++)
    wsi_json_ref (b, &pe->refs[k]);
  wsi_json_writer_end_array (b);
  wsi_json_int (b, "af", e->address_family);
  wsi_json_int (b, "type", e->socket_type);
  wsi_json_int (b, "protocol", e->protocol);
  wsi_json_str (b, "service_flags", svc);
  wsi_json_int (b, "service_flags2", e->service_flags[1]);
  wsi_json_int (b, "service_flags3", e->service_flags[2]);
  wsi_json_int (b, "service_flags4", e->service_flags[3]);
  wsi_json_str (b, "provider_flags", pfl);
  wsi_json_int (b, "version", e->version);
  wsi_json_int (b, "max_sockaddr", e->max_sockaddr);
  wsi_json_int (b, "min_sockaddr", e->min_sockaddr);
  wsi_json_int (b, "protocol_max_offset", e->protocol_max_offset);
  wsi_json_int (b, "byte_order", e->network_byte_order);
  wsi_json_int (b, "security_scheme", e->security_scheme);
  wsi_json_int (b, "message_size", e->message_size);
  wsi_json_int (b, "provider_reserved", e->provider_reserved);
  /* A base entry's unused ChainEntries are kept verbatim (garbage on some
   * Windows): carry them so a re-install restores them. */
  if (pe->n_refs == 0)
    {
      wsi_json_writer_member (b, "raw_chain");
      wsi_json_writer_begin_array (b);
      for (int k = 0; k < WSI_MAX_PROTOCOL_CHAIN; k++)
        wsi_json_writer_int (b, e->chain[k]);
      wsi_json_writer_end_array (b);
    }
  wsi_json_writer_end_object (b);
}

static const char *
wsi_reg_type_name (WsiRegType type)
{
  switch (type)
    {
    case WSI_REG_SZ: return "REG_SZ";
    case WSI_REG_EXPAND_SZ: return "REG_EXPAND_SZ";
    case WSI_REG_BINARY: return "REG_BINARY";
    case WSI_REG_DWORD: return "REG_DWORD";
    case WSI_REG_MULTI_SZ: return "REG_MULTI_SZ";
    default: return "REG_NONE";
    }
}

static gboolean
wsi_reg_type_from_name (const char *name, WsiRegType *out)
{
  static const WsiRegType all[] = { WSI_REG_SZ, WSI_REG_EXPAND_SZ, WSI_REG_BINARY, WSI_REG_DWORD, WSI_REG_MULTI_SZ };
  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_strcmp0 (name, wsi_reg_type_name (all[i])) == 0)
      {
        *out = all[i];
        return TRUE;
      }
  return FALSE;
}

static void
wsi_json_step_args (WsiJsonWriter *b, const WsiPlanStep *step)
{
  wsi_json_writer_member (b, "args");
  wsi_json_writer_begin_object (b);
  switch (step->op)
    {
    case WSI_STEP_INSTALL_PROVIDER:
    case WSI_STEP_INSTALL_PROVIDER_64_32:
    case WSI_STEP_UPDATE_PROVIDER:
      wsi_json_guid (b, "guid", &step->guid);
      wsi_json_str (b, "path", step->path);
      if (step->categories != 0)
        wsi_json_int (b, "categories", step->categories);
      wsi_json_writer_member (b, "entries");
      wsi_json_writer_begin_array (b);
      for (guint i = 0; step->entries != NULL && i < step->entries->len; i++)
        wsi_journal_plan_entry (b, g_ptr_array_index (step->entries, i));
      wsi_json_writer_end_array (b);
      break;
    case WSI_STEP_DEINSTALL_PROVIDER:
      wsi_json_guid (b, "guid", &step->guid);
      break;
    case WSI_STEP_WRITE_ORDER:
      wsi_json_writer_member (b, "order");
      wsi_json_writer_begin_array (b);
      for (guint i = 0; step->order != NULL && i < step->order->len; i++)
        wsi_json_ref (b, &g_array_index (step->order, WsiEntryRef, i));
      wsi_json_writer_end_array (b);
      break;
    case WSI_STEP_SET_LSP_CATEGORIES:
      {
        g_autofree char *names = wsi_flags_format (WSI_FLAG_SET_LSP_CATEGORY, step->categories);
        wsi_json_guid (b, "guid", &step->guid);
        wsi_json_int (b, "categories", step->categories);
        wsi_json_str (b, "category_names", names);
        break;
      }
    case WSI_STEP_SET_REGISTRY_VALUE:
      wsi_json_str (b, "key", step->reg_key);
      wsi_json_str (b, "name", step->reg_name);
      if (step->reg_data != NULL)
        {
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (step->reg_data, &len);
          g_autoptr(GString) hex = g_string_sized_new (len * 2);
          for (gsize i = 0; i < len; i++)
            g_string_append_printf (hex, "%02x", data[i]);
          wsi_json_str (b, "type", wsi_reg_type_name (step->reg_type));
          wsi_json_str (b, "data", hex->str);
        }
      else
        wsi_json_str (b, "delete", "true");
      break;
    default:
      break;
    }
  wsi_json_writer_end_object (b);
}

static void
wsi_json_step (WsiJsonWriter *b, const WsiPlanStep *step, gboolean with_undo)
{
  wsi_json_writer_begin_object (b);
  wsi_json_int (b, "index", step->index);
  wsi_json_writer_member (b, "catalog");
  if (step->bitness != 0)
    wsi_json_writer_int (b, step->bitness);
  else
    wsi_json_writer_null (b);
  wsi_json_str (b, "op", wsi_step_op_to_string (step->op));
  wsi_json_writer_member (b, "needs_32bit_process");
  wsi_json_writer_bool (b, step->needs_32bit_process);
  wsi_json_str (b, "summary", step->summary);
  wsi_json_step_args (b, step);
  wsi_json_step_end (b, step, with_undo, wsi_json_step);
}

char *
wsi_plan_step_to_json (const WsiPlanStep *step)
{
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new (FALSE);
  wsi_json_step (b, step, TRUE);
  return wsi_json_writer_steal_text (b);
}

/* ---- reading steps back (the journal) ---- */

static gboolean
wsi_json_get_guid (JsonObject *o, const char *member, WsiGuid *out, GError **error)
{
  const char *s = json_object_get_string_member_with_default (o, member, NULL);
  if (s == NULL || !wsi_guid_parse (s, out))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "member '%s' is not a GUID", member);
      return FALSE;
    }
  return TRUE;
}

static gboolean
wsi_json_read_ref (JsonNode *node, WsiEntryRef *ref, GError **error)
{
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "an entry reference is not an object");
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!wsi_json_get_guid (o, "guid", &ref->guid, error))
    return FALSE;
  ref->address_family = (gint32) json_object_get_int_member_with_default (o, "af", 0);
  ref->socket_type = (gint32) json_object_get_int_member_with_default (o, "type", 0);
  ref->protocol = (gint32) json_object_get_int_member_with_default (o, "protocol", 0);
  ref->occurrence = (guint) json_object_get_int_member_with_default (o, "occurrence", 0);
  ref->predicted_id = (guint32) json_object_get_int_member_with_default (o, "predicted_id", 0);
  return TRUE;
}

static WsiPlanEntry *
wsi_json_read_entry (JsonNode *node, GError **error)
{
  g_autoptr(WsiEntry) e = wsi_entry_new ();
  JsonObject *o;
  JsonArray *chain;
  WsiPlanEntry *pe;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "an entry is not an object");
      return NULL;
    }
  o = json_node_get_object (node);
  wsi_entry_set_name (e, json_object_get_string_member_with_default (o, "name", NULL));
  e->chain_len = (gint32) json_object_get_int_member_with_default (o, "chain_len", 0);
  e->address_family = (gint32) json_object_get_int_member_with_default (o, "af", 0);
  e->socket_type = (gint32) json_object_get_int_member_with_default (o, "type", 0);
  e->protocol = (gint32) json_object_get_int_member_with_default (o, "protocol", 0);
  if (!wsi_flags_parse (WSI_FLAG_SET_SERVICE, json_object_get_string_member_with_default (o, "service_flags", "0"),
                        &e->service_flags[0], NULL) ||
      !wsi_flags_parse (WSI_FLAG_SET_PROVIDER, json_object_get_string_member_with_default (o, "provider_flags", "0"),
                        &e->provider_flags, NULL))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "an entry has unknown flags");
      return NULL;
    }
  e->service_flags[1] = (guint32) json_object_get_int_member_with_default (o, "service_flags2", 0);
  e->service_flags[2] = (guint32) json_object_get_int_member_with_default (o, "service_flags3", 0);
  e->service_flags[3] = (guint32) json_object_get_int_member_with_default (o, "service_flags4", 0);
  e->version = (gint32) json_object_get_int_member_with_default (o, "version", 0);
  e->max_sockaddr = (gint32) json_object_get_int_member_with_default (o, "max_sockaddr", 0);
  e->min_sockaddr = (gint32) json_object_get_int_member_with_default (o, "min_sockaddr", 0);
  e->protocol_max_offset = (gint32) json_object_get_int_member_with_default (o, "protocol_max_offset", 0);
  e->network_byte_order = (gint32) json_object_get_int_member_with_default (o, "byte_order", 0);
  e->security_scheme = (gint32) json_object_get_int_member_with_default (o, "security_scheme", 0);
  e->message_size = (guint32) json_object_get_int_member_with_default (o, "message_size", 0);
  e->provider_reserved = (guint32) json_object_get_int_member_with_default (o, "provider_reserved", 0);
  if (json_object_has_member (o, "raw_chain"))
    {
      JsonArray *raw = json_object_get_array_member (o, "raw_chain");
      for (guint k = 0; raw != NULL && k < json_array_get_length (raw) && k < WSI_MAX_PROTOCOL_CHAIN; k++)
        e->chain[k] = (guint32) json_array_get_int_element (raw, k);
    }
  pe = g_new0 (WsiPlanEntry, 1);
  pe->entry = g_steal_pointer (&e);
  chain = json_object_get_array_member (o, "chain");
  if (chain != NULL)
    {
      guint n = json_array_get_length (chain);
      if (n > WSI_MAX_PROTOCOL_CHAIN)
        {
          wsi_plan_entry_free (pe);
          g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "a chain of %u entries", n);
          return NULL;
        }
      for (guint k = 0; k < n; k++)
        if (!wsi_json_read_ref (json_array_get_element (chain, k), &pe->refs[k], error))
          {
            wsi_plan_entry_free (pe);
            return NULL;
          }
      pe->n_refs = n;
    }
  return pe;
}

static WsiPlanStep *
wsi_json_read_step (JsonObject *o, gboolean with_undo, GError **error)
{
  g_autoptr(WsiPlanStep) step = g_new0 (WsiPlanStep, 1);
  const char *op = json_object_get_string_member_with_default (o, "op", "");
  JsonObject *args = json_object_get_object_member (o, "args");
  JsonObject *source;
  gboolean found = FALSE;

  for (int i = WSI_STEP_INSTALL_PROVIDER; i <= WSI_STEP_SET_REGISTRY_VALUE; i++)
    if (g_strcmp0 (op, wsi_step_op_to_string ((WsiStepOp) i)) == 0)
      {
        step->op = (WsiStepOp) i;
        found = TRUE;
      }
  if (!found || args == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "unknown step operation '%s'", op);
      return NULL;
    }
  step->index = (guint) json_object_get_int_member_with_default (o, "index", 0);
  if (!json_object_get_null_member (o, "catalog"))
    step->bitness = (WsiBitness) json_object_get_int_member_with_default (o, "catalog", 0);
  if (step->bitness != 0 && step->bitness != WSI_CATALOG_32 && step->bitness != WSI_CATALOG_64)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "catalog %d", (int) step->bitness);
      return NULL;
    }
  step->needs_32bit_process = json_object_get_boolean_member_with_default (o, "needs_32bit_process", FALSE);
  step->summary = g_strdup (json_object_get_string_member_with_default (o, "summary", NULL));
  source = json_object_get_object_member (o, "source");
  if (source != NULL)
    {
      step->source_file = g_strdup (json_object_get_string_member_with_default (source, "file", NULL));
      step->source_line = (int) json_object_get_int_member_with_default (source, "line", 0);
    }

  switch (step->op)
    {
    case WSI_STEP_INSTALL_PROVIDER:
    case WSI_STEP_INSTALL_PROVIDER_64_32:
    case WSI_STEP_UPDATE_PROVIDER:
      {
        JsonArray *entries = json_object_get_array_member (args, "entries");
        if (!wsi_json_get_guid (args, "guid", &step->guid, error))
          return NULL;
        step->path = g_strdup (json_object_get_string_member_with_default (args, "path", NULL));
        step->categories = (guint32) json_object_get_int_member_with_default (args, "categories", 0);
        step->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
        for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
          {
            WsiPlanEntry *pe = wsi_json_read_entry (json_array_get_element (entries, i), error);
            if (pe == NULL)
              return NULL;
            g_ptr_array_add (step->entries, pe);
          }
        break;
      }
    case WSI_STEP_DEINSTALL_PROVIDER:
      if (!wsi_json_get_guid (args, "guid", &step->guid, error))
        return NULL;
      break;
    case WSI_STEP_WRITE_ORDER:
      {
        JsonArray *order = json_object_get_array_member (args, "order");
        step->order = g_array_new (FALSE, FALSE, sizeof (WsiEntryRef));
        for (guint i = 0; order != NULL && i < json_array_get_length (order); i++)
          {
            WsiEntryRef ref = { 0 };
            if (!wsi_json_read_ref (json_array_get_element (order, i), &ref, error))
              return NULL;
            g_array_append_val (step->order, ref);
          }
        break;
      }
    case WSI_STEP_SET_LSP_CATEGORIES:
      if (!wsi_json_get_guid (args, "guid", &step->guid, error))
        return NULL;
      step->categories = (guint32) json_object_get_int_member_with_default (args, "categories", 0);
      break;
    case WSI_STEP_SET_REGISTRY_VALUE:
      {
        const char *hex = json_object_get_string_member_with_default (args, "data", NULL);
        step->reg_key = g_strdup (json_object_get_string_member_with_default (args, "key", NULL));
        step->reg_name = g_strdup (json_object_get_string_member_with_default (args, "name", NULL));
        if (step->reg_key == NULL || step->reg_name == NULL)
          {
            g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "a registry step without key or name");
            return NULL;
          }
        if (hex != NULL)
          {
            gsize len = strlen (hex);
            g_autofree guint8 *data = NULL;
            if (len % 2 != 0 ||
                !wsi_reg_type_from_name (json_object_get_string_member_with_default (args, "type", ""), &step->reg_type))
              {
                g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "a registry step with bad data");
                return NULL;
              }
            data = g_malloc (len / 2 + 1);
            for (gsize i = 0; i < len / 2; i++)
              {
                int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);
                if (hi < 0 || lo < 0)
                  {
                    g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "a registry step with bad data");
                    return NULL;
                  }
                data[i] = (guint8) (hi << 4 | lo);
              }
            step->reg_data = g_bytes_new (data, len / 2);
          }
        break;
      }
    default:
      break;
    }

  if (with_undo && json_object_has_member (o, "undo") && !json_object_get_null_member (o, "undo"))
    {
      step->undo = wsi_json_read_step (json_object_get_object_member (o, "undo"), FALSE, error);
      if (step->undo == NULL)
        return NULL;
    }
  if (with_undo && json_object_has_member (o, "predicted_ids"))
    {
      JsonArray *ids = json_object_get_array_member (o, "predicted_ids");
      step->predicted_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
        {
          guint32 id = (guint32) json_array_get_int_element (ids, i);
          g_array_append_val (step->predicted_ids, id);
        }
    }
  return g_steal_pointer (&step);
}

WsiPlanStep *
wsi_plan_step_from_json (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "a step is not a JSON object");
      return NULL;
    }
  return wsi_json_read_step (json_node_get_object (root), TRUE, error);
}
