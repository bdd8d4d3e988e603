"""lab_env.py — what the Python lab tests share: the environment lab/up wrote to STATE_DIR/env
(sourced through bash, so it reads exactly as lab/exec exports it) and the command prefix that
runs a program inside the lab's network namespace."""
import subprocess


def load(state):
    """(env, ns): the lab's environment as a dict, and ["ip", "netns", "exec", NETNS]."""
    out = subprocess.run(["bash", "-c", f". {state}/env; env"], capture_output=True, text=True).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return env, ["ip", "netns", "exec", env["INTRANSIT_LAB_NETNS"]]
