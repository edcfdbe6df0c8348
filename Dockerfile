# syntax=docker/dockerfile:1
# The baton-xmatters image. Build: docker build -t baton-xmatters:0.1.0 .
#   One-shot sync into a mounted directory:
#     docker run --rm -v "$PWD:/out" -e BATON_BASE_URL=... -e BATON_USERNAME=... -e BATON_PASSWORD=... \
#       baton-xmatters:0.1.0                     (writes /out/sync.c1z)
#   ConductorOne service mode:
#     docker run -d -e BATON_CLIENT_ID=... -e BATON_CLIENT_SECRET=... -e BATON_BASE_URL=... ... baton-xmatters:0.1.0
# test/docker/dockerfile.test.ts replays the install and start steps below on a clean copy of the repository.

# A current Node LTS line (22 or 24); package.json engines still allows 20.18+ for npm installs.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Compilers for the native addons (better-sqlite3, zstd-napi) when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The `prepare` script builds, which needs the sources: install without scripts, then build only the addons.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 zstd-napi
COPY LICENSE tsconfig.json tsconfig.build.json ./
COPY src ./src
# dist/main.js starts with a `#!/usr/bin/env node` line: executable, it is the `baton-xmatters` command.
RUN npm run build \
 && chmod +x dist/main.js \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
# glibc gives threads that allocate at once their own malloc arenas (up to 8 per core) and seldom hands
# their freed pages back; each sync task runs a write-worker thread and a zstd thread, so a long-running
# service process otherwise grows its RSS by about a quarter before it levels off (npm run bench:service).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/LICENSE ./LICENSE
# The bin of package.json on PATH, as `npm install -g` would link it.
RUN ln -s /app/dist/main.js /usr/local/bin/baton-xmatters
# One-shot syncs write --file (default sync.c1z) into the working directory: mount a volume there.
RUN mkdir -p /out && chown node:node /out
USER node
WORKDIR /out
VOLUME ["/out"]
ENTRYPOINT ["baton-xmatters"]
