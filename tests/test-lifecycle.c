/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-lifecycle.c: "never break a network", proven over generated cases.
 * A model-based test draws random sequences of apply, upgrade, downgrade
 * attempts, uninstall (by manifest, older versions included), repair and
 * uninstall --provider over the vendor manifests of tests/data/lifecycle,
 * with injected WSC failures mixed in, on every reference machine. It keeps
 * its own model of what is installed and who owns which GUID (not the
 * engine's), predicts each operation's outcome, and after every operation
 * checks:
 *
 *  - `catalog check` has no error the machine did not have at the start;
 *  - every installed product's layered entries are there with their
 *    categories, and its sockets resolve through its own layer (or through
 *    another installed product's chain above it); every uninstalled
 *    product's GUIDs and record are gone;
 *  - no entry owned by Windows or by another product changed, except
 *    chains re-pointed away from IDs this operation's product removed;
 *  - a failed operation left the machine as it was;
 *
 * and, at the end, uninstalling everything gives a machine `catalog diff`
 * calls equivalent to the start. WSI_LIFECYCLE_SEED reproduces a run (the
 * seed is printed on failure); WSI_LIFECYCLE_OPS sets the number of
 * operations (default 10,000 over all machines).
 *
 * The MSI upgrade schedules (old uninstall then new install, and new install
 * then old uninstall) run through wsi_msi_run, the custom action's entry
 * point. */
#include "wsi-test-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wsi-catalog-check.h"
#include "wsi-catalog-diff.h"
#include "wsi-flags.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-snapshot.h"
#include "wsi-txn.h"
#include "wsi-win32-msi.h"

static const char *const lifecycle_manifests[] = {
  "northwind-mesh-1.xml", "northwind-mesh-2.xml", "fabrikam-mesh-inspector.xml", "contoso-shield-1.xml",
  "contoso-shield-2.xml", "litware-top-64.xml", "adatum-stack-32.xml", "adatum-stack-32-v2.xml", "tailwind-icmp.xml",
  "impostor-reuses-contoso.xml", "impostor-reuses-msafd.xml",
};

static const char *const reference_machines[] = {
  "win10-x64", "win10-1709-x64", "win81-x64", "win7-x86", "win2000-x86",
};

/* Windows' own GUIDs a manifest of the set declares: refused everywhere. */
#define MSAFD_TCPIP_GUID "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}"

/* ---- the test's own model ---- */

typedef struct {
  GPtrArray   *manifests;      /* WsiManifest*, lifecycle_manifests order */
  WsiMachine  *start;
  WsiMachine  *now;
  GHashTable  *start_errors;   /* "tag: message" */
  GHashTable  *start_guids;    /* GUIDs of the start machine: Windows' (and whoever was there) */
  GHashTable  *installed;      /* product id -> WsiManifest* (borrowed) */
  GHashTable  *stripped;       /* product ids whose entries `uninstall --provider` removed */
  GHashTable  *owner;          /* WsiGuid* -> product id (borrowed): declared GUIDs of installed products */
  GRand       *rand;
  char        *journal;
  guint32      seed;
  const char  *machine_name;
  GString     *trail;          /* the operations so far, for failure messages */
  guint        ops;
  guint        faults;
  guint        refusals;
} Model;

static guint32
lifecycle_base_seed (guint32 seed, const char *machine)
{
  for (gsize i = 0; i < G_N_ELEMENTS (reference_machines); i++)
    if (g_strcmp0 (reference_machines[i], machine) == 0)
      return seed - (guint32) i * 7919u;
  return seed;
}

static GHashTable *
check_errors (const WsiMachine *machine)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  wsi_catalog_check_machine (machine, "machine", diags);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      if (d->severity == WSI_SEVERITY_ERROR)
        g_hash_table_add (keys, g_strdup_printf ("%s: %s", d->tag, d->message));
    }
  return keys;
}

static GHashTable *
owner_copy (GHashTable *owner)
{
  GHashTable *copy = g_hash_table_new ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal);
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, owner);
  while (g_hash_table_iter_next (&it, &key, &value))
    g_hash_table_insert (copy, key, value);
  return copy;
}

