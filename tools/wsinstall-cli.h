/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-cli.h: what every subcommand of the wsinstall CLI shares. */
#pragma once

#include <glib.h>

#include "wsi-diag.h"
#include "wsi-diag-render.h"
#include "wsi-machine.h"
#include "wsi-plan.h"

G_BEGIN_DECLS

/* Exit codes: the contract with MSI custom actions and CI pipelines. */
enum {
  WSI_EXIT_OK = 0,          /* success / healthy / equivalent */
  WSI_EXIT_PROBLEMS = 1,    /* errors found, or failed and rolled back */
  WSI_EXIT_USAGE = 2,       /* usage error, unreadable input, I/O */
  WSI_EXIT_INCOMPLETE = 3,  /* failed and rollback incomplete */
};

typedef int (*WsiCommandFunc) (int argc, char **argv);

typedef struct {
  const char     *name;     /* "validate", "catalog show" */
  const char     *summary;  /* one line for `wsinstall --help` */
  WsiCommandFunc  run;      /* argv[0] is the full command name */
} WsiCommand;

/* Parses @ctx's options; on error prints it with a pointer to --help and
 * returns FALSE (the caller exits with WSI_EXIT_USAGE). */
gboolean  wsi_cli_parse       (GOptionContext  *ctx,
                               int             *argc,
                               char          ***argv);
/* Prints "wsinstall: <message>" to stderr; returns WSI_EXIT_USAGE. */
int       wsi_cli_usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Writes @text to stdout in full; FALSE (with a message) on a write error.
 * wsi_cli_print_format: in @format; the machine formats (JSON, SARIF) are
 * written in binary mode on Windows, so their bytes are those of Linux
 * (no CRLF). Every JSON and SARIF output goes through it. */
gboolean  wsi_cli_print       (const char *text);
gboolean  wsi_cli_print_format (const char *text, WsiDiagFormat format);
/* Sets stdout up for a machine format's bytes (binary mode on Windows). */
void      wsi_cli_document_output (void);
/* --format=text|json (NULL: text); FALSE for anything else. */
gboolean  wsi_cli_parse_text_or_json (const char *name, WsiDiagFormat *format);
/* Prints @document (a JSON document, with its diagnostics inside) and
 * returns @rc, or WSI_EXIT_USAGE when it cannot be written: under
 * --format=json stdout carries one document, even when the command fails. */
int       wsi_cli_finish_document (const char *document, int rc);
/* The same for a plan's document (@plan may be NULL), written to stdout as
 * it is made: a plan of a large catalog is megabytes of JSON. */
int       wsi_cli_finish_plan_document (const WsiPlan *plan, const WsiDiagList *diags, int rc);

/* --sarif-root DIR: the directory SARIF artifact URIs are relative to
 * (uriBaseId %SRCROOT%; default: the working directory). check: a usage
 * error (printed, FALSE) when DIR is not a directory. render: @diags in
 * @format, SARIF relative to @sarif_root (NULL: the working directory). */
#define WSI_CLI_SARIF_ROOT_ENTRY(var) \
  { "sarif-root", 0, 0, G_OPTION_ARG_FILENAME, &(var), \
    "With --format=sarif: artifact URIs are relative to DIR (default: the working directory)", "DIR" }
gboolean  wsi_cli_check_sarif_root (const char *sarif_root);
char     *wsi_cli_render_diags     (const WsiDiagList *diags,
                                    WsiDiagFormat      format,
                                    const char        *sarif_root);

/* The machine a command works on: @path, else $WSINSTALL_MACHINE, else the
 * embedded default; ref:NAME is a reference catalog. NULL with diagnostics
 * and *@rc set on failure. wsi_cli_load_machine_display also gives the name
 * diagnostics about the machine use (the snapshot as named, or the default
 * machine's state file). */
WsiMachine *wsi_cli_load_machine (const char *path, WsiDiagList *diags, int *rc);
WsiMachine *wsi_cli_load_machine_display (const char  *path,
                                          WsiDiagList *diags,
                                          char       **display,
                                          int         *rc);
/* The snapshot file a changing command works on (the default machine's
 * state file when none is named; created on first use). A reference
 * catalog (ref:NAME) is refused: usage error, NULL, *@rc = 2. */
char       *wsi_cli_machine_path (const char *path, WsiDiagList *diags, int *rc);
/* Loads argv[1..] as manifests into @out: exit 0, 1 (errors) or 2 (a file
 * that cannot be read), problems added to @diags. */
