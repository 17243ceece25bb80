/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-display-name.c: known resource strings of the Winsock entries that
 * ship with Windows. The mapping is read off real machines: the same
 * catalog entries as registry dumps (indirect strings, by address family
 * and socket type) and as `netsh winsock show catalog` listings (resolved
 * names). */
#include "wsi-display-name.h"

#include <string.h>

typedef struct {
  const char *dll;     /* lower case */
  int         id;
  const char *name;
} WsiResourceName;

static const WsiResourceName wsi_resource_names[] = {
  { "mswsock.dll", -60100, "MSAFD Tcpip [TCP/IP]" },
  { "mswsock.dll", -60101, "MSAFD Tcpip [UDP/IP]" },
  { "mswsock.dll", -60102, "MSAFD Tcpip [RAW/IP]" },
  { "mswsock.dll", -60200, "MSAFD Tcpip [TCP/IPv6]" },
  { "mswsock.dll", -60201, "MSAFD Tcpip [UDP/IPv6]" },
  { "mswsock.dll", -60202, "MSAFD Tcpip [RAW/IPv6]" },
  { "wshtcpip.dll", -60100, "MSAFD Tcpip [TCP/IP]" },
  { "wshtcpip.dll", -60101, "MSAFD Tcpip [UDP/IP]" },
  { "wshtcpip.dll", -60102, "MSAFD Tcpip [RAW/IP]" },
  { "wship6.dll", -60100, "MSAFD Tcpip [TCP/IPv6]" },
  { "wship6.dll", -60101, "MSAFD Tcpip [UDP/IPv6]" },
  { "wship6.dll", -60102, "MSAFD Tcpip [RAW/IPv6]" },
  { "wshqos.dll", -100, "RSVP TCPv6 Service Provider" },
  { "wshqos.dll", -101, "RSVP TCP Service Provider" },
  { "wshqos.dll", -102, "RSVP UDPv6 Service Provider" },
  { "wshqos.dll", -103, "RSVP UDP Service Provider" },
};

const char *
wsi_display_name (const char *stored)
{
  const char *comma, *slash;
  g_autofree char *dll = NULL;
  char *end = NULL;
  long id;

  if (stored == NULL || stored[0] != '@')
    return stored;
  comma = strrchr (stored, ',');
  if (comma == NULL)
    return stored;
  /* The DLL's file name, whatever the directory spelling. */
  for (slash = comma; slash > stored && slash[-1] != '\\' && slash[-1] != '/' && slash[-1] != '@'; slash--)
    ;
  dll = g_ascii_strdown (slash, comma - slash);
  id = strtol (comma + 1, &end, 10);
  if (end == comma + 1 || *end != '\0')
    return stored;
  for (gsize i = 0; i < G_N_ELEMENTS (wsi_resource_names); i++)
    if (wsi_resource_names[i].id == id && strcmp (wsi_resource_names[i].dll, dll) == 0)
      return wsi_resource_names[i].name;
  return stored;
}