static void
declared_guids (const WsiManifest *m, GPtrArray *out)
{
  for (guint i = 0; i < m->providers->len; i++)
    g_ptr_array_add (out, &((WsiManifestProvider *) g_ptr_array_index (m->providers, i))->guid);
  for (guint i = 0; i < m->layers->len; i++)
    g_ptr_array_add (out, &((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid);
}

static char *
version_of (const WsiMachine *machine, const char *product)
{
  g_autofree char *key = g_strdup_printf ("HKLM\\SOFTWARE\\wsinstall\\Products\\%s", product);
  return wsi_registry_get_string (wsi_machine_peek_registry (machine), key, "Version");
}

static gboolean
targets (const WsiManifest *m, const WsiMachine *machine, WsiBitness b)
{
  if (wsi_machine_peek_catalog (machine, b) == NULL)
    return FALSE;
  if (wsi_machine_get_kind (machine) != WSI_MACHINE_X64)
    return b == WSI_CATALOG_32;
  if (m->target.profile != WSI_PROFILE_DESKTOP_X64)
    return b == WSI_CATALOG_32;
  return wsi_manifest_targets_catalog (m, b);
}

/* The message and the seed go to the assertion; the operations that led
 * there (possibly thousands) go to stderr, where the test log keeps them. */
#define model_fail(model, ...) \
  do { \
    g_autofree char *_msg = g_strdup_printf (__VA_ARGS__); \
    fprintf (stderr, "lifecycle failure on %s: %s\noperations (seed %u):\n%s", (model)->machine_name, _msg, \
             (model)->seed, (model)->trail->str); \
    ck_abort_msg ("%.2000s [machine %s, operation %u; reproduce with WSI_LIFECYCLE_SEED=%u]", _msg, \
                  (model)->machine_name, (model)->ops, lifecycle_base_seed ((model)->seed, (model)->machine_name)); \
  } while (0)

/* ---- invariants ---- */

/* The layered entry of @guid in @c, or NULL. */
static const WsiEntry *
layered_entry (const WsiCatalog *c, const WsiGuid *guid)
{
  g_autoptr(GPtrArray) found = wsi_catalog_find_guid (c, guid);
  for (guint i = 0; i < found->len; i++)
    if (wsi_entry_get_kind (g_ptr_array_index (found, i)) == WSI_ENTRY_LAYERED)
      return g_ptr_array_index (found, i);
  return NULL;
}

/* Does the chain entry @e belong to an installed product other than
 * @except (its top-most layer is one of that product's)? */
static gboolean
chain_of_installed_product (Model *model, const WsiCatalog *c, const WsiEntry *e)
{
  const WsiEntry *top;

  if (wsi_entry_get_kind (e) != WSI_ENTRY_CHAIN)
    return FALSE;
  top = wsi_catalog_find_id (c, e->chain[0]);
  return top != NULL && g_hash_table_contains (model->owner, &top->provider_id);
}

static void
check_installed_product (Model *model, const WsiManifest *m)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  g_autofree char *version = version_of (model->now, m->product.id);

  if (g_strcmp0 (version, m->product.version_string) != 0)
    model_fail (model, "%s should be installed at %s; its record says %s", m->product.id, m->product.version_string,
                version != NULL ? version : "nothing");
  if (g_hash_table_contains (model->stripped, m->product.id))
    return;
  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (model->now, order[b]);
      if (!targets (m, model->now, order[b]))
        continue;
      for (guint i = 0; i < m->providers->len; i++)
        {
          const WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
          g_autoptr(GPtrArray) found = wsi_catalog_find_guid (c, &p->guid);
          if (found->len != p->protocols->len)
            model_fail (model, "%s: provider %s has %u entries in the %d-bit catalog, not %u", m->product.id, p->id,
                        found->len, (int) order[b], p->protocols->len);
        }
      for (guint i = 0; i < m->layers->len; i++)
        {
          const WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
          const WsiEntry *dummy = layered_entry (c, &l->guid);
          guint chains = 0;

          if (dummy == NULL)
            model_fail (model, "%s: layer %s is missing from the %d-bit catalog", m->product.id, l->id, (int) order[b]);
          if (dummy->lsp_categories != l->categories)
            model_fail (model, "%s: layer %s has LSP categories 0x%X in the %d-bit catalog, not 0x%X", m->product.id,
                        l->id, dummy->lsp_categories, (int) order[b], l->categories);
          for (guint k = 0; k < wsi_catalog_get_size (c); k++)
            {
              const WsiEntry *e = wsi_catalog_get_entry (c, k);
              const WsiEntry *got;
              if (wsi_entry_get_kind (e) != WSI_ENTRY_CHAIN || e->chain[0] != dummy->catalog_id)
                continue;
              chains++;
              /* Its sockets go through its layer, or through a chain of an
               * installed product placed above it. */
              got = wsi_catalog_resolve_socket (c, e->address_family, e->socket_type, e->protocol);
              if (got == NULL || wsi_entry_get_kind (got) != WSI_ENTRY_CHAIN)
                model_fail (model, "%s: socket(%d, %d, %d) in the %d-bit catalog bypasses layer %s (entry %u)",
                            m->product.id, e->address_family, e->socket_type, e->protocol, (int) order[b], l->id,
                            got != NULL ? got->catalog_id : 0);
              if (!chain_of_installed_product (model, c, got))
                model_fail (model, "%s: socket(%d, %d, %d) in the %d-bit catalog gets chain %u of nobody installed",
                            m->product.id, e->address_family, e->socket_type, e->protocol, (int) order[b],
                            got->catalog_id);
            }
          if (chains == 0)
            model_fail (model, "%s: layer %s has no chain in the %d-bit catalog", m->product.id, l->id, (int) order[b]);
        }
    }
}

static void
check_invariants (Model *model)
{
  g_autoptr(GHashTable) errors = check_errors (model->now);
  GHashTableIter it;
  gpointer key, value;

  g_hash_table_iter_init (&it, errors);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (!g_hash_table_contains (model->start_errors, key))
      model_fail (model, "catalog check reports a new error: %s", (const char *) key);

  g_hash_table_iter_init (&it, model->installed);
  while (g_hash_table_iter_next (&it, &key, &value))
    check_installed_product (model, value);

  /* Products that are not installed, and what an upgrade dropped, leave
   * nothing behind: a GUID nobody installed owns is in no catalog. */
  for (guint i = 0; i < model->manifests->len; i++)
    {
      const WsiManifest *m = g_ptr_array_index (model->manifests, i);
      g_autoptr(GPtrArray) guids = g_ptr_array_new ();
      g_autofree char *version = NULL;

      if (!g_hash_table_contains (model->installed, m->product.id) &&
          (version = version_of (model->now, m->product.id)) != NULL)
        model_fail (model, "%s is not installed, but its record says %s", m->product.id, version);
      declared_guids (m, guids);
      for (guint g = 0; g < guids->len; g++)
        {
          const WsiGuid *guid = g_ptr_array_index (guids, g);
          if (g_hash_table_contains (model->owner, guid) || g_hash_table_contains (model->start_guids, guid))
            continue;
          for (int b = 0; b < 2; b++)
            {
              const WsiCatalog *c = wsi_machine_peek_catalog (model->now, b == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32);
              g_autoptr(GPtrArray) found = c != NULL ? wsi_catalog_find_guid (c, guid) : NULL;
              if (found != NULL && found->len > 0)
                model_fail (model, "the %d-bit catalog holds a GUID of %s that no installed product owns",
                            b == 0 ? 64 : 32, m->file);
            }
        }
    }
}

