# syntax=docker/dockerfile:1
# One image for every process: `bot` (default), `worker` and `diagnose`.
#   docker build -t mesh-doctor .
#   docker run --env-file .env -p 3000:3000 mesh-doctor            # the Slack bot
#   docker run --env-file .env mesh-doctor worker                   # a queue worker
# Credentials (kubeconfig, Google ADC) are mounted at run time, never copied in.

# Build stage: compile TypeScript (main.ts, src and handlers) with the dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY src ./src
COPY handlers ./handlers
RUN npm run build

# Runtime stage: production dependencies and what the processes read, owned by root, run as non-root.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY runbooks ./runbooks
COPY examples ./examples
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
ENTRYPOINT ["node", "/app/bin/mesh-doctor.js"]
CMD ["bot"]
