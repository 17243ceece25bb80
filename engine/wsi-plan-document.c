/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-document.c: a plan as the versioned JSON document `plan` and
 * `repair` print (schema/wsinstall-plan.schema.json). Entries have the one
 * entry shape of every document (wsi-entry-json.c). This is not the
 * journal's record of a step (wsi-plan-json.c), which has a compatibility
 * of its own: journals written by older versions must stay readable. */
#include "wsi-plan-private.h"
#include "wsi-json-private.h"

static const char *
wsi_reg_type_to_string (WsiRegType type)
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

/* An entry to install or update: the entry as the catalog will hold it
 * (the step's GUID and path, which WSCInstallProvider gives every entry of
 * the call; its chain the predicted IDs of its refs) and the refs the
 * executor resolves. */
static void
wsi_doc_plan_entry (WsiJsonWriter *b, const WsiPlanStep *step, const WsiPlanEntry *pe)
{
  g_autoptr(WsiEntry) e = wsi_entry_copy (pe->entry);

  e->provider_id = step->guid;
  wsi_entry_set_path (e, step->path);
  for (guint k = 0; k < pe->n_refs && k < WSI_MAX_PROTOCOL_CHAIN; k++)
    e->chain[k] = pe->refs[k].predicted_id;
  wsi_json_writer_begin_object (b);
  wsi_json_writer_member (b, "entry");
  wsi_json_entry (b, e);
  wsi_json_writer_member (b, "chain_refs");
  wsi_json_writer_begin_array (b);
  for (guint k = 0; k < pe->n_refs; k++)
    wsi_json_entry_ref (b, &pe->refs[k]);
  wsi_json_writer_end_array (b);
  wsi_json_writer_end_object (b);
}

static void
wsi_doc_step_args (WsiJsonWriter *b, const WsiPlanStep *step)
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
      wsi_json_flags (b, "categories", WSI_FLAG_SET_LSP_CATEGORY, step->categories);
      wsi_json_writer_member (b, "entries");
      wsi_json_writer_begin_array (b);
      for (guint i = 0; step->entries != NULL && i < step->entries->len; i++)
        wsi_doc_plan_entry (b, step, g_ptr_array_index (step->entries, i));
      wsi_json_writer_end_array (b);
      break;
    case WSI_STEP_DEINSTALL_PROVIDER:
      wsi_json_guid (b, "guid", &step->guid);
      break;
    case WSI_STEP_WRITE_ORDER:
      wsi_json_writer_member (b, "order");
      wsi_json_writer_begin_array (b);
      for (guint i = 0; step->order != NULL && i < step->order->len; i++)
        wsi_json_entry_ref (b, &g_array_index (step->order, WsiEntryRef, i));
      wsi_json_writer_end_array (b);
      break;
    case WSI_STEP_SET_LSP_CATEGORIES:
      wsi_json_guid (b, "guid", &step->guid);
      wsi_json_flags (b, "categories", WSI_FLAG_SET_LSP_CATEGORY, step->categories);
      break;
    case WSI_STEP_SET_REGISTRY_VALUE:
      wsi_json_str (b, "key", step->reg_key);
      wsi_json_str (b, "name", step->reg_name);
      wsi_json_bool (b, "delete", step->reg_data == NULL);
      if (step->reg_data != NULL)
        {
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (step->reg_data, &len);
          g_autoptr(GString) hex = g_string_sized_new (len * 2);
          for (gsize i = 0; i < len; i++)
            g_string_append_printf (hex, "%02x", data[i]);
          wsi_json_str (b, "type", wsi_reg_type_to_string (step->reg_type));
          wsi_json_str (b, "data", hex->str);
        }
      else
        {
          wsi_json_str (b, "type", NULL);
          wsi_json_str (b, "data", NULL);
        }
      break;
    default:
      break;
    }
  wsi_json_writer_end_object (b);
}

/* A step; an inverse (@with_undo FALSE) has no undo and no predicted IDs. */
static void
wsi_doc_step (WsiJsonWriter *b, const WsiPlanStep *step, gboolean with_undo)
{
  wsi_json_writer_begin_object (b);
  wsi_json_int (b, "index", step->index);
  wsi_json_catalog (b, "catalog", step->bitness);
  wsi_json_str (b, "op", wsi_step_op_to_string (step->op));
  wsi_json_bool (b, "needs_32bit_process", step->needs_32bit_process);
  wsi_json_str (b, "summary", step->summary);
  wsi_doc_step_args (b, step);
  wsi_json_step_end (b, step, with_undo, wsi_doc_step);
}

