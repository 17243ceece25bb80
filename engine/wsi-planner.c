/* wsi-planner.c: from manifests and a machine to a plan. Every step is run
 * on an in-memory copy of the machine as it is planned (wsi_planner_add_step),
 * so later steps see the IDs earlier ones got, exactly as on Windows, and
 * planning is "ensure" planning: what is already as the manifest wants it
 * gives no step, so an installed manifest plans to nothing. */
#include "wsi-planner-private.h"
#include "wsi-error.h"
#include "wsi-display-name.h"
#include "wsi-flags.h"
#include "wsi-policy.h"

#include <string.h>

gboolean
wsi_planner_check_policy (WsiPlanner *self, const WsiManifest *m, int line, const char *key, const char *name)
{
  g_autoptr(GError) error = NULL;

  /* The engine runs as SYSTEM: a manifest writes only the values it may
   * own, whatever the planner computed. */
  if (wsi_policy_check_registry_write (m, key, name, &error))
    return TRUE;
  wsi_diag_list_add (self->diags, "registry-write-denied", m != NULL ? m->file : NULL, line, "%s", error->message);
  self->failed = TRUE;
  return FALSE;
}

gboolean
wsi_planner_check_unique_ids (WsiPlanner *self, WsiBitness bitness, const char *file, int line)
{
  const WsiCatalog *c = wsi_machine_peek_catalog (wsi_planner_machine (self), bitness);

  /* WSC calls name entries by ID: with an ID used twice no call can say
   * which entry it means, so nothing can be planned there. */
  for (guint i = 0; c != NULL && i < wsi_catalog_get_size (c); i++)
    {
      guint32 id = wsi_catalog_get_entry (c, i)->catalog_id;
      if (wsi_catalog_find_position (c, id) != (int) i)
        {
          WsiDiag *d = wsi_diag_list_add (self->diags, "duplicate-catalog-id", file, line,
                                          "%d-bit catalog: ID %u is used by more than one entry; the WSC API cannot address either",
                                          (int) bitness, id);
          wsi_diag_set_hint (d, "Reset the catalog on the machine (netsh winsock reset) and reinstall the providers.");
          self->failed = TRUE;
          return FALSE;
        }
    }
  return TRUE;
}

WsiMachine *
wsi_planner_machine (WsiPlanner *self)
{
  return wsi_backend_memory_get_machine (self->sim);
}

/* A step touches only what its product owns, or a chain of someone else
 * that names IDs the plan removes (re-pointed, foreign_ok). The manifest's
 * own GUIDs were checked up front with their lines; this catches every
 * other path (a selector, an upgrade's stale chains, a bug). */
static gboolean
wsi_planner_check_owner (WsiPlanner *self, const WsiPlanStep *step)
{
  const char *owner = NULL;
  WsiOwnerKind kind;
  g_autofree char *who = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];

  if (self->product == NULL || self->foreign_ok > 0 || step->op == WSI_STEP_WRITE_ORDER ||
      step->op == WSI_STEP_SET_REGISTRY_VALUE)
    return TRUE;
  kind = wsi_ownership_lookup (self->owners, &step->guid, &owner);
  if (kind == WSI_OWNER_NONE || (kind == WSI_OWNER_PRODUCT && g_strcmp0 (owner, self->product) == 0) ||
      (kind == WSI_OWNER_UNKNOWN && self->adopt))
    return TRUE;
  wsi_guid_format (&step->guid, buf);
  who = wsi_ownership_describe (self->owners, &step->guid);
  wsi_diag_list_add (self->diags, "guid-owned-elsewhere", step->source_file, step->source_line,
                     "%s: provider %s belongs to %s, not to product '%s'",
                     step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op), buf, who,
                     self->product);
  self->failed = TRUE;
  return FALSE;
}

gboolean
wsi_planner_add_step (WsiPlanner *self, WsiPlanStep *step_in)
{
  g_autoptr(WsiPlanStep) step = step_in;
  g_autoptr(GError) error = NULL;
  WsiMachine *machine;

  if (self->failed || !wsi_planner_check_owner (self, step))
    return FALSE;
  /* IDs are about to disappear: remember who they were, and checkpoint
   * the chains that name them (wsi-planner-repoint.c). */
  if (step->op == WSI_STEP_DEINSTALL_PROVIDER && !wsi_planner_before_removal (self, step))
    return FALSE;
  machine = wsi_planner_machine (self);
  step->index = self->plan->steps->len;
  step->undo = wsi_plan_step_make_inverse (step, machine, &error);
  if (step->undo != NULL)
    {
      step->undo->index = step->index;
      step->predicted_ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      if (wsi_plan_step_execute (step, self->sim, FALSE, step->predicted_ids, &error))
        {
          g_ptr_array_add (self->plan->steps, g_steal_pointer (&step));
          return TRUE;
        }
    }
  wsi_diag_list_add (self->diags, "wsc-call-failed", step->source_file, step->source_line,
                     "%s: %s", step->summary != NULL ? step->summary : wsi_step_op_to_string (step->op),
                     error->message);
  self->failed = TRUE;
  return FALSE;
}

static WsiPlanStep *
wsi_step_new (WsiStepOp op, WsiBitness bitness, const WsiMachine *machine, const char *file, int line)
{
  WsiPlanStep *step = g_new0 (WsiPlanStep, 1);

  step->op = op;
  step->bitness = bitness;
  step->needs_32bit_process = wsi_step_needs_32bit_process (wsi_machine_get_kind (machine), op, bitness);
  step->source_file = g_strdup (file);
  step->source_line = line;
  return step;
}

/* ---- per-manifest planning state ---- */

typedef struct {
  const WsiManifestChain *chain;
  GArray                 *ids;     /* guint32: chain entries placed by this <chain>, target order */
} WsiPlacedGroup;

typedef struct {
  WsiPlanner        *planner;
  const WsiManifest *manifest;
  WsiBitness         bitness;
  gboolean           dual;          /* 64_32 strategy: installs go to both catalogs at once */
  WsiCatalog        *pre;           /* the catalog before this manifest (machine selectors) */
  GHashTable        *own_guids;     /* WsiGuid* -> NULL: providers and layers of the manifest */
  GHashTable        *layer_ids;     /* WsiManifestLayer* -> GUINT(dummy ID in the simulated catalog) */
  GPtrArray         *groups;        /* WsiPlacedGroup*, install order */
  guint              new_chain_entries;  /* chain entries this plan installs in this catalog */
  GArray            *triples;       /* gint32[3] per triple, for the preview */
} WsiCatalogPlan;

static void
wsi_placed_group_free (WsiPlacedGroup *g)
{
  g_array_unref (g->ids);
  g_free (g);
}

static WsiCatalog *
wsi_sim_catalog (WsiCatalogPlan *cp)
{
  return wsi_machine_get_catalog (wsi_planner_machine (cp->planner), cp->bitness);
}

static void
wsi_note_triple (GArray *triples, gint32 af, gint32 type, gint32 protocol)
{
  for (guint i = 0; i + 2 < triples->len; i += 3)
    if (g_array_index (triples, gint32, i) == af && g_array_index (triples, gint32, i + 1) == type &&
        g_array_index (triples, gint32, i + 2) == protocol)
      return;
  g_array_append_val (triples, af);
  g_array_append_val (triples, type);
  g_array_append_val (triples, protocol);
}

/* Makes the catalog hold @entries under @guid: nothing when it already does,
 * an update when the entry count matches, a re-install otherwise. */
