# syntax=docker/dockerfile:1
# Evident in a container, for CI systems and machines without a Rust toolchain:
#
#   docker build -t evident .
#   docker run --rm -v "$PWD:/repo" evident check
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/repo" evident check --output sarif=evident.sarif
#
# (`-u` makes files written into the mounted repository yours.)

# --- build: the release binary, from the committed lockfile -----------------------------------
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
# git2's libgit2 and mimalloc are built from source with the image's C compiler; nothing else
# is needed. The cache mounts keep the registry and the build between local rebuilds.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && install -m 0755 target/release/evident /usr/local/bin/evident

# --- run: a small Debian with git (for `git fetch` in CI) and CA certificates -----------------
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --user-group evident \
    # A repository mounted from the host belongs to another user; git (and libgit2, which
    # Evident uses) refuse such a repository unless it is marked safe.
    && git config --system --add safe.directory /repo
COPY --from=build /usr/local/bin/evident /usr/local/bin/evident
USER evident
WORKDIR /repo
ENTRYPOINT ["evident"]
CMD ["check"]
