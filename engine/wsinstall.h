/* wsinstall.h: the public API of libwsinstall. */
#pragma once

#include "wsi-error.h"
#include "wsi-diag.h"
#include "wsi-diag-render.h"
#include "wsi-tags.h"
#include "wsi-guid.h"
#include "wsi-flags.h"
#include "wsi-schema.h"