static gboolean
wsi_ensure_provider (WsiCatalogPlan *cp, const WsiGuid *guid, const char *path, GPtrArray *entries, guint32 categories,
                     int line, const char *what)
{
  WsiPlanner *self = cp->planner;
  const WsiMachine *machine = wsi_planner_machine (self);
  WsiCatalog *catalog = wsi_sim_catalog (cp);
  g_autoptr(GPtrArray) existing = wsi_catalog_find_guid (catalog, guid);
  g_autoptr(WsiPlanStep) step = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];
  const char *file = cp->manifest->file;

  wsi_guid_format (guid, buf);
  if (existing->len > 0)
    {
      g_autoptr(WsiPlanStep) probe = wsi_step_new (WSI_STEP_UPDATE_PROVIDER, cp->bitness, machine, file, line);
      g_autoptr(GPtrArray) concrete = NULL;
      g_autoptr(GError) error = NULL;

      probe->guid = *guid;
      probe->path = g_strdup (path);
      probe->entries = g_ptr_array_ref (entries);
      concrete = wsi_plan_step_build_entries (probe, catalog, &error);
      if (concrete == NULL)
        {
          wsi_diag_list_add (self->diags, "wsc-call-failed", file, line, "%s: %s", what, error->message);
          self->failed = TRUE;
          return FALSE;
        }
      if (wsi_plan_entries_match (catalog, guid, path, concrete))
        {
          if (categories != 0 && ((const WsiEntry *) g_ptr_array_index (existing, 0))->lsp_categories != categories)
            {
              step = wsi_step_new (WSI_STEP_SET_LSP_CATEGORIES, cp->bitness, machine, file, line);
              step->guid = *guid;
              step->categories = categories;
              step->summary = g_strdup_printf ("set LSP categories of %s", buf);
              return wsi_planner_add_step (self, g_steal_pointer (&step));
            }
          return TRUE;
        }
      if (existing->len == entries->len)
        {
          probe->summary = g_strdup_printf ("update %s (%s)", what, buf);
          return wsi_planner_add_step (self, g_steal_pointer (&probe));
        }
      step = wsi_step_new (WSI_STEP_DEINSTALL_PROVIDER, cp->bitness, machine, file, line);
      step->guid = *guid;
      step->summary = g_strdup_printf ("deinstall %s (%s) to re-install it with %u entries", what, buf, entries->len);
      if (!wsi_planner_add_step (self, g_steal_pointer (&step)))
        return FALSE;
    }

  step = wsi_step_new (cp->dual ? WSI_STEP_INSTALL_PROVIDER_64_32 : WSI_STEP_INSTALL_PROVIDER,
                       cp->dual ? 0 : cp->bitness, machine, file, line);
  if (cp->dual)
    step->needs_32bit_process = FALSE;
  step->guid = *guid;
  step->path = g_strdup (path);
  step->entries = g_ptr_array_ref (entries);
  step->categories = cp->dual ? 0 : categories;
  step->summary = g_strdup_printf ("install %s (%s)", what, buf);
  if (!wsi_planner_add_step (self, g_steal_pointer (&step)))
    return FALSE;
  /* WSCInstallProvider64_32 has no categories: set them per catalog. */
  if (cp->dual && categories != 0)
    for (int b = 0; b < 2; b++)
      {
        step = wsi_step_new (WSI_STEP_SET_LSP_CATEGORIES, b == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32, machine, file, line);
        step->guid = *guid;
        step->categories = categories;
        step->summary = g_strdup_printf ("set LSP categories of %s", buf);
        if (!wsi_planner_add_step (self, g_steal_pointer (&step)))
          return FALSE;
      }
  return TRUE;
}

static WsiEntry *
wsi_entry_from_protocol (const WsiManifestProvider *p, const WsiManifestProtocol *proto)
{
  WsiEntry *e = wsi_entry_new ();

  e->service_flags[0] = proto->service_flags;
  e->provider_flags = proto->provider_flags;
  e->provider_id = p->guid;
  e->chain_len = 1;
  e->version = proto->version;
  e->address_family = proto->address_family;
  e->max_sockaddr = proto->max_sockaddr;
  e->min_sockaddr = proto->min_sockaddr;
  e->socket_type = proto->socket_type;
  e->protocol = proto->protocol;
  e->protocol_max_offset = proto->protocol_max_offset;
  e->network_byte_order = proto->network_byte_order;
  e->security_scheme = proto->security_scheme;
  e->message_size = proto->message_size;
  e->provider_reserved = proto->provider_reserved;
  wsi_entry_set_name (e, proto->name);
  return e;
}

/* ---- selectors ---- */

/* Does @e belong to this manifest, or layer over one of its layers? Machine
 * selectors never pick those: the manifest reaches its own entries through
 * provider= and chains-of=, and layering over itself would loop. */
static gboolean
wsi_entry_is_owned (WsiCatalogPlan *cp, const WsiCatalog *catalog, const WsiEntry *e)
{
  if (g_hash_table_contains (cp->own_guids, &e->provider_id))
    return TRUE;
  for (gint32 k = 0; wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && k < e->chain_len; k++)
    {
      const WsiEntry *link = wsi_catalog_find_id (catalog, e->chain[k]);
      if (link != NULL && g_hash_table_contains (cp->own_guids, &link->provider_id))
        return TRUE;
    }
  return FALSE;
}

static gboolean
wsi_entry_usable_target (const WsiEntry *e)
{
  WsiEntryKind kind = wsi_entry_get_kind (e);
  return kind == WSI_ENTRY_BASE || kind == WSI_ENTRY_CHAIN;
}

/* IDs the selector picks in this catalog, in catalog order. */
static GArray *
wsi_resolve_selector (WsiCatalogPlan *cp, const WsiManifestSelector *sel)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  WsiCatalog *cur = wsi_sim_catalog (cp);
  const WsiCatalog *pre = cp->pre;
  g_autoptr(GPatternSpec) pattern = NULL;

  switch (sel->kind)
    {
    case WSI_SELECTOR_PROVIDER:
      {
        g_autoptr(GPtrArray) found = wsi_catalog_find_guid (cur, &sel->provider->guid);
        for (guint i = 0; i < found->len; i++)
          g_array_append_val (ids, ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
        return ids;
      }
    case WSI_SELECTOR_CHAINS_OF:
      {
        gpointer dummy;
        guint32 dummy_id;
        if (!g_hash_table_lookup_extended (cp->layer_ids, sel->layer, NULL, &dummy))
          return ids;
        dummy_id = GPOINTER_TO_UINT (dummy);
        for (guint i = 0; i < wsi_catalog_get_size (cur); i++)
          {
            const WsiEntry *e = wsi_catalog_get_entry (cur, i);
            if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && e->chain[0] == dummy_id)
              g_array_append_val (ids, e->catalog_id);
          }
        return ids;
      }
    case WSI_SELECTOR_NAME_PATTERN:
      pattern = g_pattern_spec_new (sel->name_pattern);
      break;
    default:
      break;
    }

  for (guint i = 0; i < wsi_catalog_get_size (pre); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (pre, i);
      gboolean triple, take = FALSE;

      if (!wsi_entry_usable_target (e) || wsi_entry_is_owned (cp, pre, e))
        continue;
      triple = e->address_family == sel->address_family && e->socket_type == sel->socket_type &&
               e->protocol == sel->protocol;
      switch (sel->kind)
        {
        case WSI_SELECTOR_TRIPLE:
          /* top-most is the entry socket() gets for the triple (hidden or
           * not, protocol ranges and protocol 0 as ws2_32 matches them);
           * the default is the first base provider with exactly the
           * triple, whatever is layered over it. */
          if (sel->match == WSI_SELECTOR_MATCH_TOP_MOST)
            take = wsi_entry_serves_socket (e, sel->address_family, sel->socket_type, sel->protocol);
          else
            take = triple && wsi_entry_get_kind (e) == WSI_ENTRY_BASE;
          break;
        case WSI_SELECTOR_GUID:
          take = wsi_guid_equal (&e->provider_id, &sel->guid);
          break;
        case WSI_SELECTOR_NAME_PATTERN:
          take = e->name != NULL && (g_pattern_spec_match_string (pattern, wsi_display_name (e->name)) ||
                                     g_pattern_spec_match_string (pattern, e->name));
          break;
        case WSI_SELECTOR_ALL_BASE:
          take = wsi_entry_get_kind (e) == WSI_ENTRY_BASE && !(e->provider_flags & WSI_PFL_HIDDEN);
          break;
        default:
          break;
        }
      if (!take || wsi_catalog_find_id (cur, e->catalog_id) == NULL)
        continue;
      g_array_append_val (ids, e->catalog_id);
      /* base and top-most pick one entry, as WSCInstallProviderAndChains does. */
      if (sel->kind == WSI_SELECTOR_TRIPLE && sel->match != WSI_SELECTOR_MATCH_ALL_BASE)
        break;
    }
  return ids;
}

