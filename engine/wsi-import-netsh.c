/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-netsh.c: `netsh winsock show catalog` listings. Each protocol
 * entry is a block:
 *
 *   Winsock Catalog Provider Entry
 *   ------------------------------------------------------
 *   Entry Type:                         Layered Chain Entry
 *   Description:                        LavasoftLSP over [MSAFD Tcpip [TCP/IP]]
 *   Provider ID:                        {1C39A736-9641-4F43-9C20-AEED81692A07}
 *   ...
 *   Protocol Chain Length:              2
 *   Protocol Chain: 1031 : 1006
 *
 * in catalog order; "Name Space Provider Entry" blocks (the namespace
 * catalog) follow and end the protocol part. Labels are localised. */
#include "wsi-import-netsh.h"

#include <stdlib.h>
#include <string.h>

#include "wsi-entry.h"
#include "wsi-import-private.h"
#include "wsi-number-private.h"

typedef enum {
  F_ENTRY_TYPE,
  F_DESCRIPTION,
  F_PROVIDER_ID,
  F_PROVIDER_PATH,
  F_CATALOG_ID,
  F_VERSION,
  F_ADDRESS_FAMILY,
  F_MAX_ADDRESS,
  F_MIN_ADDRESS,
  F_SOCKET_TYPE,
  F_PROTOCOL,
  F_SERVICE_FLAGS,
  F_CHAIN_LENGTH,
  F_CHAIN,
  N_FIELDS
} Field;

typedef struct {
  const char *label;
  Field       field;
} Label;

/* English, then Simplified Chinese (as in a zh-CN listing from a public bug
 * report, microsoft/vscode#64290). Compared with runs of blanks collapsed. */
static const Label labels[] = {
  { "Entry Type", F_ENTRY_TYPE },
  { "Description", F_DESCRIPTION },
  { "Provider ID", F_PROVIDER_ID },
  { "Provider Path", F_PROVIDER_PATH },
  { "Catalog Entry ID", F_CATALOG_ID },
  { "Version", F_VERSION },
  { "Address Family", F_ADDRESS_FAMILY },
  { "Max Address Length", F_MAX_ADDRESS },
  { "Min Address Length", F_MIN_ADDRESS },
  { "Socket Type", F_SOCKET_TYPE },
  { "Protocol", F_PROTOCOL },
  { "Service Flags", F_SERVICE_FLAGS },
  { "Protocol Chain Length", F_CHAIN_LENGTH },
  { "Protocol Chain", F_CHAIN },
  { "项类型", F_ENTRY_TYPE },
  { "描述", F_DESCRIPTION },
  { "提供程序 ID", F_PROVIDER_ID },
  { "提供程序路径", F_PROVIDER_PATH },
  { "目录项 ID", F_CATALOG_ID },
  { "版本", F_VERSION },
  { "地址族", F_ADDRESS_FAMILY },
  { "最大地址长度", F_MAX_ADDRESS },
  { "最小地址长度", F_MIN_ADDRESS },
  { "Socket 类型", F_SOCKET_TYPE },
  { "协议", F_PROTOCOL },
  { "服务标志", F_SERVICE_FLAGS },
  { "协议链长度", F_CHAIN_LENGTH },
  { "协议链", F_CHAIN },
};

static const char *const protocol_headers[] = {
  "Winsock Catalog Provider Entry",
  "Winsock 目录提供程序项",
};

typedef struct {
  const char  *display_name;
  WsiDiagList *diags;
  char        *text;
  const char  *p;
  const char  *end;
  int          line;
} NetshParser;

