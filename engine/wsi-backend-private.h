/* wsi-backend-private.h */
#pragma once

#include "wsi-backend.h"

G_BEGIN_DECLS

G_END_DECLS