/* The product that owns @e in @machine per the model, "" for the start
 * machine's entries (Windows'), NULL for nobody known. */
static const char *
model_owner_of (Model *model, const WsiCatalog *c, const WsiEntry *e)
{
  const char *p = g_hash_table_lookup (model->owner, &e->provider_id);
  if (p != NULL)
    return p;
  if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN)
    {
      const WsiEntry *top = wsi_catalog_find_id (c, e->chain[0]);
      if (top != NULL && (p = g_hash_table_lookup (model->owner, &top->provider_id)) != NULL)
        return p;
    }
  return g_hash_table_contains (model->start_guids, &e->provider_id) ? "" : NULL;
}

/* IDs of @c owned by @product. */
static GHashTable *
ids_of_product (Model *model, const WsiCatalog *c, const char *product)
{
  GHashTable *ids = g_hash_table_new (NULL, NULL);
  for (guint i = 0; c != NULL && i < wsi_catalog_get_size (c); i++)
    {
      const WsiEntry *e = wsi_catalog_get_entry (c, i);
      if (g_strcmp0 (model_owner_of (model, c, e), product) == 0)
        g_hash_table_add (ids, GUINT_TO_POINTER (e->catalog_id));
    }
  return ids;
}

static GArray *
chain_without (const WsiEntry *e, GHashTable *a, GHashTable *b)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (gint32 k = 0; wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN && k < e->chain_len; k++)
    if (!g_hash_table_contains (a, GUINT_TO_POINTER (e->chain[k])) &&
        !g_hash_table_contains (b, GUINT_TO_POINTER (e->chain[k])))
      g_array_append_val (out, e->chain[k]);
  return out;
}

/* No entry of Windows or of another product changed in the operation of
 * @product (with its ownership as it was @before), except chains
 * re-pointed away from @product's IDs or removed with @product's base. */
static void
check_others_unchanged (Model *model, const WsiMachine *before, GHashTable *owner_before, const char *product)
{
  static const WsiBitness order[] = { WSI_CATALOG_64, WSI_CATALOG_32 };
  GHashTable *owner_now = model->owner;

  for (gsize b = 0; b < G_N_ELEMENTS (order); b++)
    {
      const WsiCatalog *old = wsi_machine_peek_catalog (before, order[b]);
      const WsiCatalog *now = wsi_machine_peek_catalog (model->now, order[b]);
      g_autoptr(GHashTable) mine_old = NULL;
      g_autoptr(GHashTable) mine_now = NULL;

      if (old == NULL)
        continue;
      model->owner = owner_before;
      mine_old = ids_of_product (model, old, product);
      model->owner = owner_now;
      mine_now = ids_of_product (model, now, product);
      for (guint i = 0; i < wsi_catalog_get_size (old); i++)
        {
          const WsiEntry *e = wsi_catalog_get_entry (old, i);
          const WsiEntry *after;
          const char *owner;
          g_autoptr(WsiEntry) x = NULL;
          g_autoptr(WsiEntry) y = NULL;
          g_autoptr(GArray) cx = NULL;
          g_autoptr(GArray) cy = NULL;

          model->owner = owner_before;
          owner = model_owner_of (model, old, e);
          model->owner = owner_now;
          if (owner == NULL || g_strcmp0 (owner, product) == 0)
            continue;
          after = wsi_catalog_find_id (now, e->catalog_id);
          if (after == NULL)
            {
              /* Allowed only for a chain whose base was the product's. */
              if (wsi_entry_get_kind (e) == WSI_ENTRY_CHAIN &&
                  g_hash_table_contains (mine_old, GUINT_TO_POINTER (e->chain[e->chain_len - 1])))
                continue;
              model_fail (model, "entry %u (%s) of %s vanished in an operation of %s", e->catalog_id, e->name,
                          *owner != '\0' ? owner : "Windows", product != NULL ? product : "(none)");
            }
          x = wsi_entry_copy (e);
          y = wsi_entry_copy (after);
          cx = chain_without (e, mine_old, mine_now);
          cy = chain_without (after, mine_old, mine_now);
          memset (x->chain, 0, sizeof x->chain);
          memset (y->chain, 0, sizeof y->chain);
          x->chain_len = y->chain_len = 0;
          if (!wsi_entry_equal (x, y) || cx->len != cy->len ||
              (cx->len > 0 && memcmp (cx->data, cy->data, cx->len * sizeof (guint32)) != 0))
            model_fail (model, "entry %u (%s) of %s changed in an operation of %s", e->catalog_id, e->name,
                        *owner != '\0' ? owner : "Windows", product != NULL ? product : "(none)");
        }
    }
}

/* ---- running operations ---- */

static void
trail_add (Model *model, const char *what, const char *arg, guint fault)
{
  g_string_append_printf (model->trail, "    %u %s %s", model->ops, what, arg != NULL ? arg : "");
  if (fault > 0)
    g_string_append_printf (model->trail, " (WSINSTALL_FAULT=fail:%u)", fault);
  g_string_append_c (model->trail, '\n');
}

typedef struct {
  gboolean  committed;     /* the transaction committed (or had nothing to do) */
  gboolean  rolled_back;
  char     *plan_tags;     /* the error tags planning reported, "," separated; NULL: planned */
  char     *info_tags;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->plan_tags);
  g_free (o->info_tags);
}

static char *
tags_of (WsiDiagList *diags, WsiSeverity severity)
{
  g_autoptr(GString) s = g_string_new (NULL);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      if (d->severity == severity)
        g_string_append_printf (s, "%s,", d->tag);
    }
  return s->len > 0 ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

/* Applies @plan on a memory copy of the model's machine, through the
 * executor (journal included) and, with @fault, a failure injected at
 * that operation. */
