#!/usr/bin/env python3
"""Every mosquitto_pub / mosquitto_sub example of the README works, as pasted, against the demo.

For each Markdown file, starts `scripts/run.sh --demo` the way a user does (with its own broker
port, web port and state folder, so it never meets a user's demo), then:
  - (first file) `spotify2mqtt accounts --config <state>/demo/config.json`, the command the demo's
    banner prints, run from another working directory, lists the demo's account as linked;
  - every `mosquitto_pub` / `mosquitto_sub` line in a code block of the given Markdown files runs
    in file order, with only `-h 127.0.0.1 -p PORT` added (and `-W` on a subscription, so it ends):
      * a publish to `<base>/<account>/set[/<key>]` must be answered `"status":"ok"` on
        `<base>/<account>/response`, a bridge request on `<base>/bridge/response/<name>`;
      * a subscription must end well (exit 0, or 27 when `-W` ran out), and when the README shows
        its output (the lines after a `$ mosquitto_sub` line) it must print that: `…` in the
        README stands for any text, and an indented line continues the one before it.
Usage: readme_examples_test.py REPO BUILD_DIR [MARKDOWN...]   (default: README.md)
"""
import os
import shutil
import queue
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO, BUILD_DIR = sys.argv[1], sys.argv[2]
DOCS = sys.argv[3:] or ["README.md"]
BIN = os.path.join(BUILD_DIR, "bin")
BASE = "spotify2mqtt"
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the examples --------------------------------------------------------------------------------
def examples(markdown):
    """(line number, command tokens, expected output lines) for every mosquitto line in a block."""
    found, in_block, lines = [], False, open(os.path.join(REPO, markdown)).read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_block = not in_block
            i += 1
            continue
        text = line.strip()
        prompt = text.startswith("$ ")
        if prompt:
            text = text[2:]
        if in_block and text.startswith(("mosquitto_pub ", "mosquitto_sub ")):
            lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            tokens = []
            for token in lexer:
                if token in (";", "&", "&&", "|", "||"):
                    break
                tokens.append(token)
            expected = []
            if prompt:  # the output the README shows, up to the next prompt or the block's end
                j = i + 1
                while j < len(lines) and not lines[j].strip().startswith(("$ ", "```")):
                    if lines[j].startswith((" ", "\t")) and expected:
                        expected[-1] += lines[j].strip()
                    elif lines[j].strip():
                        expected.append(lines[j].strip())
                    j += 1
            found.append((markdown, i + 1, tokens, expected))
        i += 1
    return found


def option(tokens, *names):
    for k, token in enumerate(tokens[:-1]):
        if token in names:
            return tokens[k + 1]
    return None


def matches(expected, actual):
    pattern = ".*?".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual) is not None


