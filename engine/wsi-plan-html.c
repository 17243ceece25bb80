/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-html.c: a plan as a self-contained HTML report. What a socket
 * gets before and after, drawn as stacks of boxes (the protocol chain's
 * entry, its layers top first, the base protocol), then the steps with
 * their inverses. Names and paths come from manifests and from imported
 * machines: untrusted, so every one is escaped, and every one may be long
 * (a chain's name holds up to 255 characters), so it wraps inside its box. */
#include "wsi-plan-html.h"
#include "wsi-plan-private.h"
#include "wsi-display-name.h"
#include "wsi-flags.h"
#include "wsi-ownership.h"

#include <string.h>

/* No web fonts, images or scripts: the page must open from a mail
 * attachment or a CI artifact with no network. Long words (paths, names
 * without spaces) break anywhere rather than overflow; grid and flex
 * children get min-width: 0 so that they can shrink below their content. */
static const char wsi_plan_html_css[] =
  ":root{color-scheme:light;--line:#8a94a6;--layer:#e8f0fe;--base:#eceff3;--chain:#fff8e1;--new:#1e8e3e;--gone:#c5221f}"
  "*{box-sizing:border-box}"
  "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;padding:16px;max-width:1200px;color:#1f2328;background:#fff}"
  "h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #d0d7de}"
  "h3{font-size:15px;margin:0 0 8px}h4{font-size:13px;margin:0 0 4px;color:#57606a;text-transform:uppercase;letter-spacing:.04em}"
  ".t{overflow-wrap:anywhere;word-break:break-word;min-width:0}"
  ".muted{color:#57606a}"
  ".facts{margin:4px 0;padding-left:20px}"
  ".socket{border:1px solid #d0d7de;border-radius:6px;padding:12px;margin:0 0 12px}"
  ".socket.unchanged{opacity:.75}"
  ".badge{display:inline-block;font-size:11px;font-weight:600;padding:0 6px;border-radius:8px;border:1px solid currentColor;vertical-align:middle}"
  ".badge.new{color:var(--new)}.badge.removed{color:var(--gone)}.badge.same{color:#57606a}"
  ".sides{display:grid;grid-template-columns:minmax(0,1fr) 32px minmax(0,1fr);gap:8px;align-items:start}"
  ".arrow{align-self:center;color:#57606a}"
  ".side{min-width:0}"
  ".stack{display:flex;flex-direction:column;gap:0;min-width:0}"
  ".box{border:1px solid var(--line);border-radius:4px;padding:4px 8px;min-width:0;max-width:100%;overflow:hidden}"
  ".box+.box{border-top-style:dashed;border-top-left-radius:0;border-top-right-radius:0}"
  ".box:not(:last-child){border-bottom-left-radius:0;border-bottom-right-radius:0;border-bottom:none}"
  ".box.chain{background:var(--chain)}.box.layer{background:var(--layer)}.box.base{background:var(--base)}"
  ".box.none,.box.missing{background:#fff;border-style:dashed;color:var(--gone)}"
  ".box.new{box-shadow:inset 4px 0 0 var(--new)}.box.removed{box-shadow:inset 4px 0 0 var(--gone)}"
  ".name{font-weight:600}.meta{font-size:12px;color:#57606a}.path{font:12px/1.3 ui-monospace,'Cascadia Mono',Consolas,monospace}"
  ".steps{padding-left:0;list-style:none}"
  ".step{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:0 0 8px;min-width:0}"
  ".step .head{display:flex;gap:8px;flex-wrap:wrap;align-items:baseline}"
  ".num{font-weight:700}.cat,.op{font:12px ui-monospace,Consolas,monospace;background:#f6f8fa;border-radius:4px;padding:0 4px}"
  ".undo{margin-top:4px;padding-left:8px;border-left:3px solid #d0d7de}"
  ".helper{color:#8250df;font-size:12px}";

/* Text for an HTML text node or a quoted attribute value: the five
 * markup characters as entities, invalid UTF-8 and control characters
 * (which HTML does not allow as text) as U+FFFD. */
static void
wsi_html_escape (GString *out, const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;
  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        default:
          if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c < 0xa0))
            g_string_append (out, "\xEF\xBF\xBD");
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

