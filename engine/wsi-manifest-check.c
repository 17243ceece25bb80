/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-manifest-check.c: the rules the XSD cannot express. References are
 * resolved first (the planner gets pointers, never dangling ids); then each
 * item is checked against Windows' limits and the platform profile; last
 * the layers are checked as a graph (cycles, stacking depth, IFS order).
 * The model holds only the usable items; what was left out (the skips) is
 * never reported again as missing or undeclared, and without a usable
 * <target> the checks that depend on the profile do not run. */
#include "wsi-manifest-load-private.h"

#include <string.h>

#include "wsi-entry.h"
#include "wsi-flags.h"
#include "wsi-policy.h"

typedef struct {
  WsiManifest            *manifest;
  const WsiManifestSkips *skips;
  WsiDiagList            *diags;
} WsiCheck;

/* A reference to an item that was left out is not undeclared: the item's
 * own mistake was reported where it is. */
static gboolean
wsi_check_skipped (WsiCheck *c, const char *id)
{
  return id != NULL && c->skips->skipped_ids != NULL && g_hash_table_contains (c->skips->skipped_ids, id);
}

/* A layer whose <chain> was left out has a chain, as far as anyone knows. */
static gboolean
wsi_check_chain_skipped (WsiCheck *c, const char *layer_id)
{
  return layer_id != NULL && c->skips->skipped_chain_layers != NULL
         && g_hash_table_contains (c->skips->skipped_chain_layers, layer_id);
}

static void wsi_check_report (WsiCheck *c, const char *tag, int line, const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
wsi_check_report (WsiCheck *c, const char *tag, int line, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (c->diags, tag, c->manifest->file, line, format, args);
  va_end (args);
}

/* --- unique ids, GUIDs and registry names --- */

typedef struct {
  int         line;
  const char *key;       /* id or registry name */
  WsiGuid     guid;
  const char *what;      /* "base-provider", ... */
} WsiDeclared;

static gint
wsi_declared_by_line (gconstpointer a, gconstpointer b)
{
  const WsiDeclared *x = a, *y = b;
  return (x->line > y->line) - (x->line < y->line);
}

static WsiDeclared *
wsi_declared_add (GArray *out, int line, const char *key, const WsiGuid *guid, const char *what)
{
  WsiDeclared d = { .line = line, .key = key, .what = what };

  if (guid != NULL)
    d.guid = *guid;
  g_array_append_val (out, d);
  return &g_array_index (out, WsiDeclared, out->len - 1);
}

/* Reports the later of two equal keys, so the first declaration stands and
 * the author is pointed at the copy. */
static void
wsi_check_unique_keys (WsiCheck *c, GArray *items, gboolean fold_case, const char *tag, const char *label)
{
  g_autoptr(GHashTable) seen = NULL;

  if (items->len < 2)
    return;   /* nothing to compare: most lists of most manifests */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_array_sort (items, wsi_declared_by_line);
  for (guint i = 0; i < items->len; i++)
    {
      const WsiDeclared *d = &g_array_index (items, WsiDeclared, i);
      char *key;
      gpointer first;

      if (d->key == NULL)
        continue;
      key = fold_case ? g_utf8_casefold (d->key, -1) : g_strdup (d->key);
      first = g_hash_table_lookup (seen, key);
      if (first != NULL)
        {
          wsi_check_report (c, tag, d->line, "%s '%s' is already used on line %d", label, d->key,
                            GPOINTER_TO_INT (first));
          g_free (key);
          continue;
        }
      g_hash_table_insert (seen, key, GINT_TO_POINTER (d->line));
    }
}

static void
wsi_check_ids (WsiCheck *c)
{
  WsiManifest *m = c->manifest;
  g_autoptr(GArray) ids = g_array_new (FALSE, TRUE, sizeof (WsiDeclared));
  g_autoptr(GArray) transports = g_array_new (FALSE, TRUE, sizeof (WsiDeclared));
  g_autoptr(GArray) registrations = g_array_new (FALSE, TRUE, sizeof (WsiDeclared));
  g_autoptr(GArray) names = g_array_new (FALSE, TRUE, sizeof (WsiDeclared));

  for (guint i = 0; i < m->providers->len; i++)
    {
      WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      wsi_declared_add (ids, p->line, p->id, NULL, NULL);
      if (p->san)
        wsi_declared_add (registrations, p->line, p->san_registration, NULL, NULL);
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      wsi_declared_add (ids, l->line, l->id, NULL, NULL);
      wsi_declared_add (names, l->line, l->name, NULL, NULL);
    }
  for (guint i = 0; i < m->wsh_helpers->len; i++)
    {
      WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, i);
      wsi_declared_add (transports, h->line, h->transport, NULL, NULL);
    }
  wsi_check_unique_keys (c, ids, FALSE, "duplicate-id", "id");
  wsi_check_unique_keys (c, names, FALSE, "duplicate-name", "layer name");
  /* Registry key and value names are case insensitive. */
  wsi_check_unique_keys (c, transports, TRUE, "duplicate-id", "WSH transport");
  wsi_check_unique_keys (c, registrations, TRUE, "duplicate-id", "TCP on SAN registration");
}