# --- one demo per document: each starts from the demo's first state -----------------------------
class Demo:
    def __init__(self):
        self.state = tempfile.mkdtemp(prefix="s2m-readme-")
        broker_port = free_port()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("SPOTIFY2MQTT") and k != "S2M_RUN_STATE_DIR"}
        self.env.update({"S2M_BUILD_DIR": BUILD_DIR, "S2M_RUN_STATE_DIR": self.state,
                         "SPOTIFY2MQTT__MQTT__URL": f"mqtt://127.0.0.1:{broker_port}",
                         "SPOTIFY2MQTT__WEB__LISTEN": f"127.0.0.1:{free_port()}"})
        self.log = os.path.join(self.state, "run.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["bash", os.path.join(REPO, "scripts/run.sh"), "--demo", "--no-deps", "--no-build"],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.host = ["-h", "127.0.0.1", "-p", str(broker_port)]

    def retained(self, topic, wait_s=30):
        result = subprocess.run(["mosquitto_sub", *self.host, "-t", topic, "-C", "1",
                                 "-W", str(wait_s)], capture_output=True, text=True)
        return result.stdout.strip()

    def wait_online(self):
        # The account is online once its availability says so (retained: no race with the start).
        deadline, online = time.monotonic() + 60, ""
        while time.monotonic() < deadline and self.process.poll() is None \
                and '"online"' not in online:
            online = self.retained(f"{BASE}/alice/availability", wait_s=5)
        return '"online"' in online

    def stop(self, keep_log):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the bridge; run.sh stops the rest
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if keep_log:
            print("--- run.sh --demo said:\n" + open(self.log).read()[-4000:])
        else:
            shutil.rmtree(self.state, ignore_errors=True)


def check_accounts_command(demo):
    """The banner's command, from another folder, sees the demo's account."""
    banner = open(demo.log).read()
    config = os.path.join(demo.state, "demo", "config.json")
    check(f"spotify2mqtt accounts --config {config}" in banner,
          "the demo's banner names the command that lists its accounts")
    listed = subprocess.run([os.path.join(BIN, "spotify2mqtt"), "accounts", "--config", config],
                            cwd="/", env=demo.env, capture_output=True, text=True)
    check(listed.returncode == 0 and 'alice: linked as "Alice", Premium' in listed.stdout,
          f"`spotify2mqtt accounts --config …/demo/config.json` from / lists alice as linked "
          f"({listed.stdout.strip()}{listed.stderr.strip()})")


def run_examples(demo, doc):
    host = demo.host
    # Every answer, in arrival order, from one subscription that runs throughout.
    answers = queue.Queue()
    listener = subprocess.Popen(["mosquitto_sub", *host, "-v", "-t", f"{BASE}/+/response",
                                 "-t", f"{BASE}/bridge/response/+", "-t", "readme-test/probe"],
                                stdout=subprocess.PIPE, text=True)
    threading.Thread(target=lambda: [answers.put(line.rstrip("\n").split(" ", 1))
                                     for line in listener.stdout], daemon=True).start()
    probe_seen = False
    for _ in range(50):  # publish until the listener is subscribed and hears it
        subprocess.run(["mosquitto_pub", *host, "-t", "readme-test/probe", "-m", "x"])
        try:
            probe_seen = answers.get(timeout=0.2)[0] == "readme-test/probe"
        except queue.Empty:
            continue
        break
    check(probe_seen, "the answer listener is subscribed")

    def next_answer(topic, wait_s=15):
        end = time.monotonic() + wait_s
        while time.monotonic() < end:
            try:
                got = answers.get(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                break
            if got[0] == topic:
                return got[1] if len(got) > 1 else ""
        return None

    found = examples(doc)
    check(len(found) >= 5, f"found {len(found)} mosquitto examples in {doc}")
    for doc, line, tokens, expected in found:
        where = f"{doc}:{line}: {shlex.join(tokens)}"
        topic = option(tokens, "-t") or ""
        if tokens[0] == "mosquitto_pub":
            run = subprocess.run([tokens[0], *host, *tokens[1:]], capture_output=True, text=True,
                                 timeout=30)
            if run.returncode != 0:
                check(False, f"{where} (exit {run.returncode}: {run.stderr.strip()})")
                continue
            parts = topic.split("/")
            if len(parts) >= 3 and parts[0] == BASE and parts[1] != "bridge" and parts[2] == "set":
                answer = next_answer(f"{BASE}/{parts[1]}/response")
            elif len(parts) == 4 and parts[:3] == [BASE, "bridge", "request"]:
                answer = next_answer(f"{BASE}/bridge/response/{parts[3]}")
            else:
                check(True, where)
                continue
            check(answer is not None and '"status":"ok"' in answer, f"{where} -> {answer}")
            time.sleep(0.3)  # let the fake's state settle before the next command reads it
        else:
            command = [tokens[0], *host, *tokens[1:]]
            if "-W" not in tokens:
                command += ["-W", "3"]
            run = subprocess.run(command, capture_output=True, text=True, timeout=60)
            output = [text for text in run.stdout.splitlines() if text]
            ok = run.returncode in (0, 27)  # 27: -W ran out, which ends an open subscription
            detail = f"exit {run.returncode}"
            if expected:
                ok = ok and len(output) == len(expected) and all(
                    matches(e, a) for e, a in zip(expected, output))
                detail += f"; printed {output}, README shows {expected}"
            check(ok, f"{where} ({detail})")
    listener.terminate()
    listener.wait()


for number, doc in enumerate(DOCS):
    demo = Demo()
    before = len(failures)
    try:
        check(demo.wait_online(), f"{doc}: the demo's account alice comes online")
        if len(failures) == before:
            if number == 0:
                check_accounts_command(demo)
            run_examples(demo, doc)
    finally:
        demo.stop(keep_log=len(failures) > before)

print(f"readme_examples_test: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
