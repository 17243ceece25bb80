/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-hostile.c: hostile inputs of every kind (manifest, snapshot, .reg,
 * netsh, hive) through the built CLI, as an attacker or a damaged file
 * would reach it: each gets its tag and exit 1 or 2, in bounded time and
 * memory, without reading a file or opening a connection it should not.
 * The XML layer's own API-level cases are in test-xml.c; inputs too large
 * for the repository (1 GiB, 100,000 levels) are generated here. */
#include "wsi-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* "A few seconds", with room for sanitizer builds and a busy machine. */
#define MAX_USEC (8 * G_USEC_PER_SEC)
/* Peak RSS of one run: far below any input size tried here (1 GiB). */
#define MAX_RSS_KB (256 * 1024)

typedef struct {
  int     rc;
  char   *out;         /* stdout and stderr */
  gint64  usec;
  glong   maxrss_kb;
} Run;

static void
run_free (Run *r)
{
  g_free (r->out);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static char *
read_fd (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  lseek (fd, 0, SEEK_SET);
  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_string_append_len (s, buf, n);
  close (fd);
  return g_string_free (s, FALSE);
}

/* Runs the built wsinstall with @args; measures wall time and the child's
 * peak RSS (wait4), which g_spawn_sync cannot. */
static Run *
run_cli (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *exe = g_getenv ("WSINSTALL");
  char out_name[] = "/tmp/wsi-hostile-out-XXXXXX";
  char err_name[] = "/tmp/wsi-hostile-err-XXXXXX";
  int out_fd = mkstemp (out_name);
  int err_fd = mkstemp (err_name);
  Run *r = g_new0 (Run, 1);
  struct rusage ru = { 0 };
  GPid pid;
  int status = 0;
  gint64 start;
  g_autofree char *err_text = NULL;

  g_assert (exe != NULL && out_fd >= 0 && err_fd >= 0);
  g_unlink (out_name);
  g_unlink (err_name);
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_fds (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                               -1, out_fd, err_fd, &error))
    g_error ("spawning %s: %s", exe, error->message);
  while (wait4 (pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  r->usec = g_get_monotonic_time () - start;
  r->maxrss_kb = ru.ru_maxrss;
  r->rc = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
  r->out = read_fd (out_fd);
  err_text = read_fd (err_fd);
  {
    char *both = g_strconcat (r->out, err_text, NULL);
    g_free (r->out);
    r->out = both;
  }
  return r;
}

static Run *
run_cli_v (const char *first, ...) G_GNUC_NULL_TERMINATED;

static Run *
run_cli_v (const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_cli ((const char *const *) args->pdata);
}

/* The run refused its input: exit @rc, the tag in the output, in bounded
 * time and memory. */
static void
assert_refused_at (Run *r, int rc, const char *tag, const char *what, int line)
{
  g_autofree char *needle = g_strdup_printf ("[%s]", tag);

  ck_assert_msg (r->rc == rc, "%s (line %d): exit %d, expected %d:\n%s", what, line, r->rc, rc, r->out);
  ck_assert_msg (strstr (r->out, needle) != NULL, "%s (line %d): no %s in:\n%s", what, line, needle, r->out);
  ck_assert_msg (r->usec < MAX_USEC, "%s (line %d): took %" G_GINT64_FORMAT " ms", what, line, r->usec / 1000);
  ck_assert_msg (r->maxrss_kb < MAX_RSS_KB, "%s (line %d): peak RSS %ld KiB", what, line, r->maxrss_kb);
}

#define assert_refused(r, rc, tag, what) assert_refused_at ((r), (rc), (tag), (what), __LINE__)

static char *
write_file (const char *dir, const char *name, const void *data, gssize len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, data, len, &error))
    g_error ("%s: %s", path, error->message);
  return path;
}

static char *
read_data (const char *name, gsize *len)
{
  g_autofree char *path = wsi_test_data_path (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, len, &error))
    g_error ("%s: %s", path, error->message);
  return text;
}

/* A small valid x86 snapshot to damage: win7-x86.xml. */
static char *
base_snapshot (void)
{
  return read_data ("snapshots/win7-x86.xml", NULL);
}

static char *
replace_once (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);
  g_autofree char *head = NULL;

  g_assert (at != NULL);
  head = g_strndup (text, (gsize) (at - text));
  return g_strconcat (head, to, at + strlen (from), NULL);
}

/* Runs plan --machine SNAPSHOT (x86 manifest) and catalog show on it. */
static void
assert_snapshot_refused_at (const char *dir, const char *name, const char *text, gssize len, const char *tag, int line)
{
  g_autofree char *path = write_file (dir, name, text, len);
  g_autofree char *manifest = wsi_test_data_path ("manifests/good/x86.xml");
  g_autoptr(Run) plan = run_cli_v ("plan", "--machine", path, manifest, NULL);
  g_autoptr(Run) show = run_cli_v ("catalog", "show", "--machine", path, NULL);

  assert_refused_at (plan, 1, tag, name, line);
  ck_assert_msg (show->rc == 1 || show->rc == 2, "catalog show %s (line %d): exit %d", name, line, show->rc);
  assert_refused_at (show, show->rc, tag, name, line);
}

#define assert_snapshot_refused(dir, name, text, len, tag) \
  assert_snapshot_refused_at ((dir), (name), (text), (len), (tag), __LINE__)

static void
assert_import_refused_at (const char *dir, const char *from, const char *name, const void *data, gssize len,
                          const char *tag, int line)
{
  g_autofree char *path = write_file (dir, name, data, len);
  g_autofree char *out = g_build_filename (dir, "imported.xml", NULL);
  g_autofree char *from_arg = g_strconcat ("--from=", from, NULL);
  g_autoptr(Run) r = run_cli_v ("catalog", "import", from_arg, path, "-o", out, NULL);

  assert_refused_at (r, 1, tag, name, line);
  ck_assert_msg (!g_file_test (out, G_FILE_TEST_EXISTS), "%s (line %d): a snapshot was written", name, line);
}

