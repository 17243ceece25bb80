/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libintl.h: a do-nothing gettext for the Windows builds of wsinstall.
 *
 * GLib needs a libintl to link against; wsinstall ships untranslated and
 * GLib is built with -Dnls=disabled, so every lookup returns its msgid.
 * The format_arg attributes tell the compiler that gettext ("%s") is still
 * a format string, as GNU libintl's header does; without them GLib's
 * -Werror=format-nonliteral checks fail on every translated printf. */
#ifndef WSI_PROXY_LIBINTL_H
#define WSI_PROXY_LIBINTL_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define WSI_INTL_FORMAT_ARG(n) __attribute__ ((__format_arg__ (n)))
#else
#define WSI_INTL_FORMAT_ARG(n)
#endif

char *gettext (const char *msgid) WSI_INTL_FORMAT_ARG (1);
char *dgettext (const char *domain, const char *msgid) WSI_INTL_FORMAT_ARG (2);
char *dcgettext (const char *domain, const char *msgid, int category) WSI_INTL_FORMAT_ARG (2);
char *ngettext (const char *msgid, const char *msgid_plural, unsigned long n)
  WSI_INTL_FORMAT_ARG (1) WSI_INTL_FORMAT_ARG (2);
char *dngettext (const char *domain, const char *msgid, const char *msgid_plural, unsigned long n)
  WSI_INTL_FORMAT_ARG (2) WSI_INTL_FORMAT_ARG (3);
char *dcngettext (const char *domain, const char *msgid, const char *msgid_plural, unsigned long n,
                  int category) WSI_INTL_FORMAT_ARG (2) WSI_INTL_FORMAT_ARG (3);
char *textdomain (const char *domain);
char *bindtextdomain (const char *domain, const char *dirname);
char *bind_textdomain_codeset (const char *domain, const char *codeset);

#ifdef __cplusplus
}
#endif

#endif
