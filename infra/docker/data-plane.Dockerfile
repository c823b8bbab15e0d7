# syntax=docker/dockerfile:1
# The switchyard evaluation server (self-hosted, mirror, or a provisioned per-organisation instance:
# the Kubernetes driver's INSTANCE_IMAGE). Build from the repository root:
#   docker build -f infra/docker/data-plane.Dockerfile -t switchyard/data-plane .
# infra/test/images.test.ts checks this file without Docker.
FROM node:20.19-bookworm-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

FROM base AS build
ENV TURBO_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --output-logs=errors-only --filter=@switchyard/data-plane \
 && node infra/docker/stage-runtime.mjs /runtime

# Production dependencies of the data plane and its workspace libs only.
FROM base AS deps
COPY --from=build /runtime /app
RUN npm ci --omit=dev --no-audit --no-fund --workspace @switchyard/data-plane \
 && npm cache clean --force

FROM base AS data-plane
ENV NODE_ENV=production SWITCHYARD_DATA_DIR=/data
COPY --from=deps /app /app
COPY infra/docker/healthcheck.mjs /usr/local/lib/switchyard/healthcheck.mjs
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080 9000
# /ready: the first sync is done (what the Kubernetes driver's readiness probe asks too).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "/usr/local/lib/switchyard/healthcheck.mjs", "http", "http://127.0.0.1:8080/ready"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/apps/data-plane/dist/cli.js"]
CMD ["serve", "--config", "/etc/switchyard/config.yaml"]