/* ---- chain entries ---- */

static char *
wsi_expand_name (const char *template, const char *layer, const char *target)
{
  g_autoptr(GString) s = g_string_new (template);
  glong len;

  g_string_replace (s, "{layer}", layer != NULL ? layer : "", 0);
  g_string_replace (s, "{target}", target != NULL ? target : "", 0);
  /* szProtocol holds 255 UTF-16 units; cut at a character boundary. */
  len = g_utf8_strlen (s->str, -1);
  while (len > 0)
    {
      glong units = 0;
      g_autofree gunichar2 *u16 = g_utf8_to_utf16 (s->str, -1, NULL, &units, NULL);
      if (u16 == NULL || units <= WSI_PROTOCOL_LEN)
        break;
      g_string_truncate (s, (gsize) (g_utf8_offset_to_pointer (s->str, len - 1) - s->str));
      len--;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Is the layered entry with @id a non-IFS layer? A non-IFS LSP clears
 * XP1_IFS_HANDLES on its layered entry (the SDK sample's rule). */
static gboolean
wsi_layer_id_is_non_ifs (const WsiCatalog *catalog, guint32 id)
{
  const WsiEntry *e = wsi_catalog_find_id (catalog, id);
  return e != NULL && wsi_entry_get_kind (e) == WSI_ENTRY_LAYERED && !(e->service_flags[0] & WSI_XP1_IFS_HANDLES);
}

static void
wsi_chain_key (const WsiCatalog *catalog, const WsiEntry *target, GString *key)
{
  WsiEntryRef ref;
  char buf[WSI_GUID_STRING_LEN + 1];

  wsi_entry_ref_from_id (catalog, target->catalog_id, &ref);
  wsi_guid_format (&ref.guid, buf);
  g_string_append_printf (key, "chain:%s/%d/%d/%d/%u", buf, ref.address_family, ref.socket_type, ref.protocol,
                          ref.occurrence);
}

/* Plans one layer in one catalog: its layered entry, categories, and one
 * chain entry per target. */
static gboolean
wsi_plan_layer (WsiCatalogPlan *cp, const WsiManifestLayer *layer)
{
  WsiPlanner *self = cp->planner;
  const WsiManifest *m = cp->manifest;
  g_autoptr(GPtrArray) chains = wsi_manifest_get_layer_chains (m, layer);
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) target_chain = g_ptr_array_new ();
  g_autoptr(GPtrArray) target_sel = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) wanted_guids = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal,
                                                              g_free, NULL);
  const char *path = wsi_manifest_get_path (m, layer->path, layer->path32, cp->bitness);
  WsiCatalog *cur = wsi_sim_catalog (cp);
  g_autoptr(GPtrArray) dummy_entries = NULL;
  g_autoptr(GPtrArray) layer_found = NULL;
  const WsiEntry *first;
  WsiEntry *dummy;
  guint32 dummy_id;
  WsiEntryRef dummy_ref;
  gboolean ok = TRUE;

  for (guint c = 0; c < chains->len; c++)
    {
      const WsiManifestChain *chain = g_ptr_array_index (chains, c);
      for (guint s = 0; s < chain->selectors->len; s++)
        {
          const WsiManifestSelector *sel = g_ptr_array_index (chain->selectors, s);
          g_autoptr(GArray) ids = wsi_resolve_selector (cp, sel);
          if (ids->len == 0 && !sel->optional)
            {
              wsi_diag_list_add (self->diags, "selector-unresolved", m->file, sel->line,
                                 "layer '%s': this selector matches nothing in the %d-bit catalog",
                                 layer->id, (int) cp->bitness);
              ok = FALSE;
            }
          for (guint i = 0; i < ids->len; i++)
            {
              guint32 id = g_array_index (ids, guint32, i);
              /* A target picked by two selectors gets one chain entry. */
              if (g_hash_table_contains (seen, GUINT_TO_POINTER (id)))
                continue;
              g_hash_table_add (seen, GUINT_TO_POINTER (id));
              g_array_append_val (targets, id);
              g_ptr_array_add (target_chain, (gpointer) chain);
              g_ptr_array_add (target_sel, (gpointer) sel);
            }
        }
    }
  if (!ok)
    {
      self->failed = TRUE;
      return FALSE;
    }
  if (targets->len == 0)
    {
      g_ptr_array_add (self->plan->notes,
                       g_strdup_printf ("%s: layer '%s' has nothing to go over in the %d-bit catalog (every selector is optional); not installed there",
                                        m->file, layer->id, (int) cp->bitness));
      return TRUE;
    }

  /* The layered entry: a copy of the first target, made a placeholder the
   * way the SDK sample makes it (type and protocol 0, hidden, ChainLen 0). */
  first = wsi_catalog_find_id (cur, g_array_index (targets, guint32, 0));
  dummy = wsi_entry_copy (first);
  dummy->catalog_id = 0;
  dummy->provider_id = layer->guid;
  dummy->chain_len = 0;
  memset (dummy->chain, 0, sizeof dummy->chain);
  dummy->socket_type = 0;
  dummy->protocol = 0;
  dummy->provider_flags = (dummy->provider_flags | WSI_PFL_HIDDEN) & ~WSI_PFL_MATCHES_PROTOCOL_ZERO;
  if (!layer->ifs)
    dummy->service_flags[0] &= ~WSI_XP1_IFS_HANDLES;
  else
    dummy->service_flags[0] |= WSI_XP1_IFS_HANDLES;
  wsi_entry_set_name (dummy, layer->name);
  g_free (dummy->path);
  dummy->path = NULL;
  dummy->lsp_categories = 0;
  dummy_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
  g_ptr_array_add (dummy_entries, wsi_plan_entry_new (dummy));
  {
    g_autofree char *what = g_strdup_printf ("layered entry '%s'", layer->name);
    guint32 categories = m->target.profile == WSI_PROFILE_CE ? 0 : layer->categories;
    if (!wsi_ensure_provider (cp, &layer->guid, path, dummy_entries, categories, layer->line, what))
      return FALSE;
  }
  cur = wsi_sim_catalog (cp);
  layer_found = wsi_catalog_find_guid (cur, &layer->guid);
  dummy_id = ((const WsiEntry *) g_ptr_array_index (layer_found, 0))->catalog_id;
  g_hash_table_insert (cp->layer_ids, (gpointer) layer, GUINT_TO_POINTER (dummy_id));
  wsi_entry_ref_from_id (cur, dummy_id, &dummy_ref);

  for (guint t = 0; t < targets->len; t++)
    {
      const WsiManifestChain *chain = g_ptr_array_index (target_chain, t);
      const WsiManifestSelector *sel = g_ptr_array_index (target_sel, t);
      const WsiEntry *target;
      g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
      g_autoptr(GString) key = g_string_new (NULL);
      g_autofree char *what = NULL;
      WsiPlanEntry *pe;
      WsiEntry *e;
      WsiGuid guid;
      WsiPlacedGroup *group = NULL;
      gboolean below_non_ifs = FALSE;

      cur = wsi_sim_catalog (cp);
      target = wsi_catalog_find_id (cur, g_array_index (targets, guint32, t));
      if (target == NULL)
        continue;
      e = wsi_entry_copy (target);
      pe = wsi_plan_entry_new (e);
      g_ptr_array_add (entries, pe);
      e->catalog_id = 0;
      e->lsp_categories = 0;
      g_free (e->path);
      e->path = NULL;

      if (wsi_entry_get_kind (target) == WSI_ENTRY_BASE)
        {
          pe->n_refs = 2;
          pe->refs[0] = dummy_ref;
          wsi_entry_ref_from_id (cur, target->catalog_id, &pe->refs[1]);
        }
      else
        {
          if (target->chain_len + 1 > WSI_MAX_PROTOCOL_CHAIN)
            {
              wsi_diag_list_add (self->diags, "chain-too-long", m->file, sel->line,
                                 "layer '%s' over '%s' (ID %u) in the %d-bit catalog gives a chain of %d entries",
                                 layer->id, target->name, target->catalog_id, (int) cp->bitness, target->chain_len + 1);
              ok = FALSE;
              continue;
            }
          pe->n_refs = (guint) target->chain_len + 1;
          pe->refs[0] = dummy_ref;
          for (gint32 k = 0; k < target->chain_len; k++)
            {
              if (target->chain[k] == dummy_id)
                {
                  wsi_diag_list_add (self->diags, "duplicate-layer-in-chain", m->file, sel->line,
                                     "layer '%s' is already in the chain of '%s' (ID %u, %d-bit catalog)",
                                     layer->id, target->name, target->catalog_id, (int) cp->bitness);
                  ok = FALSE;
                }
              if (!wsi_entry_ref_from_id (cur, target->chain[k], &pe->refs[k + 1]))
                {
                  wsi_diag_list_add (self->diags, "dangling-chain-entry", m->file, sel->line,
                                     "target '%s' (ID %u, %d-bit catalog) names ID %u, which does not exist",
                                     target->name, target->catalog_id, (int) cp->bitness, target->chain[k]);
                  ok = FALSE;
                }
              if (k < target->chain_len - 1 && wsi_layer_id_is_non_ifs (cur, target->chain[k]))
                below_non_ifs = TRUE;
            }
        }
      if (layer->ifs && below_non_ifs)
        {
          wsi_diag_list_add (self->diags, "ifs-above-non-ifs", m->file, sel->line,
                             "IFS layer '%s' would sit above a non-IFS layer in the chain of '%s' (%d-bit catalog)",
                             layer->id, target->name, (int) cp->bitness);
          ok = FALSE;
        }
      if (!ok)
        continue;
      e->chain_len = (gint32) pe->n_refs;
      if (!layer->ifs)
        e->service_flags[0] &= ~WSI_XP1_IFS_HANDLES;
      {
        g_autofree char *name = wsi_expand_name (chain->name_template, layer->name, wsi_display_name (target->name));
        wsi_entry_set_name (e, name);
      }

      if (chain->guid_rule == WSI_GUID_RULE_EXPLICIT)
        {
          guint n = 0;
          for (guint k = 0; k < t; k++)
            if (g_ptr_array_index (target_chain, k) == chain)
              n++;
          if (n >= chain->entry_guids->len)
            {
              wsi_diag_list_add (self->diags, "entry-guid-count", m->file, chain->line,
                                 "the chain resolves to more targets in the %d-bit catalog than it lists <entry-guid>s (%u)",
                                 (int) cp->bitness, chain->entry_guids->len);
              ok = FALSE;
              continue;
            }
          guid = ((const WsiManifestEntryGuid *) g_ptr_array_index (chain->entry_guids, n))->guid;
        }
      else
        {
          /* From the target's identity, not its ID: the same chain entry gets
           * the same GUID in both catalogs and on every machine. */
          wsi_chain_key (cur, target, key);
          wsi_guid_derive (&chain->guid_namespace, key->str, &guid);
        }
      g_hash_table_add (wanted_guids, g_memdup2 (&guid, sizeof guid));
      wsi_note_triple (cp->triples, e->address_family, e->socket_type, e->protocol);

      what = g_strdup_printf ("chain entry '%s'", e->name);
      {
        g_autoptr(GPtrArray) had = wsi_catalog_find_guid (cur, &guid);
        if (had->len == 0)
          cp->new_chain_entries++;
      }
      if (!wsi_ensure_provider (cp, &guid, path, entries, 0, sel->line, what))
        {
          ok = FALSE;
          continue;
        }
      cur = wsi_sim_catalog (cp);
      for (guint gi = 0; gi < cp->groups->len; gi++)
        if (((WsiPlacedGroup *) g_ptr_array_index (cp->groups, gi))->chain == chain)
          group = g_ptr_array_index (cp->groups, gi);
      if (group == NULL)
        {
          group = g_new0 (WsiPlacedGroup, 1);
          group->chain = chain;
          group->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
          g_ptr_array_add (cp->groups, group);
        }
      {
        g_autoptr(GPtrArray) mine = wsi_catalog_find_guid (cur, &guid);
        for (guint k = 0; k < mine->len; k++)
          g_array_append_val (group->ids, ((const WsiEntry *) g_ptr_array_index (mine, k))->catalog_id);
      }
    }
  if (!ok)
    {
      self->failed = TRUE;
      return FALSE;
    }

  /* Chains of this layer that the manifest no longer wants (an upgrade
   * dropped a target): remove them. */
  {
    g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
    cur = wsi_sim_catalog (cp);
    for (guint i = 0; i < wsi_catalog_get_size (cur); i++)
      {
        const WsiEntry *e = wsi_catalog_get_entry (cur, i);
        if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && e->chain[0] == dummy_id &&
            !g_hash_table_contains (wanted_guids, &e->provider_id))
          {
            gboolean dup = FALSE;
            for (guint k = 0; k < stale->len && !dup; k++)
              dup = wsi_guid_equal (g_ptr_array_index (stale, k), &e->provider_id);
            if (!dup)
              g_ptr_array_add (stale, g_memdup2 (&e->provider_id, sizeof (WsiGuid)));
          }
      }
    for (guint i = 0; i < stale->len; i++)
      {
        WsiPlanStep *step = wsi_step_new (WSI_STEP_DEINSTALL_PROVIDER, cp->bitness, wsi_planner_machine (self),
                                          m->file, layer->line);
        char buf[WSI_GUID_STRING_LEN + 1];
        wsi_guid_format (g_ptr_array_index (stale, i), buf);
        step->guid = *(const WsiGuid *) g_ptr_array_index (stale, i);
        step->summary = g_strdup_printf ("deinstall a chain of '%s' the manifest no longer declares (%s)", layer->id, buf);
        if (cp->dual)
          step->bitness = cp->bitness;
        if (!wsi_planner_add_step (self, step))
          return FALSE;
      }
  }
  return TRUE;
}

