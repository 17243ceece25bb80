/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-reg-file.c: the .reg text format, as regedit and `reg export` write
 * it and regedit reads it back:
 *
 *   Windows Registry Editor Version 5.00      (UTF-16LE, BOM) or REGEDIT4 (ANSI)
 *
 *   [HKEY_LOCAL_MACHINE\SYSTEM\...]           a key; [-KEY] deletes it
 *   "Name"="text"                             REG_SZ, \\ and \" escaped
 *   @=...                                     the key's default value
 *   "Name"=dword:0000001c                     REG_DWORD
 *   "Name"=hex:08,00,...,\                    REG_BINARY, lines continued with "\"
 *     00,00
 *   "Name"=hex(2):25,00,...                   any type by number (2 EXPAND_SZ, 7 MULTI_SZ)
 *   "Name"=-                                  deletes the value
 *   ; comment
 *
 * In a REGEDIT4 file the strings and the hex(1)/hex(2)/hex(7) data are ANSI
 * bytes; version 5 files carry UTF-16LE there. Both are handed on as UTF-16LE
 * so the caller sees what the registry holds. */
#include "wsi-reg-file-private.h"

#include <string.h>

#define REGEDIT4_HEADER "REGEDIT4"
#define REGEDIT5_HEADER "Windows Registry Editor Version 5.00"

#define REG_SZ        1u
#define REG_EXPAND_SZ 2u
#define REG_BINARY    3u
#define REG_DWORD     4u
#define REG_MULTI_SZ  7u

/* Windows-1252 bytes 0x80-0x9F; see the header for the undefined ones. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

gunichar
wsi_cp1252_to_unichar (guint8 byte)
{
  if (byte >= 0x80 && byte <= 0x9F)
    return cp1252_high[byte - 0x80];
  return byte;
}

gboolean
wsi_unichar_to_cp1252 (gunichar c, guint8 *out)
{
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF))
    {
      *out = (guint8) c;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cp1252_high); i++)
    if (cp1252_high[i] == c)
      {
        *out = (guint8) (0x80 + i);
        return TRUE;
      }
  return FALSE;
}

typedef struct {
  const char              *display_name;
  WsiDiagList             *diags;
  const WsiRegFileHandler *handler;
  gpointer                 user_data;
  WsiRegFileFormat         format;
  /* the text, as UTF-8, and the reading position */
  const char              *p;
  const char              *end;
  int                      line;       /* number of the line last returned */
  gboolean                 in_key;     /* a key header has been seen */
  gboolean                 want;       /* ...and its values are wanted */
} RegParser;

