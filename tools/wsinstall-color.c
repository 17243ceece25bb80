/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-color.c: colour in diagnostics' text output, for people at a
 * terminal only. Pipes, files, CI logs and the golden tests get plain
 * text: the default (auto) colours a stream only when it is a terminal,
 * $NO_COLOR is unset or empty (https://no-color.org) and TERM is not
 * "dumb". --color=always and --color=never override all of that. */
#include "wsinstall-cli.h"

#include <stdio.h>
#include <string.h>

static WsiColorMode wsi_color_mode = WSI_COLOR_AUTO;

/* SGR sequences, as compilers colour their diagnostics: the severity in
 * bold and its colour, the tag in the same colour. */
#define WSI_SGR_RESET "\033[0m"

typedef struct {
  const char *word;
  const char *bold;   /* for the severity word */
  const char *plain;  /* for the tag */
} WsiSeverityColor;

static const WsiSeverityColor wsi_severity_colors[] = {
  { "error", "\033[1;31m", "\033[31m" },
  { "warning", "\033[1;35m", "\033[35m" },
  { "info", "\033[1;36m", "\033[36m" },
};

gboolean
wsi_cli_set_color_mode (const char *when)
{
  if (g_strcmp0 (when, "auto") == 0)
    wsi_color_mode = WSI_COLOR_AUTO;
  else if (g_strcmp0 (when, "always") == 0)
    wsi_color_mode = WSI_COLOR_ALWAYS;
  else if (g_strcmp0 (when, "never") == 0)
    wsi_color_mode = WSI_COLOR_NEVER;
  else
    return FALSE;
  return TRUE;
}

gboolean
wsi_cli_color_enabled (int fd)
{
  const char *no_color = g_getenv ("NO_COLOR");

  switch (wsi_color_mode)
    {
    case WSI_COLOR_ALWAYS:
      return TRUE;
    case WSI_COLOR_NEVER:
      return FALSE;
    case WSI_COLOR_AUTO:
    default:
      if (no_color != NULL && *no_color != '\0')
        return FALSE;
      if (g_strcmp0 (g_getenv ("TERM"), "dumb") == 0)
        return FALSE;
      /* A terminal (on Windows, a console that takes escape sequences:
       * GLib turns them on where the console can). */
      return g_log_writer_supports_color (fd);
    }
}

/* Whether @p starts "SEVERITY [tag]: "; *@sev and the tag's length are
 * set when it does. */
static gboolean
wsi_match_severity_tag (const char *p, const WsiSeverityColor **sev, gsize *tag_len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (wsi_severity_colors); i++)
    {
      const char *word = wsi_severity_colors[i].word;
      gsize n = strlen (word);
      const char *tag;
      gsize len = 0;

      if (strncmp (p, word, n) != 0 || strncmp (p + n, " [", 2) != 0)
        continue;
      tag = p + n + 2;
      while (g_ascii_islower (tag[len]) || g_ascii_isdigit (tag[len]) || tag[len] == '-')
        len++;
      if (len == 0 || strncmp (tag + len, "]:", 2) != 0)
        continue;
      *sev = &wsi_severity_colors[i];
      *tag_len = len;
      return TRUE;
    }
  return FALSE;
}

char *
wsi_cli_colorize_diags (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 64);
  const char *line = text;

  /* A diagnostic reads "file:line: SEVERITY [tag]: message" or, without a
   * file, "SEVERITY [tag]: message"; the severity is the first one at the
   * start of the line or after ": ". Hint lines are left as they are. */
  while (*line != '\0')
    {
      const char *end = strchr (line, '\n');
      gsize line_len = end != NULL ? (gsize) (end - line) + 1 : strlen (line);
      const char *p = line;
      gboolean done = FALSE;

      while (!done && p < line + line_len)
        {
          const WsiSeverityColor *sev = NULL;
          gsize tag_len = 0;

          if ((p == line || (p - line >= 2 && p[-2] == ':' && p[-1] == ' ')) &&
              wsi_match_severity_tag (p, &sev, &tag_len))
            {
              gsize word_len = strlen (sev->word);
              g_string_append_len (out, line, p - line);
              g_string_append_printf (out, "%s%s%s [%s%.*s%s]", sev->bold, sev->word, WSI_SGR_RESET, sev->plain,
                                      (int) tag_len, p + word_len + 2, WSI_SGR_RESET);
              p += word_len + 2 + tag_len + 1;
              g_string_append_len (out, p, line + line_len - p);
              done = TRUE;
            }
          else
            p++;
        }
      if (!done)
        g_string_append_len (out, line, line_len);
      line += line_len;
    }
  return g_string_free (out, FALSE);
}

gboolean
wsi_cli_print_diags (const char *text, WsiDiagFormat format)
{
  g_autofree char *colored = NULL;

  if (format == WSI_DIAG_FORMAT_TEXT && wsi_cli_color_enabled (1))
    text = colored = wsi_cli_colorize_diags (text);
  return wsi_cli_print_format (text, format);
}