#define assert_import_refused(dir, from, name, data, len, tag) \
  assert_import_refused_at ((dir), (from), (name), (data), (len), (tag), __LINE__)

/* --- external entities: nothing read, nothing connected --- */

static const char *const xxe_forms[] = {
  "<!DOCTYPE ROOT [<!ENTITY x SYSTEM \"URL\">]>\n",
  "<!DOCTYPE ROOT SYSTEM \"URL\">\n",
  "<!DOCTYPE ROOT [<!ENTITY % p SYSTEM \"URL\"> %p;]>\n",
};

static char *
xxe_manifest (const char *form, const char *url)
{
  g_autoptr(GString) s = g_string_new ("<?xml version=\"1.0\"?>\n");

  g_string_append (s, form);
  g_string_replace (s, "ROOT", "manifest", 0);
  g_string_replace (s, "URL", url, 0);
  g_string_append (s, "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
                      "  <product id=\"t\" name=\"&x;\" version=\"1\"/>\n"
                      "  <target profile=\"desktop-x86\"/>\n</manifest>\n");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
xxe_snapshot (const char *form, const char *url)
{
  g_autofree char *base = base_snapshot ();
  g_autoptr(GString) decl = g_string_new (form);
  g_autofree char *with_decl = NULL;

  g_string_replace (decl, "ROOT", "machine", 0);
  g_string_replace (decl, "URL", url, 0);
  g_string_append (decl, "<machine ");
  with_decl = replace_once (base, "<machine ", decl->str);
  return replace_once (with_decl, "<description>", "<description>&x;");
}

START_TEST (external_file_entities_read_nothing)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *secret = write_file (dir, "secret.txt", "TOP-SECRET", -1);
  g_autofree char *url = g_strconcat ("file://", secret, NULL);
  int ino = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  char events[4096];

  ck_assert_int_ge (ino, 0);
  ck_assert_int_ge (inotify_add_watch (ino, secret, IN_OPEN | IN_ACCESS), 0);
  for (gsize i = 0; i < G_N_ELEMENTS (xxe_forms); i++)
    {
      g_autofree char *m = xxe_manifest (xxe_forms[i], url);
      g_autofree char *s = xxe_snapshot (xxe_forms[i], url);
      g_autofree char *mpath = write_file (dir, "xxe-manifest.xml", m, -1);
      g_autoptr(Run) v = run_cli_v ("validate", mpath, NULL);

      assert_refused (v, 1, "xml-entities-refused", m);
      ck_assert (strstr (v->out, "TOP-SECRET") == NULL);
      assert_snapshot_refused (dir, "xxe-snapshot.xml", s, -1, "xml-entities-refused");
    }
  /* Neither the parser nor anything else opened the file. */
  ck_assert_int_lt (read (ino, events, sizeof events), 0);
  ck_assert_int_eq (errno, EAGAIN);
  close (ino);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (network_entities_connect_nowhere)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *url = NULL;
  g_autofree char *manifest = wsi_test_data_path ("manifests/good/x86.xml");

  ck_assert_ptr_nonnull (server);
  ck_assert (g_socket_bind (server, any_port, TRUE, &error));
  ck_assert (g_socket_listen (server, &error));
  bound = g_socket_get_local_address (server, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/wsinstall-must-not-fetch",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  for (gsize i = 0; i < G_N_ELEMENTS (xxe_forms); i++)
    {
      g_autofree char *m = xxe_manifest (xxe_forms[i], url);
      g_autofree char *s = xxe_snapshot (xxe_forms[i], url);
      g_autofree char *mpath = write_file (dir, "xxe-manifest.xml", m, -1);
      g_autoptr(Run) v = run_cli_v ("validate", mpath, NULL);

      assert_refused (v, 1, "xml-entities-refused", m);
      assert_snapshot_refused (dir, "xxe-snapshot.xml", s, -1, "xml-entities-refused");
    }
  /* Well-formed documents that name a URL: XInclude and schema locations
   * are neither followed nor fetched, whatever the verdict. */
  {
    g_autofree char *xinclude = g_strdup_printf (
      "<manifest xmlns=\"urn:wsinstall:manifest:1\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
      "  <xi:include href=\"%s\"/>\n</manifest>\n", url);
    g_autofree char *located = g_strdup_printf (
      "<manifest xmlns=\"urn:wsinstall:manifest:1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
      "          xsi:schemaLocation=\"urn:wsinstall:manifest:1 %s\">\n"
      "  <product id=\"t\" name=\"T\" version=\"1\"/>\n  <target profile=\"desktop-x86\"/>\n</manifest>\n", url);
    g_autofree char *p1 = write_file (dir, "xinclude.xml", xinclude, -1);
    g_autofree char *p2 = write_file (dir, "located.xml", located, -1);
    g_autoptr(Run) r1 = run_cli_v ("validate", p1, NULL);
    g_autoptr(Run) r2 = run_cli_v ("plan", "--machine", p1, manifest, NULL);
    g_autoptr(Run) r3 = run_cli_v ("validate", p2, NULL);

    assert_refused (r1, 1, "schema-invalid", "xinclude manifest");
    ck_assert_int_eq (r2->rc, 1);
    ck_assert_int_le (r3->rc, 1);
  }

  g_socket_set_blocking (server, FALSE);
  client = g_socket_accept (server, NULL, &error);
  ck_assert_msg (client == NULL, "wsinstall connected to the loopback listener");
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
  wsi_test_rmtree (dir);
}
END_TEST

/* --- expansion bombs and depth --- */

static char *
entity_bomb (const char *root_open, const char *root_close)
{
  g_autoptr(GString) s = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY l0 \"lollollollol\">\n");

  for (int i = 1; i < 12; i++)
    {
      g_string_append_printf (s, "<!ENTITY l%d \"", i);
      for (int k = 0; k < 10; k++)
        g_string_append_printf (s, "&l%d;", i - 1);
      g_string_append (s, "\">\n");
    }
  g_string_append_printf (s, "]>\n%s&l11;%s\n", root_open, root_close);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

START_TEST (entity_bombs_refused_fast_everywhere)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *m = entity_bomb ("<manifest xmlns=\"urn:wsinstall:manifest:1\">", "</manifest>");
  g_autofree char *s = entity_bomb ("<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\"><description>",
                                    "</description></machine>");
  g_autofree char *mpath = write_file (dir, "bomb.xml", m, -1);
  g_autofree char *snapshot = wsi_test_data_path ("snapshots/win7-x86.xml");
  g_autoptr(Run) plan = run_cli_v ("plan", "--machine", snapshot, mpath, NULL);
  g_autoptr(GString) quadratic = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [<!ENTITY a \"");

  assert_refused (plan, 1, "xml-entities-refused", "manifest bomb through plan");
  assert_snapshot_refused (dir, "bomb-snapshot.xml", s, -1, "xml-entities-refused");

  /* Quadratic blowup: one large entity referenced many times. */
  for (int i = 0; i < 50000; i++)
    g_string_append_c (quadratic, 'a');
  g_string_append (quadratic, "\">]>\n<manifest xmlns=\"urn:wsinstall:manifest:1\"><product id=\"t\" name=\"");
  for (int i = 0; i < 50000; i++)
    g_string_append (quadratic, "&a;");
  g_string_append (quadratic, "\" version=\"1\"/></manifest>\n");
  {
    g_autofree char *qpath = write_file (dir, "quadratic.xml", quadratic->str, (gssize) quadratic->len);
    g_autoptr(Run) v = run_cli_v ("validate", qpath, NULL);
    assert_refused (v, 1, "xml-entities-refused", "quadratic blowup");
  }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (hundred_thousand_levels_refused_everywhere)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autoptr(GString) m = g_string_new ("<manifest xmlns=\"urn:wsinstall:manifest:1\">");
  g_autoptr(GString) s = g_string_new ("<machine xmlns=\"urn:wsinstall:snapshot:1\" kind=\"x86\">");
  g_autofree char *snapshot = wsi_test_data_path ("snapshots/win7-x86.xml");
  g_autofree char *mpath = NULL;

  for (int i = 0; i < 100000; i++)
    {
      g_string_append (m, "<chain>");
      g_string_append (s, "<catalog>");
    }
  mpath = write_file (dir, "deep-manifest.xml", m->str, (gssize) m->len);
  {
    g_autoptr(Run) plan = run_cli_v ("plan", "--machine", snapshot, mpath, NULL);
    assert_refused (plan, 1, "xml-too-deep", "deep manifest through plan");
  }
  assert_snapshot_refused (dir, "deep-snapshot.xml", s->str, (gssize) s->len, "xml-too-deep");
  wsi_test_rmtree (dir);
}
END_TEST