static gboolean
malformed (NetshParser *self, int line, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
malformed (NetshParser *self, int line, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  wsi_diag_list_add_valist (self->diags, "netsh-malformed", self->display_name, line, format, args);
  va_end (args);
  return FALSE;
}

/* UTF-8 text of the listing: UTF-16LE with a BOM (what PowerShell's ">"
 * writes), UTF-8 with or without a BOM. Other encodings (a console code page
 * such as GBK) are refused rather than guessed. */
static gboolean
decode (NetshParser *self, const guint8 *data, gsize len)
{
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      g_autofree gunichar2 *units = NULL;
      gsize n = (len - 2) / 2;

      if ((len - 2) % 2 != 0)
        return malformed (self, 0, "a UTF-16 file has an odd number of bytes (truncated?)");
      units = g_new (gunichar2, n + 1);
      for (gsize i = 0; i < n; i++)
        {
          units[i] = (gunichar2) (data[2 + 2 * i] | data[3 + 2 * i] << 8);
          /* A NUL would silently cut the listing short. */
          if (units[i] == 0)
            return malformed (self, 0, "the text contains a NUL character");
        }
      self->text = g_utf16_to_utf8 (units, (glong) n, NULL, NULL, NULL);
      if (self->text == NULL)
        return malformed (self, 0, "the file is not valid UTF-16");
    }
  else
    {
      const char *text = (const char *) data;
      const char *bad = NULL;

      if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        {
          text += 3;
          len -= 3;
        }
      /* NUL bytes fail validation too. */
      if (!g_utf8_validate_len (text, len, &bad))
        {
          int line = 1;
          for (const char *q = text; q < bad; q++)
            line += *q == '\n';
          return malformed (self, line, "the text is neither UTF-8 nor UTF-16 with a BOM (save the listing as UTF-8)");
        }
      self->text = g_strndup (text, len);
    }
  self->p = self->text;
  self->end = self->text + strlen (self->text);
  return TRUE;
}

/* The next line, trimmed, or NULL at the end (caller frees). */
static char *
next_line (NetshParser *self)
{
  const char *nl;
  char *line;

  if (self->p >= self->end)
    return NULL;
  nl = memchr (self->p, '\n', (gsize) (self->end - self->p));
  line = g_strndup (self->p, (gsize) ((nl != NULL ? nl : self->end) - self->p));
  self->p = nl != NULL ? nl + 1 : self->end;
  self->line++;
  return g_strstrip (line);
}

static gboolean
is_dashes (const char *line)
{
  gsize n = strlen (line);

  return n >= 10 && strspn (line, "-") == n;
}

/* "Max   Address  Length" -> "max address length" */
static char *
normalize_label (const char *label)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean blank = FALSE;

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t')
        {
          blank = TRUE;
          continue;
        }
      if (blank && out->len > 0)
        g_string_append_c (out, ' ');
      blank = FALSE;
      g_string_append_c (out, g_ascii_tolower (*p));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