/* ---- order ---- */

static int
wsi_index_of (GArray *ids, guint32 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint32, i) == id)
      return (int) i;
  return -1;
}

/* Anchor of a before/after placement: the IDs it names in @list. */
static GArray *
wsi_anchor_ids (WsiCatalogPlan *cp, const WsiManifestChain *chain)
{
  WsiCatalog *cur = wsi_sim_catalog (cp);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) found = NULL;

  switch (chain->relative_kind)
    {
    case WSI_RELATIVE_PROVIDER:
      found = wsi_catalog_find_guid (cur, &chain->relative_provider->guid);
      break;
    case WSI_RELATIVE_GUID:
      found = wsi_catalog_find_guid (cur, &chain->relative_guid);
      break;
    case WSI_RELATIVE_LAYER:
      for (guint g = 0; g < cp->groups->len; g++)
        {
          WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
          if (group->chain->layer == chain->relative_layer)
            g_array_append_vals (out, group->ids->data, group->ids->len);
        }
      return out;
    default:
      return out;
    }
  for (guint i = 0; i < found->len; i++)
    g_array_append_val (out, ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
  return out;
}

/* The order the manifest asks for, from the current one: its chain entries
 * taken out, then put back where their <chain> says; everything else keeps
 * its relative order (other vendors' LSPs included). Later layers go above
 * earlier ones at the top, as each SDK-style install moves its own chains to
 * the top when it runs. */