/* --- size --- */

static char *
sparse_file (const char *dir, const char *name, goffset size, const char *head)
{
  char *path = g_build_filename (dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  ck_assert_int_ge (fd, 0);
  if (head != NULL)
    ck_assert_int_eq (write (fd, head, strlen (head)), (ssize_t) strlen (head));
  ck_assert_int_eq (ftruncate (fd, size), 0);
  close (fd);
  return path;
}

START_TEST (one_gib_inputs_refused_unread)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  const goffset gib = (goffset) 1024 * 1024 * 1024;
  g_autofree char *xml = sparse_file (dir, "big.xml", gib, "<?xml version=\"1.0\"?>\n");
  g_autofree char *reg = sparse_file (dir, "big.reg", gib, "Windows Registry Editor Version 5.00\r\n");
  g_autofree char *txt = sparse_file (dir, "big.txt", gib, "\r\nWinsock Catalog Provider Entry\r\n");
  g_autofree char *hive = sparse_file (dir, "big.hive", gib, "regf");
  g_autofree char *out = g_build_filename (dir, "o.xml", NULL);
  g_autofree char *snapshot = wsi_test_data_path ("snapshots/win7-x86.xml");
  g_autoptr(Run) v = run_cli_v ("validate", xml, NULL);
  g_autoptr(Run) p = run_cli_v ("plan", "--machine", xml, NULL);
  g_autoptr(Run) p2 = run_cli_v ("plan", "--machine", snapshot, xml, NULL);
  g_autoptr(Run) s = run_cli_v ("catalog", "show", "--machine", xml, NULL);
  g_autoptr(Run) ir = run_cli_v ("catalog", "import", "--from=reg", reg, "-o", out, NULL);
  g_autoptr(Run) in = run_cli_v ("catalog", "import", "--from=netsh", txt, "-o", out, NULL);
  g_autoptr(Run) ih = run_cli_v ("catalog", "import", "--from=hive", hive, "-o", out, NULL);

  assert_refused (v, 1, "file-too-large", "validate");
  ck_assert_int_eq (p->rc, 2);   /* plan needs a manifest: usage */
  assert_refused (p2, 1, "file-too-large", "plan manifest");
  ck_assert (s->rc == 1 || s->rc == 2);
  assert_refused (s, s->rc, "file-too-large", "catalog show");
  assert_refused (ir, 1, "file-too-large", "import reg");
  assert_refused (in, 1, "file-too-large", "import netsh");
  assert_refused (ih, 1, "file-too-large", "import hive");
  {
    g_autofree char *big_snapshot = sparse_file (dir, "big-snapshot.xml", gib, "<?xml version=\"1.0\"?>\n");
    g_autofree char *manifest = wsi_test_data_path ("manifests/good/x86.xml");
    g_autoptr(Run) pm = run_cli_v ("plan", "--machine", big_snapshot, manifest, NULL);
    assert_refused (pm, 1, "file-too-large", "plan --machine");
  }
  wsi_test_rmtree (dir);
}
END_TEST

/* Under the hive limit (512 MiB) the file is mapped, not read: a
 * 500 MiB hive of zeros is refused as damaged in bounded memory. */
