#!/usr/bin/env python3
"""help_man_cli.py INTRANSIT MANPAGE — the help, the man page and the shell completion agree
with the command line's own definitions (issue 22, "Completions and help"). No lab, no network.

- every subcommand's --help has an "Example:" line;
- every long option a subcommand's --help lists is documented in the man page's
  "<COMMAND> OPTIONS" section (or, for commands without one, anywhere in the page), and every
  option such a section documents exists in --help (no stale options);
- `completion bash`, driven through bash's own completion machinery (COMP_WORDS + the function
  it registers), completes subcommands, options and the choices of --format;
- `completion fish` and `completion zsh` print scripts that name every subcommand.
"""
import re
import subprocess
import sys

from checklist import check, exit_status  # tests/integration/checklist.py

INTRANSIT, MANPAGE = sys.argv[1], sys.argv[2]


def run(*args):
    p = subprocess.run([INTRANSIT, *args], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout


def subcommands(help_text):
    """The names listed under 'Subcommands:' in a CLI11 help text."""
    if "Subcommands:" not in help_text:
        return []
    block = help_text.split("Subcommands:", 1)[1]
    return [m.group(1) for m in re.finditer(r"^\s{2}(\S+)\s{2,}", block, re.M)]


def long_options(help_text):
    """The options a CLI11 help lists: each at the start of an indented line ("  -v,--verbose")."""
    opts = set(re.findall(r"^\s+(?:-\w,)?(--[a-z][a-z0-9-]*)", help_text.split("Subcommands:")[0], re.M))
    return opts - {"--help", "--version", "--config"}


def man_sections(text):
    """Section title -> its text, man escapes (\\-) undone."""
    text = text.replace("\\-", "-")
    sections, title = {}, None
    for line in text.splitlines():
        if line.startswith(".SH "):
            title = line[4:].strip().strip('"')
            sections[title] = ""
        elif title:
            sections[title] += line + "\n"
    return sections


man = open(MANPAGE, encoding="utf-8").read()
sections = man_sections(man)
whole = man.replace("\\-", "-")

rc, top = run("--help")
commands = subcommands(top)
check(rc == 0 and {"check", "probe", "completion"} <= set(commands), f"top-level --help lists the commands ({commands})")

paths = [[c] for c in commands]
for path in list(paths):
    _, text = run(*path, "--help")
    paths += [path + [s] for s in subcommands(text)]

for path in paths:
    name = " ".join(path)
    rc, text = run(*path, "--help")
    check(rc == 0 and "Example:" in text, f"{name} --help has an example")
    section = sections.get(f"{name.upper()} OPTIONS")
    documented_in = section if section is not None else whole
    for opt in sorted(long_options(text)):
        check(re.search(re.escape(opt) + r"(?![a-z0-9-])", documented_in) is not None,
              f"{name} {opt} is documented in the man page" + ("" if section else " (no section: anywhere)"))
    if section is not None:
        listed = set(re.findall(r"(--[a-z][a-z0-9-]*)", section))
        stale = sorted(o for o in listed - long_options(text) if o not in ("--config", "--help"))
        check(not stale, f"{name} OPTIONS documents no option --help lacks (stale: {stale})")


def bash_complete(line):
    """What bash's completion offers for the last word of `line`, with the generated script."""
    _, script = run("completion", "bash")
    words = line.split(" ")
    driver = script + (
        f"\nCOMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}; COMP_LINE={line!r};"
        "\n_intransit; printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    p = subprocess.run(["bash", "--norc", "-c", driver], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout.split(), p.stderr


rc, got, err = bash_complete("intransit ch")
check(rc == 0 and got == ["check"], f"bash: 'intransit ch' completes to check (got {got}, {err.strip()[:200]})")
rc, got, _ = bash_complete("intransit check --for")
check(got == ["--format"], f"bash: 'check --for' completes to --format (got {got})")
rc, got, _ = bash_complete("intransit check --format ")
check(set(got) == {"text", "json", "nagios", "prometheus"}, f"bash: check --format offers its choices (got {got})")
rc, got, _ = bash_complete("intransit sink rep")
check(got == ["report"], f"bash: 'sink rep' completes to report (got {got})")
rc, got, _ = bash_complete("intransit completion ")
check({"bash", "zsh", "fish"} <= set(got) and all(w in {"bash", "zsh", "fish"} or w.startswith("-") for w in got),
      f"bash: completion's shell choices, no file names (got {got})")

for shell in ("fish", "zsh"):
    rc, script = run("completion", shell)
    missing = [c for c in commands if c not in script]
    check(rc == 0 and not missing, f"completion {shell} names every subcommand (missing {missing})")
rc, _ = run("completion", "tcsh")
check(rc == 2, f"completion tcsh is a usage error (exit {rc})")
sys.exit(exit_status())