static void
run_plan (Model *model, WsiPlan *plan, guint fault, Outcome *out)
{
  WsiBackend *mem = wsi_backend_memory_new (model->now);
  g_autoptr(WsiBackend) backend = mem;
  g_autoptr(GError) error = NULL;
  WsiTxnOutcome outcome;

  if (fault > 0)
    {
      g_autofree char *spec = g_strdup_printf ("fail:%u", fault);
      backend = wsi_backend_fault_new (g_steal_pointer (&backend), spec, NULL);
      ck_assert_ptr_nonnull (backend);
      model->faults++;
    }
  outcome = plan->steps->len == 0 ? WSI_TXN_COMMITTED
                                  : wsi_txn_apply (backend, plan, model->journal, NULL, NULL, &error);
  if (outcome == WSI_TXN_ROLLBACK_INCOMPLETE)
    model_fail (model, "the rollback was incomplete: %s", error->message);
  out->committed = outcome == WSI_TXN_COMMITTED;
  out->rolled_back = outcome == WSI_TXN_ROLLED_BACK;
  if (out->committed && fault == 0 && plan->after != NULL)
    {
      /* What the plan predicted is what the executor made. */
      g_autoptr(WsiDiff) diff = wsi_machine_diff (plan->after, wsi_backend_memory_get_machine (mem));
      if (!wsi_diff_is_equivalent (diff))
        {
          g_autofree char *text = wsi_diff_to_text (diff);
          model_fail (model, "the applied machine differs from the plan's prediction:\n%s", text);
        }
    }
  wsi_machine_free (model->now);
  model->now = wsi_machine_copy (wsi_backend_memory_get_machine (mem));
}

static void
run_manifest (Model *model, WsiManifest *m, WsiPlanFlags flags, guint fault, Outcome *out)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = wsi_plan_build (model->now, &m, 1, flags, diags);

  out->info_tags = tags_of (diags, WSI_SEVERITY_INFO);
  if (plan == NULL)
    {
      out->plan_tags = tags_of (diags, WSI_SEVERITY_ERROR);
      if (out->plan_tags == NULL)
        model_fail (model, "planning failed without an error diagnostic");
      return;
    }
  run_plan (model, plan, fault, out);
}

static gboolean
has_tag (const char *tags, const char *tag)
{
  g_autofree char *needle = g_strdup_printf ("%s,", tag);
  return tags != NULL && (g_str_has_prefix (tags, needle) || strstr (tags, needle) != NULL);
}

/* Does @m declare a GUID someone else owns (per the model)? */
static gboolean
declares_foreign_guid (Model *model, const WsiManifest *m)
{
  g_autoptr(GPtrArray) guids = g_ptr_array_new ();

  declared_guids (m, guids);
  for (guint i = 0; i < guids->len; i++)
    {
      const WsiGuid *g = g_ptr_array_index (guids, i);
      const char *owner = g_hash_table_lookup (model->owner, g);
      if (g_hash_table_contains (model->start_guids, g) || (owner != NULL && g_strcmp0 (owner, m->product.id) != 0))
        return TRUE;
    }
  return FALSE;
}

static void
own_guids (Model *model, const WsiManifest *m, gboolean own)
{
  g_autoptr(GPtrArray) guids = g_ptr_array_new ();

  declared_guids (m, guids);
  for (guint i = 0; i < guids->len; i++)
    {
      if (own)
        g_hash_table_insert (model->owner, g_ptr_array_index (guids, i), m->product.id);
      else if (g_strcmp0 (g_hash_table_lookup (model->owner, g_ptr_array_index (guids, i)), m->product.id) == 0)
        g_hash_table_remove (model->owner, g_ptr_array_index (guids, i));
    }
}

/* Does a catalog of @machine hold one of @m's declared GUIDs? */
static gboolean
declares_present_guid (const WsiMachine *machine, const WsiManifest *m)
{
  g_autoptr(GPtrArray) guids = g_ptr_array_new ();

  declared_guids (m, guids);
  for (guint i = 0; i < guids->len; i++)
    for (int b = 0; b < 2; b++)
      {
        const WsiCatalog *c = wsi_machine_peek_catalog (machine, b == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32);
        g_autoptr(GPtrArray) found = c != NULL ? wsi_catalog_find_guid (c, g_ptr_array_index (guids, i)) : NULL;
        if (found != NULL && found->len > 0)
          return TRUE;
      }
  return FALSE;
}

static gboolean
profile_fits (const WsiManifest *m, const WsiMachine *machine)
{
  WsiMachineKind kind = wsi_machine_get_kind (machine);
  return m->target.profile == WSI_PROFILE_DESKTOP_X64 ? kind == WSI_MACHINE_X64
                                                      : kind == WSI_MACHINE_X86 || kind == WSI_MACHINE_X64;
}

static void
assert_unchanged (Model *model, const WsiMachine *before, const char *what)
{
  g_autoptr(WsiDiff) diff = wsi_machine_diff (before, model->now);
  if (!wsi_diff_is_equivalent (diff))
    {
      g_autofree char *text = wsi_diff_to_text (diff);
      model_fail (model, "%s changed the machine:\n%s", what, text);
    }
}

