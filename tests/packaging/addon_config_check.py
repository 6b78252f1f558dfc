#!/usr/bin/python3
"""Checks the add-on repository the way Home Assistant's Supervisor reads it. The Supervisor
skips an add-on whose config.yaml fails its schema with only a line in its own log, so the
repository would show up empty: these rules are written down here from the Supervisor's add-on
config schema (its addons/validate.py, addons/options.py and store/validate.py, read for this
check), as plain checks rather than its code.

  repository.yaml   `name` is required text; `url` a URL; `maintainer` text.
  config.yaml       name, version, slug, description and arch are required; slug is
                    [-_.A-Za-z0-9]+; arch items are known architectures; services are
                    `mqtt|mysql:provide|want|need`; ingress_port a port (or 0); timeout 10-300;
                    booleans are booleans; startup/boot/stage from their lists; every schema
                    element is a type the options form knows (str, password, bool, int(a,b),
                    list(a|b), …, `?` for optional); every option has a schema entry and fits it.
  build.yaml        build_from images look like `[registry/]owner/name[:tag]`.
  the folder        Dockerfile, run.sh (executable), DOCS.md, CHANGELOG.md and a PNG icon.png.

Usage: addon_config_check.py REPO_ROOT
Prints one line per check; exits 1 if any failed.
"""
import os
import re
import sys

import yaml

REPO = sys.argv[1]
ADDON = os.path.join(REPO, "spotify2mqtt")
failures = []


def check(ok, message):
    print(("ok    " if ok else "FAIL  ") + message)
    if not ok:
        failures.append(message)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


ARCHITECTURES = {"aarch64", "amd64", "armhf", "armv7", "i386"}
SLUG = re.compile(r"[-_.A-Za-z0-9]+")
SERVICE = re.compile(r"(mqtt|mysql):(provide|want|need)")
STARTUP = {"initialize", "system", "services", "application", "once"}
BOOT = {"auto", "manual", "manual_only"}
STAGE = {"stable", "experimental", "deprecated"}
BOOLEAN_KEYS = ("init", "advanced", "ingress", "ingress_stream", "panel_admin", "host_network",
                "hassio_api", "homeassistant_api", "auth_api", "stdin", "apparmor", "udev")
# One options-form element: a type, optionally with bounds or choices, `?` when optional.
ELEMENT = re.compile(r"(bool|email|url|port|device(\(subsystem=[a-z]+\))?"
                     r"|str(\(\d*,\d*\))?|password(\(\d*,\d*\))?|int(\(-?\d*,-?\d*\))?"
                     r"|float(\([-\d.]*,[-\d.]*\))?|match\(.*\)|list\(.+\))\??")
IMAGE = re.compile(r"([a-zA-Z\-.:\d{}]+/)*?([\-\w{}]+)/([\-\w{}]+)(:[.\-\w{}]+)?")
URL = re.compile(r"https?://[^\s/]+(/\S*)?")

repository = load(os.path.join(REPO, "repository.yaml"))
check(isinstance(repository.get("name"), str), "repository.yaml: `name` is text")
check(URL.fullmatch(str(repository.get("url", "http://x"))) is not None, "repository.yaml: `url` is a URL")
check(isinstance(repository.get("maintainer", ""), str), "repository.yaml: `maintainer` is text")

config = load(os.path.join(ADDON, "config.yaml"))
for key in ("name", "version", "slug", "description", "arch"):
    check(key in config and config[key] not in (None, ""), f"config.yaml: `{key}` is set")
check(isinstance(config.get("version"), str), "config.yaml: `version` is quoted text (not a number)")
check(SLUG.fullmatch(str(config.get("slug", ""))) is not None, "config.yaml: slug is [-_.A-Za-z0-9]+")
arch = config.get("arch", [])
check(isinstance(arch, list) and set(arch) <= ARCHITECTURES and
      {"amd64", "aarch64", "armv7"} <= set(arch), f"config.yaml: arch {arch} are known, with amd64, aarch64, armv7")
check(URL.fullmatch(str(config.get("url", "http://x"))) is not None, "config.yaml: `url` is a URL")
check(config.get("startup", "application") in STARTUP, "config.yaml: startup is a known value")
check(config.get("boot", "auto") in BOOT, "config.yaml: boot is a known value")
check(config.get("stage", "stable") in STAGE, "config.yaml: stage is a known value")
for key in BOOLEAN_KEYS:
    if key in config:
        check(isinstance(config[key], bool), f"config.yaml: `{key}` is a boolean")
services = config.get("services", [])
check(isinstance(services, list) and all(SERVICE.fullmatch(str(s)) for s in services),
      f"config.yaml: services {services} are service:rights")
check("mqtt:need" in services, "config.yaml: the add-on needs the MQTT service")
check(config.get("ingress") is True, "config.yaml: ingress is on")
port = config.get("ingress_port", 8099)
check(isinstance(port, int) and 0 <= port <= 65535, f"config.yaml: ingress_port {port} is a port")
timeout = config.get("timeout", 10)
check(isinstance(timeout, int) and 10 <= timeout <= 300, f"config.yaml: timeout {timeout} is 10-300")
schema = config.get("schema", {})
options = config.get("options", {})
check(isinstance(schema, dict) and all(isinstance(v, str) and ELEMENT.fullmatch(v)
                                       for v in schema.values()),
      f"config.yaml: every schema element is a known type: {schema}")
check(set(options) <= set(schema), "config.yaml: every option has a schema entry")
for key, element in schema.items():
    if not element.endswith("?"):
        check(key in options, f"config.yaml: required option `{key}` has a default")
for key, value in options.items():
    element = schema.get(key, "").rstrip("?")
    if element == "bool":
        check(isinstance(value, bool), f"config.yaml: option `{key}` is a boolean")
    elif element.startswith("list("):
        check(str(value) in element[5:-1].split("|"), f"config.yaml: option `{key}` is one of {element}")
for key in ("spotify_client_id", "spotify_client_secret"):
    check(schema.get(key, "").endswith("?"), f"config.yaml: `{key}` is optional (the page can take it)")

build = load(os.path.join(ADDON, "build.yaml"))
images = build.get("build_from", {})
check(set(images) >= set(arch) and all(IMAGE.fullmatch(i) for i in images.values()),
      f"build.yaml: build_from names an image of the right form for every arch: {images}")

for name in ("Dockerfile", "run.sh", "DOCS.md", "CHANGELOG.md", "icon.png"):
    check(os.path.isfile(os.path.join(ADDON, name)), f"spotify2mqtt/{name} exists")
check(os.access(os.path.join(ADDON, "run.sh"), os.X_OK), "spotify2mqtt/run.sh is executable")
with open(os.path.join(ADDON, "icon.png"), "rb") as f:
    check(f.read(8) == b"\x89PNG\r\n\x1a\n", "spotify2mqtt/icon.png is a PNG")
with open(os.path.join(ADDON, "CHANGELOG.md"), encoding="utf-8") as f:
    check(config.get("version", "?") in f.read(), "CHANGELOG.md has an entry for config.yaml's version")

print(f"add-on checks: {'all passed' if not failures else f'{len(failures)} FAILED'}")
sys.exit(1 if failures else 0)
