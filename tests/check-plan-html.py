#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The HTML plan report in a real browser (TAP).

For every example manifest (manifests/*.xml) on the win10-x64 and win7-x86
reference machines, and for a hostile manifest (markup and 200-character
unbroken words in its names, a 250-character path), renders
`wsinstall plan --format=html` and loads it in headless Chromium, driven
over the DevTools protocol on a pipe (--remote-debugging-pipe: python3's
standard library only, no WebSocket, no port). At a wide and a narrow
window, it checks that:

- the page loads with no console error, no uncaught exception, no error
  in the browser's log, and no request but the page itself (nothing
  loaded from elsewhere), and holds no script;
- every (catalog, af, type, protocol) of the plan's preview (from the
  same plan's --format=json) has a section with those data attributes,
  and no other, each with a before and an after stack of as many boxes as
  the entry's chain has elements (one for a base, one for no provider);
- no text element (class "t"), box, stack or section is wider inside than
  its box (scrollWidth against clientWidth), no box sticks out of its
  side of the page, and the page does not scroll sideways;
- the hostile names come out as text, not markup.

The overflow check is shown to work: a copy of the hostile report with
white-space: nowrap forced on its text must fail it.

Skips (TAP "1..0 # SKIP") when Chromium is not installed; tools/dev
installs it. Screenshots go to $WSI_HTML_SCREENSHOTS when it is set.

Usage: check-plan-html.py WSINSTALL SOURCE_ROOT
"""
import glob
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

exe, source_root = sys.argv[1], os.path.abspath(sys.argv[2])
MACHINES = ["win10-x64", "win7-x86"]
VIEWPORTS = [(1280, 900), (420, 900)]
TIMEOUT = 60


def find_chromium():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Browser:
    """Chromium driven through the DevTools protocol on fds 3 (commands) and
    4 (replies and events), messages separated by NUL bytes."""

    def __init__(self, binary, profile):
        cmd_r, self.cmd_w = os.pipe()
        self.evt_r, evt_w = os.pipe()

        def wire():
            # Through fresh copies: a pipe end that already is fd 3 or 4
            # would keep its close-on-exec flag under dup2 onto itself.
            r, w = os.dup(cmd_r), os.dup(evt_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [binary, "--headless", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--mute-audio", "--user-data-dir=" + profile, "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")   # Chromium refuses to run as root with its sandbox
        self.proc = subprocess.Popen(args, preexec_fn=wire, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(profile, "stderr.log"), "wb"))
        os.close(cmd_r)
        os.close(evt_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self.evt_r], [], [], left)
            if ready:
                chunk = os.read(self.evt_r, 1 << 20)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method and m.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.cmd_w)
        os.close(self.evt_r)


# Run inside the page through Runtime.evaluate: the report itself has no
# script. Returns what the checks need, by value.
PAGE_PROBE = r"""
(() => {
  const overflow = [];
  const describe = el => (el.className + ': ' + el.textContent.trim().slice(0, 60));
  for (const el of document.querySelectorAll('.t, .box, .stack, .side, .socket, .step, header, main')) {
    if (el.scrollWidth > el.clientWidth + 1)
      overflow.push(describe(el) + ' [' + el.scrollWidth + ' > ' + el.clientWidth + ']');
  }
  for (const box of document.querySelectorAll('.box')) {
    const r = box.getBoundingClientRect(), p = box.closest('.side').getBoundingClientRect();
    if (r.left < p.left - 1 || r.right > p.right + 1)
      overflow.push('box outside its side: ' + describe(box));
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    overflow.push('the page scrolls sideways [' + root.scrollWidth + ' > ' + root.clientWidth + ']');
  const sockets = [...document.querySelectorAll('section.socket')].map(s => ({
    key: [s.dataset.catalog, s.dataset.af, s.dataset.type, s.dataset.protocol].map(Number),
    sides: [...s.querySelectorAll('.side')].map(side => side.querySelectorAll('.stack > .box').length),
  }));
  return {
    overflow, sockets,
    texts: document.querySelectorAll('.t').length,
    steps: document.querySelectorAll('li.step').length,
    scripts: document.scripts.length,
    loaders: document.querySelectorAll('[src], link, iframe, object, embed').length,
    body: document.body.innerText,
  };
})()
"""


def load(browser, url, width, height, screenshot=None):
    """Loads @url in a fresh tab; returns (probe result, problems seen)."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(domain + ".enable", session=session)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.call("Page.navigate", {"url": url}, session=session)
    browser.wait_event("Page.loadEventFired", session)
    probe = browser.call("Runtime.evaluate", {"expression": PAGE_PROBE, "returnByValue": True},
                         session=session)
    if "exceptionDetails" in probe:
        raise RuntimeError("the probe failed: " + json.dumps(probe["exceptionDetails"])[:500])
    if screenshot:
        import base64
        shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                            session=session)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    problems = []
    keep = []
    for m in browser.events:
        if m.get("sessionId") != session:
            keep.append(m)
            continue
        method, params = m.get("method"), m.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            problems.append("console " + params["type"] + ": " + json.dumps(params.get("args"))[:200])
        elif method == "Runtime.exceptionThrown":
            problems.append("exception: " + json.dumps(params.get("exceptionDetails"))[:200])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            problems.append("log: " + params["entry"].get("text", "")[:200])
        elif method == "Network.requestWillBeSent" and params.get("request", {}).get("url") != url:
            problems.append("request: " + params["request"]["url"][:200])
        elif method == "Network.loadingFailed":
            problems.append("loading failed: " + params.get("errorText", ""))
    browser.events = keep
    browser.call("Target.closeTarget", {"targetId": target})
    return probe["result"]["value"], problems


def chain_boxes(side):
    if side is None:
        return 1
    chain = side.get("chain") or []
    return 1 + len(chain) if len(chain) > 1 else 1


def hostile_manifest(tmp):
    text = open(os.path.join(source_root, "manifests", "contoso-web-filter.xml"), encoding="utf-8").read()
    word = "<script>alert(1)</script>&amp;&quot;'" + "Filter" * 30   # one word, ~215 characters
    name = word.replace("<", "&lt;").replace(">", "&gt;")
    long_dir = "Contoso" + "LongDirectoryName" * 13                   # ~230 characters, no spaces
    text = text.replace('name="Contoso Web Filter"\n', f'name="{name}"\n', 1)
    text = text.replace("%ProgramFiles%\\Contoso\\Web Filter\\cwflsp64.dll",
                        f"%ProgramFiles%\\{long_dir}\\cwflsp64.dll")
    path = os.path.join(tmp, "hostile.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path, "<script>alert(1)</script>&\"'" + "Filter" * 30


def main():
    browser_bin = find_chromium()
    if browser_bin is None:
        print("1..0 # SKIP chromium is not installed (tools/dev installs it: apt-get install chromium)")
        return 0
    results = []

    def check(ok, description, details=()):
        results.append((bool(ok), description, list(details)))

    shots = os.environ.get("WSI_HTML_SCREENSHOTS")
    if shots:
        os.makedirs(shots, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        hostile, hostile_name = hostile_manifest(tmp)
        cases = []   # (label, manifest, machine)
        for machine in MACHINES:
            for manifest in sorted(glob.glob(os.path.join(source_root, "manifests", "*.xml"))):
                cases.append((f"{os.path.basename(manifest)} on {machine}", manifest, machine))
        cases.append(("hostile names on win10-x64", hostile, "win10-x64"))
        # An uninstall: contoso-web-filter applied to a copy of win10-x64.
        installed = os.path.join(tmp, "installed-win10-x64.xml")
        shutil.copy(os.path.join(source_root, "data", "reference", "win10-x64.xml"), installed)
        applied = subprocess.run([exe, "apply", "--machine", installed,
                                  os.path.join(source_root, "manifests", "contoso-web-filter.xml")],
                                 cwd=source_root, capture_output=True,
                                 env=dict(os.environ, XDG_STATE_HOME=os.path.join(tmp, "state")))
        check(applied.returncode == 0, "contoso-web-filter.xml applies to a copy of win10-x64",
              applied.stderr.decode(errors="replace").splitlines())
        cases.append(("uninstall contoso-web-filter.xml on win10-x64", os.path.join(source_root, "manifests",
                      "contoso-web-filter.xml"), installed))

        profile = os.path.join(tmp, "profile")
        os.makedirs(profile)
        browser = Browser(browser_bin, profile)
        n_reports = n_triples = n_texts = 0
        try:
            for label, manifest, machine in cases:
                if machine.endswith(".xml"):
                    snapshot, action = machine, ["--uninstall"]
                else:
                    snapshot, action = os.path.join(source_root, "data", "reference", machine + ".xml"), []
                html = subprocess.run([exe, "plan", "--format=html", "--machine", snapshot, manifest] + action,
                                      cwd=source_root, capture_output=True)
                plan = subprocess.run([exe, "plan", "--format=json", "--machine", snapshot, manifest] + action,
                                      cwd=source_root, capture_output=True)
                if plan.returncode != 0:
                    # A manifest for another profile: no plan, no page.
                    check(html.returncode == plan.returncode and html.stdout == b"",
                          f"{label}: no plan ({plan.returncode}), no report")
                    continue
                preview = json.loads(plan.stdout)["preview"]
                page = os.path.join(tmp, label.replace(" ", "_") + ".html")
                with open(page, "wb") as f:
                    f.write(html.stdout)
                n_reports += 1
                for width, height in VIEWPORTS:
                    where = f"{label} at {width}px"
                    shot = os.path.join(shots, f"{label.replace(' ', '_')}-{width}.png") if shots else None
                    probe, problems = load(browser, "file://" + page, width, height, shot)
                    check(html.returncode == 0 and not problems and probe["scripts"] == 0 and probe["loaders"] == 0,
                          f"{where}: loads with no error, no request, no script", problems)
                    want = sorted([[p["catalog"], p["af"], p["type"], p["protocol"]] for p in preview])
                    got = sorted(s["key"] for s in probe["sockets"])
                    n_steps = len(json.loads(plan.stdout)["steps"])
                    check(probe["steps"] == n_steps, f"{where}: all {n_steps} steps are listed",
                          [f"{probe['steps']} shown"])
                    check(want == got, f"{where}: a stack for each of the {len(want)} triples the plan touches",
                          [f"want {want}", f"got {got}"])
                    by_key = {tuple(s["key"]): s["sides"] for s in probe["sockets"]}
                    wrong = []
                    for p in preview:
                        key = (p["catalog"], p["af"], p["type"], p["protocol"])
                        boxes = [chain_boxes(p["before"]), chain_boxes(p["after"])]
                        if by_key.get(key) != boxes:
                            wrong.append(f"{key}: {by_key.get(key)} boxes, want {boxes}")
                    check(not wrong, f"{where}: before and after stacks have a box per chain element", wrong)
                    check(not probe["overflow"],
                          f"{where}: no text overflows its box ({probe['texts']} text elements)", probe["overflow"])
                    if width == VIEWPORTS[0][0]:
                        n_triples += len(want)
                        n_texts += probe["texts"]
                    if manifest == hostile:
                        check(hostile_name in probe["body"],
                              f"{where}: the hostile name is shown as text, not markup")

            # The overflow check can fail: the hostile report with its text
            # forced onto one line.
            page = os.path.join(tmp, "hostile_names_on_win10-x64.html")
            forced = os.path.join(tmp, "forced-nowrap.html")
            text = open(page, encoding="utf-8").read()
            text = text.replace("</head>", "<style>.t{white-space:nowrap!important;overflow-wrap:normal!important;"
                                           "word-break:normal!important}</style></head>", 1)
            with open(forced, "w", encoding="utf-8") as f:
                f.write(text)
            probe, _ = load(browser, "file://" + forced, *VIEWPORTS[0])
            check(len(probe["overflow"]) > 0,
                  f"the overflow check fails on a copy forced to white-space: nowrap "
                  f"({len(probe['overflow'])} elements overflow)")
        finally:
            browser.close()

    print(f"1..{len(results)}")
    for n, (ok, description, details) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {description}")
        if not ok:
            for line in details[:20]:
                print(f"# {line}")
    print(f"# {n_reports} reports, {n_triples} triples, {n_texts} text elements checked at "
          f"{len(VIEWPORTS)} widths")
    return 0 if all(ok for ok, _, _ in results) else 1


sys.exit(main())