#define WSI_CHECK_GUIDS_PAIRWISE 32

static void
wsi_check_guids (WsiCheck *c)
{
  WsiManifest *m = c->manifest;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WsiDeclared));
  g_autoptr(GHashTable) seen = NULL;

  for (guint i = 0; i < m->providers->len; i++)
    {
      WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      wsi_declared_add (items, p->line, NULL, &p->guid, p->san ? "san-provider" : "base-provider");
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      wsi_declared_add (items, l->line, NULL, &l->guid, "layered-provider");
    }
  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
      for (guint k = 0; k < ch->entry_guids->len; k++)
        {
          WsiManifestEntryGuid *eg = g_ptr_array_index (ch->entry_guids, k);
          wsi_declared_add (items, eg->line, NULL, &eg->guid, "entry-guid");
        }
    }
  g_array_sort (items, wsi_declared_by_line);
  /* A manifest declares a few GUIDs: comparing them pairwise is cheaper
   * than a table, which only pays for itself past a few dozen. */
  if (items->len > WSI_CHECK_GUIDS_PAIRWISE)
    seen = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal, g_free, NULL);
  for (guint i = 0; i < items->len; i++)
    {
      const WsiDeclared *d = &g_array_index (items, WsiDeclared, i);
      gpointer first = NULL;
      char text[WSI_GUID_STRING_LEN + 1];

      if (seen != NULL)
        first = g_hash_table_lookup (seen, &d->guid);
      else
        for (guint k = 0; k < i && first == NULL; k++)
          {
            const WsiDeclared *e = &g_array_index (items, WsiDeclared, k);
            /* The first earlier use: the line the table would keep. */
            if (wsi_guid_equal (&e->guid, &d->guid))
              first = GINT_TO_POINTER (e->line);
          }

      if (first != NULL)
        {
          wsi_guid_format (&d->guid, text);
          wsi_check_report (c, "duplicate-guid", d->line, "%s GUID %s is already used on line %d", d->what, text,
                            GPOINTER_TO_INT (first));
          continue;
        }
      if (seen != NULL)
        g_hash_table_insert (seen, g_memdup2 (&d->guid, sizeof d->guid), GINT_TO_POINTER (d->line));
    }
}

/* --- references --- */