static gboolean
wsi_plan_order (WsiCatalogPlan *cp, WsiBitness bitness)
{
  WsiPlanner *self = cp->planner;
  WsiCatalog *cur = wsi_machine_get_catalog (wsi_planner_machine (self), bitness);
  g_autoptr(GHashTable) ours = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) top = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) layer_top = g_array_new (FALSE, FALSE, sizeof (guint32));
  const WsiManifestLayer *current_layer = NULL;
  gboolean same = TRUE;
  WsiPlanStep *step;

  /* Only a plan that adds chain entries places them. An installed product
   * keeps the place it has: if another vendor layered above it since,
   * re-applying must not fight that vendor for the top. */
  if (cp->groups->len == 0 || cp->new_chain_entries == 0)
    return TRUE;
  for (guint g = 0; g < cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
      for (guint i = 0; i < group->ids->len; i++)
        g_hash_table_add (ours, GUINT_TO_POINTER (g_array_index (group->ids, guint32, i)));
    }
  /* TOP: a block per layer (its chains in document order), later layers first. */
  for (guint g = 0; g <= cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g < cp->groups->len ? g_ptr_array_index (cp->groups, g) : NULL;
      if (group == NULL || group->chain->layer != current_layer)
        {
          g_array_prepend_vals (top, layer_top->data, layer_top->len);
          g_array_set_size (layer_top, 0);
          if (group == NULL)
            break;
          current_layer = group->chain->layer;
        }
      if (group->chain->position == WSI_POSITION_TOP)
        g_array_append_vals (layer_top, group->ids->data, group->ids->len);
    }
  g_array_append_vals (list, top->data, top->len);
  for (guint i = 0; i < wsi_catalog_get_size (cur); i++)
    {
      guint32 id = wsi_catalog_get_entry (cur, i)->catalog_id;
      if (!g_hash_table_contains (ours, GUINT_TO_POINTER (id)))
        g_array_append_val (list, id);
    }
  for (guint g = 0; g < cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
      if (group->chain->position == WSI_POSITION_BOTTOM)
        g_array_append_vals (list, group->ids->data, group->ids->len);
    }
  for (guint g = 0; g < cp->groups->len; g++)
    {
      WsiPlacedGroup *group = g_ptr_array_index (cp->groups, g);
      g_autoptr(GArray) anchor = NULL;
      int at = -1;

      if (group->chain->position != WSI_POSITION_BEFORE && group->chain->position != WSI_POSITION_AFTER)
        continue;
      anchor = wsi_anchor_ids (cp, group->chain);
      for (guint a = 0; a < anchor->len; a++)
        {
          int idx = wsi_index_of (list, g_array_index (anchor, guint32, a));
          if (idx < 0)
            continue;
          if (at < 0 || (group->chain->position == WSI_POSITION_BEFORE ? idx < at : idx > at))
            at = idx;
        }
      if (at < 0)
        {
          /* "After vendor X's LSP" is how installers coexist; without X the
           * chain simply goes to the top. */
          wsi_diag_list_add (self->diags, "position-anchor-missing", cp->manifest->file, group->chain->line,
                             "'%s' has no entries in the %d-bit catalog to place this chain %s; it goes to the top",
                             group->chain->relative_to, (int) bitness,
                             group->chain->position == WSI_POSITION_BEFORE ? "before" : "after");
          g_array_insert_vals (list, 0, group->ids->data, group->ids->len);
          continue;
        }
      g_array_insert_vals (list, (guint) (group->chain->position == WSI_POSITION_BEFORE ? at : at + 1),
                           group->ids->data, group->ids->len);
    }

  g_assert (list->len == wsi_catalog_get_size (cur));
  for (guint i = 0; i < list->len && same; i++)
    same = g_array_index (list, guint32, i) == wsi_catalog_get_entry (cur, i)->catalog_id;
  if (same)
    return TRUE;

  step = wsi_step_new (WSI_STEP_WRITE_ORDER, bitness, wsi_planner_machine (self), cp->manifest->file,
                       ((WsiPlacedGroup *) g_ptr_array_index (cp->groups, 0))->chain->line);
  step->order = g_array_sized_new (FALSE, FALSE, sizeof (WsiEntryRef), list->len);
  for (guint i = 0; i < list->len; i++)
    {
      WsiEntryRef ref;
      wsi_entry_ref_from_id (cur, g_array_index (list, guint32, i), &ref);
      g_array_append_val (step->order, ref);
    }
  step->summary = g_strdup_printf ("write the %d-bit catalog order (%u entries)", (int) bitness, list->len);
  return wsi_planner_add_step (self, step);
}

/* ---- registry ---- */

static gboolean
wsi_ensure_registry (WsiPlanner *self, const WsiManifest *m, int line, const char *key, const char *name,
                     WsiRegType type, GBytes *data)
{
  const WsiRegistry *reg = wsi_machine_peek_registry (wsi_planner_machine (self));
  WsiRegType have_type = 0;
  g_autoptr(GBytes) have = NULL;
  WsiPlanStep *step;

  if (wsi_registry_get (reg, key, name, &have_type, &have) &&
      (data != NULL && have_type == type && g_bytes_equal (have, data)))
    return TRUE;
  if (data == NULL && !wsi_registry_get (reg, key, name, NULL, NULL))
    return TRUE;
  if (!wsi_planner_check_policy (self, m, line, key, name))
    return FALSE;
  step = wsi_step_new (WSI_STEP_SET_REGISTRY_VALUE, 0, wsi_planner_machine (self), m->file, line);
  step->reg_key = g_strdup (key);
  step->reg_name = g_strdup (name);
  step->reg_type = type;
  step->reg_data = data != NULL ? g_bytes_ref (data) : NULL;
  step->summary = data != NULL ? g_strdup_printf ("set %s\\%s", key, name)
                               : g_strdup_printf ("delete %s\\%s", key, name);
  return wsi_planner_add_step (self, step);
}

static GBytes *
wsi_dword_bytes (guint32 v)
{
  guint8 b[4] = { v & 0xff, v >> 8 & 0xff, v >> 16 & 0xff, v >> 24 & 0xff };
  return g_bytes_new (b, 4);
}

static GBytes *
wsi_mapping_bytes (const WsiManifestWshHelper *h)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint32 head[2] = { h->mappings->len, 3 };

  /* WINSOCK_MAPPING: Rows, Columns (3), then {af, type, protocol} rows. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) d = wsi_dword_bytes (head[i]);
      g_byte_array_append (out, g_bytes_get_data (d, NULL), 4);
    }
  for (guint r = 0; r < h->mappings->len; r++)
    {
      const WsiManifestMapping *map = g_ptr_array_index (h->mappings, r);
      gint32 row[3] = { map->address_family, map->socket_type, map->protocol };
      for (int i = 0; i < 3; i++)
        {
          g_autoptr(GBytes) d = wsi_dword_bytes ((guint32) row[i]);
          g_byte_array_append (out, g_bytes_get_data (d, NULL), 4);
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static char *
wsi_product_key (const WsiManifest *m)
{
  return g_strdup_printf ("%s\\%s", WSI_REG_KEY_PRODUCTS, m->product.id);
}

/* The transports this product registered helpers for, as its record says
 * (an upgrade may rewrite them; nothing else may). */