/* What a socket gets: null for no provider. */
static void
wsi_doc_socket (WsiJsonWriter *b, const char *member, guint32 id, const char *name, GArray *chain)
{
  wsi_json_writer_member (b, member);
  if (id == 0)
    {
      wsi_json_writer_null (b);
      return;
    }
  wsi_json_writer_begin_object (b);
  wsi_json_id (b, "id", id);
  wsi_json_str (b, "name", name);
  wsi_json_writer_member (b, "chain");
  wsi_json_writer_begin_array (b);
  for (guint i = 0; chain != NULL && i < chain->len; i++)
    wsi_json_writer_int (b, g_array_index (chain, guint32, i));
  wsi_json_writer_end_array (b);
  wsi_json_writer_end_object (b);
}

static void
wsi_doc_plan (WsiJsonWriter *b, const WsiPlan *plan)
{
  wsi_json_str (b, "machine_kind", wsi_machine_kind_to_string (plan->kind));
  wsi_json_str (b, "action", plan->repair ? "repair" : plan->uninstall ? "uninstall" : "install");
  wsi_json_writer_member (b, "strategy");
  wsi_json_writer_begin_array (b);
  for (guint i = 0; i < plan->strategies->len; i++)
    {
      const WsiPlanStrategy *s = g_ptr_array_index (plan->strategies, i);
      wsi_json_writer_begin_object (b);
      wsi_json_str (b, "catalogs", s->catalogs);
      wsi_json_str (b, "name", s->name);
      wsi_json_str (b, "reason", s->reason);
      wsi_json_writer_end_object (b);
    }
  wsi_json_writer_end_array (b);
  wsi_json_writer_member (b, "notes");
  wsi_json_writer_begin_array (b);
  for (guint i = 0; i < plan->notes->len; i++)
    wsi_json_writer_string (b, g_ptr_array_index (plan->notes, i));
  wsi_json_writer_end_array (b);
  wsi_json_writer_member (b, "steps");
  wsi_json_writer_begin_array (b);
  for (guint i = 0; i < plan->steps->len; i++)
    wsi_doc_step (b, g_ptr_array_index (plan->steps, i), TRUE);
  wsi_json_writer_end_array (b);
  wsi_json_writer_member (b, "preview");
  wsi_json_writer_begin_array (b);
  for (guint i = 0; i < plan->preview->len; i++)
    {
      const WsiPreviewRow *row = g_ptr_array_index (plan->preview, i);
      wsi_json_writer_begin_object (b);
      wsi_json_catalog (b, "catalog", row->bitness);
      wsi_json_int (b, "af", row->address_family);
      wsi_json_int (b, "type", row->socket_type);
      wsi_json_int (b, "protocol", row->protocol);
      wsi_doc_socket (b, "before", row->before_id, row->before_name, row->before_chain);
      wsi_doc_socket (b, "after", row->after_id, row->after_name, row->after_chain);
      wsi_json_writer_end_object (b);
    }
  wsi_json_writer_end_array (b);
}

static void
wsi_doc_document (WsiJsonWriter *b, const WsiPlan *plan, const WsiDiagList *diags)
{
  wsi_json_begin_document (b, WSI_JSON_PLAN);
  if (plan != NULL)
    wsi_doc_plan (b, plan);
  wsi_json_end_document (b, diags);
}

char *
wsi_plan_render_json (const WsiPlan *plan, const WsiDiagList *diags)
{
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new (TRUE);

  wsi_doc_document (b, plan, diags);
  return wsi_json_to_string (b);
}

gboolean
wsi_plan_write_json (const WsiPlan *plan, const WsiDiagList *diags, FILE *file)
{
  g_autoptr(WsiJsonWriter) b = wsi_json_writer_new_to_file (TRUE, file);

  wsi_doc_document (b, plan, diags);
  wsi_json_writer_end_line (b);
  return wsi_json_writer_flush (b);
}

char *
wsi_plan_to_json (const WsiPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return wsi_plan_render_json (plan, NULL);
}
