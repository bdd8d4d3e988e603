#!/usr/bin/env python3
"""scan_slurm.py STATE_DIR INTRANSIT — `intransit scan` on a real single-node Slurm (issue 16).

Starts munged, slurmctld and slurmd (Debian's Slurm 22.05) on loopback (under lab/exec: in the lab namespace, cgroups remounted),
all under one temporary directory (shared/LAB-NOTES.md "Slurm"), submits contrib/slurm/scan.sbatch
as a 4-task job array over the lab's domains — each task enters the lab through lab/exec — and
the dependent merge job. Checked: the merged file equals a single-process scan of the same list,
domain for domain (verdict, enforced_by, untested_reason, finding ids, MX addresses and
outcomes); Slurm's own record (jobcomp/filetxt and scontrol) shows the four array tasks and the
merge job COMPLETED. Skipped (77) when Slurm is not installed. Every daemon started is stopped."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab_env  # tests/integration/lab_env.py
import schema_check  # tests/integration/schema_check.py
from checklist import check, exit_status  # tests/integration/checklist.py

state, intransit = sys.argv[1], os.path.abspath(sys.argv[2])
repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
for tool in ("slurmctld", "slurmd", "munged", "mungekey", "sbatch", "sinfo", "scontrol"):
    if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
        print(f"skipped: {tool} is not installed (scripts/install-deps)")
        sys.exit(77)
env, ns = lab_env.load(state)
domains = [line.split("\t", 1)[0] for line in open(env["INTRANSIT_LAB_DOMAINS"])
           if line.strip() and not line.startswith("#")]

d = tempfile.mkdtemp(prefix="intransit-slurm-")
os.chmod(d, 0o755)
listing = os.path.join(d, "domains.txt")
with open(listing, "w") as f:
    f.write("".join(x + "\n" for x in domains))
out = os.path.join(d, "out")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mem_mb():
    for line in open("/proc/meminfo"):
        if line.startswith("MemAvailable:"):
            return max(256, int(line.split()[1]) // 1024 - 512)
    return 256


conf = os.path.join(d, "slurm.conf")
with open(conf, "w") as f:
    f.write(f"""ClusterName=intransit
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={d}/munge.sock
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={d}/jobcomp.txt
MpiDefault=none
MinJobAge=3600
ReturnToService=2
NodeName=localhost CPUs={os.cpu_count()} RealMemory={mem_mb()} State=UNKNOWN
PartitionName=lab Nodes=localhost Default=YES MaxTime=INFINITE State=UP
""")
for sub in ("state", "spool"):
    os.makedirs(os.path.join(d, sub))
slurm_env = {**os.environ, "SLURM_CONF": conf}
for k in list(slurm_env):
    if k.startswith("SLURM_") and k != "SLURM_CONF":
        del slurm_env[k]
procs = []
# Under lab/exec, `ip netns exec` gave this process its own mount namespace with a fresh /sys
# and no cgroup mounts, and slurmd will not start without them (LAB-NOTES.md): mount the
# hierarchies again here (private to this mount namespace; the host's stay as they are). The
# daemons then run inside the lab's namespace on its loopback, with the lab's own addresses.
if os.path.isdir("/sys/fs/cgroup") and not os.listdir("/sys/fs/cgroup") and env.get("INTRANSIT_LAB_NETNS"):
    subprocess.run(["mount", "-t", "tmpfs", "cgroup", "/sys/fs/cgroup"], check=True)
    for ctl in ("freezer", "cpuset", "memory", "devices", "pids", "cpu", "cpuacct"):
        os.makedirs(f"/sys/fs/cgroup/{ctl}", exist_ok=True)
        subprocess.run(["mount", "-t", "cgroup", "-o", ctl, "cgroup", f"/sys/fs/cgroup/{ctl}"], stderr=subprocess.DEVNULL)
    os.makedirs("/sys/fs/cgroup/systemd", exist_ok=True)
    subprocess.run(["mount", "-t", "cgroup", "-o", "none,name=systemd", "cgroup", "/sys/fs/cgroup/systemd"])


def start(cmd):
    p = subprocess.Popen(cmd, stdout=open(os.path.join(d, os.path.basename(cmd[0]) + ".out"), "w"),
                         stderr=subprocess.STDOUT, env=slurm_env)
    procs.append(p)
    return p


def stop_all():
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def wait_for(what, pred, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.5)
    print(f"     timed out waiting for {what}")
    return False


def run(cmd, env=None, timeout=60):
    return subprocess.run(cmd, capture_output=True, text=True, env=env or slurm_env, timeout=timeout)


try:
    munged = shutil.which("munged") or "/usr/sbin/munged"
    mungekey = shutil.which("mungekey") or "/usr/sbin/mungekey"
    subprocess.run([mungekey, "-c", "-f", "-k", f"{d}/munge.key"], check=True)
    start([munged, "-F", "--force", "-S", f"{d}/munge.sock", f"--key-file={d}/munge.key", f"--pid-file={d}/munged.pid",
           f"--seed-file={d}/munge.seed", f"--log-file={d}/munged.log"])
    check(wait_for("munged", lambda: os.path.exists(f"{d}/munge.sock"), 20), "munged runs")
    start([shutil.which("slurmctld") or "/usr/sbin/slurmctld", "-D", "-i", "-f", conf])
    start([shutil.which("slurmd") or "/usr/sbin/slurmd", "-D", "-f", conf, "-N", "localhost"])
    idle = wait_for("an idle node", lambda: run(["sinfo", "-h", "-o", "%T"]).stdout.strip() == "idle", 60)
    check(idle, "slurmctld and slurmd up, the node idle")
    if not idle:
        for log in ("slurmctld.log", "slurmd.log", "munged.log"):
            print(f"--- {log}\n" + open(os.path.join(d, log)).read()[-1500:] if os.path.exists(os.path.join(d, log)) else "")
        raise SystemExit(exit_status())

    wrapper = os.path.join(d, "intransit-in-lab")
    with open(wrapper, "w") as f:
        f.write(f"#!/bin/sh\nexec {repo}/lab/exec {state} {intransit} \"$@\"\n")
    os.chmod(wrapper, 0o755)
    job_env = {**slurm_env, "INTRANSIT": wrapper}
    sbatch = os.path.join(repo, "contrib", "slurm", "scan.sbatch")
    r = run(["sbatch", "--parsable", "--array=0-3", f"--chdir={d}", sbatch, listing, out, "--dns-concurrency", "16"],
            env=job_env)
    array_id = r.stdout.strip().split(";")[0]
    check(r.returncode == 0 and array_id.isdigit(), f"sbatch the 4-task array ({r.stdout.strip()} {r.stderr.strip()})")
    r = run(["sbatch", "--parsable", f"--dependency=afterok:{array_id}", f"--chdir={d}", sbatch, "--merge", out],
            env=job_env)
    merge_id = r.stdout.strip().split(";")[0]
    check(r.returncode == 0 and merge_id.isdigit(), f"sbatch the dependent merge job ({r.stdout.strip()} {r.stderr.strip()})")

    def jobcomp():
        path = os.path.join(d, "jobcomp.txt")
        return open(path).read().splitlines() if os.path.exists(path) else []

    finished = wait_for("5 job records", lambda: len(jobcomp()) >= 5, 600)
    records = jobcomp()
    completed = [line for line in records if "JobState=COMPLETED" in line]
    check(finished and len(completed) == 5, f"jobcomp: 4 array tasks and the merge job COMPLETED ({len(completed)} of {len(records)})")
    shown = run(["scontrol", "show", "job", array_id]).stdout
    tasks = [blk for blk in shown.split("\n\n") if f"ArrayJobId={array_id}" in blk]
    check(len(tasks) == 4 and all("JobState=COMPLETED" in t for t in tasks),
          f"scontrol: the array's 4 tasks COMPLETED ({[t.split('JobState=')[1].split()[0] for t in tasks if 'JobState=' in t]})")
    merged_path = os.path.join(out, "all.jsonl")
    check(os.path.exists(merged_path), "the merge job wrote out/all.jsonl")
    merged = [json.loads(x) for x in open(merged_path)] if os.path.exists(merged_path) else [{}, {}]
    for doc in merged:
        schema_check.validate(doc)
    check(merged[0].get("merged_shards") == 4 and merged[-1].get("complete") is True, "merged: 4 shards, complete")

    single_path = os.path.join(d, "single.jsonl")
    r = subprocess.run([*ns, intransit, "scan", "--input", listing, "--output", single_path, "--quiet",
                        "--dns-concurrency", "16"], capture_output=True, text=True, timeout=600,
                       env={**env, "PATH": env.get("PATH", "/usr/bin:/bin")})
    check(r.returncode == 0, f"single-process scan exits 0 ({r.stderr[-300:]!r})")
    single = [json.loads(x) for x in open(single_path)]

    def essence(doc):
        return {"verdict": doc.get("verdict"), "enforced_by": doc.get("enforced_by"),
                "untested_reason": doc.get("untested_reason"),
                "findings": sorted({f["id"] for f in doc.get("findings", [])}),
                "mx": [(mx["host"], [(a["ip"], a["outcome"]) for a in mx["addresses"]]) for mx in doc.get("mx", [])]}

    a = {doc["domain"]: essence(doc) for doc in merged[1:-1]}
    b = {doc["domain"]: essence(doc) for doc in single[1:-1]}
    differ = sorted(x for x in set(a) | set(b) if a.get(x) != b.get(x))
    check(sorted(a) == sorted(domains) and not differ,
          f"merged shards equal the single-process scan, domain for domain ({len(a)} domains; differ: {differ})")
    check(merged[-1]["counts"] == single[-1]["counts"], f"same counts ({merged[-1]['counts']})")
finally:
    stop_all()
sys.exit(exit_status())