static void
op_apply (Model *model, WsiManifest *m, guint fault)
{
  const WsiManifest *have = g_hash_table_lookup (model->installed, m->product.id);
  g_autoptr(WsiMachine) before = wsi_machine_copy (model->now);
  g_autoptr(GHashTable) owner_before = owner_copy (model->owner);
  Outcome out = { 0 };

  trail_add (model, "apply", m->file, fault);
  run_manifest (model, m, WSI_PLAN_FLAG_NONE, fault, &out);
  if (!profile_fits (m, model->now))
    {
      if (!has_tag (out.plan_tags, "profile-mismatch"))
        model_fail (model, "applying %s on the wrong machine kind was not refused", m->product.id);
      model->refusals++;
    }
  else if (declares_foreign_guid (model, m))
    {
      if (!has_tag (out.plan_tags, "guid-owned-elsewhere"))
        model_fail (model, "%s declares a GUID someone else owns, but was not refused (tags: %s)", m->product.id,
                    out.plan_tags != NULL ? out.plan_tags : "none");
      model->refusals++;
    }
  else if (have != NULL && wsi_version_compare (&m->product.version, &have->product.version) < 0)
    {
      if (!has_tag (out.plan_tags, "downgrade-refused"))
        model_fail (model, "a downgrade of %s was not refused", m->product.id);
      model->refusals++;
    }
  else if (out.plan_tags != NULL)
    model_fail (model, "applying %s failed to plan: %s", m->product.id, out.plan_tags);
  if (out.plan_tags != NULL || out.rolled_back)
    assert_unchanged (model, before, out.rolled_back ? "a rolled-back apply" : "a refused apply");
  else
    {
      if (have != NULL)
        own_guids (model, have, FALSE);
      g_hash_table_insert (model->installed, m->product.id, m);
      g_hash_table_remove (model->stripped, m->product.id);
      own_guids (model, m, TRUE);
      check_others_unchanged (model, before, owner_before, m->product.id);
    }
  outcome_clear (&out);
}

static void
op_uninstall (Model *model, WsiManifest *m, guint fault)
{
  const WsiManifest *have = g_hash_table_lookup (model->installed, m->product.id);
  g_autoptr(WsiMachine) before = wsi_machine_copy (model->now);
  g_autoptr(GHashTable) owner_before = owner_copy (model->owner);
  gboolean newer = have != NULL && wsi_version_compare (&m->product.version, &have->product.version) < 0;
  Outcome out = { 0 };

  trail_add (model, "uninstall", m->file, fault);
  run_manifest (model, m, WSI_PLAN_FLAG_UNINSTALL, fault, &out);
  if (newer)
    {
      if (out.plan_tags != NULL || !has_tag (out.info_tags, "newer-version-installed"))
        model_fail (model, "uninstalling %s %s under %s did not say newer-version-installed", m->product.id,
                    m->product.version_string, have->product.version_string);
      model->refusals++;
      assert_unchanged (model, before, "the uninstall of an older version");
    }
  else if (declares_foreign_guid (model, m) && declares_present_guid (before, m))
    {
      /* Its GUIDs are installed, and someone else's. */
      if (!has_tag (out.plan_tags, "guid-owned-elsewhere"))
        model_fail (model, "uninstalling %s would remove someone else's GUID and was not refused", m->product.id);
      model->refusals++;
      assert_unchanged (model, before, "a refused uninstall");
    }
  else if (out.plan_tags != NULL)
    model_fail (model, "uninstalling %s failed to plan: %s", m->product.id, out.plan_tags);
  else if (out.rolled_back || have == NULL)
    assert_unchanged (model, before, out.rolled_back ? "a rolled-back uninstall" : "uninstalling what is not installed");
  else
    {
      own_guids (model, have, FALSE);
      g_hash_table_remove (model->installed, m->product.id);
      g_hash_table_remove (model->stripped, m->product.id);
      check_others_unchanged (model, before, owner_before, m->product.id);
    }
  outcome_clear (&out);
}

static void
op_repair (Model *model, guint fault)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = wsi_plan_build_repair (model->now, diags);
  g_autoptr(WsiMachine) before = wsi_machine_copy (model->now);
  Outcome out = { 0 };

  trail_add (model, "repair", NULL, fault);
  if (plan == NULL)
    {
      g_autofree char *tags = tags_of (diags, WSI_SEVERITY_ERROR);
      model_fail (model, "repair failed to plan: %s", tags);
    }
  run_plan (model, plan, fault, &out);
  /* Nothing is damaged, so there is nothing to repair. */
  assert_unchanged (model, before, "repair of a healthy machine");
  outcome_clear (&out);
}

/* uninstall --provider: of Windows' TCP/IP (refused), or of an installed
 * product's layer (an explicit removal: the product is left stripped). */
static void
op_remove_provider (Model *model, guint fault)
{
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key, value;
  WsiGuid guid;
  const char *product = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(WsiMachine) before = wsi_machine_copy (model->now);
  g_autoptr(GHashTable) owner_before = owner_copy (model->owner);
  Outcome out = { 0 };

  g_hash_table_iter_init (&it, model->owner);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      const WsiManifest *m = g_hash_table_lookup (model->installed, value);
      if (g_hash_table_contains (model->stripped, value))
        continue;
      for (guint i = 0; m != NULL && i < m->layers->len; i++)
        if (wsi_guid_equal (&((WsiManifestLayer *) g_ptr_array_index (m->layers, i))->guid, key))
          g_ptr_array_add (layers, key);
    }
  /* Hash order is not stable across runs: sort for reproducibility. */
  g_ptr_array_sort (layers, (GCompareFunc) (void (*) (void)) wsi_guid_compare);
  if (layers->len == 0 || g_rand_int_range (model->rand, 0, 4) == 0)
    guid = wsi_test_guid (MSAFD_TCPIP_GUID);
  else
    {
      guid = *(const WsiGuid *) g_ptr_array_index (layers, g_rand_int_range (model->rand, 0, (gint32) layers->len));
      product = g_hash_table_lookup (model->owner, &guid);
    }
  {
    char buf[WSI_GUID_STRING_LEN + 1];
    wsi_guid_format (&guid, buf);
    trail_add (model, "uninstall --provider", buf, fault);
  }
  plan = wsi_plan_build_remove_guid (model->now, &guid, WSI_PLAN_FLAG_UNINSTALL, diags);
  if (product == NULL)
    {
      g_autofree char *tags = tags_of (diags, WSI_SEVERITY_ERROR);
      if (plan != NULL || !has_tag (tags, "guid-owned-elsewhere"))
        model_fail (model, "uninstall --provider of Windows' TCP/IP was not refused");
      model->refusals++;
      return;
    }
  if (plan == NULL)
    {
      g_autofree char *tags = tags_of (diags, WSI_SEVERITY_ERROR);
      model_fail (model, "uninstall --provider of %s's layer failed to plan: %s", product, tags);
    }
  run_plan (model, plan, fault, &out);
  if (out.rolled_back)
    assert_unchanged (model, before, "a rolled-back uninstall --provider");
  else
    {
      g_hash_table_add (model->stripped, (gpointer) product);
      check_others_unchanged (model, before, owner_before, product);
    }
  outcome_clear (&out);
}

