# syntax=docker/dockerfile:1
# One image for every process: `bot` (default), `worker` and `diagnose`.
#   docker build -t mesh-doctor .
#   docker run --env-file .env -p 3000:3000 mesh-doctor            # the Slack bot
#   docker run --env-file .env mesh-doctor worker                   # a queue worker
# Credentials (kubeconfig, Google ADC) are mounted at run time, never copied in. Releases are built for
# amd64 and arm64 by .github/workflows/release.yml.
#
# The base image is pinned by digest (the multi-platform index of node:22-bookworm-slim), so a rebuild
# gets the same Node.js and Debian. To update it:
#   docker buildx imagetools inspect node:22-bookworm-slim --format '{{json .Manifest.Digest}}'
# and replace both digests below (or let Dependabot's docker ecosystem propose it).
ARG NODE_IMAGE=node:22-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c

# Build stage: compile TypeScript (main.ts, src and handlers) with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY src ./src
COPY handlers ./handlers
RUN npm run build

# Runtime stage: production dependencies and what the processes read, owned by root, run as non-root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY runbooks ./runbooks
# One example snapshot, for `docker compose run diagnose` (the demo); the others are test data.
COPY examples/proxy-startup-econnrefused ./examples/proxy-startup-econnrefused
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000 3001
# Liveness for Docker and compose: /healthz of the bot (PORT) or the worker (WORKER_PORT), whichever the
# container runs. Kubernetes ignores it and uses the probes in deploy/.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 CMD ["node", "/app/bin/healthcheck.js"]
ENTRYPOINT ["node", "/app/bin/mesh-doctor.js"]
CMD ["bot"]
