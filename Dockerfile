# spotify2mqtt container image: `docker build -t spotify2mqtt .` (see docs/docker.md).
# tests/packaging/docker_check.py checks this file's rules and tests/packaging/container_test.sh
# builds and runs it; keep them in step.

# Build stage: the same scripts the README and CI use (install-deps.sh, build.sh).
FROM debian:bookworm-slim AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh --compile && rm -rf /var/lib/apt/lists/*
COPY . .
# ccache in a build cache mount (BuildKit, podman/buildah): a rebuild after a source change
# compiles only the changed files (tests/packaging/container_test.sh builds on every CI run).
# CCACHE_BASEDIR and CCACHE_NOHASHDIR make its entries independent of where the checkout is (the
# binary is stripped: no debug paths are kept), and CCACHE_SLOPPINESS=locale of the locale (it only
# changes the language of compiler messages), so a cache filled by a build of the same sources
# elsewhere hits too. CCACHE_REMOTE_STORAGE (empty: none) names such a cache for ccache to read:
# CI passes the host build's (container_test.sh), so a bare machine does not compile twice.
ARG CCACHE_REMOTE_STORAGE=""
ENV CCACHE_DIR=/ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=1 \
    CCACHE_SLOPPINESS=locale
RUN --mount=type=cache,target=/ccache bash scripts/build.sh --target spotify2mqtt -- \
    -DSPOTIFY2MQTT_TESTS=OFF \
 && strip build/bin/spotify2mqtt

# Runtime stage: the binary and its runtime libraries only, as an unprivileged user.
FROM debian:bookworm-slim
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh --runtime && rm -rf /tmp/install-deps.sh /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin \
    spotify2mqtt \
 && mkdir -p /data /config && chown spotify2mqtt /data && chmod 0700 /data
COPY --from=build /src/build/bin/spotify2mqtt /usr/local/bin/spotify2mqtt
COPY config/spotify2mqtt.example.json /config/config.json
# Tokens live in the /data volume. The page listens on every interface of the container so a
# published port reaches it; publish it on the host's loopback only (-p 127.0.0.1:8888:8888):
# it has no password, and Spotify's redirect URI must be a loopback address anyway.
# GNUTLS_NO_IMPLICIT_INIT: GnuTLS comes in with libcurl (via librtmp) but is never used; without
# it its constructor would set itself and p11-kit up anyway (~0.9 MiB of RSS).
ENV SPOTIFY2MQTT_CONFIG=/config/config.json \
    SPOTIFY2MQTT__STATE_DIR=/data \
    SPOTIFY2MQTT__WEB__LISTEN=0.0.0.0:8888 \
    GNUTLS_NO_IMPLICIT_INIT=1
USER spotify2mqtt
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8888
# `healthcheck` asks the bridge's GET /healthz (no curl in the image): healthy only while the
# bridge is connected to the broker and its loop runs.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/spotify2mqtt", "healthcheck"]
# The bridge runs as PID 1: it takes SIGTERM itself (publishes offline, exits 0) and starts no
# child processes, so no init is needed (`docker run --init` / compose `init: true` also work).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/spotify2mqtt"]
CMD ["run"]
