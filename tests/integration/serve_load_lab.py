#!/usr/bin/env python3
"""serve_load_lab.py STATE_DIR INTRANSIT — 200 concurrent API clients against `intransit serve`
for 10 s on loopback in the lab (issue 18 "Load"; bench/serve measures the same for 60 s):
every answer is 200 or the documented 429, no connection fails, the server's memory does not
grow through the second half, and /metrics counts what was refused. No timing is asserted."""
import json
import os
import subprocess
import sys
import tempfile

import lab_env  # tests/integration/lab_env.py
from checklist import check, exit_status  # tests/integration/checklist.py
from serve_support import Serve, request

state, intransit = sys.argv[1:3]
env, _ = lab_env.load(state)
env = {**os.environ, **env}
# Under ASan, freed memory waits in a 256 MiB quarantine, which alone makes the RSS climb through
# a 10 s load; a small quarantine keeps use-after-free detection and lets "flat" mean flat.
# (No effect on a build without ASan.)
env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS", ""), "quarantine_size_mb=4",
                                             "thread_local_quarantine_size_kb=64"]))
work = tempfile.mkdtemp(prefix="serve-load-")
serve = Serve(intransit, env, f"{work}/data", "--allow-private")
status, _, _ = request(serve.base, "GET", "/api/v1/check/dane.test?wait=100")
check(status == 200, "the stored result is there before the load")
load = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "serve_load.py")
p = subprocess.run([sys.executable, load, serve.base, "/api/v1/check/dane.test", "200", "10",
                    str(serve.proc.pid), "--json"], capture_output=True, text=True, timeout=120)
r = json.loads(p.stdout) if p.returncode == 0 else {}
print(f"     {r}")
statuses = set(r.get("statuses", {}))
check(r.get("requests", 0) > 0 and statuses <= {"200", "429"} and "429" in statuses,
      f"200 clients: every answer is 200 or 429, and the limits did answer 429 ({r.get('statuses')})")
check(r.get("errors") == 0, f"no connection failed ({r.get('errors')} {r.get('error_kinds')})")
rss = r.get("rss_kib", {})
growth = rss.get("end", 0) - rss.get("middle", 0)
check(growth < 32 * 1024, f"memory flat through the second half ({rss.get('middle')} -> {rss.get('end')} KiB)")
_, _, raw = request(serve.base, "GET", "/metrics")
check('intransit_http_refusals_total{reason="rate-limited"}' in raw.decode(), "/metrics counts the refusals")
check(serve.stop() == 0, "serve stops cleanly after the load")
sys.exit(exit_status("serve load"))
