/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libintl.c: the identity gettext described in libintl.h. Returning the
 * msgid (or the plural form GNU gettext picks for English when there is no
 * catalog: msgid for n == 1, msgid_plural otherwise) is what GNU libintl
 * itself does when no translation is installed. */
#include "libintl.h"

#include <stddef.h>

char *
gettext (const char *msgid)
{
  return (char *) msgid;
}

char *
dgettext (const char *domain, const char *msgid)
{
  (void) domain;
  return (char *) msgid;
}

char *
dcgettext (const char *domain, const char *msgid, int category)
{
  (void) domain;
  (void) category;
  return (char *) msgid;
}

char *
ngettext (const char *msgid, const char *msgid_plural, unsigned long n)
{
  return (char *) (n == 1 ? msgid : msgid_plural);
}

char *
dngettext (const char *domain, const char *msgid, const char *msgid_plural, unsigned long n)
{
  (void) domain;
  return (char *) (n == 1 ? msgid : msgid_plural);
}

char *
dcngettext (const char *domain, const char *msgid, const char *msgid_plural, unsigned long n,
            int category)
{
  (void) domain;
  (void) category;
  return (char *) (n == 1 ? msgid : msgid_plural);
}

/* No catalogs exist, so there is no domain to switch to: report the one
 * asked for (or "messages", GNU's default) as the current one. */
char *
textdomain (const char *domain)
{
  return (char *) (domain != NULL ? domain : "messages");
}

char *
bindtextdomain (const char *domain, const char *dirname)
{
  (void) domain;
  return (char *) dirname;
}

char *
bind_textdomain_codeset (const char *domain, const char *codeset)
{
  (void) domain;
  return (char *) codeset;
}