static void
wsi_check_references (WsiCheck *c)
{
  WsiManifest *m = c->manifest;

  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);

      ch->layer = wsi_manifest_find_layer (m, ch->layer_id);
      if (ch->layer == NULL && !wsi_check_skipped (c, ch->layer_id))
        wsi_check_report (c, "reference-undeclared", ch->line, "layer=\"%s\" names no layered-provider%s", ch->layer_id,
                          wsi_manifest_find_provider (m, ch->layer_id) != NULL ? " (it is a base or SAN provider)" : "");
      /* Without <entry-guids>, chain-entry GUIDs derive from the layer's
       * own GUID: stable for the product, distinct between vendors. */
      else if (ch->layer != NULL && ch->guid_rule == WSI_GUID_RULE_DERIVE && ch->guid_rule_line == 0)
        ch->guid_namespace = ch->layer->guid;

      if (ch->relative_to != NULL && ch->relative_kind != WSI_RELATIVE_GUID)
        {
          ch->relative_provider = wsi_manifest_find_provider (m, ch->relative_to);
          ch->relative_layer = wsi_manifest_find_layer (m, ch->relative_to);
          if (ch->relative_provider != NULL)
            ch->relative_kind = WSI_RELATIVE_PROVIDER;
          else if (ch->relative_layer != NULL)
            ch->relative_kind = WSI_RELATIVE_LAYER;
          else if (!wsi_check_skipped (c, ch->relative_to))
            wsi_check_report (c, "reference-undeclared", ch->line,
                              "relative-to=\"%s\" names no provider or layer of this manifest (use a {GUID} for one on the machine)",
                              ch->relative_to);
        }

      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);

          if (s->kind == WSI_SELECTOR_PROVIDER)
            {
              s->provider = wsi_manifest_find_provider (m, s->ref);
              if (s->provider == NULL && !wsi_check_skipped (c, s->ref))
                wsi_check_report (c, "reference-undeclared", s->line, "provider=\"%s\" names no base-provider or san-provider%s",
                                  s->ref, wsi_manifest_find_layer (m, s->ref) != NULL ? " (it is a layer: use chains-of=)" : "");
            }
          else if (s->kind == WSI_SELECTOR_CHAINS_OF)
            {
              s->layer = wsi_manifest_find_layer (m, s->ref);
              if (s->layer == NULL && !wsi_check_skipped (c, s->ref))
                wsi_check_report (c, "reference-undeclared", s->line, "chains-of=\"%s\" names no layered-provider%s",
                                  s->ref, wsi_manifest_find_provider (m, s->ref) != NULL ? " (it is a provider: use provider=)" : "");
            }
        }
    }
}

/* --- values against Windows' limits --- */

