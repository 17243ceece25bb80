/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-plan-html.h: a plan as one self-contained HTML page for people. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-plan.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* The report of @plan: for every (catalog, af, type, protocol) it touches,
 * the stack a new socket gets before and after (layers over the base, with
 * names, catalog IDs, DLL paths and owners), then the steps with their
 * inverses and manifest lines. One HTML5 document with inline CSS, no
 * script and nothing loaded from elsewhere; every text from the manifest
 * or the machine is escaped. Each stack is a <section class="socket">
 * with data-catalog, data-af, data-type and data-protocol attributes;
 * every text that can be long is in an element of class "t", which wraps
 * inside its box. */
char *wsi_plan_to_html (const WsiPlan *plan);

WSI_END_PUBLIC
G_END_DECLS