static gboolean
wsi_product_owns_transport (const WsiRegistry *reg, const WsiManifest *m, const char *transport)
{
  g_autofree char *key = wsi_product_key (m);
  g_auto(GStrv) owned = wsi_registry_get_multi_sz (reg, key, "Transports");

  for (guint i = 0; owned != NULL && owned[i] != NULL; i++)
    if (g_ascii_strcasecmp (owned[i], transport) == 0)
      return TRUE;
  return FALSE;
}

/* A value someone else owns is never taken over: another transport's WSH
 * helper (Tcpip's wshtcpip.dll, say) or another provider's TCP on SAN
 * registration. Equal data is no takeover (re-planning an installed
 * manifest). */
static gboolean
wsi_refuse_takeover (WsiPlanner *self, const WsiManifest *m, int line, const char *key, const char *name,
                     GBytes *want, const char *whose)
{
  const WsiRegistry *reg = wsi_machine_peek_registry (wsi_planner_machine (self));
  g_autoptr(GBytes) have = NULL;

  if (!wsi_registry_get (reg, key, name, NULL, &have) || g_bytes_equal (have, want))
    return TRUE;
  wsi_diag_list_add (self->diags, "registry-value-owned-elsewhere", m->file, line,
                     "%s\\%s is already set by %s; the manifest may not overwrite it", key, name, whose);
  self->failed = TRUE;
  return FALSE;
}

static gboolean
wsi_plan_registry (WsiPlanner *self, const WsiManifest *m)
{
  const WsiRegistry *reg;

  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      guint8 raw[16];
      g_autoptr(GBytes) data = NULL;

      if (!p->san)
        continue;
      wsi_guid_to_bytes (&p->guid, raw);
      data = g_bytes_new (raw, 16);
      if (!wsi_refuse_takeover (self, m, p->line, WSI_REG_KEY_TCP_ON_SAN, p->san_registration, data,
                                "another SAN provider") ||
          !wsi_ensure_registry (self, m, p->line, WSI_REG_KEY_TCP_ON_SAN, p->san_registration, WSI_REG_BINARY, data))
        return FALSE;
    }
  for (guint i = 0; i < m->wsh_helpers->len; i++)
    {
      const WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, i);
      g_autofree char *key = g_strdup_printf ("%s\\Parameters\\Winsock", h->transport);
      g_auto(GStrv) transports = NULL;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) wanted = NULL;
      g_autoptr(GBytes) mapping = wsi_mapping_bytes (h);
      g_autoptr(GBytes) dll = wsi_reg_encode_string (h->dll);
      g_autoptr(GBytes) min = wsi_dword_bytes ((guint32) h->min_sockaddr);
      g_autoptr(GBytes) max = wsi_dword_bytes ((guint32) h->max_sockaddr);
      gboolean listed = FALSE;

      reg = wsi_machine_peek_registry (wsi_planner_machine (self));
      if (!wsi_product_owns_transport (reg, m, h->transport) &&
          !wsi_refuse_takeover (self, m, h->line, key, "HelperDllName", dll, "another transport's helper"))
        return FALSE;
      transports = wsi_registry_get_multi_sz (reg, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
      for (guint k = 0; transports != NULL && transports[k] != NULL; k++)
        {
          listed |= g_ascii_strcasecmp (transports[k], h->transport) == 0;
          g_strv_builder_add (builder, transports[k]);
        }
      if (!listed)
        {
          g_autoptr(GBytes) list = NULL;
          g_strv_builder_add (builder, h->transport);
          wanted = g_strv_builder_end (builder);
          list = wsi_reg_encode_multi_sz ((const char * const *) wanted);
          if (!wsi_ensure_registry (self, m, h->line, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports",
                                    WSI_REG_MULTI_SZ, list))
            return FALSE;
        }
      if (!wsi_ensure_registry (self, m, h->line, key, "Mapping", WSI_REG_BINARY, mapping) ||
          !wsi_ensure_registry (self, m, h->line, key, "HelperDllName", WSI_REG_EXPAND_SZ, dll) ||
          !wsi_ensure_registry (self, m, h->line, key, "MinSockaddrLength", WSI_REG_DWORD, min) ||
          !wsi_ensure_registry (self, m, h->line, key, "MaxSockaddrLength", WSI_REG_DWORD, max))
        return FALSE;
    }
  return TRUE;
}

static gboolean
wsi_plan_product_record (WsiPlanner *self, const WsiManifest *m)
{
  g_autofree char *key = wsi_product_key (m);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) guids = NULL;
  g_autoptr(GBytes) version = wsi_reg_encode_string (m->product.version_string);
  g_autoptr(GBytes) name = wsi_reg_encode_string (m->product.name);
  g_autoptr(GBytes) vendor = wsi_reg_encode_string (m->product.vendor != NULL ? m->product.vendor : "");
  g_autoptr(GBytes) list = NULL;
  int line = m->product.line;

  char buf[WSI_GUID_STRING_LEN + 1];

  for (guint i = 0; i < m->providers->len; i++)
    {
      wsi_guid_format (&((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid, buf);
      g_strv_builder_add (builder, buf);
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      wsi_guid_format (&((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid, buf);
      g_strv_builder_add (builder, buf);
    }
  guids = g_strv_builder_end (builder);
  list = wsi_reg_encode_multi_sz ((const char * const *) guids);
  {
    g_autoptr(GStrvBuilder) tb = g_strv_builder_new ();
    g_auto(GStrv) transports = NULL;
    g_autoptr(GBytes) tlist = NULL;
    for (guint i = 0; i < m->wsh_helpers->len; i++)
      g_strv_builder_add (tb, ((WsiManifestWshHelper *) g_ptr_array_index (m->wsh_helpers, i))->transport);
    transports = g_strv_builder_end (tb);
    tlist = wsi_reg_encode_multi_sz ((const char * const *) transports);
    if (m->wsh_helpers->len > 0 &&
        !wsi_ensure_registry (self, m, line, key, "Transports", WSI_REG_MULTI_SZ, tlist))
      return FALSE;
  }
  return wsi_ensure_registry (self, m, line, key, "Version", WSI_REG_SZ, version) &&
         wsi_ensure_registry (self, m, line, key, "Name", WSI_REG_SZ, name) &&
         wsi_ensure_registry (self, m, line, key, "Vendor", WSI_REG_SZ, vendor) &&
         wsi_ensure_registry (self, m, line, key, "Providers", WSI_REG_MULTI_SZ, list);
}

/* ---- strategy ---- */

static gboolean
wsi_paths_compatible_64_32 (const char *path, const char *path32)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GString) mapped = NULL;

  if (path32 == NULL)
    return TRUE;
  a = g_ascii_strdown (path, -1);
  b = g_ascii_strdown (path32, -1);
  if (strcmp (a, b) == 0)
    return TRUE;
  /* WOW64 redirects System32 to SysWOW64, so one path serves both catalogs
   * exactly when the 32-bit DLL sits in SysWOW64 under the same name. */
  mapped = g_string_new (a);
  g_string_replace (mapped, "\\system32\\", "\\syswow64\\", 1);
  return strcmp (mapped->str, b) == 0;
}

static const char *
wsi_strategy_blocker (const WsiManifest *m, const WsiMachine *machine)
{
  const WsiCatalog *c32 = wsi_machine_peek_catalog (machine, WSI_CATALOG_32);
  const WsiCatalog *c64 = wsi_machine_peek_catalog (machine, WSI_CATALOG_64);

  if (!m->target.allow_64_32)
    return "the manifest does not allow WSCInstallProvider64_32 (allow-64-32); each catalog is installed separately, chains built from its own IDs";
  if (!wsi_machine_catalogs_in_sync (machine) || wsi_catalog_get_next_id (c32) != wsi_catalog_get_next_id (c64))
    return "the 32-bit and 64-bit catalogs are out of sync (different IDs, order or next ID): WSCInstallProvider64_32 would write chains naming the wrong IDs; each catalog is installed separately";
  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      if (!wsi_paths_compatible_64_32 (p->path, p->path32))
        return "a provider's 32-bit DLL path is not the WOW64 mirror of its 64-bit path; WSCInstallProvider64_32 takes one path";
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      if (!wsi_paths_compatible_64_32 (l->path, l->path32))
        return "a layer's 32-bit DLL path is not the WOW64 mirror of its 64-bit path; WSCInstallProvider64_32 takes one path";
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      g_autoptr(GPtrArray) found = wsi_catalog_find_guid (c64, &l->guid);
      if (found->len > 0)
        return "the product is already installed: its entries are updated in each catalog separately";
    }
  return NULL;
}

