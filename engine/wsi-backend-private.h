/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend-private.h */
#pragma once

#include "wsi-backend.h"

G_BEGIN_DECLS

/* Takes the machine out of a memory backend, which then has none and may
 * only be freed: the planner keeps its simulated machine as the plan's
 * prediction instead of a copy of it. */
WsiMachine *wsi_backend_memory_take_machine (WsiBackend *self);

G_END_DECLS