START_TEST (large_hive_under_the_limit_is_not_read_into_memory)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = NULL;
  g_autofree char *out = g_build_filename (dir, "o.xml", NULL);
  g_autoptr(Run) r = NULL;

  if (!wsi_import_hive_supported ())
    return;
  hive = sparse_file (dir, "zeros.hive", (goffset) 500 * 1024 * 1024, NULL);
  r = run_cli_v ("catalog", "import", "--from=hive", hive, "-o", out, NULL);
  assert_refused (r, 1, "hive-malformed", "500 MiB of zeros");
  wsi_test_rmtree (dir);
}
END_TEST

/* --- encodings and NULs --- */

static GBytes *
utf16le (const char *text, gboolean bom)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  GByteArray *b = g_byte_array_new ();

  if (bom)
    g_byte_array_append (b, (const guint8 *) "\xff\xfe", 2);
  for (glong i = 0; i < n; i++)
    {
      guint8 le[2] = { units[i] & 0xff, units[i] >> 8 };
      g_byte_array_append (b, le, 2);
    }
  return g_byte_array_free_to_bytes (b);
}

static const char reg_header[] = "Windows Registry Editor Version 5.00\r\n\r\n"
  "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n";

START_TEST (invalid_encodings_refused_in_every_kind)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  g_autofree char *bad_utf8 = replace_once (base, "<description>", "<description>\xc3\x28\xff\xfe");
  g_autofree char *utf16_decl = replace_once (base, "encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
  g_autoptr(GBytes) reg = utf16le (reg_header, TRUE);
  GByteArray *lone = g_byte_array_new ();
  g_autoptr(GBytes) lone_bytes = NULL;
  gsize reg_len;
  const guint8 *reg_data = g_bytes_get_data (reg, &reg_len);
  static const char netsh_bad[] = "\r\nWinsock Catalog Provider Entry\r\n------------------------------------------------------\r\n"
                                  "Entry Type:                         Base Service Provider\r\n"
                                  "Description:                        MSAFD \xff\xfe\xc3 [TCP/IP]\r\n";

  assert_snapshot_refused (dir, "bad-utf8.xml", bad_utf8, -1, "encoding-invalid");
  assert_snapshot_refused (dir, "utf16-declared.xml", utf16_decl, -1, "encoding-invalid");

  /* A lone high surrogate (D800) inside a key name of a UTF-16 .reg. */
  g_byte_array_append (lone, reg_data, (guint) reg_len - 4);
  g_byte_array_append (lone, (const guint8 *) "\x00\xd8" "]\x00\r\x00\n\x00", 8);
  lone_bytes = g_byte_array_free_to_bytes (lone);
  assert_import_refused (dir, "reg", "lone-surrogate.reg", g_bytes_get_data (lone_bytes, NULL),
                         (gssize) g_bytes_get_size (lone_bytes), "reg-malformed");
  /* An odd number of bytes cannot be UTF-16. */
  assert_import_refused (dir, "reg", "odd.reg", reg_data, (gssize) reg_len - 1, "reg-malformed");
  assert_import_refused (dir, "netsh", "bad-utf8.txt", netsh_bad, -1, "netsh-malformed");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (nul_bytes_refused_in_every_kind)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  gsize mlen = 0;
  g_autofree char *manifest = read_data ("manifests/good/x86.xml", &mlen);
  g_autofree char *snapshot_nul = g_strdup (base);
  static const char reg_nul[] = "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\"
                                "Parameters\\Protocol_Catalog9]\r\n\"Next_Catalog_Entry_ID\"=dword:0\0000003ea\r\n";
  static const char netsh_nul[] = "\r\nWinsock Catalog Provider Entry\r\n------------------------------------------------------\r\n"
                                  "Entry Type:                         Base Service\0 Provider\r\n";
  char *at;

  at = strstr (manifest, "name=\"L\"");
  at[6] = '\0';
  {
    g_autofree char *mpath = write_file (dir, "nul-manifest.xml", manifest, (gssize) mlen);
    g_autoptr(Run) v = run_cli_v ("validate", mpath, NULL);
    ck_assert_int_eq (v->rc, 1);
    ck_assert_msg (strstr (v->out, "[xml-malformed]") != NULL || strstr (v->out, "[encoding-invalid]") != NULL, "%s",
                   v->out);
  }
  at = strstr (snapshot_nul, "<description>");
  at[3] = '\0';
  assert_snapshot_refused (dir, "nul-snapshot.xml", snapshot_nul, (gssize) strlen (base), "encoding-invalid");
  assert_import_refused (dir, "reg", "nul.reg", reg_nul, sizeof reg_nul - 1, "reg-malformed");
  assert_import_refused (dir, "netsh", "nul.txt", netsh_nul, sizeof netsh_nul - 1, "netsh-malformed");
  wsi_test_rmtree (dir);
}
END_TEST

/* --- overlong names and paths --- */

static char *reg_with (const char *catalog_values, const char *packed);
static char *packed_item (gsize info_offset, guint32 value, gsize len);
#define COUNTERS "\"Next_Catalog_Entry_ID\"=dword:000003ea\r\n\"Num_Catalog_Entries\"=dword:00000001\r\n" \
                 "\"Serial_Access_Num\"=dword:00000001\r\n"

