# Multi-stage build: the release binary on a slim runtime image (no libpq needed: the
# PostgreSQL driver is pure Rust; migrations are embedded in the binary).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY tests ./tests
RUN cargo build --release --locked --bin camau

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /nonexistent camau
COPY --from=build /src/target/release/camau /usr/local/bin/camau
USER camau
ENV CAMAU_BIND=0.0.0.0:8080 CAMAU_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["camau"]
CMD ["serve"]