/* WSAPROTOCOL_LEN counts WCHARs: a character outside the BMP takes two. */
static glong
wsi_utf16_length (const char *text)
{
  glong n = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

static void
wsi_check_name (WsiCheck *c, const char *name, int line, const char *what)
{
  glong len = wsi_utf16_length (name);

  if (len > WSI_PROTOCOL_LEN)
    wsi_check_report (c, "name-too-long", line, "%s name has %ld characters; at most %d fit", what, len, WSI_PROTOCOL_LEN);
}

/* Absolute on desktop Windows: a drive ("C:\"), a UNC or \\?\ path, or a
 * leading environment variable that expands to one ("%SystemRoot%\...",
 * the form Microsoft's own entries use). On CE there are no drives: a path
 * starts at the root ("\Windows\x.dll"). */
static gboolean
wsi_path_is_absolute (const char *path, WsiProfile profile)
{
  if (profile == WSI_PROFILE_CE)
    return path[0] == '\\' && path[1] != '\\';
  if (g_ascii_isalpha (path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
    return TRUE;
  if (path[0] == '\\' && path[1] == '\\' && path[2] != '\0' && path[2] != '\\')
    return TRUE;
  if (path[0] == '%')
    {
      const char *end = strchr (path + 1, '%');
      if (end == NULL || end == path + 1)
        return FALSE;
      for (const char *p = path + 1; p < end; p++)
        if (*p == '=' || *p == '\\' || *p == '/')
          return FALSE;
      return end[1] == '\\' || end[1] == '/' || end[1] == '\0';
    }
  return FALSE;
}

static void
wsi_check_path (WsiCheck *c, const char *path, int line, const char *attr)
{
  glong len;

  /* Where a path may point depends on the profile. */
  if (path == NULL || !c->skips->target_known)
    return;
  /* The packed catalog item keeps the path in CHAR[260] with its NUL. */
  len = g_utf8_strlen (path, -1);
  if (len > WSI_MAX_PATH - 1)
    wsi_check_report (c, "path-too-long", line, "%s= has %ld characters; at most %d fit", attr, len, WSI_MAX_PATH - 1);
  if (!wsi_path_is_absolute (path, c->manifest->target.profile))
    wsi_check_report (c, "path-not-absolute", line,
                      c->manifest->target.profile == WSI_PROFILE_CE ? "%s=\"%s\" is not absolute (CE paths start with \\)"
                                                                    : "%s=\"%s\" is not absolute",
                      attr, path);
  else
    {
      /* Where the DLL may live (wsi-policy.h): every Winsock process loads it. */
      g_autofree char *reason = NULL;
      const char *tag = wsi_policy_dll_path_problem (c->manifest->target.profile, path, &reason);
      if (tag != NULL)
        wsi_check_report (c, tag, line, "%s=: %s", attr, reason);
    }
}

/* path/path32 of a provider or a layer, against the profile. */
static void
wsi_check_dll_paths (WsiCheck *c, const char *path, const char *path32, int line)
{
  const WsiManifestTarget *t = &c->manifest->target;

  wsi_check_path (c, path, line, "path");
  wsi_check_path (c, path32, line, "path32");
  if (!c->skips->target_known)
    return;
  if (t->profile != WSI_PROFILE_DESKTOP_X64 && path32 != NULL)
    wsi_check_report (c, "profile-conflict", line, "path32= is for desktop-x64; %s has one catalog and uses path=",
                      wsi_profile_to_string (t->profile));
  if (t->profile == WSI_PROFILE_DESKTOP_X64 && (t->catalogs & WSI_MANIFEST_CATALOG_32) && path32 == NULL)
    wsi_check_report (c, "path32-missing", line, "the 32-bit catalog is targeted but path32= is missing");
}

static void
wsi_check_sockaddr (WsiCheck *c, gint32 min, gint32 max, int line)
{
  if (min > max)
    wsi_check_report (c, "sockaddr-range-invalid", line, "min-sockaddr %d is larger than max-sockaddr %d", min, max);
}

static void
wsi_check_target (WsiCheck *c)
{
  const WsiManifestTarget *t = &c->manifest->target;

  if (!c->skips->target_known)
    return;
  if (t->profile != WSI_PROFILE_DESKTOP_X64 && (t->catalogs & WSI_MANIFEST_CATALOG_64))
    wsi_check_report (c, "profile-conflict", t->line, "%s has only one catalog (32); catalogs=%s needs desktop-x64",
                      wsi_profile_to_string (t->profile), t->catalogs == WSI_MANIFEST_CATALOG_BOTH ? "both" : "64");
  if (t->profile != WSI_PROFILE_DESKTOP_X64 && t->allow_64_32)
    wsi_check_report (c, "profile-conflict", t->line, "allow-64-32 needs desktop-x64 (WSCInstallProvider64_32 exists only there)");
  else if (t->allow_64_32 && t->catalogs != WSI_MANIFEST_CATALOG_BOTH)
    wsi_check_report (c, "manifest-invalid-value", t->line, "allow-64-32 writes both catalogs; it needs catalogs=\"both\"");
}

static void
wsi_check_providers (WsiCheck *c)
{
  WsiManifest *m = c->manifest;

  for (guint i = 0; i < m->providers->len; i++)
    {
      WsiManifestProvider *p = g_ptr_array_index (m->providers, i);

      wsi_check_dll_paths (c, p->path, p->path32, p->line);
      if (p->san && c->skips->target_known && m->target.profile == WSI_PROFILE_CE)
        wsi_check_report (c, "profile-conflict", p->line, "Windows CE has no Windows Sockets switch for SAN providers");
      for (guint k = 0; k < p->protocols->len; k++)
        {
          WsiManifestProtocol *proto = g_ptr_array_index (p->protocols, k);

          wsi_check_name (c, proto->name, proto->line, "protocol");
          wsi_check_sockaddr (c, proto->min_sockaddr, proto->max_sockaddr, proto->line);
          /* Seed 002: the switch reaches a SAN provider; applications must
           * not, so its entries are PFL_HIDDEN. */
          if (p->san && !(proto->provider_flags & WSI_PFL_HIDDEN))
            wsi_check_report (c, "san-provider-not-hidden", proto->line,
                              "protocol '%s' of SAN provider '%s' lacks HIDDEN in provider-flags", proto->name, p->id);
        }
    }
}

static void
wsi_check_layers (WsiCheck *c)
{
  WsiManifest *m = c->manifest;

  for (guint i = 0; i < m->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (m->layers, i);

      wsi_check_name (c, l->name, l->line, "layer");
      wsi_check_dll_paths (c, l->path, l->path32, l->line);
      if (!c->skips->target_known)
        continue;
      if (m->target.profile == WSI_PROFILE_CE)
        {
          /* WSCSetProviderInfo (and so categories) does not exist on CE. */
          if (l->categories != 0)
            wsi_check_report (c, "profile-conflict", l->line, "LSP categories do not exist on Windows CE");
        }
      else if (l->categories == 0)
        wsi_check_report (c, "uncategorized-lsp", l->line, "layer '%s' declares no categories", l->id);
    }
}

/* A layer without chains installs a layered entry nothing uses; stacking
 * on such a layer selects nothing, which is certain before any machine is
 * looked at. */
static void
wsi_check_unused_layers (WsiCheck *c)
{
  WsiManifest *m = c->manifest;
  g_autoptr(GHashTable) chained = NULL;

  /* Without layers no selector names one (it would be unresolved): there
   * is nothing to check, and most manifests have none. */
  if (m->layers->len == 0)
    return;
  chained = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
      if (ch->layer != NULL)
        g_hash_table_add (chained, ch->layer);
    }
  for (guint i = 0; i < m->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      if (!g_hash_table_contains (chained, l) && !wsi_check_chain_skipped (c, l->id))
        wsi_check_report (c, "layer-without-chain", l->line, "layer '%s' has no <chain>", l->id);
    }
  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);
          if (s->kind == WSI_SELECTOR_CHAINS_OF && s->layer != NULL && !s->optional
              && !g_hash_table_contains (chained, s->layer) && !wsi_check_chain_skipped (c, s->layer->id))
            wsi_check_report (c, "selector-unresolved", s->line, "chains-of=\"%s\" selects nothing: that layer has no <chain>",
                              s->layer->id);
        }
    }
}