static void
wsi_html_text (GString *out, const char *tag, const char *cls, const char *text)
{
  g_string_append_printf (out, "<%s class=\"%s\">", tag, cls);
  wsi_html_escape (out, text);
  g_string_append_printf (out, "</%s>", tag);
}

static void
wsi_html_triple_label (GString *out, gint32 af, gint32 type, gint32 protocol)
{
  const char *a = wsi_enum_name (WSI_ENUM_ADDRESS_FAMILY, af);
  const char *t = wsi_enum_name (WSI_ENUM_SOCKET_TYPE, type);
  const char *p = protocol != 0 ? wsi_enum_name (WSI_ENUM_PROTOCOL, protocol) : NULL;

  g_string_append_printf (out, "%s %s %s <span class=\"muted\">(%d, %d, %d)</span>",
                          a != NULL ? a : "af", t != NULL ? t : "type", p != NULL ? p : "protocol",
                          af, type, protocol);
}

static const char *
wsi_html_kind_word (const WsiEntry *e)
{
  switch (wsi_entry_get_kind (e))
    {
    case WSI_ENTRY_LAYERED: return "layered entry";
    case WSI_ENTRY_BASE: return "base protocol";
    case WSI_ENTRY_CHAIN: return "protocol chain";
    case WSI_ENTRY_INVALID:
    default: return "invalid entry";
    }
}

static char *
wsi_html_owner (const WsiOwnership *owners, const WsiGuid *guid)
{
  const char *product = NULL;

  switch (wsi_ownership_lookup (owners, guid, &product))
    {
    case WSI_OWNER_PRODUCT: return g_strdup_printf ("product \xE2\x80\x98%s\xE2\x80\x99", product);
    case WSI_OWNER_WINDOWS: return g_strdup ("Windows");
    case WSI_OWNER_UNKNOWN: return g_strdup ("unknown third party");
    case WSI_OWNER_NONE:
    default: return g_strdup ("nobody");
    }
}

/* The side of the page a stack is drawn for. */
typedef struct {
  const WsiCatalog   *catalog;     /* the catalog on this side */
  const WsiCatalog   *before;      /* the catalog before the plan (new entries are those not in it) */
  const WsiCatalog   *after;       /* the catalog after it (removed entries are those not in it) */
  const WsiOwnership *owners;      /* of this side's machine */
} WsiHtmlSide;

/* One box: @role is "chain", "layer" or "base". */
static void
wsi_html_box (GString *out, const WsiHtmlSide *side, guint32 id, const char *role)
{
  const WsiEntry *e = side->catalog != NULL ? wsi_catalog_find_id (side->catalog, id) : NULL;
  gboolean is_new = e != NULL && side->before != side->catalog &&
                    (side->before == NULL || wsi_catalog_find_id (side->before, id) == NULL);
  gboolean is_removed = e != NULL && side->after != side->catalog &&
                        (side->after == NULL || wsi_catalog_find_id (side->after, id) == NULL);
  g_autofree char *owner = NULL;
  g_autofree char *meta = NULL;

  if (e == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("ID %u is not in the catalog", id);
      g_string_append_printf (out, "<div class=\"box missing\" data-id=\"%u\">", id);
      wsi_html_text (out, "div", "name t", msg);
      g_string_append (out, "</div>\n");
      return;
    }
  owner = wsi_html_owner (side->owners, &e->provider_id);
  meta = g_strdup_printf ("ID %u \xC2\xB7 %s \xC2\xB7 owner: %s", e->catalog_id, wsi_html_kind_word (e), owner);
  g_string_append_printf (out, "<div class=\"box %s%s%s\" data-id=\"%u\" data-kind=\"%s\">", role,
                          is_new ? " new" : "", is_removed ? " removed" : "", e->catalog_id, role);
  wsi_html_text (out, "div", "name t", e->name != NULL ? wsi_display_name (e->name) : "(no name)");
  g_string_append (out, "<div class=\"meta t\">");
  wsi_html_escape (out, meta);
  if (is_new)
    g_string_append (out, " <span class=\"badge new\">new</span>");
  if (is_removed)
    g_string_append (out, " <span class=\"badge removed\">removed</span>");
  g_string_append (out, "</div>");
  if (e->path != NULL)
    wsi_html_text (out, "div", "path t", e->path);
  g_string_append (out, "</div>\n");
}

/* What socket() gets on one side: the entry @id, and for a chain its
 * layers (top first) and base protocol, each a box. */
