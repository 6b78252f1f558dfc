# Build stage: the same dependency script the README and CI use.
FROM debian:bookworm-slim AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSPOTIFY2MQTT_TESTS=OFF \
 && cmake --build build -j"$(nproc)" \
 && strip build/bin/spotify2mqtt

# Runtime stage: the binary and its runtime libraries only, as an unprivileged user.
FROM debian:bookworm-slim
COPY scripts/install-deps.sh /tmp/install-deps.sh
RUN bash /tmp/install-deps.sh --runtime && rm /tmp/install-deps.sh \
 && useradd --system --uid 10001 --home-dir /data spotify2mqtt \
 && mkdir -p /data /config && chown spotify2mqtt /data && chmod 0700 /data
COPY --from=build /src/build/bin/spotify2mqtt /usr/local/bin/spotify2mqtt
COPY config/spotify2mqtt.json /config/config.json
ENV SPOTIFY2MQTT_CONFIG=/config/config.json \
    SPOTIFY2MQTT__STATE_DIR=/data
USER spotify2mqtt
VOLUME ["/data"]
EXPOSE 8888
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/spotify2mqtt"]
CMD ["run"]