static void
wsi_check_wsh_helpers (WsiCheck *c)
{
  WsiManifest *m = c->manifest;

  for (guint i = 0; i < m->wsh_helpers->len; i++)
    {
      WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, i);
      wsi_check_path (c, h->dll, h->line, "dll");
      wsi_check_sockaddr (c, h->min_sockaddr, h->max_sockaddr, h->line);
    }
}

/* The registry values the planner will write for this manifest must pass
 * the write policy (wsi-policy.h): a transport named "..", "Winsock", one
 * of Windows' own (AFD, Tcpip, ...) or with control characters, or a SAN
 * registration name with them, is caught here rather than at install time. */
static void
wsi_check_registry_writes (WsiCheck *c)
{
  WsiManifest *m = c->manifest;

  for (guint i = 0; i < m->wsh_helpers->len; i++)
    {
      WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, i);
      g_autofree char *key = g_strconcat (h->transport != NULL ? h->transport : "", "\\Parameters\\Winsock", NULL);
      g_autoptr(GError) error = NULL;
      if (!wsi_policy_check_registry_write (m, key, WSI_REG_NAME_HELPER_DLL_NAME, &error))
        {
          WsiDiag *d = wsi_diag_list_add (c->diags, "registry-write-denied", m->file, h->line, "transport=\"%s\": %s",
                                          h->transport, error->message);
          if (wsi_policy_transport_is_windows (h->transport))
            wsi_diag_set_hint (d, "%s is a transport of Windows, configured by Windows itself; transport= names the "
                               "service key of your own transport driver.", h->transport);
        }
    }
  for (guint i = 0; i < m->providers->len; i++)
    {
      WsiManifestProvider *p = g_ptr_array_index (m->providers, i);
      g_autoptr(GError) error = NULL;
      if (p->san && !wsi_policy_check_registry_write (m, WSI_REG_KEY_TCP_ON_SAN, p->san_registration, &error))
        wsi_check_report (c, "registry-write-denied", p->line, "registration=: %s", error->message);
    }
}

/* --- the layers as a graph --- */

/* Selectors that put a layer over itself: its own chains, or its own
 * layered entry or chain entries by GUID. Windows refuses a chain holding
 * the same layered protocol twice. */
