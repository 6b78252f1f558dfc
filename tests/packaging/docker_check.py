#!/usr/bin/python3
"""Checks the container files without a Docker engine (none runs on our machines).

  Dockerfile                hadolint-style rules, and our own: the build stage runs the scripts
                            CI runs, the runtime stage is non-root, has a HEALTHCHECK on
                            `spotify2mqtt healthcheck`, keeps state in its volume, and its ENV is a
                            configuration the bridge accepts.
  runtime libraries         `install-deps.sh --runtime` installs exactly the packages whose
                            libraries the binary needs (readelf NEEDED -> dpkg), and every library
                            `ldd` loads comes with them or the base image.
  .dockerignore             keeps tokens (state/), build outputs and .git out of the context.
  docker-compose.example.yml
                            parses, pins images, publishes ports on loopback only, mounts files
                            that exist, and its bridge settings pass `check-config`.

Usage: docker_check.py REPO_ROOT BINARY
Prints one line per check; exits 1 if any failed.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

import yaml

REPO, BINARY = sys.argv[1], sys.argv[2]
failures = []


def check(ok, rule, message):
    print(("ok    " if ok else "FAIL  ") + f"{rule}: {message}")
    if not ok:
        failures.append(rule)


def read(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return f.read()


# ---- Dockerfile: instructions with continuation lines joined, comments dropped ----------------
def instructions(text):
    result, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        result.append((keyword.upper(), args.strip()))
    return result


def stages(instrs):
    out = []
    for keyword, args in instrs:
        if keyword == "FROM":
            out.append({"from": args, "instrs": []})
        elif out:
            out[-1]["instrs"].append((keyword, args))
    return out


def json_form(args):
    return args.startswith("[") and args.endswith("]")


def env_pairs(args):
    # ENV A=1 B=2 (the only form we use; `ENV A 1` is legacy, DL3061-ish).
    return dict(part.split("=", 1) for part in shlex.split(args))


dockerfile = instructions(read("Dockerfile"))
parts = stages(dockerfile)
check(len(parts) == 2, "stages", f"two stages (build, runtime), found {len(parts)}")
for stage in parts:
    image = stage["from"].split()[0]
    tag = image.split("@")[0].split(":")[1] if ":" in image else None
    check(tag not in (None, "latest"), "DL3006/DL3007", f"FROM {image} names a fixed tag")
    check(image.startswith("debian:bookworm-slim"), "base", f"FROM {image} is debian:bookworm-slim")
check(parts[0]["from"].endswith(" AS build"), "stages", "the first stage is named `build`")
all_instrs = [i for s in parts for i in s["instrs"]]
check(not any(k == "ADD" for k, _ in all_instrs), "DL3020", "COPY instead of ADD")
check(not any(k == "MAINTAINER" for k, _ in all_instrs), "DL4000", "no MAINTAINER")
for keyword, args in all_instrs:
    if keyword == "WORKDIR":
        check(args.startswith("/"), "DL3000", f"WORKDIR {args} is absolute")
    if keyword == "RUN":
        check(not re.search(r"(^|[;&|]\s*)cd\s", args), "DL3003", f"no `cd` in RUN {args[:40]}…")
        check("sudo " not in args, "DL3004", "no sudo in RUN")
        check(not re.search(r"\bapt\s", args), "DL3027", "apt-get, not apt, in RUN")
        if "install-deps.sh" in args or "apt-get install" in args:
            check("rm -rf" in args and "/var/lib/apt/lists/*" in args, "DL3009",
                  f"RUN {args[:50]}… deletes the apt lists in the same layer")

# RUN's own options (--mount=type=cache,…) are not commands.
build_runs = [re.sub(r"^(--\S+\s+)*", "", a) for k, a in parts[0]["instrs"] if k == "RUN"]
commands = [c.strip() for run in build_runs for c in run.split("&&")]
allowed = (r"bash scripts/install-deps.sh --compile$", r"bash scripts/build.sh ", r"strip ",
           r"rm -rf /var/lib/apt/lists/\*$")
for command in commands:
    check(any(re.match(p, command) for p in allowed), "build-stage",
          f"`{command}` is one of the scripts CI runs (install-deps.sh, build.sh) or strip/rm")
check(any(c.startswith("bash scripts/build.sh") for c in commands), "build-stage",
      "the binary is built by scripts/build.sh")
test_sh = read("scripts/test.sh")
check("bash scripts/install-deps.sh" in test_sh and "bash scripts/build.sh" in test_sh,
      "build-stage", "scripts/test.sh (what .ci/run runs) runs the same two scripts")
check("scripts/test.sh" in read(".ci/run"), "build-stage", ".ci/run runs scripts/test.sh")
compile_run = subprocess.run(["bash", os.path.join(REPO, "scripts/install-deps.sh"), "--compile"],
                             capture_output=True, text=True)
check(compile_run.returncode == 0 and "nothing to do" in compile_run.stdout, "build-stage",
      "every --compile package is installed here, where the build just succeeded: "
      + compile_run.stdout.strip().splitlines()[-1] if compile_run.stdout.strip() else "(no output)")

runtime = parts[-1]["instrs"]
keywords = [k for k, _ in runtime]
users = [a for k, a in runtime if k == "USER"]
check(bool(users) and users[-1] not in ("root", "0") and not users[-1].startswith("0:"),
      "DL3002", f"the runtime stage runs as a non-root USER ({users[-1] if users else 'none'})")
last_run = max((i for i, k in enumerate(keywords) if k == "RUN"), default=-1)
check(bool(users) and keywords.index("USER") > last_run, "DL3002",
      "USER comes after the last RUN (nothing runs as root at start)")
check(any(k == "RUN" and "--runtime" in a for k, a in runtime), "runtime",
      "the runtime stage installs `install-deps.sh --runtime` only")
copies = [a for k, a in runtime if k == "COPY" and a.startswith("--from=build")]
check(len(copies) == 1 and copies[0].split()[1] == "/src/build/bin/spotify2mqtt", "runtime",
      "exactly one file comes from the build stage: the binary")
binary_in_image = copies[0].split()[-1] if copies else ""
entry = [a for k, a in runtime if k == "ENTRYPOINT"]
cmd = [a for k, a in runtime if k == "CMD"]
health = [a for k, a in runtime if k == "HEALTHCHECK"]
check(all(json_form(a) for a in entry + cmd), "DL3025", "ENTRYPOINT and CMD in exec (JSON) form")
check(entry and yaml.safe_load(entry[0]) == [binary_in_image], "runtime",
      f"ENTRYPOINT is the copied binary {binary_in_image}")
check(len(health) == 1, "healthcheck", "one HEALTHCHECK")
if health:
    probe = health[0].split(" CMD ", 1)
    check(len(probe) == 2 and json_form(probe[1].strip())
          and yaml.safe_load(probe[1]) == [binary_in_image, "healthcheck"], "healthcheck",
          f"HEALTHCHECK runs `{binary_in_image} healthcheck` in exec form (no shell, no curl)")
    timeout = re.search(r"--timeout=(\d+)s", health[0])
    check(timeout is not None and int(timeout.group(1)) > 5, "healthcheck",
          "its --timeout leaves room for the command's own 5 s request timeout")
stop = [a for k, a in runtime if k == "STOPSIGNAL"]
check(stop in ([], ["SIGTERM"]), "signals", "the container is stopped with SIGTERM")

env = {}
for k, a in runtime:
    if k == "ENV":
        env.update(env_pairs(a))
volumes = [v for k, a in runtime if k == "VOLUME" for v in yaml.safe_load(a)]
check(env.get("SPOTIFY2MQTT__STATE_DIR") in volumes, "state",
      f"state_dir {env.get('SPOTIFY2MQTT__STATE_DIR')} is a VOLUME ({volumes})")
listen = env.get("SPOTIFY2MQTT__WEB__LISTEN", "")
exposed = [a for k, a in runtime if k == "EXPOSE"]
check(listen.startswith("0.0.0.0:") and exposed == [listen.split(":")[-1]], "web",
      f"the page listens on all container interfaces ({listen}) at the EXPOSEd port {exposed}")
check(env.get("GNUTLS_NO_IMPLICIT_INIT") == "1", "memory",
      "GNUTLS_NO_IMPLICIT_INIT=1, as in the systemd unit and the footprint bench")
config_copy = [a.split() for k, a in runtime if k == "COPY" and not a.startswith("--from")]
image_config = {dst: src for src, dst in config_copy}.get(env.get("SPOTIFY2MQTT_CONFIG"))
check(image_config is not None, "config", f"SPOTIFY2MQTT_CONFIG names a file the image copies")


def check_config(extra_env, config_file, what):
    run_env = {k: v for k, v in os.environ.items() if not k.upper().startswith("SPOTIFY2MQTT")}
    run_env.update(extra_env)
    run_env["SPOTIFY2MQTT_CONFIG"] = os.path.join(REPO, config_file)
    result = subprocess.run([BINARY, "check-config"], env=run_env, capture_output=True, text=True)
    check(result.returncode == 0, "config",
          f"{what} is a valid configuration: {(result.stdout + result.stderr).strip()}")


if image_config:
    check_config({k: v for k, v in env.items() if k != "SPOTIFY2MQTT_CONFIG"}, image_config,
                 "the image's ENV with its config file")

# ---- runtime libraries ------------------------------------------------------------------------
BASE_IMAGE = {"libc6", "libgcc-s1", "libstdc++6"}  # in debian:bookworm-slim (apt needs them)


def listed(mode):
    out = subprocess.run(["bash", os.path.join(REPO, "scripts/install-deps.sh"), mode, "--list"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def package_of(path):
    # Debian 12 merged /usr: dpkg may know a library under /lib or /usr/lib.
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):
        if p.startswith("/usr/lib/"):
            candidates.append(p[len("/usr"):])
        elif p.startswith("/lib/"):
            candidates.append("/usr" + p)
    for p in candidates:
        result = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0]
    return None


runtime_packages = listed("--runtime")
ldd = subprocess.run(["ldd", BINARY], capture_output=True, text=True, check=True).stdout
resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", ldd, re.M))
needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+)\]",
                    subprocess.run(["readelf", "-d", BINARY], capture_output=True, text=True,
                                   check=True).stdout)
needed_packages = {}
for lib in needed:
    package = package_of(resolved[lib]) if lib in resolved else None
    check(package is not None, "libraries", f"{lib} resolves to a Debian package ({package})")
    needed_packages[lib] = package
direct = set(filter(None, needed_packages.values()))
missing = direct - runtime_packages - BASE_IMAGE
check(not missing, "libraries",
      f"every package the binary links directly is installed by --runtime (missing: {sorted(missing)})")
unused = runtime_packages - direct - {"ca-certificates", "tzdata"}
check(not unused, "libraries",
      f"--runtime installs no library the binary does not link (extra: {sorted(unused)})")
check("ca-certificates" in runtime_packages, "libraries",
      "--runtime installs ca-certificates (TLS to Spotify verifies against them)")
check("tzdata" in runtime_packages, "libraries",
      "--runtime installs tzdata (TZ=Europe/Berlin sets the hours the listening habits count)")
closure_out = subprocess.run(
    ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
     "--no-breaks", "--no-replaces", "--no-enhances", *sorted(runtime_packages | BASE_IMAGE)],
    capture_output=True, text=True, check=True).stdout
closure = {line.strip() for line in closure_out.splitlines()
           if line and not line.startswith(" ") and not line.startswith("<")}
loaded = {package_of(path) for path in resolved.values()}
outside = sorted(p for p in loaded if p not in closure)
check(not outside and None not in loaded, "libraries",
      f"all {len(resolved)} libraries ldd loads come with the runtime packages' dependencies "
      f"(outside: {outside})")

# ---- .dockerignore ----------------------------------------------------------------------------
ignored = {line.strip() for line in read(".dockerignore").splitlines()
           if line.strip() and not line.startswith("#")}
for pattern in ("state", ".git", "build", "build-*", "test-artifacts"):
    check(pattern in ignored, "dockerignore", f"`{pattern}` is kept out of the build context")

# ---- docker-compose.example.yml -----------------------------------------------------------------
compose = yaml.safe_load(read("docker-compose.example.yml"))
services = compose.get("services", {})
check(set(services) == {"mosquitto", "homeassistant", "spotify2mqtt"}, "compose",
      f"services mosquitto, homeassistant and spotify2mqtt ({sorted(services)})")
for name, service in services.items():
    image = service.get("image", "")
    if "build" not in service:
        check(":" in image and not image.endswith(":latest"), "compose", f"{name}: image {image} has a tag")
    for port in service.get("ports", []):
        check(str(port).startswith("127.0.0.1:"), "compose",
              f"{name}: port {port} is published on the host's loopback only")
    for volume in service.get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("./"):
            check(os.path.exists(os.path.join(REPO, source)), "compose",
                  f"{name}: mounted {source} exists")
        else:
            check(source in (compose.get("volumes") or {}), "compose",
                  f"{name}: named volume {source} is declared")
bridge = services.get("spotify2mqtt", {})
check(bridge.get("build") == "." and bridge.get("init") is True, "compose",
      "the bridge is built from this Dockerfile and runs under `init: true`")
check(any(v.split(":")[1] == env.get("SPOTIFY2MQTT__STATE_DIR") for v in bridge.get("volumes", [])),
      "compose", "the bridge's state volume is mounted at the image's state_dir")


def substitute(value):
    # ${VAR:-default} -> default, ${VAR} -> a stand-in, as compose would with VAR unset.
    value = re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(value))
    return re.sub(r"\$\{[A-Z0-9_]+\}", "compose-test-value", value)


bridge_env = {k: substitute(v) for k, v in (bridge.get("environment") or {}).items()}
check(bridge_env.get("SPOTIFY2MQTT__MQTT__URL", "").startswith("mqtt://mosquitto:1883"),
      "compose", "the bridge talks to the mosquitto service on 1883")
check("listener 1883" in read("docker/mosquitto/mosquitto.conf"), "compose",
      "mosquitto listens on 1883")
if image_config:
    merged = {k: v for k, v in env.items() if k != "SPOTIFY2MQTT_CONFIG"}
    merged.update(bridge_env)
    check_config(merged, image_config, "the compose service's environment over the image's")
    merged["SPOTIFY2MQTT__SPOTIFY__CLIENT_ID"] = "an-app-id"
    merged["SPOTIFY2MQTT__SPOTIFY__CLIENT_SECRET"] = "an-app-secret"
    check_config(merged, image_config, "the same with SPOTIFY_CLIENT_ID/SECRET filled in")

print(f"docker checks: {len(failures)} failed" if failures else "docker checks: all passed")
sys.exit(1 if failures else 0)