static guint
draw_fault (Model *model)
{
  /* One operation in four fails somewhere in its first dozen calls. */
  return g_rand_int_range (model->rand, 0, 4) == 0 ? (guint) g_rand_int_range (model->rand, 1, 13) : 0;
}

static void
model_init (Model *model, const char *machine, guint32 seed, const char *journal)
{
  memset (model, 0, sizeof *model);
  model->manifests = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_manifest_free);
  for (gsize i = 0; i < G_N_ELEMENTS (lifecycle_manifests); i++)
    g_ptr_array_add (model->manifests, wsi_test_load_lifecycle (lifecycle_manifests[i]));
  model->start = wsi_test_load_reference (machine);
  model->now = wsi_machine_copy (model->start);
  model->start_errors = check_errors (model->start);
  model->start_guids = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free, NULL);
  for (int b = 0; b < 2; b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (model->start, b == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32);
      for (guint i = 0; c != NULL && i < wsi_catalog_get_size (c); i++)
        g_hash_table_add (model->start_guids,
                          g_memdup2 (&wsi_catalog_get_entry (c, i)->provider_id, sizeof (WsiGuid)));
    }
  model->installed = g_hash_table_new (g_str_hash, g_str_equal);
  model->stripped = g_hash_table_new (g_str_hash, g_str_equal);
  model->owner = g_hash_table_new ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal);
  model->rand = g_rand_new_with_seed (seed);
  model->seed = seed;
  model->machine_name = machine;
  model->journal = g_strdup (journal);
  model->trail = g_string_new (NULL);
}

static void
model_clear (Model *model)
{
  g_ptr_array_unref (model->manifests);
  wsi_machine_free (model->start);
  wsi_machine_free (model->now);
  g_hash_table_unref (model->start_errors);
  g_hash_table_unref (model->start_guids);
  g_hash_table_unref (model->installed);
  g_hash_table_unref (model->stripped);
  g_hash_table_unref (model->owner);
  g_rand_free (model->rand);
  g_free (model->journal);
  g_string_free (model->trail, TRUE);
}

static char *
journal_dir (void)
{
  /* The executor syncs its journal before every step: on a memory file
   * system that costs nothing, so ten thousand operations fit a minute. */
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0 ? "/dev/shm"
                                                                                                     : g_get_tmp_dir ();
  g_autofree char *tmpl = g_build_filename (base, "wsi-lifecycle-XXXXXX", NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&tmpl));
  ck_assert_ptr_nonnull (dir);
  return dir;
}

static guint32
lifecycle_seed (void)
{
  const char *env = g_getenv ("WSI_LIFECYCLE_SEED");
  guint64 v = 0;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 0, G_MAXUINT32, &v, NULL))
    return (guint32) v;
  return 20261207u;
}

static guint
lifecycle_ops (void)
{
  const char *env = g_getenv ("WSI_LIFECYCLE_OPS");
  guint64 v = 0;

  if (env != NULL && g_ascii_string_to_unsigned (env, 10, 1, 100000000, &v, NULL))
    return (guint) v;
  return 10000;
}