static gboolean
wsi_check_self_layering (WsiCheck *c)
{
  WsiManifest *m = c->manifest;
  gboolean ok = TRUE;

  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);

      if (ch->layer == NULL)
        continue;
      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);
          WsiManifestLayer *owner;

          if (s->kind == WSI_SELECTOR_CHAINS_OF && s->layer == ch->layer)
            {
              wsi_check_report (c, "duplicate-layer-in-chain", s->line, "layer '%s' is put over its own chains", ch->layer->id);
              ok = FALSE;
              continue;
            }
          if (s->kind != WSI_SELECTOR_GUID)
            continue;
          owner = wsi_manifest_find_layer_guid (m, &s->guid);
          for (guint j = 0; owner == NULL && j < m->chains->len; j++)
            {
              WsiManifestChain *other = g_ptr_array_index (m->chains, j);
              for (guint e = 0; e < other->entry_guids->len; e++)
                if (wsi_guid_equal (&((WsiManifestEntryGuid *) g_ptr_array_index (other->entry_guids, e))->guid, &s->guid))
                  owner = other->layer;
            }
          if (owner == ch->layer)
            {
              wsi_check_report (c, "duplicate-layer-in-chain", s->line, "layer '%s' is put over its own entries by GUID",
                                ch->layer->id);
              ok = FALSE;
            }
          else if (owner != NULL && wsi_manifest_find_layer_guid (m, &s->guid) == owner)
            wsi_check_report (c, "selector-invalid", s->line,
                              "guid= names layer '%s' of this manifest, whose layered entry is never a target; use chains-of=\"%s\"",
                              owner->id, owner->id);
        }
    }
  return ok;
}

typedef struct {
  WsiManifestLayer *from;
  WsiManifestLayer *to;
  int               line;
} WsiEdge;

enum { WSI_WHITE, WSI_GREY, WSI_BLACK };

static gboolean
wsi_check_visit (WsiCheck *c, GArray *edges, WsiManifestLayer *layer, GHashTable *colour, const char *relation)
{
  gboolean ok = TRUE;

  g_hash_table_insert (colour, layer, GINT_TO_POINTER (WSI_GREY));
  for (guint i = 0; i < edges->len; i++)
    {
      const WsiEdge *e = &g_array_index (edges, WsiEdge, i);
      int state;

      if (e->from != layer)
        continue;
      state = GPOINTER_TO_INT (g_hash_table_lookup (colour, e->to));
      if (state == WSI_GREY)
        {
          wsi_check_report (c, "dependency-cycle", e->line, "layer '%s' %s '%s', which leads back to '%s'",
                            e->from->id, relation, e->to->id, e->from->id);
          ok = FALSE;
        }
      else if (state == WSI_WHITE)
        ok &= wsi_check_visit (c, edges, e->to, colour, relation);
    }
  g_hash_table_insert (colour, layer, GINT_TO_POINTER (WSI_BLACK));
  return ok;
}

/* One diagnostic per cycle, at the edge that closes it (depth first from
 * the layers in document order, so the report is stable). */
static gboolean
wsi_check_cycles (WsiCheck *c, GArray *edges, const char *relation)
{
  WsiManifest *m = c->manifest;
  g_autoptr(GHashTable) colour = NULL;
  gboolean ok = TRUE;

  /* No edge, no cycle. */
  if (edges->len == 0)
    return TRUE;
  colour = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < m->layers->len; i++)
    {
      WsiManifestLayer *l = g_ptr_array_index (m->layers, i);
      if (GPOINTER_TO_INT (g_hash_table_lookup (colour, l)) == WSI_WHITE)
        ok &= wsi_check_visit (c, edges, l, colour, relation);
    }
  return ok;
}

static void
wsi_edge_add (GArray *edges, WsiManifestLayer *from, WsiManifestLayer *to, int line)
{
  WsiEdge e = { .from = from, .to = to, .line = line };
  g_array_append_val (edges, e);
}

/* The longest chain a layer's <chain>s create, counting its own entry.
 * What a machine selector matches is at least a base protocol (1); its real
 * length is checked at plan time against the catalog. */
static int
wsi_layer_depth (WsiManifest *m, WsiManifestLayer *layer, GHashTable *memo)
{
  gpointer cached = g_hash_table_lookup (memo, layer);
  int depth = 1;

  if (cached != NULL)
    return GPOINTER_TO_INT (cached);
  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
      if (ch->layer != layer)
        continue;
      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);
          int below = s->kind == WSI_SELECTOR_CHAINS_OF && s->layer != NULL ? wsi_layer_depth (m, s->layer, memo) : 1;
          depth = MAX (depth, below + 1);
        }
    }
  g_hash_table_insert (memo, layer, GINT_TO_POINTER (depth));
  return depth;
}

