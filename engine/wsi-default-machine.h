/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-default-machine.h: the machine wsinstall works on when none is named:
 * a copy of a reference catalog compiled into the library, kept in the
 * user's state directory so installs into it persist between runs. */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-diag.h"
#include "wsi-machine.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* The reference snapshot compiled into libwsinstall. */
GBytes     *wsi_default_machine_get_reference (void);
/* $XDG_STATE_HOME/wsinstall/default-machine.xml (g_get_user_state_dir). */
char       *wsi_default_machine_get_path      (void);
/* Loads the default machine, creating its file from the reference on first
 * use. When the state directory cannot be written, the reference is loaded
 * from memory and *@path_out is NULL (the machine can be read, not saved).
 * NULL with diagnostics when the state file exists but is unusable. */
WsiMachine *wsi_default_machine_load          (char       **path_out,
                                               WsiDiagList *diags);
/* Overwrites the state file with the reference (atomically). */
gboolean    wsi_default_machine_reset         (GError     **error);

WSI_END_PUBLIC
G_END_DECLS
