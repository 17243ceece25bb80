/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-entry-json.c: the one JSON shape of a catalog entry, and of a plan's
 * symbolic entry reference. */
#include "wsi-json-private.h"
#include "wsi-display-name.h"

void
wsi_json_entry (WsiJsonWriter *b, const WsiEntry *e)
{
  WsiEntryKind kind = wsi_entry_get_kind (e);
  /* Only a chain's ChainEntries mean anything; the rest are kept verbatim
   * (garbage on some Windows) and not shown. */
  gint32 n = kind == WSI_ENTRY_CHAIN ? e->chain_len : 0;

  wsi_json_writer_begin_object (b);
  wsi_json_id (b, "id", e->catalog_id);
  wsi_json_guid (b, "guid", &e->provider_id);
  wsi_json_str (b, "name", e->name != NULL ? e->name : "");
  /* What WSCEnumProtocols shows for Vista+ indirect names. */
  wsi_json_str (b, "display_name", e->name != NULL ? wsi_display_name (e->name) : "");
  wsi_json_str (b, "path", e->path);
  wsi_json_str (b, "kind", wsi_entry_kind_to_string (kind));
  wsi_json_int (b, "chain_len", e->chain_len);
  wsi_json_writer_member (b, "chain");
  wsi_json_writer_begin_array (b);
  for (gint32 i = 0; i < n; i++)
    wsi_json_writer_int (b, e->chain[i]);
  wsi_json_writer_end_array (b);
  wsi_json_int (b, "af", e->address_family);
  wsi_json_int (b, "type", e->socket_type);
  wsi_json_int (b, "protocol", e->protocol);
  wsi_json_int (b, "protocol_max_offset", e->protocol_max_offset);
  wsi_json_flags (b, "service_flags", WSI_FLAG_SET_SERVICE, e->service_flags[0]);
  wsi_json_int (b, "service_flags2", e->service_flags[1]);
  wsi_json_int (b, "service_flags3", e->service_flags[2]);
  wsi_json_int (b, "service_flags4", e->service_flags[3]);
  wsi_json_flags (b, "provider_flags", WSI_FLAG_SET_PROVIDER, e->provider_flags);
  wsi_json_flags (b, "lsp_categories", WSI_FLAG_SET_LSP_CATEGORY, e->lsp_categories);
  wsi_json_int (b, "version", e->version);
  wsi_json_int (b, "max_sockaddr", e->max_sockaddr);
  wsi_json_int (b, "min_sockaddr", e->min_sockaddr);
  wsi_json_int (b, "byte_order", e->network_byte_order);
  wsi_json_int (b, "security_scheme", e->security_scheme);
  wsi_json_int (b, "message_size", e->message_size);
  wsi_json_int (b, "provider_reserved", e->provider_reserved);
  wsi_json_writer_end_object (b);
}

void
wsi_json_entry_ref (WsiJsonWriter *b, const WsiEntryRef *ref)
{
  wsi_json_writer_begin_object (b);
  wsi_json_guid (b, "guid", &ref->guid);
  wsi_json_int (b, "af", ref->address_family);
  wsi_json_int (b, "type", ref->socket_type);
  wsi_json_int (b, "protocol", ref->protocol);
  wsi_json_int (b, "occurrence", ref->occurrence);
  wsi_json_id (b, "predicted_id", ref->predicted_id);
  wsi_json_writer_end_object (b);
}