/* Does a chain of @layer (or a chain it stacks on) hold a non-IFS layer? */
static gboolean
wsi_layer_has_non_ifs (WsiManifest *m, WsiManifestLayer *layer)
{
  if (!layer->ifs)
    return TRUE;
  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
      if (ch->layer != layer)
        continue;
      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);
          if (s->kind == WSI_SELECTOR_CHAINS_OF && s->layer != NULL && wsi_layer_has_non_ifs (m, s->layer))
            return TRUE;
        }
    }
  return FALSE;
}

static void
wsi_check_graph (WsiCheck *c)
{
  WsiManifest *m = c->manifest;
  g_autoptr(GArray) stacking = g_array_new (FALSE, TRUE, sizeof (WsiEdge));
  g_autoptr(GArray) order = g_array_new (FALSE, TRUE, sizeof (WsiEdge));
  g_autoptr(GHashTable) depth = NULL;
  gboolean acyclic;

  acyclic = wsi_check_self_layering (c);
  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);

      if (ch->layer == NULL)
        continue;
      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);
          if (s->kind == WSI_SELECTOR_CHAINS_OF && s->layer != NULL && s->layer != ch->layer)
            wsi_edge_add (stacking, ch->layer, s->layer, s->line);
        }
      /* "above" edges: a chain before X sits above X; after X, below it. */
      if (ch->relative_kind == WSI_RELATIVE_LAYER && ch->relative_layer != NULL)
        {
          if (ch->position == WSI_POSITION_BEFORE)
            wsi_edge_add (order, ch->layer, ch->relative_layer, ch->line);
          else
            wsi_edge_add (order, ch->relative_layer, ch->layer, ch->line);
        }
    }
  acyclic &= wsi_check_cycles (c, stacking, "is stacked on");
  wsi_check_cycles (c, order, "is ordered relative to");
  /* Depths are of layers: a manifest without any has no chain to
   * measure. */
  if (!acyclic || m->layers->len == 0)
    return;
  depth = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < m->chains->len; i++)
    {
      WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
      int longest_below = 1;

      if (ch->layer == NULL)
        continue;
      for (guint k = 0; k < ch->selectors->len; k++)
        {
          WsiManifestSelector *s = g_ptr_array_index (ch->selectors, k);

          if (s->kind != WSI_SELECTOR_CHAINS_OF || s->layer == NULL)
            continue;
          longest_below = MAX (longest_below, wsi_layer_depth (m, s->layer, depth));
          /* An IFS provider must lie below every non-IFS layer: a non-IFS
           * layer hands out its own handles, which an IFS layer above it
           * would pass to the kernel as file handles. */
          if (ch->layer->ifs && wsi_layer_has_non_ifs (m, s->layer))
            wsi_check_report (c, "ifs-above-non-ifs", s->line, "IFS layer '%s' is put over non-IFS layer '%s'%s",
                              ch->layer->id, s->layer->id, s->layer->ifs ? " (further down its chains)" : "");
        }
      /* Report only the chain that first exceeds the limit, not every
       * layer stacked above it. */
      if (longest_below + 1 > WSI_MAX_PROTOCOL_CHAIN && longest_below <= WSI_MAX_PROTOCOL_CHAIN)
        wsi_check_report (c, "chain-too-long", ch->line,
                          "layer '%s' over a chain of %d entries gives %d; a chain holds at most %d",
                          ch->layer->id, longest_below, longest_below + 1, WSI_MAX_PROTOCOL_CHAIN);
    }
}

void
wsi_manifest_check (WsiManifest *self, const WsiManifestSkips *skips, WsiDiagList *diags)
{
  WsiCheck c = { .manifest = self, .skips = skips, .diags = diags };

  g_return_if_fail (self != NULL && skips != NULL && diags != NULL);
  wsi_check_ids (&c);
  wsi_check_guids (&c);
  wsi_check_references (&c);
  wsi_check_target (&c);
  wsi_check_providers (&c);
  wsi_check_layers (&c);
  wsi_check_unused_layers (&c);
  wsi_check_wsh_helpers (&c);
  wsi_check_registry_writes (&c);
  wsi_check_graph (&c);
}