START_TEST (random_lifecycles_never_break_a_network)
{
  const char *machine = reference_machines[_i];
  guint32 seed = lifecycle_seed () + (guint32) _i * 7919u;
  guint per_machine = (lifecycle_ops () + G_N_ELEMENTS (reference_machines) - 1) / G_N_ELEMENTS (reference_machines);
  g_autofree char *dir = journal_dir ();
  g_autofree char *journal = g_build_filename (dir, "lifecycle.journal", NULL);
  Model model;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key, value;
  gint64 t0 = g_get_monotonic_time ();

  model_init (&model, machine, seed, journal);
  for (model.ops = 1; model.ops <= per_machine; model.ops++)
    {
      guint pick = (guint) g_rand_int_range (model.rand, 0, 100);
      WsiManifest *m = g_ptr_array_index (model.manifests,
                                          g_rand_int_range (model.rand, 0, (gint32) model.manifests->len));
      guint fault = draw_fault (&model);

      if (pick < 50)
        op_apply (&model, m, fault);
      else if (pick < 82)
        op_uninstall (&model, m, fault);
      else if (pick < 90)
        op_repair (&model, fault);
      else
        op_remove_provider (&model, fault);
      check_invariants (&model);
    }

  /* Uninstall everything (with the installed manifests, in a drawn order):
   * the machine is the one we started from. */
  g_hash_table_iter_init (&it, model.installed);
  while (g_hash_table_iter_next (&it, &key, &value))
    g_ptr_array_add (order, value);
  g_ptr_array_sort (order, (GCompareFunc) (void (*) (void)) g_strcmp0);
  while (order->len > 0)
    {
      WsiManifest *m = g_ptr_array_steal_index (order, (guint) g_rand_int_range (model.rand, 0, (gint32) order->len));
      op_uninstall (&model, m, 0);
      check_invariants (&model);
      model.ops++;
    }
  {
    g_autoptr(WsiDiff) diff = wsi_machine_diff (model.start, model.now);
    if (!wsi_diff_is_equivalent (diff))
      {
        g_autofree char *text = wsi_diff_to_text (diff);
        model_fail (&model, "after uninstalling everything the machine differs from the start:\n%s", text);
      }
  }
  printf ("# lifecycle %s: %u operations (%u with an injected failure, %u refused as the model predicted), seed %u, %.1f s\n",
          machine, model.ops - 1, model.faults, model.refusals, seed,
          (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC);
  fflush (stdout);
  model_clear (&model);
  wsi_test_rmtree (dir);
}
END_TEST

/* The path that needs both checkpoints: a base provider re-installed (new
 * IDs) under another vendor's chains, failed at every one of its
 * operations. Each failure must roll back to the old machine: the chains
 * pointed at the old entries again and every entry in its old place. */
START_TEST (base_upgrade_under_dependents_rolls_back_at_every_operation)
{
  const char *setup[] = { "northwind-mesh-1.xml", "fabrikam-mesh-inspector.xml", "adatum-stack-32.xml" };
  g_autoptr(WsiMachine) machine = wsi_test_load_reference (reference_machines[_i]);
  g_autoptr(WsiManifest) upgrade = wsi_test_load_lifecycle ("northwind-mesh-2.xml");
  g_autofree char *dir = journal_dir ();
  g_autofree char *journal = g_build_filename (dir, "upgrade.journal", NULL);
  g_autoptr(GHashTable) healthy = NULL;
  guint n_ops = 0, rolled_back = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (setup); i++)
    {
      g_autoptr(WsiManifest) m = wsi_test_load_lifecycle (setup[i]);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiPlan) plan = wsi_plan_build (machine, &m, 1, 0, diags);
      g_autoptr(WsiBackend) mem = wsi_backend_memory_new (machine);
      ck_assert_msg (plan != NULL, "%s", wsi_test_diags_to_string (diags));
      ck_assert_int_eq (wsi_txn_apply (mem, plan, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
      wsi_machine_free (machine);
      machine = wsi_machine_copy (wsi_backend_memory_get_machine (mem));
    }
  healthy = check_errors (machine);
  {
    /* How many operations the upgrade makes. */
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    g_autoptr(WsiPlan) plan = wsi_plan_build (machine, &upgrade, 1, 0, diags);
    g_autoptr(WsiBackend) mem = wsi_backend_memory_new (machine);
    ck_assert_msg (plan != NULL, "%s", wsi_test_diags_to_string (diags));
    ck_assert_int_eq (wsi_txn_apply (mem, plan, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
    n_ops = mem->n_operations;
  }
  ck_assert_uint_gt (n_ops, 3);
  for (guint n = 1; n <= n_ops + 1; n++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiPlan) plan = wsi_plan_build (machine, &upgrade, 1, 0, diags);
      WsiBackend *mem = wsi_backend_memory_new (machine);
      g_autofree char *spec = g_strdup_printf ("fail:%u", n);
      g_autoptr(WsiBackend) faulty = wsi_backend_fault_new (mem, spec, NULL);
      g_autoptr(GError) error = NULL;
      WsiTxnOutcome outcome = wsi_txn_apply (faulty, plan, journal, NULL, NULL, &error);
      const WsiMachine *after = wsi_backend_memory_get_machine (mem);
      g_autoptr(GHashTable) errors = check_errors (after);
      GHashTableIter it;
      gpointer key;

      ck_assert_int_ne (outcome, WSI_TXN_ROLLBACK_INCOMPLETE);
      g_hash_table_iter_init (&it, errors);
      while (g_hash_table_iter_next (&it, &key, NULL))
        ck_assert_msg (g_hash_table_contains (healthy, key), "fail:%u leaves %s", n, (const char *) key);
      if (outcome == WSI_TXN_ROLLED_BACK)
        {
          g_autoptr(WsiDiff) diff = wsi_machine_diff (machine, after);
          g_autofree char *text = wsi_diff_to_text (diff);
          ck_assert_msg (wsi_diff_is_equivalent (diff), "fail:%u did not roll back to the old machine:\n%s", n, text);
          rolled_back++;
        }
    }
  /* Every operation but the ones past the end failed and rolled back. */
  ck_assert_uint_eq (rolled_back, n_ops);
  wsi_test_rmtree (dir);
}
END_TEST

/* ---- MSI major upgrades, through the custom action's entry point ---- */

static void
msi_log (const char *line, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (line));
}

static gboolean
log_has (GPtrArray *log, const char *needle)
{
  for (guint i = 0; i < log->len; i++)
    if (strstr (g_ptr_array_index (log, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* One custom action run on the simulated machine: the machine is written
 * to a snapshot next to the journal, the action runs on it as it would on
 * Windows' catalogs, and the snapshot is read back. */
static WsiMsiOutcome
msi_run (WsiMachine **machine, WsiMsiAction action, const char *manifest, const char *journal, GPtrArray *log)
{
  g_autofree char *snapshot = g_strconcat (journal, ".machine.xml", NULL);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiBackend) backend = NULL;
  g_autoptr(WsiMsiData) data = wsi_msi_data_new ();
  g_autofree char *rel = g_strdup_printf ("lifecycle/%s", manifest);
  g_autoptr(GError) error = NULL;
  WsiMsiCallbacks cb = { msi_log, NULL, log };
  WsiMsiOutcome outcome;

  ck_assert_msg (wsi_snapshot_save (*machine, snapshot, &error), "%s", error != NULL ? error->message : "");
  backend = wsi_backend_sim_new (snapshot, diags);
  ck_assert_msg (backend != NULL, "%s", wsi_test_diags_to_string (diags));
  data->action = action;
  g_ptr_array_add (data->manifests, wsi_test_data_path (rel));
  data->journal = g_strdup (journal);
  outcome = wsi_test_msi_run (backend, data, &cb, &error);
  g_clear_pointer (&backend, wsi_backend_free);
  wsi_machine_free (*machine);
  *machine = wsi_snapshot_load_file (snapshot, diags);
  ck_assert_msg (*machine != NULL, "%s", wsi_test_diags_to_string (diags));
  g_unlink (snapshot);
  return outcome;
}

static void
assert_version (const WsiMachine *machine, const char *product, const char *want)
{
  g_autofree char *have = version_of (machine, product);
  ck_assert_str_eq (have != NULL ? have : "(none)", want);
}

static void
assert_healthy (const WsiMachine *start, const WsiMachine *now)
{
  g_autoptr(GHashTable) before = check_errors (start);
  g_autoptr(GHashTable) after = check_errors (now);
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, after);
  while (g_hash_table_iter_next (&it, &key, NULL))
    ck_assert_msg (g_hash_table_contains (before, key), "new catalog error: %s", (const char *) key);
}

/* The layer @name of the product, with @categories, in every catalog. */
static void
assert_layer (const WsiMachine *machine, const char *manifest, guint32 categories)
{
  g_autoptr(WsiManifest) m = wsi_test_load_lifecycle (manifest);
  const WsiManifestLayer *l = g_ptr_array_index (m->layers, 0);
  WsiBitness b = wsi_machine_peek_catalog (machine, WSI_CATALOG_64) != NULL && m->target.profile == WSI_PROFILE_DESKTOP_X64
                   ? WSI_CATALOG_64 : WSI_CATALOG_32;
  const WsiEntry *e = layered_entry (wsi_machine_peek_catalog (machine, b), &l->guid);

  ck_assert_msg (e != NULL, "%s: its layer is gone", manifest);
  ck_assert_uint_eq (e->lsp_categories, categories);
}

static const char *const msi_machines[] = { "win10-x64", "win10-1709-x64", "win81-x64" };

/* RemoveExistingProducts early: the old package uninstalls, then the new
 * one installs. */
START_TEST (msi_upgrade_old_uninstall_then_new_install)
{
  g_autoptr(WsiMachine) start = wsi_test_load_reference (msi_machines[_i]);
  g_autoptr(WsiMachine) m = wsi_machine_copy (start);
  g_autofree char *dir = journal_dir ();
  g_autofree char *journal = g_build_filename (dir, "msi.journal", NULL);
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);

  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "contoso-shield-1.xml", journal, log), WSI_MSI_DONE);
  assert_version (m, "contoso-shield", "1.0");
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_UNINSTALL, "contoso-shield-1.xml", journal, log), WSI_MSI_DONE);
  assert_version (m, "contoso-shield", "(none)");
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "contoso-shield-2.xml", journal, log), WSI_MSI_DONE);
  assert_version (m, "contoso-shield", "2.0");
  assert_layer (m, "contoso-shield-2.xml", WSI_LSP_INSPECTOR | WSI_LSP_FIREWALL);
  assert_healthy (start, m);
  wsi_test_rmtree (dir);
}
END_TEST

