/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-progress.h: what a transaction reports while it runs. */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* Each step (or inverse) is announced (APPLY or UNDO), then reported as
 * DONE or FAILED. Indices count from 0 within the run being reported: the
 * plan's steps for APPLY, the steps being undone for UNDO. */
typedef enum {
  WSI_PROGRESS_APPLY,   /* a step of the plan is about to run */
  WSI_PROGRESS_UNDO,    /* an inverse is about to run (a rollback or a recovery) */
  WSI_PROGRESS_DONE,    /* the step or inverse just announced took effect */
  WSI_PROGRESS_FAILED,  /* the step or inverse just announced failed */
} WsiProgressPhase;

/* "apply", "undo", "ok", "failed": for logs. */
const char *wsi_progress_phase_to_string (WsiProgressPhase phase);

WSI_END_PUBLIC
G_END_DECLS
