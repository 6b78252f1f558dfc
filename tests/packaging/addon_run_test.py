#!/usr/bin/python3
"""The add-on's run script (spotify2mqtt/run.sh) without a Supervisor: a fake Supervisor on
loopback answers GET /services/mqtt (only with the right bearer token), an options file stands in
for /data/options.json, and the real bridge started by the script must then
  - log in to a test mosquitto that needs the Supervisor's username and password,
  - publish nothing under the discovery prefix (the options turn discovery off),
  - use the Client ID from the options, and log at the options' level,
  - keep its tokens in the state folder, 0700,
  - serve its page behind ingress: from the configured proxy address with an X-Ingress-Path,
    the page's forms keep the prefix; from another address the request is refused.
Also: without the MQTT service the script exits 78 with a sentence naming the broker add-on.

Usage: addon_run_test.py REPO_ROOT BIN_DIR
"""
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

REPO, BIN_DIR = sys.argv[1], sys.argv[2]
RUN_SH = os.path.join(REPO, "spotify2mqtt", "run.sh")
TOKEN = "supervisor-test-token"
failures = []


def check(ok, message):
    print(("ok    " if ok else "FAIL  ") + message)
    if not ok:
        failures.append(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_for(seconds, condition):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


for tool in ("jq", "curl", "mosquitto", "mosquitto_passwd"):
    if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
        print(f"FAIL  {tool} is not installed (scripts/install-deps.sh installs it)")
        sys.exit(1)

work = tempfile.mkdtemp(prefix="s2m-addon-")
children = []
mqtt_port, web_port = free_port(), free_port()


class FakeSupervisor(http.server.BaseHTTPRequestHandler):
    service = {"host": "127.0.0.1", "port": mqtt_port, "ssl": False, "protocol": "3.1.1",
               "username": "addons", "password": "123"}  # a password the JSON parser would eat

    def do_GET(self):
        if self.headers.get("Authorization") != f"Bearer {TOKEN}" or self.path != "/services/mqtt":
            self.send_response(401 if self.path == "/services/mqtt" else 404)
            self.end_headers()
            return
        body = json.dumps({"result": "ok", "data": self.service}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def start(argv, log_name, env=None):
    log = open(os.path.join(work, log_name), "w")
    child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
    children.append(child)
    return child


def read(log_name):
    with open(os.path.join(work, log_name), encoding="utf-8", errors="replace") as f:
        return f.read()


def page(path, source, headers):
    """GET the bridge's page from `source` (a loopback address of ours): (status, body)."""
    conn_sock = socket.create_connection(("127.0.0.1", web_port), timeout=10,
                                         source_address=(source, 0))
    request = f"GET {path} HTTP/1.1\r\nHost: homeassistant.local:8123\r\nConnection: close\r\n"
    request += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    conn_sock.sendall(request.encode())
    data = b""
    while chunk := conn_sock.recv(65536):
        data += chunk
    conn_sock.close()
    head, _, body = data.decode(errors="replace").partition("\r\n\r\n")
    return int(head.split()[1]), body


try:
    with open(os.path.join(work, "passwords"), "w") as f:
        f.write("")
    subprocess.run(["mosquitto_passwd", "-b", os.path.join(work, "passwords"), "addons", "123"],
                   check=True)
    with open(os.path.join(work, "mosquitto.conf"), "w") as f:
        f.write(f"listener {mqtt_port} 127.0.0.1\nallow_anonymous false\n"
                f"password_file {work}/passwords\nuser root\nset_tcp_nodelay true\n")
    start(["/usr/sbin/mosquitto", "-c", os.path.join(work, "mosquitto.conf")], "mosquitto.log")
    # The recorder below gives up at once if the broker is not listening yet (a loaded machine).
    check(wait_for(30, lambda: listening(mqtt_port)), "the test broker listens")
    supervisor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSupervisor)
    threading.Thread(target=supervisor.serve_forever, daemon=True).start()
    options = os.path.join(work, "options.json")
    with open(options, "w") as f:
        json.dump({"spotify_client_id": "addon0client0id", "log_level": "debug",
                   "discovery": False}, f)
    state_dir = os.path.join(work, "data", "state")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("SPOTIFY2MQTT")}
    env.update({"SUPERVISOR_TOKEN": TOKEN, "S2M_ADDON_OPTIONS": options,
                "S2M_SUPERVISOR_URL": f"http://127.0.0.1:{supervisor.server_port}",
                "S2M_ADDON_STATE_DIR": state_dir,
                "S2M_BRIDGE": os.path.join(BIN_DIR, "spotify2mqtt"),
                "S2M_INGRESS_PORT": str(web_port), "S2M_INGRESS_PROXY": "127.0.0.2",
                "SPOTIFY2MQTT_CONFIG": "/nonexistent/config.json"})
    recorder = start(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(mqtt_port), "-u", "addons",
                      "-P", "123", "-v", "-t", "#"], "mqtt.log")
    bridge = start(["bash", RUN_SH], "bridge.log", env)
    online = wait_for(30, lambda: 'spotify2mqtt/bridge/state {"state":"online"}' in read("mqtt.log"))
    check(online, "the bridge logs in to the broker with the Supervisor's username and password")
    check(wait_for(10, lambda: "debug" in read("bridge.log").lower()),
          "log_level debug from the options reaches the bridge")
    check("homeassistant/" not in read("mqtt.log"), "discovery: false publishes no discovery config")
    mode = oct(os.stat(state_dir).st_mode & 0o777) if os.path.isdir(state_dir) else "missing"
    check(mode == "0o700", f"the state folder is 0700 ({mode})")

    prefix = "/api/hassio_ingress/Tok3n_-x"
    status, body = page("/", "127.0.0.2", {"X-Ingress-Path": prefix})
    actions = re.findall(r'action="([^"]*)"', body)
    check(status == 200 and f"{prefix}/link" in actions and
          all(a.startswith(prefix + "/") for a in actions),
          f"through the ingress proxy the page answers {status} and every form keeps {prefix}: "
          f"{actions}")
    check("addon0client0id" in body, "the Client ID from the options is the page's app")
    check('id="ingress-paste"' in body, "under ingress the page explains the paste flow")
    status, _ = page("/", "127.0.0.1", {"X-Ingress-Path": prefix})
    check(status == 403, f"a request from another address than the proxy is refused ({status})")
    status, _ = page("/healthz", "127.0.0.1", {})
    check(status == 200, f"/healthz answers this machine's loopback for the HEALTHCHECK ({status})")

    bridge.terminate()
    check(bridge.wait(20) == 0, "SIGTERM to the script's process stops the bridge with exit 0")

    FakeSupervisor.service = {}
    env["SUPERVISOR_TOKEN"] = "wrong-token"
    result = subprocess.run(["bash", RUN_SH], env=env, capture_output=True, text=True, timeout=30)
    check(result.returncode == 78 and "Mosquitto broker add-on" in result.stderr,
          f"no MQTT service from the Supervisor: exit {result.returncode}, {result.stderr.strip()}")
finally:
    for child in children:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
    if failures:
        for name in ("bridge.log", "mqtt.log", "mosquitto.log"):
            print(f"--- {name}\n{read(name)[-3000:]}")
    shutil.rmtree(work, ignore_errors=True)

print(f"add-on run script: {'all passed' if not failures else f'{len(failures)} FAILED'}")
sys.exit(1 if failures else 0)