START_TEST (overlong_names_and_paths_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  g_autofree char *long_name = g_strnfill (300, 'N');
  g_autofree char *p400 = g_strnfill (400, 'p');
  g_autofree char *long_path = g_strconcat ("C:\\", p400, "\\x.dll", NULL);
  g_autofree char *huge = g_strnfill (1024 * 1024, 'A');
  g_autofree char *name_attr = g_strdup_printf ("name=\"%s\"", long_name);
  g_autofree char *path_attr = g_strdup_printf ("path=\"%s\"", long_path);
  g_autofree char *s1 = replace_once (base, "name=\"@%SystemRoot%\\System32\\wshtcpip.dll,-60100\"", name_attr);
  g_autofree char *s2 = replace_once (base, "path=\"%SystemRoot%\\system32\\mswsock.dll\"", path_attr);
  g_autofree char *item = packed_item (G_MAXSIZE, 0, 888);
  g_autofree char *reg_ok = reg_with (COUNTERS, item);
  /* An entry key named by 1 MB of letters instead of 000000000002. */
  g_autofree char *reg_key = g_strdup_printf ("%s\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\"
                                              "WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\%s]\r\n"
                                              "\"PackedCatalogItem\"=hex:%s\r\n", reg_ok, huge, item);
  g_autofree char *n255 = g_strnfill (255, 'K');
  g_autofree char *reg_key255 = g_strdup_printf ("%s\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\"
                                                 "WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\%s]\r\n"
                                                 "\"PackedCatalogItem\"=hex:%s\r\n", reg_ok, n255, item);
  g_autoptr(GString) reg_deep = g_string_new (reg_ok);
  g_autofree char *netsh = g_strdup_printf ("\r\nWinsock Catalog Provider Entry\r\n"
                                            "------------------------------------------------------\r\n"
                                            "Entry Type:                         Base Service Provider\r\n"
                                            "Description:                        %s\r\n", huge);

  g_string_append (reg_deep, "\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters"
                             "\\Protocol_Catalog9\\Catalog_Entries");
  for (guint i = 0; i < 30000; i++)
    g_string_append (reg_deep, "\\a");
  g_string_append (reg_deep, "]\r\n\"X\"=dword:00000001\r\n");

  assert_snapshot_refused (dir, "long-name.xml", s1, -1, "snapshot-inconsistent");
  assert_snapshot_refused (dir, "long-path.xml", s2, -1, "snapshot-inconsistent");
  assert_import_refused (dir, "reg", "long-key.reg", reg_key, -1, "reg-malformed");
  /* At the registry's limit the name is read, and refused as an entry key. */
  assert_import_refused (dir, "reg", "limit-key.reg", reg_key255, -1, "catalog-keys-inconsistent");
  /* 30,000 levels: once 5 s and 1.8 GB of parent keys; beyond 512 levels now. */
  assert_import_refused (dir, "reg", "deep-key.reg", reg_deep->str, -1, "reg-malformed");
  assert_import_refused (dir, "netsh", "long-line.txt", netsh, -1, "netsh-malformed");
  wsi_test_rmtree (dir);
}
END_TEST

/* --- GUIDs in every wrong shape --- */

static const char *const bad_guids[] = {
  "", "{}", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A19}", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A1920}",
  "E70F1AA0AB8B11CF8CA300805F48A192", "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192", "E70F1AA0-AB8B-11CF-8CA3-00805F48A192}",
  "{G70F1AA0-AB8B-11CF-8CA3-00805F48A192}", "{E70F1AA0-AB8B-11CF-8CA300805F48A192}", "{{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}}",
  "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}x", "{E70F1AA0-AB8B-11CF-8CA3_00805F48A192}",
  "{E70F1AA0-AB8B-11CF-8CA3-00805F48A19\xd9\xa2}", "{+70F1AA0-AB8B-11CF-8CA3-00805F48A192}", "{0x0F1AA0-AB8B-11CF-8CA3-00805F48A192}",
  "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\xef\xbb\xbf",
};

START_TEST (malformed_guids_refused_in_snapshots_and_netsh)
{
  g_autofree char *base = base_snapshot ();
  gsize nlen = 0;
  g_autofree char *netsh = read_data ("netsh/windows-internals-3.txt", &nlen);
  const char *good = "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}";
  const WsiImportOptions options = { FALSE, WSI_MACHINE_X86, NULL, TRUE };

  ck_assert_ptr_nonnull (strstr (netsh, good));
  for (gsize i = 0; i < G_N_ELEMENTS (bad_guids); i++)
    {
      g_autofree char *attr = g_strdup_printf ("provider-id=\"%s\"", bad_guids[i]);
      g_autofree char *s = replace_once (base, "provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\"", attr);
      g_autofree char *n = replace_once (netsh, good, bad_guids[i]);
      g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
      g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m1 = wsi_snapshot_load_memory (s, strlen (s), "guid.xml", d1);
      g_autoptr(WsiMachine) m2 = wsi_import_netsh_memory ((const guint8 *) n, strlen (n), "guid.txt", NULL, 0, NULL,
                                                          &options, d2);
      g_autofree char *all1 = wsi_test_diags_to_string (d1);
      g_autofree char *all2 = wsi_test_diags_to_string (d2);

      ck_assert_msg (m1 == NULL && wsi_diag_list_has_errors (d1), "snapshot accepted GUID '%s'", bad_guids[i]);
      ck_assert_msg (wsi_diag_list_has_tag (d1, "schema-invalid") || wsi_diag_list_has_tag (d1, "snapshot-inconsistent"),
                     "GUID '%s':\n%s", bad_guids[i], all1);
      ck_assert_msg (m2 == NULL && wsi_diag_list_has_tag (d2, "netsh-malformed"), "netsh GUID '%s':\n%s", bad_guids[i],
                     all2);
    }
  /* White space around a GUID is XML's business: an attribute keeps it. */
  {
    g_autofree char *s = replace_once (base, "provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\"",
                                       "provider-id=\" {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\"");
    g_autoptr(WsiDiagList) d = wsi_diag_list_new ();
    g_autoptr(WsiMachine) m = wsi_snapshot_load_memory (s, strlen (s), "guid.xml", d);
    ck_assert (m == NULL && wsi_diag_list_has_errors (d));
  }
}
END_TEST

START_TEST (malformed_guid_refused_through_the_cli)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  g_autofree char *s = replace_once (base, "provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}\"",
                                     "provider-id=\"{E70F1AA0-AB8B-11CF-8CA3-00805F48A19}\"");

  assert_snapshot_refused (dir, "bad-guid.xml", s, -1, "schema-invalid");
  wsi_test_rmtree (dir);
}
END_TEST

/* --- integer overflow in counts and sizes --- */

/* A one-entry x86 Services export whose values are set by @catalog_values
 * (Protocol_Catalog9) and whose entry's PackedCatalogItem is @packed. */