/* What an earlier version of the product installed and this manifest no
 * longer declares (a layer or provider dropped by the upgrade) goes, its
 * dependents re-pointed as by an uninstall: left in place it would stay in
 * the catalog with no record claiming it. */
static gboolean
wsi_plan_drop_undeclared (WsiPlanner *self, const WsiManifest *m)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  g_autofree char *key = wsi_product_key (m);
  g_auto(GStrv) recorded = wsi_registry_get_multi_sz (wsi_machine_peek_registry (wsi_planner_machine (self)), key,
                                                      "Providers");
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; recorded != NULL && recorded[i] != NULL; i++)
    {
      WsiGuid g;
      gboolean declared = FALSE;
      if (!wsi_guid_parse (recorded[i], &g))
        continue;
      for (guint k = 0; k < m->providers->len && !declared; k++)
        declared = wsi_guid_equal (&((WsiManifestProvider *) g_ptr_array_index (m->providers, k))->guid, &g);
      for (guint k = 0; k < m->layers->len && !declared; k++)
        declared = wsi_guid_equal (&((WsiManifestLayer *) g_ptr_array_index (m->layers, k))->guid, &g);
      if (!declared)
        g_ptr_array_add (dropped, g_memdup2 (&g, sizeof g));
    }
  if (dropped->len == 0)
    return TRUE;
  g_ptr_array_add (self->plan->notes,
                   g_strdup_printf ("%s: the installed version has %u provider%s this manifest no longer declares; "
                                    "%s removed", m->file, dropped->len, dropped->len == 1 ? "" : "s",
                                    dropped->len == 1 ? "it is" : "they are"));
  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    if (!wsi_planner_remove_guids (self, order[b], dropped, m->file, m->product.line))
      return FALSE;
  return TRUE;
}

/* ---- one manifest ---- */

static gboolean
wsi_profile_fits (const WsiManifest *m, WsiMachineKind kind)
{
  switch (m->target.profile)
    {
    case WSI_PROFILE_DESKTOP_X64: return kind == WSI_MACHINE_X64;
    /* A 32-bit product on 64-bit Windows lives in the WOW64 catalog. */
    case WSI_PROFILE_DESKTOP_X86: return kind == WSI_MACHINE_X86 || kind == WSI_MACHINE_X64;
    case WSI_PROFILE_CE: return kind == WSI_MACHINE_CE;
    default: return FALSE;
    }
}