static void
wsi_html_stack (GString *out, const WsiHtmlSide *side, const char *title, guint32 id, const GArray *chain)
{
  g_string_append_printf (out, "<div class=\"side %s\"><h4>%s</h4><div class=\"stack\">\n", title, title);
  if (id == 0)
    {
      g_string_append (out, "<div class=\"box none\">");
      wsi_html_text (out, "div", "name t", "No provider: socket() fails");
      g_string_append (out, "</div>\n");
    }
  else if (chain != NULL && chain->len > 1)
    {
      wsi_html_box (out, side, id, "chain");
      for (guint i = 0; i < chain->len; i++)
        wsi_html_box (out, side, g_array_index (chain, guint32, i), i + 1 < chain->len ? "layer" : "base");
    }
  else
    wsi_html_box (out, side, id, "base");
  g_string_append (out, "</div></div>\n");
}

static gboolean
wsi_html_chains_equal (const GArray *a, const GArray *b)
{
  guint na = a != NULL ? a->len : 0, nb = b != NULL ? b->len : 0;

  if (na != nb)
    return FALSE;
  return na == 0 || memcmp (a->data, b->data, na * sizeof (guint32)) == 0;
}

static void
wsi_html_preview (GString *out, const WsiPlan *plan)
{
  g_autoptr(WsiOwnership) owners_before = wsi_ownership_new (plan->before);
  g_autoptr(WsiOwnership) owners_after = wsi_ownership_new (plan->after != NULL ? plan->after : plan->before);
  const char arrow[] =
    "<svg class=\"arrow\" viewBox=\"0 0 32 32\" width=\"32\" height=\"32\" role=\"img\" aria-label=\"becomes\">"
    "<path d=\"M4 16h22M19 9l7 7-7 7\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2.5\" "
    "stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>\n";

  g_string_append (out, "<h2>What sockets get</h2>\n");
  if (plan->preview->len == 0)
    {
      g_string_append (out, "<p class=\"muted\">The plan has no before/after preview of sockets.</p>\n");
      return;
    }
  g_string_append (out, "<p class=\"muted\">For every (address family, socket type, protocol) the plan touches, "
                        "per catalog: the entry socket() gets, and for a protocol chain its layers, top first, "
                        "over the base protocol.</p>\n");
  for (guint i = 0; i < plan->preview->len; i++)
    {
      const WsiPreviewRow *row = g_ptr_array_index (plan->preview, i);
      gboolean same = row->before_id == row->after_id && wsi_html_chains_equal (row->before_chain, row->after_chain);
      WsiHtmlSide before = { NULL, NULL, NULL, owners_before };
      WsiHtmlSide after = { NULL, NULL, NULL, owners_after };

      before.catalog = wsi_machine_peek_catalog (plan->before, row->bitness);
      after.catalog = wsi_machine_peek_catalog (plan->after != NULL ? plan->after : plan->before, row->bitness);
      before.before = after.before = before.catalog;
      before.after = after.after = after.catalog;

      g_string_append_printf (out,
                              "<section class=\"socket%s\" data-catalog=\"%d\" data-af=\"%d\" data-type=\"%d\" "
                              "data-protocol=\"%d\">\n<h3>%d-bit catalog \xC2\xB7 ",
                              same ? " unchanged" : "", (int) row->bitness, row->address_family, row->socket_type,
                              row->protocol, (int) row->bitness);
      wsi_html_triple_label (out, row->address_family, row->socket_type, row->protocol);
      if (same)
        g_string_append (out, " <span class=\"badge same\">unchanged</span>");
      g_string_append (out, "</h3>\n<div class=\"sides\">\n");
      wsi_html_stack (out, &before, "before", row->before_id, row->before_chain);
      g_string_append (out, arrow);
      wsi_html_stack (out, &after, "after", row->after_id, row->after_chain);
      g_string_append (out, "</div>\n</section>\n");
    }
}