static char *
reg_with (const char *catalog_values, const char *packed)
{
  return g_strdup_printf (
    "REGEDIT4\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9]\r\n%s\r\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries]\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9\\Catalog_Entries\\000000000001]\r\n"
    "\"PackedCatalogItem\"=hex:%s\r\n\"ProtocolName\"=\"MSAFD Tcpip [TCP/IP]\"\r\n",
    catalog_values, packed);
}

/* A valid 888-byte PackedCatalogItem (path + WSAPROTOCOL_INFOW) with the
 * dword at @offset (into the 628-byte protocol info) set to @value; @len
 * bytes in all. */
static char *
packed_item (gsize info_offset, guint32 value, gsize len)
{
  guint8 item[1024] = { 0 };
  GString *hex = g_string_new (NULL);

  g_assert (len <= sizeof item);
  memcpy (item, "C:\\Windows\\System32\\mswsock.dll", 31);
  /* ProviderId, catalog ID 1001, ChainLen 1, iVersion 2, AF_INET, 16, 16, STREAM, TCP. */
  item[260 + 20] = 0xa0;
  item[260 + 36] = 0xe9; item[260 + 37] = 0x03;
  item[260 + 40] = 1;
  item[260 + 72] = 2;
  item[260 + 76] = 2;
  item[260 + 80] = 16;
  item[260 + 84] = 16;
  item[260 + 88] = 1;
  item[260 + 92] = 6;
  memcpy (item + 260 + 116, "M\0S\0A\0F\0D\0", 10);
  if (info_offset != G_MAXSIZE)
    {
      item[260 + info_offset] = value & 0xff;
      item[260 + info_offset + 1] = (value >> 8) & 0xff;
      item[260 + info_offset + 2] = (value >> 16) & 0xff;
      item[260 + info_offset + 3] = value >> 24;
    }
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, i == 0 ? "%02x" : ",%02x", item[i]);
  return g_string_free (hex, FALSE);
}

START_TEST (reg_counts_and_sizes_that_overflow_are_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *ok_item = packed_item (G_MAXSIZE, 0, 888);
  g_autofree char *item_887 = packed_item (G_MAXSIZE, 0, 887);
  g_autofree char *item_889 = packed_item (G_MAXSIZE, 0, 889);
  g_autofree char *item_id_1002 = packed_item (36, 1002, 888);
  g_autofree char *ok = reg_with (COUNTERS, ok_item);
  struct {
    const char *name;
    char       *text;
    const char *tag;
  } cases[] = {
    { "num-entries-max.reg", reg_with ("\"Next_Catalog_Entry_ID\"=dword:000003ea\r\n\"Num_Catalog_Entries\"=dword:ffffffff\r\n"
                                       "\"Serial_Access_Num\"=dword:00000001\r\n", ok_item), "catalog-keys-inconsistent" },
    { "dword-9-digits.reg", reg_with ("\"Next_Catalog_Entry_ID\"=dword:1000003ea\r\n\"Num_Catalog_Entries\"=dword:00000001\r\n"
                                      "\"Serial_Access_Num\"=dword:00000001\r\n", ok_item), "reg-malformed" },
    { "dword-negative.reg", reg_with ("\"Next_Catalog_Entry_ID\"=dword:-1\r\n\"Num_Catalog_Entries\"=dword:00000001\r\n"
                                      "\"Serial_Access_Num\"=dword:00000001\r\n", ok_item), "reg-malformed" },
    { "hex-type-64bit.reg", reg_with (COUNTERS "\"X\"=hex(100000001):00\r\n", ok_item), "reg-malformed" },
    { "item-887.reg", reg_with (COUNTERS, item_887), "packed-item-invalid" },
    { "item-889.reg", reg_with (COUNTERS, item_889), "packed-item-invalid" },
    { "id-at-counter.reg", reg_with (COUNTERS, item_id_1002), "catalog-keys-inconsistent" },
  };
  g_autofree char *ok_path = write_file (dir, "ok.reg", ok, -1);
  g_autofree char *out = g_build_filename (dir, "ok.xml", NULL);
  g_autoptr(Run) good = run_cli_v ("catalog", "import", "--from=reg", ok_path, "-o", out, NULL);

  /* The template itself imports: each case below differs in one field. */
  ck_assert_msg (good->rc == 0, "%s", good->out);
  g_unlink (out);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_import_refused (dir, "reg", cases[i].name, cases[i].text, -1, cases[i].tag);
      g_free (cases[i].text);
    }
  wsi_test_rmtree (dir);
}
END_TEST

/* A ChainLen out of range is damage a real catalog can have: the import
 * keeps it (so it can be shown and repaired), `catalog check` reports it,
 * and planning on it fails cleanly. */
START_TEST (reg_chain_len_overflow_is_kept_as_reported_damage)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *manifest = wsi_test_data_path ("manifests/good/x86.xml");
  const struct {
    guint32     chain_len;
    const char *tag;
  } cases[] = {
    { 0x7fffffff, "chain-too-long" },
    { 0xffffffff, "packed-item-invalid" },
    { 0x80000000, "packed-item-invalid" },
    { 8, "chain-too-long" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *item = packed_item (40, cases[i].chain_len, 888);
      g_autofree char *text = reg_with (COUNTERS, item);
      g_autofree char *path = write_file (dir, "chain-len.reg", text, -1);
      g_autofree char *out = g_build_filename (dir, "chain-len.xml", NULL);
      g_autoptr(Run) import = run_cli_v ("catalog", "import", "--from=reg", path, "-o", out, NULL);
      g_autoptr(Run) check = NULL;
      g_autoptr(Run) show = NULL;
      g_autoptr(Run) plan = NULL;

      ck_assert_msg (import->rc == 0, "ChainLen %u: %s", cases[i].chain_len, import->out);
      check = run_cli_v ("catalog", "check", "--machine", out, NULL);
      assert_refused (check, 1, cases[i].tag, "catalog check");
      show = run_cli_v ("catalog", "show", "--machine", out, NULL);
      ck_assert_int_eq (show->rc, 0);
      plan = run_cli_v ("plan", "--machine", out, manifest, NULL);
      ck_assert_msg (plan->rc == 1, "ChainLen %u: plan exit %d", cases[i].chain_len, plan->rc);
      ck_assert (plan->usec < MAX_USEC);
    }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (hex_continuation_bomb_is_bounded)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *head = reg_with (COUNTERS, "00");
  g_autoptr(GString) s = g_string_new (NULL);

  /* 2 MB of continuation lines in one PackedCatalogItem (888 bytes). */
  g_string_append_len (s, head, strstr (head, "=hex:00") + strlen ("=hex:00") - head);
  for (int i = 0; i < 400000; i++)
    g_string_append (s, ",\\\r\n  00,00,00,00,00");
  g_string_append (s, "\r\n");
  assert_import_refused (dir, "reg", "continuation.reg", s->str, (gssize) s->len, "packed-item-invalid");
  wsi_test_rmtree (dir);
}
END_TEST