lookup_label (const char *label, Field *field)
{
  g_autofree char *norm = normalize_label (label);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *known = normalize_label (labels[i].label);
      if (strcmp (norm, known) == 0)
        {
          *field = labels[i].field;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_protocol_header (const char *line)
{
  g_autofree char *norm = normalize_label (line);

  for (guint i = 0; i < G_N_ELEMENTS (protocol_headers); i++)
    {
      g_autofree char *known = normalize_label (protocol_headers[i]);
      if (strcmp (norm, known) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Splits "Label:   value" at the first colon (ASCII or full width). */
static gboolean
split_field (char *line, char **label, char **value)
{
  char *ascii = strchr (line, ':');
  char *wide = strstr (line, "\xef\xbc\x9a");  /* U+FF1A FULLWIDTH COLON */
  char *colon = ascii;
  gsize skip = 1;

  if (wide != NULL && (ascii == NULL || wide < ascii))
    {
      colon = wide;
      skip = 3;
    }
  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  *label = g_strstrip (line);
  *value = g_strstrip (colon + skip);
  return **label != '\0';
}

static gboolean
parse_int (const char *text, gint64 min, gint64 max, gint64 *out)
{
  if (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X"))
    {
      guint64 u;

      /* Hex has no sign: "0x-5" is not -5. */
      if (max < 0 || !wsi_number_parse_unsigned (text + 2, 16, (guint64) max, &u) || (gint64) u < min)
        return FALSE;
      *out = (gint64) u;
      return TRUE;
    }
  return wsi_number_parse_signed (text, min, max, out);
}

typedef struct {
  char *values[N_FIELDS];
  int   lines[N_FIELDS];
  int   line;   /* the block header's */
} Block;

static void
block_clear (Block *b)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&b->values[i], g_free);
}

static const char *const field_names[N_FIELDS] = {
  "Entry Type", "Description", "Provider ID", "Provider Path", "Catalog Entry ID", "Version", "Address Family",
  "Max Address Length", "Min Address Length", "Socket Type", "Protocol", "Service Flags", "Protocol Chain Length",
  "Protocol Chain",
};

static gboolean
int_field (NetshParser *self, Block *b, Field f, gint64 min, gint64 max, gint64 *out)
{
  if (!parse_int (b->values[f], min, max, out))
    return malformed (self, b->lines[f], "%s: '%s' is not a number in range", field_names[f], b->values[f]);
  return TRUE;
}

static WsiEntry *
block_to_entry (NetshParser *self, Block *b)
{
  g_autoptr(WsiEntry) entry = wsi_entry_new ();
  guint8 packed[WSI_PACKED_ITEM_SIZE];
  g_autoptr(GError) error = NULL;
  gint64 v;
  glong units = 0;
  g_autofree gunichar2 *name16 = NULL;

  for (guint f = F_DESCRIPTION; f < F_CHAIN; f++)
    if (b->values[f] == NULL)
      {
        malformed (self, b->line, "the entry has no %s line (a truncated paste?)", field_names[f]);
        return NULL;
      }
  name16 = g_utf8_to_utf16 (b->values[F_DESCRIPTION], -1, NULL, &units, NULL);
  if (name16 == NULL || units > WSI_PROTOCOL_LEN)
    {
      malformed (self, b->lines[F_DESCRIPTION], "Description: longer than %u characters", WSI_PROTOCOL_LEN);
      return NULL;
    }
  wsi_entry_set_name (entry, b->values[F_DESCRIPTION]);
  wsi_entry_set_path (entry, b->values[F_PROVIDER_PATH]);
  if (!wsi_guid_parse (b->values[F_PROVIDER_ID], &entry->provider_id))
    {
      malformed (self, b->lines[F_PROVIDER_ID], "Provider ID: '%s' is not a GUID", b->values[F_PROVIDER_ID]);
      return NULL;
    }
  /* The machine's next ID is the highest listed + 1: 4294967295 leaves no
   * room for it (Windows could never have assigned it). */
  if (!int_field (self, b, F_CATALOG_ID, 0, G_MAXUINT32 - 1, &v))
    return NULL;
  entry->catalog_id = (guint32) v;
  if (!int_field (self, b, F_VERSION, G_MININT32, G_MAXINT32, &v))
    return NULL;
  entry->version = (gint32) v;
  if (!int_field (self, b, F_ADDRESS_FAMILY, G_MININT32, G_MAXINT32, &v))
    return NULL;
  entry->address_family = (gint32) v;
  if (!int_field (self, b, F_MAX_ADDRESS, G_MININT32, G_MAXINT32, &v))
    return NULL;
  entry->max_sockaddr = (gint32) v;
  if (!int_field (self, b, F_MIN_ADDRESS, G_MININT32, G_MAXINT32, &v))
    return NULL;
  entry->min_sockaddr = (gint32) v;
  if (!int_field (self, b, F_SOCKET_TYPE, G_MININT32, G_MAXINT32, &v))
    return NULL;
  entry->socket_type = (gint32) v;
  if (!int_field (self, b, F_PROTOCOL, G_MININT32, G_MAXINT32, &v))
    return NULL;
  entry->protocol = (gint32) v;
  if (!int_field (self, b, F_SERVICE_FLAGS, 0, G_MAXUINT32, &v))
    return NULL;
  entry->service_flags[0] = (guint32) v;
  if (!int_field (self, b, F_CHAIN_LENGTH, 0, WSI_MAX_PROTOCOL_CHAIN, &v))
    return NULL;
  entry->chain_len = (gint32) v;

  /* netsh prints the chain only for real chains (ChainLen > 1). */
  if (entry->chain_len > 1 && b->values[F_CHAIN] == NULL)
    {
      malformed (self, b->lines[F_CHAIN_LENGTH], "Protocol Chain Length is %d but there is no Protocol Chain line",
                 entry->chain_len);
      return NULL;
    }
  if (b->values[F_CHAIN] != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (b->values[F_CHAIN], ":", -1);
      guint n = g_strv_length (ids);

      if ((gint32) n != entry->chain_len)
        {
          malformed (self, b->lines[F_CHAIN], "Protocol Chain names %u entries, its length says %d", n,
                     entry->chain_len);
          return NULL;
        }
      for (guint i = 0; i < n; i++)
        {
          if (!parse_int (g_strstrip (ids[i]), 0, G_MAXUINT32, &v))
            {
              malformed (self, b->lines[F_CHAIN], "Protocol Chain: '%s' is not a catalog ID", ids[i]);
              return NULL;
            }
          entry->chain[i] = (guint32) v;
        }
    }
  /* The model must be able to write it back as a PackedCatalogItem. */
  if (!wsi_entry_pack_catalog_item (entry, packed, &error))
    {
      malformed (self, b->lines[F_PROVIDER_PATH], "Provider Path: %s", error->message);
      return NULL;
    }
  return g_steal_pointer (&entry);
}

/* Reads every protocol block into @entries. */
static gboolean
parse_listing (NetshParser *self, gboolean allow_partial, GPtrArray *entries)
{
  g_autofree char *prev = NULL;
  char *line;
  Block block = { { NULL }, { 0 }, 0 };
  gboolean in_block = FALSE;
  gboolean complete = FALSE;
  gboolean ok = TRUE;

  while (ok && (line = next_line (self)) != NULL)
    {
      g_autofree char *owned = line;

      if (is_dashes (line))
        {
          /* The line before the dashes is a block's header. */
          if (prev == NULL || !is_protocol_header (prev))
            {
              /* Once entries were read, another kind of block (the name
               * space providers) ends the protocol catalog; before them it
               * is something pasted around the listing. */
              if (in_block)
                {
                  complete = TRUE;
                  break;
                }
              g_clear_pointer (&prev, g_free);
              continue;
            }
          if (in_block)
            {
              WsiEntry *entry = block_to_entry (self, &block);
              ok = entry != NULL;
              if (ok)
                g_ptr_array_add (entries, entry);
            }
          block_clear (&block);
          block.line = self->line - 1;
          in_block = TRUE;
          g_clear_pointer (&prev, g_free);
          continue;
        }
      if (in_block && *line != '\0' && !is_protocol_header (line))
        {
          char *label, *value;
          Field field;

          /* The header of the next block is only known by the dashes after
           * it, so a line that is neither may be one: look ahead. */
          if (!split_field (line, &label, &value))
            {
              const char *save_p = self->p;
              int save_line = self->line;
              g_autofree char *next = next_line (self);
              gboolean header = next != NULL && is_dashes (next);

              self->p = save_p;
              self->line = save_line;
              if (header)
                {
                  g_free (prev);
                  prev = g_strdup (line);
                  continue;
                }
              ok = malformed (self, self->line, "'%s' is not a \"Label: value\" line", line);
              break;
            }
          if (!lookup_label (label, &field))
            {
              ok = malformed (self, self->line, "unknown field label '%s'", label);
              break;
            }
          if (block.values[field] != NULL)
            {
              ok = malformed (self, self->line, "%s appears twice in one entry", field_names[field]);
              break;
            }
          block.values[field] = g_strdup (value);
          block.lines[field] = self->line;
        }
      g_free (prev);
      prev = g_strdup (line);
    }
  if (ok && in_block)
    {
      WsiEntry *entry = block_to_entry (self, &block);
      ok = entry != NULL;
      if (ok)
        g_ptr_array_add (entries, entry);
    }
  block_clear (&block);
  if (ok && entries->len == 0)
    return malformed (self, 0, "no \"Winsock Catalog Provider Entry\" block (English or Simplified Chinese labels)");
  /* Without the name space providers that netsh prints after the protocol
   * entries, nothing shows that the paste holds all of them. */
  if (ok && !complete && !allow_partial)
    {
      WsiDiag *diag = wsi_diag_list_add (self->diags, "netsh-malformed", self->display_name, self->line,
                                         "the listing ends without the name space providers netsh prints after the "
                                         "protocol entries: it looks cut short");
      wsi_diag_set_hint (diag, "Paste the whole output, or pass --allow-partial to import the entries shown.");
      return FALSE;
    }
  return ok;
}

static GPtrArray *
read_listing (const guint8 *data, gsize len, const char *display_name, gboolean allow_partial, WsiDiagList *diags)
{
  NetshParser self = { display_name, diags, NULL, NULL, NULL, 0 };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_entry_free);
  gboolean ok;

  if (len == 0)
    {
      wsi_diag_list_add (diags, "empty-file", display_name, 0, "the listing is empty");
      return NULL;
    }
  if (len > WSI_IMPORT_MAX_NETSH_SIZE)
    {
      wsi_diag_list_add (diags, "file-too-large", display_name, 0, "%" G_GSIZE_FORMAT " bytes; at most %u are read",
                         len, WSI_IMPORT_MAX_NETSH_SIZE);
      return NULL;
    }
  if (!decode (&self, data, len))
    return NULL;
  ok = parse_listing (&self, allow_partial, entries);
  g_free (self.text);
  return ok ? g_steal_pointer (&entries) : NULL;
}

static guint32
max_id (GPtrArray *entries)
{
  guint32 m = 0;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    m = MAX (m, ((const WsiEntry *) g_ptr_array_index (entries, i))->catalog_id);
  return m;
}

static void
fill_catalog (WsiCatalog *catalog, GPtrArray *entries, guint32 next_id)
{
  for (guint i = 0; i < entries->len; i++)
    wsi_catalog_append_loaded (catalog, wsi_entry_copy (g_ptr_array_index (entries, i)));
  wsi_catalog_set_next_id (catalog, next_id);
  wsi_catalog_set_serial (catalog, 0);
}

WsiMachine *
wsi_import_netsh_memory (const guint8 *data, gsize len, const char *display_name,
                         const guint8 *data32, gsize len32, const char *display_name32,
                         const WsiImportOptions *options, WsiDiagList *diags)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) entries32 = NULL;
  g_autoptr(WsiMachine) machine = NULL;
  g_autofree char *what = NULL;
  g_autofree char *description = NULL;
  WsiMachineKind kind = data32 != NULL ? WSI_MACHINE_X64 : WSI_MACHINE_X86;
  gboolean copied32 = FALSE;
  gboolean allow_partial;
  guint32 next_id;

  g_return_val_if_fail (display_name != NULL && diags != NULL, NULL);

  if (options != NULL && options->force_kind)
    {
      if (data32 != NULL && options->kind != WSI_MACHINE_X64)
        {
          wsi_diag_list_add (diags, "import-kind-conflict", display_name32 != NULL ? display_name32 : display_name, 0,
                             "a second (32-bit) listing was given, but the machine kind asked for (%s) has one catalog",
                             wsi_machine_kind_to_string (options->kind));
          return NULL;
        }
      kind = options->kind;
    }
  allow_partial = options != NULL && options->allow_partial;
  entries = read_listing (data, len, display_name, allow_partial, diags);
  if (entries == NULL)
    return NULL;
  if (data32 != NULL)
    {
      entries32 = read_listing (data32, len32, display_name32 != NULL ? display_name32 : "32-bit listing",
                                allow_partial, diags);
      if (entries32 == NULL)
        return NULL;
    }

  /* Windows keeps one Next_Catalog_Entry_ID for both catalogs; the listing
   * does not show it, so the smallest value consistent with it is used. */
  next_id = MAX (MAX (max_id (entries), max_id (entries32)) + 1, WSI_FIRST_CATALOG_ID);
  machine = wsi_machine_new (kind);
  if (kind == WSI_MACHINE_X64)
    {
      fill_catalog (wsi_machine_get_catalog (machine, WSI_CATALOG_64), entries, next_id);
      copied32 = entries32 == NULL;
      fill_catalog (wsi_machine_get_catalog (machine, WSI_CATALOG_32), copied32 ? entries : entries32, next_id);
    }
  else
    fill_catalog (wsi_machine_get_catalog (machine, WSI_CATALOG_32), entries, next_id);

  what = g_strdup_printf ("netsh winsock show catalog%s%s; Next_Catalog_Entry_ID assumed to be the highest ID + 1 = %u; "
                          "not in the listing, set to 0: provider flags, service flags 2-4, iProtocolMaxOffset, "
                          "iNetworkByteOrder, iSecurityScheme, dwMessageSize, dwProviderReserved, Serial_Access_Num",
                          allow_partial ? ", possibly partial" : "",
                          copied32 ? "; the 32-bit catalog is assumed to be the same as the listed one" : "", next_id);
  description = wsi_import_default_description (display_name, what);
  wsi_machine_set_description (machine, options != NULL && options->description != NULL
                                          ? options->description : description);
  return g_steal_pointer (&machine);
}

WsiMachine *
wsi_import_netsh_file (const char *path, const char *path32, const WsiImportOptions *options, WsiDiagList *diags)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bytes32 = NULL;
  const guint8 *data, *data32 = NULL;
  gsize len = 0, len32 = 0;

  g_return_val_if_fail (path != NULL && diags != NULL, NULL);

  bytes = wsi_import_read_file (path, WSI_IMPORT_MAX_NETSH_SIZE, diags);
  if (bytes == NULL)
    return NULL;
  if (path32 != NULL)
    {
      bytes32 = wsi_import_read_file (path32, WSI_IMPORT_MAX_NETSH_SIZE, diags);
      if (bytes32 == NULL)
        return NULL;
      data32 = g_bytes_get_data (bytes32, &len32);
      /* An empty second file still means "there is a 32-bit listing". */
      if (data32 == NULL)
        data32 = (const guint8 *) "";
    }
  data = g_bytes_get_data (bytes, &len);
  if (data == NULL)
    data = (const guint8 *) "";
  return wsi_import_netsh_memory (data, len, path, data32, len32, path32, options, diags);
}