/* RemoveExistingProducts after InstallExecute/InstallFinalize: the new
 * package installs over the old one, then the old package's uninstall runs
 * and must leave the newer version installed. */
START_TEST (msi_upgrade_new_install_then_old_uninstall)
{
  g_autoptr(WsiMachine) start = wsi_test_load_reference (msi_machines[_i]);
  g_autoptr(WsiMachine) m = wsi_machine_copy (start);
  g_autoptr(WsiMachine) upgraded = NULL;
  g_autofree char *dir = journal_dir ();
  g_autofree char *journal = g_build_filename (dir, "msi.journal", NULL);
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);

  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "contoso-shield-1.xml", journal, log), WSI_MSI_DONE);
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "northwind-mesh-1.xml", journal, log), WSI_MSI_DONE);
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "fabrikam-mesh-inspector.xml", journal, log), WSI_MSI_DONE);
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "contoso-shield-2.xml", journal, log), WSI_MSI_DONE);
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_INSTALL, "northwind-mesh-2.xml", journal, log), WSI_MSI_DONE);
  upgraded = wsi_machine_copy (m);
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_UNINSTALL, "contoso-shield-1.xml", journal, log), WSI_MSI_DONE);
  ck_assert_int_eq (msi_run (&m, WSI_MSI_ACTION_UNINSTALL, "northwind-mesh-1.xml", journal, log), WSI_MSI_DONE);
  /* The log says why nothing was removed, with the tag. */
  ck_assert (log_has (log, "newer-version-installed"));
  {
    g_autoptr(WsiDiff) diff = wsi_machine_diff (upgraded, m);
    g_autofree char *text = wsi_diff_to_text (diff);
    ck_assert_msg (wsi_diff_is_equivalent (diff), "the old packages' uninstall changed the machine:\n%s", text);
  }
  assert_version (m, "contoso-shield", "2.0");
  assert_version (m, "northwind-mesh", "2.0");
  assert_layer (m, "contoso-shield-2.xml", WSI_LSP_INSPECTOR | WSI_LSP_FIREWALL);
  assert_healthy (start, m);
  wsi_test_rmtree (dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("lifecycle");
  TCase *lc = tcase_create ("lifecycle");
  TCase *msi = tcase_create ("msi-upgrades");

  /* The whole run's budget: meson gives the suite its own timeout. */
  tcase_set_timeout (lc, 600);
  tcase_add_loop_test (lc, random_lifecycles_never_break_a_network, 0, G_N_ELEMENTS (reference_machines));
  tcase_add_loop_test (lc, base_upgrade_under_dependents_rolls_back_at_every_operation, 0,
                       G_N_ELEMENTS (reference_machines));
  suite_add_tcase (s, lc);
  tcase_add_loop_test (msi, msi_upgrade_old_uninstall_then_new_install, 0, G_N_ELEMENTS (msi_machines));
  tcase_add_loop_test (msi, msi_upgrade_new_install_then_old_uninstall, 0, G_N_ELEMENTS (msi_machines));
  suite_add_tcase (s, msi);
  return wsi_test_run_suite (s);
}