/* The ID counter at its end: installing must fail cleanly, not wrap to 0. */
START_TEST (exhausted_id_counter_fails_cleanly)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  g_autofree char *s = replace_once (base, "next-id=\"1075\"", "next-id=\"4294967295\"");
  g_autofree char *path = write_file (dir, "exhausted.xml", s, -1);
  g_autofree char *manifest = wsi_test_data_path ("manifests/good/x86.xml");
  g_autoptr(Run) r = run_cli_v ("plan", "--machine", path, manifest, NULL);

  /* WSCInstallProvider's answer when no ID is left: WSANO_RECOVERY. */
  assert_refused (r, 1, "wsc-call-failed", "exhausted counter");
  wsi_test_rmtree (dir);
}
END_TEST

/* --- snapshots edited by hand into inconsistency --- */

START_TEST (hand_edited_snapshots_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  g_autofree char *dup_id = replace_once (base, "id=\"1002\"", "id=\"1001\"");
  g_autofree char *id_at_counter = replace_once (base, "next-id=\"1075\"", "next-id=\"1074\"");
  g_autofree char *x64_one_catalog = replace_once (base, "kind=\"x86\"", "kind=\"x64\"");
  g_autofree char *cat64_on_x86 = replace_once (base, "bitness=\"32\"", "bitness=\"64\"");
  g_autofree char *kind_unknown = replace_once (base, "kind=\"x86\"", "kind=\"arm64\"");

  assert_snapshot_refused (dir, "id-at-counter.xml", id_at_counter, -1, "snapshot-inconsistent");
  assert_snapshot_refused (dir, "x64-one-catalog.xml", x64_one_catalog, -1, "snapshot-inconsistent");
  assert_snapshot_refused (dir, "cat64-on-x86.xml", cat64_on_x86, -1, "snapshot-inconsistent");
  assert_snapshot_refused (dir, "kind-unknown.xml", kind_unknown, -1, "schema-invalid");
  wsi_test_rmtree (dir);
}
END_TEST

/* Damage a real catalog can have loads (so it can be shown and repaired),
 * `catalog check` names it, and planning on it fails cleanly. */
START_TEST (hand_edited_catalog_damage_reported)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *base = base_snapshot ();
  g_autofree char *lsp = read_data ("snapshots/win7-x86-lsp.xml", NULL);
  g_autofree char *manifest = wsi_test_data_path ("manifests/good/x86.xml");
  const struct {
    const char *base;
    const char *from;
    const char *to;
    const char *tag;
    gboolean    plan_refuses;
  } cases[] = {
    { base, "id=\"1002\"", "id=\"1001\"", "duplicate-catalog-id", TRUE },
    { lsp, "chain=\"1075 1001\"", "chain=\"1075 9999\"", "dangling-chain-entry", FALSE },
    { lsp, "chain=\"1075 1001\"", "chain=\"1002 1001\"", "orphan-chain", FALSE },
    { lsp, "chain=\"1075 1001\"", "chain=\"1075 1075\"", "duplicate-layer-in-chain", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = replace_once (cases[i].base, cases[i].from, cases[i].to);
      g_autofree char *path = write_file (dir, "damaged.xml", text, -1);
      g_autoptr(Run) check = run_cli_v ("catalog", "check", "--machine", path, NULL);
      g_autoptr(Run) plan = run_cli_v ("plan", "--machine", path, manifest, NULL);

      assert_refused (check, 1, cases[i].tag, "catalog check");
      /* Damage to other providers' chains does not stop an install (repair
       * is its own command); duplicate IDs make the order unwritable. */
      if (cases[i].plan_refuses)
        ck_assert_msg (plan->rc == 1 && (strstr (plan->out, "[wsc-call-failed]") != NULL
                                         || strstr (plan->out, cases[i].tag) != NULL),
                       "plan exit %d:\n%s", plan->rc, plan->out);
      else
        ck_assert_msg (plan->rc == 0, "plan exit %d:\n%s", plan->rc, plan->out);
      ck_assert (plan->usec < MAX_USEC);
    }
  wsi_test_rmtree (dir);
}
END_TEST

/* --- hives --- */

