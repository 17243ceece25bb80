/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend-private.h */
#pragma once

#include "wsi-backend.h"

G_BEGIN_DECLS

G_END_DECLS
