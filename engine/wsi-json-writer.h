/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-json-writer.h: JSON written as it is produced, with no document
 * tree. A plan of a large catalog is megabytes of text: json-glib's
 * builder held it as a tree of nodes, several times the size of the text,
 * and then the text beside it. The writer's output is byte for byte what
 * json-glib 1.6's generator made of the same calls (the goldens of
 * tests/cli hold it), so the documents did not change:
 *
 *  - pretty: members as `"name" : value`, two spaces a level, a non-empty
 *    container's elements on lines of their own, `[]` for an empty array
 *    and `{` + the level's indentation + `}` for an empty object;
 *  - compact: no whitespace at all;
 *  - strings escaped byte by byte as json-glib does: `"` and `\`, \b \t \n
 *    \f \r, other bytes below 0x1f and 0x7f as \u00xx; every other byte,
 *    0x1f and non-ASCII included, as it is. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _WsiJsonWriter WsiJsonWriter;

WsiJsonWriter *wsi_json_writer_new          (gboolean pretty);
/* A writer that hands its text to @file every 64 KiB as it goes, so that
 * the document is never whole in memory. */
WsiJsonWriter *wsi_json_writer_new_to_file  (gboolean pretty, FILE *file);
/* Writes what is left to the writer's file: FALSE when any write failed. */
gboolean       wsi_json_writer_flush        (WsiJsonWriter *w);
void           wsi_json_writer_free         (WsiJsonWriter *w);
/* Ends the text with a newline, as a document printed as a file. */
void           wsi_json_writer_end_line     (WsiJsonWriter *w);
/* The text written so far, taken from the writer (which starts again
 * with none): a large document is not held twice. */
char          *wsi_json_writer_steal_text   (WsiJsonWriter *w);

/* The name of the next value, inside an object. */
void           wsi_json_writer_member       (WsiJsonWriter *w, const char *name);
void           wsi_json_writer_begin_object (WsiJsonWriter *w);
void           wsi_json_writer_end_object   (WsiJsonWriter *w);
void           wsi_json_writer_begin_array  (WsiJsonWriter *w);
void           wsi_json_writer_end_array    (WsiJsonWriter *w);
void           wsi_json_writer_int          (WsiJsonWriter *w, gint64 value);
/* @value NULL is written as null. */
void           wsi_json_writer_string       (WsiJsonWriter *w, const char *value);
void           wsi_json_writer_bool         (WsiJsonWriter *w, gboolean value);
void           wsi_json_writer_null         (WsiJsonWriter *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiJsonWriter, wsi_json_writer_free)

G_END_DECLS