START_TEST (damaged_hives_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  gsize len = 0;
  g_autofree char *hive = read_data ("hostile/hive-win7-x86.hive", &len);
  g_autofree char *zeros = g_malloc0 (8192);
  g_autofree char *bad_magic = g_memdup2 (hive, len);
  g_autofree char *bad_bin = g_memdup2 (hive, len);

  if (!wsi_import_hive_supported ())
    return;
  memcpy (bad_magic, "regx", 4);
  /* The first hbin's size field: larger than the file. */
  bad_bin[4096 + 8] = (char) 0xff;
  bad_bin[4096 + 9] = (char) 0xff;
  bad_bin[4096 + 10] = (char) 0xff;
  bad_bin[4096 + 11] = (char) 0x7f;
  assert_import_refused (dir, "hive", "zeros.hive", zeros, 8192, "hive-malformed");
  assert_import_refused (dir, "hive", "bad-magic.hive", bad_magic, (gssize) len, "hive-malformed");
  assert_import_refused (dir, "hive", "truncated.hive", hive, 4096 + 100, "hive-malformed");
  assert_import_refused (dir, "hive", "bad-bin.hive", bad_bin, (gssize) len, "hive-malformed");
  assert_import_refused (dir, "hive", "empty.hive", "", 0, "hive-malformed");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (fixture_hive_imports)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = wsi_test_data_path ("hostile/hive-win7-x86.hive");
  g_autofree char *out = g_build_filename (dir, "o.xml", NULL);
  g_autoptr(Run) r = NULL;

  if (!wsi_import_hive_supported ())
    return;
  r = run_cli_v ("catalog", "import", "--from=hive", hive, "-o", out, NULL);
  ck_assert_msg (r->rc == 0, "%s", r->out);
  wsi_test_rmtree (dir);
}
END_TEST

/* --- regressions found by fuzzing (tests/fuzz) --- */

/* libxml2 cuts the excerpt in its error messages in the middle of a UTF-8
 * sequence; the diagnostic must still be UTF-8 (the JSON and SARIF
 * renderers need it). */
START_TEST (fuzz_cut_utf8_excerpt_gives_utf8_diagnostics)
{
  g_autofree char *path = wsi_test_data_path ("hostile/manifest-cut-utf8-excerpt.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = wsi_manifest_load_file (path, diags);
  g_autoptr(Run) r = run_cli_v ("validate", "--format=json", path, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "xml-malformed", 0);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    ck_assert (g_utf8_validate (wsi_diag_list_get (diags, i)->message, -1, NULL));
  ck_assert_int_eq (r->rc, 1);
  ck_assert (g_utf8_validate (r->out, -1, NULL));
  ck_assert_msg (json_parser_load_from_data (parser, r->out, -1, &error), "%s", error != NULL ? error->message : "");
}
END_TEST

/* A listed Catalog Entry ID of 4294967295 made the next ID (highest + 1)
 * wrap: the imported machine held an ID above its own counter and its
 * snapshot did not load. The highest ID Windows could have assigned is one
 * less, and that one imports and round-trips. */
START_TEST (fuzz_netsh_highest_id_leaves_room_for_the_next)
{
  g_autofree char *path = wsi_test_data_path ("hostile/netsh-id-max.txt");
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "o.xml", NULL);
  g_autoptr(Run) r = run_cli_v ("catalog", "import", "--from=netsh", path, "-o", out, NULL);
  gsize len = 0;
  g_autofree char *text = read_data ("netsh/windows-internals-3.txt", &len);
  g_autofree char *id_text = NULL;
  const WsiImportOptions options = { FALSE, WSI_MACHINE_X86, NULL, TRUE };
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autofree char *snapshot = NULL;
  g_autoptr(WsiDiagList) diags2 = wsi_diag_list_new ();
  g_autoptr(WsiMachine) again = NULL;
  char *at;

  assert_refused (r, 1, "netsh-malformed", "ID 4294967295");
  ck_assert (!g_file_test (out, G_FILE_TEST_EXISTS));

  /* The first entry's ID becomes 4294967294. */
  at = strstr (text, "Catalog Entry ID:");
  ck_assert_ptr_nonnull (at);
  {
    char *value = at + strlen ("Catalog Entry ID:");
    char *eol = strpbrk (value, "\r\n");
    g_autofree char *head = g_strndup (text, (gsize) (value - text));
    id_text = g_strconcat (head, " 4294967294", eol, NULL);
  }
  m = wsi_import_netsh_memory ((const guint8 *) id_text, strlen (id_text), "max.txt", NULL, 0, NULL, &options, diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_uint_eq (wsi_catalog_get_next_id (wsi_machine_peek_catalog (m, WSI_CATALOG_32)), G_MAXUINT32);
  snapshot = wsi_snapshot_to_string (m);
  again = wsi_snapshot_load_memory (snapshot, strlen (snapshot), "again.xml", diags2);
  ck_assert_msg (again != NULL, "%s", wsi_test_diags_to_string (diags2));
  wsi_test_rmtree (dir);
}
END_TEST

static Suite *
hostile_suite (void)
{
  Suite *s = suite_create ("hostile");
  TCase *tc = tcase_create ("cli");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, external_file_entities_read_nothing);
  tcase_add_test (tc, network_entities_connect_nowhere);
  tcase_add_test (tc, entity_bombs_refused_fast_everywhere);
  tcase_add_test (tc, hundred_thousand_levels_refused_everywhere);
  tcase_add_test (tc, one_gib_inputs_refused_unread);
  tcase_add_test (tc, large_hive_under_the_limit_is_not_read_into_memory);
  tcase_add_test (tc, invalid_encodings_refused_in_every_kind);
  tcase_add_test (tc, nul_bytes_refused_in_every_kind);
  tcase_add_test (tc, overlong_names_and_paths_refused);
  tcase_add_test (tc, malformed_guids_refused_in_snapshots_and_netsh);
  tcase_add_test (tc, malformed_guid_refused_through_the_cli);
  tcase_add_test (tc, reg_counts_and_sizes_that_overflow_are_refused);
  tcase_add_test (tc, reg_chain_len_overflow_is_kept_as_reported_damage);
  tcase_add_test (tc, hex_continuation_bomb_is_bounded);
  tcase_add_test (tc, exhausted_id_counter_fails_cleanly);
  tcase_add_test (tc, hand_edited_snapshots_refused);
  tcase_add_test (tc, hand_edited_catalog_damage_reported);
  tcase_add_test (tc, damaged_hives_refused);
  tcase_add_test (tc, fixture_hive_imports);
  tcase_add_test (tc, fuzz_cut_utf8_excerpt_gives_utf8_diagnostics);
  tcase_add_test (tc, fuzz_netsh_highest_id_leaves_room_for_the_next);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (hostile_suite ());
}