static void
wsi_html_steps (GString *out, const WsiPlan *plan)
{
  g_string_append (out, "<h2>Steps</h2>\n");
  if (wsi_plan_get_n_steps (plan) == 0)
    {
      g_string_append (out, "<p>Nothing to do: the machine already is as the manifest declares.</p>\n");
      return;
    }
  g_string_append (out, "<p class=\"muted\">In order; each with the inverse the transaction runs to undo it.</p>\n"
                        "<ol class=\"steps\">\n");
  for (guint i = 0; i < wsi_plan_get_n_steps (plan); i++)
    {
      const WsiPlanStep *step = wsi_plan_get_step (plan, i);
      const WsiPlanStep *undo = wsi_plan_step_get_undo (step);
      const char *file = wsi_plan_step_get_source_file (step);

      g_string_append_printf (out, "<li class=\"step\" id=\"step-%u\"><div class=\"head\"><span class=\"num\">%u.</span>"
                                   "<span class=\"cat\">%s</span><span class=\"op\">%s</span>",
                              i + 1, i + 1, wsi_plan_step_catalog_label (step), wsi_step_op_to_string (step->op));
      if (step->needs_32bit_process)
        g_string_append (out, "<span class=\"helper\">in the 32-bit helper</span>");
      g_string_append (out, "</div>\n");
      wsi_html_text (out, "div", "summary t", wsi_plan_step_get_summary (step));
      if (step->predicted_ids != NULL && step->predicted_ids->len > 0)
        {
          g_autoptr(GString) ids = g_string_new (step->predicted_ids->len == 1 ? "gets ID" : "gets IDs");
          for (guint k = 0; k < step->predicted_ids->len; k++)
            g_string_append_printf (ids, " %u", g_array_index (step->predicted_ids, guint32, k));
          wsi_html_text (out, "div", "ids t", ids->str);
        }
      if (file != NULL)
        {
          g_autofree char *src = g_strdup_printf ("from %s:%d", file, wsi_plan_step_get_source_line (step));
          wsi_html_text (out, "div", "src t muted", src);
        }
      if (undo != NULL)
        {
          g_autofree char *text = g_strdup_printf ("undo (%s): %s", wsi_step_op_to_string (undo->op),
                                                   wsi_plan_step_get_summary (undo) != NULL
                                                     ? wsi_plan_step_get_summary (undo) : "");
          wsi_html_text (out, "div", "undo t", text);
        }
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ol>\n");
}

char *
wsi_plan_to_html (const WsiPlan *plan)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *action;
  const char *machine;
  const char *description;
  guint n_steps;

  g_return_val_if_fail (plan != NULL, NULL);

  action = plan->repair ? "Repair" : plan->uninstall ? "Uninstall" : "Install";
  machine = plan->kind == WSI_MACHINE_CE ? "a Windows CE machine"
          : plan->kind == WSI_MACHINE_X64 ? "an x64 machine" : "an x86 machine";
  n_steps = wsi_plan_get_n_steps (plan);
  description = wsi_machine_get_description (plan->before);
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  g_string_append_printf (out, "<title>wsinstall plan: %s on %s</title>\n", action, machine);
  g_string_append_printf (out, "<style>%s</style>\n</head>\n<body>\n", wsi_plan_html_css);
  g_string_append_printf (out, "<header><h1>wsinstall plan: %s on %s</h1>\n<p class=\"muted t\">", action, machine);
  if (description != NULL && *description != '\0')
    {
      wsi_html_escape (out, description);
      g_string_append (out, " \xC2\xB7 ");
    }
  g_string_append_printf (out, "%u step%s</p>\n", n_steps, n_steps == 1 ? "" : "s");
  if (plan->strategies->len > 0 || plan->notes->len > 0)
    {
      g_string_append (out, "<ul class=\"facts\">\n");
      for (guint i = 0; i < plan->strategies->len; i++)
        {
          const WsiPlanStrategy *s = g_ptr_array_index (plan->strategies, i);
          g_autofree char *text = g_strdup_printf ("Strategy (%s): %s \xE2\x80\x94 %s", s->catalogs, s->name, s->reason);
          wsi_html_text (out, "li", "t", text);
        }
      for (guint i = 0; i < plan->notes->len; i++)
        {
          g_autofree char *text = g_strdup_printf ("Note: %s", (const char *) g_ptr_array_index (plan->notes, i));
          wsi_html_text (out, "li", "t", text);
        }
      g_string_append (out, "</ul>\n");
    }
  g_string_append (out, "</header>\n<main>\n");
  wsi_html_preview (out, plan);
  wsi_html_steps (out, plan);
  g_string_append (out, "</main>\n</body>\n</html>\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