static gboolean
wsi_plan_in_catalog (WsiPlanner *self, const WsiManifest *m, WsiBitness bitness, gboolean dual, GArray *triples)
{
  WsiCatalogPlan cp = {
    .planner = self,
    .manifest = m,
    .bitness = bitness,
    .dual = dual,
    .triples = triples,
  };
  g_autoptr(GPtrArray) layers = wsi_manifest_get_layers_sorted (m);
  gboolean ok = TRUE;

  if (!wsi_planner_check_unique_ids (self, bitness, m->file, m->target.line) ||
      (dual && !wsi_planner_check_unique_ids (self, WSI_CATALOG_32, m->file, m->target.line)))
    return FALSE;
  cp.pre = wsi_catalog_copy (wsi_machine_get_catalog (wsi_planner_machine (self), bitness));
  cp.own_guids = g_hash_table_new ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal);
  cp.layer_ids = g_hash_table_new (NULL, NULL);
  cp.groups = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_placed_group_free);
  for (guint i = 0; i < m->providers->len; i++)
    g_hash_table_add (cp.own_guids, &((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid);
  for (guint i = 0; i < m->layers->len; i++)
    g_hash_table_add (cp.own_guids, &((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid);

  for (guint i = 0; ok && i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_entry_free);
      g_autofree char *what = g_strdup_printf ("%s provider '%s'", p->san ? "SAN" : "base", p->id);

      for (guint k = 0; k < p->protocols->len; k++)
        {
          const WsiManifestProtocol *proto = g_ptr_array_index (p->protocols, k);
          g_ptr_array_add (entries, wsi_plan_entry_new (wsi_entry_from_protocol (p, proto)));
          wsi_note_triple (triples, proto->address_family, proto->socket_type, proto->protocol);
        }
      ok = wsi_ensure_provider (&cp, &p->guid, wsi_manifest_get_path (m, p->path, p->path32, bitness), entries, 0,
                                p->line, what);
    }
  for (guint i = 0; ok && i < layers->len; i++)
    ok = wsi_plan_layer (&cp, g_ptr_array_index (layers, i));
  if (ok)
    {
      ok = wsi_plan_order (&cp, bitness);
      /* 64_32 wrote both catalogs with the same IDs: give the 32-bit catalog
       * the same order. */
      if (ok && dual)
        ok = wsi_plan_order (&cp, WSI_CATALOG_32);
    }

  wsi_catalog_free (cp.pre);
  g_hash_table_unref (cp.own_guids);
  g_hash_table_unref (cp.layer_ids);
  g_ptr_array_unref (cp.groups);
  return ok && !self->failed;
}

/* "6 entries in the 64-bit catalog (IDs 1006, 1007, ...)" for messages. */
static char *
wsi_describe_entries (const WsiMachine *machine, const WsiGuid *guid)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (machine, order[b]);
      g_autoptr(GPtrArray) found = c != NULL ? wsi_catalog_find_guid (c, guid) : NULL;
      if (found == NULL || found->len == 0)
        continue;
      if (out->len > 0)
        g_string_append (out, " and ");
      g_string_append_printf (out, "%u %s in the %d-bit catalog (ID", found->len, found->len == 1 ? "entry" : "entries",
                              (int) order[b]);
      for (guint i = 0; i < found->len && i < 6; i++)
        g_string_append_printf (out, "%s %u", i == 0 ? (found->len > 1 ? "s" : "") : ",",
                                ((const WsiEntry *) g_ptr_array_index (found, i))->catalog_id);
      g_string_append (out, found->len > 6 ? ", ...)" : ")");
      if (((const WsiEntry *) g_ptr_array_index (found, 0))->name != NULL)
        g_string_append_printf (out, " '%s'",
                                wsi_display_name (((const WsiEntry *) g_ptr_array_index (found, 0))->name));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Is @guid, declared at @line of @m, someone else's on the machine? Then
 * the manifest may not install, update or remove it: Windows refuses an
 * installed GUID (WSCInstallProvider: WSANO_RECOVERY), and an "upgrade"
 * of another owner's entries would deinstall them. */
static gboolean
wsi_check_declared_guid (WsiPlanner *self, const WsiManifest *m, const WsiGuid *guid, int line, const char *what)
{
  const char *owner = NULL;
  WsiOwnerKind kind = wsi_ownership_lookup (self->owners, guid, &owner);
  g_autofree char *who = NULL;
  g_autofree char *held = NULL;
  char buf[WSI_GUID_STRING_LEN + 1];
  WsiDiag *d;

  if (kind == WSI_OWNER_NONE || (kind == WSI_OWNER_PRODUCT && g_strcmp0 (owner, m->product.id) == 0) ||
      (kind == WSI_OWNER_UNKNOWN && self->adopt))
    return TRUE;
  wsi_guid_format (guid, buf);
  who = wsi_ownership_describe (self->owners, guid);
  held = wsi_describe_entries (self->plan->before, guid);
  d = wsi_diag_list_add (self->diags, "guid-owned-elsewhere", m->file, line,
                         "%s %s is already installed and belongs to %s, not to product '%s': %s",
                         what, buf, who, m->product.id, held);
  if (kind == WSI_OWNER_UNKNOWN)
    wsi_diag_set_hint (d, "Give your provider its own GUID. If these entries are your product's, installed by another "
                          "installer or on a machine without wsinstall's install record, plan with --adopt.");
  self->failed = TRUE;
  return FALSE;
}

/* Every GUID the manifest declares: providers (SAN ones included), layers
 * and the explicit <entry-guid>s of its chains. All are checked, so that
 * a vendor sees every conflict at once. */
static gboolean
wsi_check_manifest_guids (WsiPlanner *self, const WsiManifest *m)
{
  gboolean ok = TRUE;

  for (guint i = 0; i < m->providers->len; i++)
    {
      const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      ok &= wsi_check_declared_guid (self, m, &p->guid, p->line, p->san ? "SAN provider" : "provider");
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      ok &= wsi_check_declared_guid (self, m, &l->guid, l->line, "layered provider");
    }
  for (guint i = 0; i < m->chains->len; i++)
    {
      const WsiManifestChain *c = g_ptr_array_index (m->chains, i);
      for (guint k = 0; c->guid_rule == WSI_GUID_RULE_EXPLICIT && k < c->entry_guids->len; k++)
        {
          const WsiManifestEntryGuid *eg = g_ptr_array_index (c->entry_guids, k);
          ok &= wsi_check_declared_guid (self, m, &eg->guid, eg->line > 0 ? eg->line : c->line, "chain entry GUID");
        }
    }
  return ok;
}

static gboolean
wsi_plan_manifest (WsiPlanner *self, const WsiManifest *m, WsiPlanFlags flags, GArray *triples)
{
  WsiMachine *machine = wsi_planner_machine (self);
  WsiMachineKind kind = wsi_machine_get_kind (machine);
  g_autofree char *key = wsi_product_key (m);
  g_autofree char *installed = wsi_registry_get_string (wsi_machine_peek_registry (machine), key, "Version");
  gboolean want64, want32;

  if (!wsi_profile_fits (m, kind))
    {
      wsi_diag_list_add (self->diags, "profile-mismatch", m->file, m->target.line,
                         "the manifest is for %s; the machine is %s", wsi_profile_to_string (m->target.profile),
                         wsi_machine_kind_to_string (kind));
      self->failed = TRUE;
      return FALSE;
    }
  if (!wsi_check_manifest_guids (self, m))
    return FALSE;
  if (installed != NULL)
    {
      WsiVersion have;
      if (wsi_version_parse (installed, &have))
        {
          int cmp = wsi_version_compare (&m->product.version, &have);
          if (cmp < 0 && !(flags & WSI_PLAN_FLAG_FORCE))
            {
              wsi_diag_list_add (self->diags, "downgrade-refused", m->file, m->product.line,
                                 "%s %s is installed; the manifest declares %s", m->product.id, installed,
                                 m->product.version_string);
              self->failed = TRUE;
              return FALSE;
            }
          g_ptr_array_add (self->plan->notes,
                           g_strdup_printf ("%s: %s %s is installed; %s", m->file, m->product.id, installed,
                                            cmp == 0 ? "same version: only what differs from the manifest is planned"
                                            : cmp > 0 ? "upgrade: entries are updated in place where their count is unchanged, re-installed otherwise"
                                                      : "forced downgrade"));
        }
    }

  want64 = kind == WSI_MACHINE_X64 && m->target.profile == WSI_PROFILE_DESKTOP_X64 &&
           wsi_manifest_targets_catalog (m, WSI_CATALOG_64);
  want32 = wsi_manifest_targets_catalog (m, WSI_CATALOG_32) || m->target.profile != WSI_PROFILE_DESKTOP_X64;

  if (want64 && want32)
    {
      const char *blocker = wsi_strategy_blocker (m, machine);
      if (blocker == NULL)
        {
          wsi_plan_add_strategy (self->plan, "64+32", "64_32",
                            "the manifest allows it and both catalogs hold the same IDs in the same order: one WSCInstallProvider64_32 call per provider");
          if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_64, TRUE, triples))
            return FALSE;
        }
      else
        {
          wsi_plan_add_strategy (self->plan, "64+32", "per-catalog", blocker);
          if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_64, FALSE, triples) ||
              !wsi_plan_in_catalog (self, m, WSI_CATALOG_32, FALSE, triples))
            return FALSE;
        }
    }
  else if (want64)
    {
      wsi_plan_add_strategy (self->plan, "64", "single", "the manifest targets the 64-bit catalog only");
      if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_64, FALSE, triples))
        return FALSE;
    }
  else
    {
      wsi_plan_add_strategy (self->plan, "32", "single",
                        kind == WSI_MACHINE_X64 ? "the manifest targets the 32-bit (WOW64) catalog only"
                                                : "the machine has one catalog");
      if (!wsi_plan_in_catalog (self, m, WSI_CATALOG_32, FALSE, triples))
        return FALSE;
    }
  return wsi_plan_drop_undeclared (self, m) && wsi_plan_registry (self, m) && wsi_plan_product_record (self, m);
}

/* ---- entry points ---- */

void
wsi_planner_init (WsiPlanner *self, WsiPlan *plan, WsiBackend *sim, WsiDiagList *diags, WsiPlanFlags flags)
{
  memset (self, 0, sizeof *self);
  self->plan = plan;
  self->sim = sim;
  self->diags = diags;
  self->owners = wsi_ownership_new (plan->before);
  self->adopt = (flags & WSI_PLAN_FLAG_ADOPT) != 0;
  self->force = (flags & WSI_PLAN_FLAG_FORCE) != 0;
}

void
wsi_planner_clear (WsiPlanner *self)
{
  g_clear_pointer (&self->owners, wsi_ownership_free);
  for (gsize i = 0; i < G_N_ELEMENTS (self->vanished); i++)
    {
      g_clear_pointer (&self->vanished[i], g_hash_table_unref);
      g_clear_pointer (&self->checkpointed[i], g_hash_table_unref);
    }
}

gboolean
wsi_planner_finish (WsiPlanner *self)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };

  if (self->failed)
    return FALSE;
  self->product = NULL;
  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    if (!wsi_planner_repoint_chains (self, order[b], NULL, NULL, 0))
      return FALSE;
  g_clear_pointer (&self->plan->after, wsi_machine_free);
  self->plan->after = wsi_machine_copy (wsi_planner_machine (self));
  return wsi_planner_verify (self);
}

WsiPlan *
wsi_plan_build (const WsiMachine *machine, WsiManifest *const *manifests, guint n_manifests, WsiPlanFlags flags,
                WsiDiagList *diags)
{
  g_autoptr(WsiPlan) plan = wsi_plan_new (machine);
  g_autoptr(WsiBackend) sim = wsi_backend_memory_new (machine);
  g_autoptr(GArray) triples = g_array_new (FALSE, FALSE, sizeof (gint32));
  WsiPlanner self;
  gboolean ok;

  wsi_planner_init (&self, plan, sim, diags, flags);
  plan->uninstall = (flags & WSI_PLAN_FLAG_UNINSTALL) != 0;
  for (guint i = 0; i < n_manifests && !self.failed; i++)
    {
      self.product = manifests[i]->product.id;
      if (plan->uninstall)
        wsi_planner_uninstall_manifest (&self, manifests[i], triples);
      else
        wsi_plan_manifest (&self, manifests[i], flags, triples);
    }
  ok = wsi_planner_finish (&self);
  wsi_planner_clear (&self);
  if (!ok)
    return NULL;
  wsi_plan_compute_preview (plan, triples);
  return g_steal_pointer (&plan);
}