int       wsi_cli_load_manifests (int argc, char **argv, GPtrArray *out, WsiDiagList *diags);
/* Prints @diags (sorted, text) to stderr and returns @rc. */
int       wsi_cli_finish_diags (WsiDiagList *diags, int rc);

/* Options every command takes (wsi_cli_parse adds them to each command's
 * own; they may also come before the command: `wsinstall --verbose plan`). */
typedef enum {
  WSI_COLOR_AUTO,     /* on a terminal, unless NO_COLOR is set or TERM=dumb */
  WSI_COLOR_ALWAYS,
  WSI_COLOR_NEVER,
} WsiColorMode;

/* --color=WHEN: FALSE for a word other than auto, always, never. */
gboolean  wsi_cli_set_color_mode (const char *when);
/* --verbose. */
void      wsi_cli_set_verbose    (gboolean verbose);
gboolean  wsi_cli_get_verbose    (void);
/* With --verbose, "wsinstall: <message>" on stderr; nothing otherwise. */
void      wsi_cli_verbose        (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Colour (wsinstall-color.c): whether output to @fd (1 or 2) is coloured,
 * by --color and, for auto, the terminal and $NO_COLOR. */
gboolean  wsi_cli_color_enabled  (int fd);
/* @text (diagnostics in the text format) with the severity words and tags
 * of its "error [tag]:" lines coloured. */
char     *wsi_cli_colorize_diags (const char *text);
/* Writes rendered diagnostics to stdout: coloured when @format is text and
 * stdout gets colour; FALSE (with a message) on a write error. */
gboolean  wsi_cli_print_diags    (const char *text, WsiDiagFormat format);

/* Reference catalogs (wsinstall-reference.c): the snapshots of real Windows
 * versions installed with wsinstall, named on the command line as
 * ref:NAME wherever a snapshot is read. */
#define WSI_REFERENCE_PREFIX "ref:"
gboolean  wsi_cli_is_reference   (const char *arg);
/* The directory they are in: $WSINSTALL_REFERENCE_DIR, else the one
 * installed beside this program, else the configured datadir's. NULL (and
 * the places looked at in *@looked, if not NULL) when there is none.
 * *@origin (may be NULL) says which it is. */
char     *wsi_cli_reference_dir  (const char **origin,
                                  char       **looked);
/* Loads the snapshot @arg names: ref:NAME's file, else the file @arg. NULL
 * with diagnostics on failure; an unknown reference, or none installed, is
 * file-unreadable (exit 2), like a missing file. */
WsiMachine *wsi_cli_load_snapshot (const char  *arg,
                                   WsiDiagList *diags);
/* Refuses ref:NAME where a command would change the machine: FALSE after
 * printing a reference-read-only diagnostic (added to @diags, with the
 * others there) naming the command, *@rc = WSI_EXIT_USAGE. */
gboolean  wsi_cli_refuse_reference (const char  *arg,
                                    WsiDiagList *diags,
                                    int         *rc);

/* Subcommands (one file per family). */
int wsi_cmd_plan     (int argc, char **argv);
int wsi_cmd_apply    (int argc, char **argv);
int wsi_cmd_uninstall (int argc, char **argv);
int wsi_cmd_recover  (int argc, char **argv);
int wsi_cmd_repair   (int argc, char **argv);
int wsi_cmd_explain  (int argc, char **argv);
int wsi_cmd_schema   (int argc, char **argv);
int wsi_cmd_validate (int argc, char **argv);
int wsi_cmd_catalog_import (int argc, char **argv);
int wsi_cmd_catalog_export (int argc, char **argv);
int wsi_cmd_catalog_show    (int argc, char **argv);
int wsi_cmd_catalog_check   (int argc, char **argv);
int wsi_cmd_catalog_diff    (int argc, char **argv);
int wsi_cmd_catalog_resolve (int argc, char **argv);
int wsi_cmd_catalog_list    (int argc, char **argv);
int wsi_cmd_wsc32_run       (int argc, char **argv);
int wsi_cmd_wsc32_enum      (int argc, char **argv);

/* --live (wsinstall-live.c): this computer's catalogs, Windows builds only.
 * wsi_cli_live_usage refuses --live with --machine, and anywhere but on
 * Windows (usage error, *@rc = 2). load: a copy of the live machine for
 * reading commands. Changing commands open the live machine through a
 * session (wsi_session_open_live). */
gboolean    wsi_cli_live_usage (gboolean live, const char *machine, int *rc);
WsiMachine *wsi_cli_load_live  (WsiDiagList *diags, char **display, int *rc);

G_END_DECLS