static gboolean
malformed (RegParser *self, int line, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
malformed (RegParser *self, int line, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (self->diags, "reg-malformed", self->display_name, line, format, args);
  va_end (args);
  return FALSE;
}

/* Counts the lines of UTF-8 @text up to @stop, for errors found while
 * decoding. */
static int
line_of (const char *text, const char *stop)
{
  int line = 1;

  for (const char *q = text; q < stop; q++)
    if (*q == '\n')
      line++;
  return line;
}

/* UTF-16LE (after the BOM) to UTF-8, refusing unpaired surrogates and NUL
 * characters, with the line of the first problem. */
static char *
decode_utf16le (RegParser *self, const guint8 *data, gsize len)
{
  g_autoptr(GString) out = NULL;
  int line = 1;

  if (len % 2 != 0)
    {
      malformed (self, 1, "a UTF-16 file has an odd number of bytes (truncated?)");
      return NULL;
    }
  out = g_string_sized_new (len / 2 + 1);
  for (gsize i = 0; i < len; i += 2)
    {
      gunichar c = (gunichar) (data[i] | data[i + 1] << 8);

      if (c >= 0xDC00 && c <= 0xDFFF)
        {
          malformed (self, line, "invalid UTF-16: a low surrogate without a high one");
          return NULL;
        }
      if (c >= 0xD800 && c <= 0xDBFF)
        {
          gunichar low;

          if (i + 3 >= len)
            {
              malformed (self, line, "invalid UTF-16: the file ends inside a surrogate pair");
              return NULL;
            }
          low = (gunichar) (data[i + 2] | data[i + 3] << 8);
          if (low < 0xDC00 || low > 0xDFFF)
            {
              malformed (self, line, "invalid UTF-16: a high surrogate without a low one");
              return NULL;
            }
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
          i += 2;
        }
      if (c == 0)
        {
          malformed (self, line, "the file contains a NUL character");
          return NULL;
        }
      if (c == '\n')
        line++;
      g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
decode_cp1252 (RegParser *self, const guint8 *data, gsize len)
{
  g_autoptr(GString) out = g_string_sized_new (len + 1);
  int line = 1;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == 0)
        {
          malformed (self, line, "the file contains a NUL byte");
          return NULL;
        }
      if (data[i] == '\n')
        line++;
      g_string_append_unichar (out, wsi_cp1252_to_unichar (data[i]));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
decode_utf8 (RegParser *self, const guint8 *data, gsize len)
{
  const char *text = (const char *) data;
  const char *bad = NULL;

  if (!g_utf8_validate_len (text, len, &bad))
    {
      /* NUL bytes fail validation too. */
      malformed (self, line_of (text, bad), "the file is neither UTF-16 with a BOM nor valid UTF-8");
      return NULL;
    }
  return g_strndup (text, len);
}

/* The next physical line without its line end; FALSE at the end. */
static gboolean
next_line (RegParser *self, const char **start, gsize *len)
{
  const char *nl;

  if (self->p >= self->end)
    return FALSE;
  nl = memchr (self->p, '\n', (gsize) (self->end - self->p));
  *start = self->p;
  *len = (gsize) ((nl != NULL ? nl : self->end) - self->p);
  self->p = nl != NULL ? nl + 1 : self->end;
  if (*len > 0 && (*start)[*len - 1] == '\r')
    (*len)--;
  self->line++;
  return TRUE;
}

static const char *
skip_blanks (const char *s, const char *end)
{
  while (s < end && (*s == ' ' || *s == '\t'))
    s++;
  return s;
}

static const char *
trim_end (const char *s, const char *end)
{
  while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  return end;
}

/* A quoted string starting at *s (on '"'); unescapes \\ and \". */
static char *
parse_quoted (RegParser *self, const char **s, const char *end, const char *what)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *q = *s + 1;

  while (q < end && *q != '"')
    {
      if (*q == '\\')
        {
          if (q + 1 >= end || (q[1] != '\\' && q[1] != '"'))
            {
              malformed (self, self->line, "%s: a backslash must be followed by \\ or \" inside quotes", what);
              return NULL;
            }
          q++;
        }
      g_string_append_c (out, *q);
      q++;
    }
  if (q >= end)
    {
      malformed (self, self->line, "%s: the closing quote is missing", what);
      return NULL;
    }
  *s = q + 1;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* 1..@max_digits hex digits at *s into *out (no overflow: at most 8). */
static gboolean
parse_hex_number (const char **s, const char *end, guint max_digits, guint32 *out)
{
  guint32 v = 0;
  guint n = 0;

  while (*s < end && hex_digit (**s) >= 0)
    {
      if (++n > max_digits)
        return FALSE;
      v = v << 4 | (guint32) hex_digit (**s);
      (*s)++;
    }
  *out = v;
  return n > 0;
}

static GBytes *
utf8_to_reg_string (const char *text)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  guint8 *buf;

  /* The text came through validated decoding, so this cannot fail. */
  g_assert (units != NULL);
  buf = g_malloc ((gsize) (n + 1) * 2);
  for (glong i = 0; i <= n; i++)
    {
      gunichar2 u = i < n ? units[i] : 0;
      buf[2 * i] = (guint8) u;
      buf[2 * i + 1] = (guint8) (u >> 8);
    }
  return g_bytes_new_take (buf, (gsize) (n + 1) * 2);
}

/* REGEDIT4 string data (ANSI bytes) to the UTF-16LE the registry holds. */
static GBytes *
ansi_to_reg_string (const guint8 *data, gsize len)
{
  guint8 *buf = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      gunichar c = wsi_cp1252_to_unichar (data[i]);
      buf[2 * i] = (guint8) c;
      buf[2 * i + 1] = (guint8) (c >> 8);
    }
  return g_bytes_new_take (buf, len * 2);
}

/* The comma-separated bytes after "hex:" or "hex(N):", following "\"
 * continuations onto the next lines. */
static GBytes *
parse_hex_list (RegParser *self, const char *s, const char *end, int first_line)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();

  for (;;)
    {
      guint32 byte;

      s = skip_blanks (s, end);
      if (s >= end)
        {
          if (bytes->len > 0)
            {
              malformed (self, self->line, "the hex list ends with a comma");
              return NULL;
            }
          break;
        }
      if (*s == '\\' && skip_blanks (s + 1, end) == end)
        {
          const char *next;
          gsize len;

          if (!next_line (self, &next, &len))
            {
              malformed (self, first_line, "the file ends inside a continued hex value (truncated?)");
              return NULL;
            }
          s = next;
          end = next + len;
          continue;
        }
      if (!parse_hex_number (&s, end, 2, &byte))
        {
          malformed (self, self->line, "a hex byte (two hex digits) was expected");
          return NULL;
        }
      if (bytes->len >= WSI_REG_MAX_VALUE_SIZE)
        {
          malformed (self, first_line, "the value is larger than %u bytes", WSI_REG_MAX_VALUE_SIZE);
          return NULL;
        }
      {
        guint8 b = (guint8) byte;
        g_byte_array_append (bytes, &b, 1);
      }
      s = skip_blanks (s, end);
      if (s >= end)
        break;
      if (*s != ',')
        {
          malformed (self, self->line, "a comma was expected between hex bytes");
          return NULL;
        }
      s++;
      /* A comma at the end of a line needs a continuation. */
      if (skip_blanks (s, end) == end)
        {
          malformed (self, self->line, "the hex list ends with a comma without a continuation");
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static gboolean
parse_value (RegParser *self, const char *s, const char *end)
{
  int line = self->line;
  g_autofree char *name = NULL;
  g_autoptr(GBytes) data = NULL;
  guint32 type;

  if (*s == '@')
    {
      name = g_strdup ("");
      s++;
    }
  else
    {
      name = parse_quoted (self, &s, end, "value name");
      if (name == NULL)
        return FALSE;
    }
  s = skip_blanks (s, end);
  if (s >= end || *s != '=')
    return malformed (self, line, "'=' was expected after the value name");
  s = skip_blanks (s + 1, end);

  if (s < end && *s == '"')
    {
      g_autofree char *text = parse_quoted (self, &s, end, "string value");
      if (text == NULL)
        return FALSE;
      if (skip_blanks (s, end) != end)
        return malformed (self, line, "unexpected text after the closing quote");
      type = REG_SZ;
      data = utf8_to_reg_string (text);
    }
  else if (s < end && *s == '-' && skip_blanks (s + 1, end) == end)
    type = 0;  /* deletion: data stays NULL */
  else if ((gsize) (end - s) >= 6 && g_ascii_strncasecmp (s, "dword:", 6) == 0)
    {
      guint32 v;
      guint8 le[4];

      s += 6;
      if (!parse_hex_number (&s, end, 8, &v) || skip_blanks (s, end) != end)
        return malformed (self, line, "dword: needs 1 to 8 hex digits");
      le[0] = (guint8) v;
      le[1] = (guint8) (v >> 8);
      le[2] = (guint8) (v >> 16);
      le[3] = (guint8) (v >> 24);
      type = REG_DWORD;
      data = g_bytes_new (le, sizeof le);
    }
  else if ((gsize) (end - s) >= 3 && g_ascii_strncasecmp (s, "hex", 3) == 0)
    {
      s += 3;
      type = REG_BINARY;
      if (s < end && *s == '(')
        {
          s++;
          if (!parse_hex_number (&s, end, 8, &type) || s >= end || *s != ')')
            return malformed (self, line, "hex(N): N must be 1 to 8 hex digits");
          s++;
        }
      if (s >= end || *s != ':')
        return malformed (self, line, "':' was expected after hex");
      data = parse_hex_list (self, s + 1, end, line);
      if (data == NULL)
        return FALSE;
      if (self->format == WSI_REG_FILE_REGEDIT4 &&
          (type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ))
        {
          gsize n = 0;
          const guint8 *raw = g_bytes_get_data (data, &n);
          GBytes *wide = ansi_to_reg_string (raw, n);
          g_bytes_unref (data);
          data = wide;
        }
    }
  else
    return malformed (self, line, "unknown value syntax (expected \"text\", dword:, hex:, hex(N): or -)");

  if (!self->in_key)
    return malformed (self, line, "a value before the first [key]");
  if (!self->want)
    return TRUE;
  return self->handler->value (name, type, data, line, self->user_data);
}

static gboolean
parse_lines (RegParser *self)
{
  const char *s;
  gsize len;

  while (next_line (self, &s, &len))
    {
      const char *end = trim_end (s, s + len);

      s = skip_blanks (s, end);
      if (s == end || *s == ';')
        continue;
      if (*s == '[')
        {
          gboolean deleted = FALSE;
          g_autofree char *path = NULL;
          WsiRegKeyAction action;

          if (end[-1] != ']' || end - s < 3)
            return malformed (self, self->line, "a key line must be [PATH]");
          s++;
          end--;
          if (*s == '-')
            {
              deleted = TRUE;
              s++;
            }
          if (s >= end)
            return malformed (self, self->line, "the key path is empty");
          path = g_strndup (s, (gsize) (end - s));
          action = self->handler->key (path, deleted, self->line, self->user_data);
          if (action == WSI_REG_KEY_ABORT)
            return FALSE;
          self->in_key = TRUE;
          self->want = action == WSI_REG_KEY_WANT && !deleted;
          continue;
        }
      if (*s == '"' || *s == '@')
        {
          if (!parse_value (self, s, end))
            return FALSE;
          continue;
        }
      return malformed (self, self->line, "a line must be a [key], a \"value\"=..., a comment or empty");
    }
  return TRUE;
}

gboolean
wsi_reg_file_parse (const guint8 *data, gsize len, const char *display_name,
                    const WsiRegFileHandler *handler, gpointer user_data,
                    WsiRegFileFormat *format, WsiDiagList *diags)
{
  RegParser self = { display_name, diags, handler, user_data, WSI_REG_FILE_REGEDIT5, NULL, NULL, 0, FALSE, FALSE };
  g_autofree char *text = NULL;
  const char *line;
  gsize line_len;

  g_return_val_if_fail (handler != NULL && handler->key != NULL && handler->value != NULL, FALSE);
  g_return_val_if_fail (diags != NULL, FALSE);

  if (len == 0)
    {
      wsi_diag_list_add (diags, "empty-file", display_name, 0, "the .reg file is empty");
      return FALSE;
    }
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    text = decode_utf16le (&self, data + 2, len - 2);
  else if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    return malformed (&self, 1, "UTF-16 big endian is not a format regedit writes");
  else if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    text = decode_utf8 (&self, data + 3, len - 3);
  else if (len >= strlen (REGEDIT4_HEADER) && memcmp (data, REGEDIT4_HEADER, strlen (REGEDIT4_HEADER)) == 0)
    text = decode_cp1252 (&self, data, len);
  else
    text = decode_utf8 (&self, data, len);
  if (text == NULL)
    return FALSE;

  self.p = text;
  self.end = text + strlen (text);
  if (!next_line (&self, &line, &line_len))
    return malformed (&self, 1, "the header line is missing");
  line_len = (gsize) (trim_end (line, line + line_len) - line);
  if (line_len == strlen (REGEDIT4_HEADER) && memcmp (line, REGEDIT4_HEADER, line_len) == 0)
    self.format = WSI_REG_FILE_REGEDIT4;
  else if (line_len == strlen (REGEDIT5_HEADER) && memcmp (line, REGEDIT5_HEADER, line_len) == 0)
    self.format = WSI_REG_FILE_REGEDIT5;
  else
    return malformed (&self, 1, "the first line must be \"" REGEDIT5_HEADER "\" or \"" REGEDIT4_HEADER "\"");
  if (format != NULL)
    *format = self.format;
  return parse_lines (&self);
}
