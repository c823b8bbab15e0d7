# syntax=docker/dockerfile:1
# The Switchyard cloud's images, one target per role on one shared runtime tree:
#   control-plane  the API (applies database migrations first), internal gRPC on 9100
#   worker         the provisioning worker (its local driver runs organisation instances in-container)
#   edge           the environment-URL router
#   console        the Next.js console (proxies /api to CONTROL_PLANE_URL)
#   dev-idp        the development OpenID provider (never in production)
# Build from the repository root: docker build -f infra/docker/cloud.Dockerfile --target edge .
# docker-compose.yml builds every target. infra/test/images.test.ts checks this file and runs the
# staging script (infra/docker/stage-runtime.mjs) without Docker.

FROM node:20.19-bookworm-slim AS base
# git: hosted repositories (control plane) and instances' git sources (worker); tini: PID 1 that
# forwards SIGTERM and reaps the worker's instance processes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Everything built once, with dev dependencies (TypeScript, turbo, Next's compiler).
FROM base AS build
ENV TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --output-logs=errors-only \
    --filter=@switchyard/control-plane --filter=@switchyard/data-plane \
    --filter=@switchyard/edge --filter=@switchyard/web --filter=@switchyard/dev-idp \
 && node infra/docker/stage-runtime.mjs /runtime

# Production dependencies only, per role: `npm ci --omit=dev --workspace <app>` in the staged tree
# (manifests, lockfile, build output) installs that app's dependencies and links its workspace libs.
FROM base AS deps-control-plane
COPY --from=build /runtime /app
# The worker's local driver runs the data plane's binary for each organisation instance.
RUN npm ci --omit=dev --no-audit --no-fund \
    --workspace @switchyard/control-plane --workspace @switchyard/data-plane \
 && npm cache clean --force

FROM base AS deps-edge
COPY --from=build /runtime /app
RUN npm ci --omit=dev --no-audit --no-fund --workspace @switchyard/edge && npm cache clean --force

FROM base AS deps-console
COPY --from=build /runtime /app
RUN npm ci --omit=dev --no-audit --no-fund --workspace @switchyard/web && npm cache clean --force

FROM base AS deps-dev-idp
COPY --from=build /runtime /app
RUN npm ci --omit=dev --no-audit --no-fund --workspace @switchyard/dev-idp && npm cache clean --force

# What every role shares: the health check, the data directory, tini as PID 1.
FROM base AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 SWITCHYARD_DATA_DIR=/data
COPY infra/docker/healthcheck.mjs /usr/local/lib/switchyard/healthcheck.mjs
# /data: hosted repositories, mirrors and the worker's instances (a named volume in compose).
RUN mkdir -p /data && chown node:node /data
ENTRYPOINT ["/usr/bin/tini", "--"]

FROM runtime AS control-plane
COPY --from=deps-control-plane /app /app
USER node
EXPOSE 3000 9100
ENV HOST=0.0.0.0 PORT=3000 INTERNAL_GRPC_HOST=0.0.0.0 INTERNAL_GRPC_PORT=9100
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "/usr/local/lib/switchyard/healthcheck.mjs", "http", "http://127.0.0.1:3000/api/v1/health"]
CMD ["node", "apps/control-plane/dist/main.js"]

FROM runtime AS worker
COPY --from=deps-control-plane /app /app
USER node
ENV INSTANCE_DATA_DIR=/data/instances
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "/usr/local/lib/switchyard/healthcheck.mjs", "redis"]
CMD ["node", "apps/control-plane/dist/worker.js"]

FROM runtime AS edge
COPY --from=deps-edge /app /app
USER node
EXPOSE 8088
ENV EDGE_HOST=0.0.0.0 EDGE_PORT=8088 EDGE_DATA_DIR=/data/edge
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "/usr/local/lib/switchyard/healthcheck.mjs", "http", "http://127.0.0.1:8088/health"]
CMD ["node", "apps/edge/dist/main.js"]

FROM runtime AS console
COPY --from=deps-console /app /app
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "/usr/local/lib/switchyard/healthcheck.mjs", "http", "http://127.0.0.1:3001/login"]
CMD ["node", "node_modules/next/dist/bin/next", "start", "apps/web", "-H", "0.0.0.0", "-p", "3001"]

FROM runtime AS dev-idp
COPY --from=deps-dev-idp /app /app
USER node
# The dev IdP refuses to start under NODE_ENV=production.
ENV NODE_ENV=development
EXPOSE 4000
HEALTHCHECK --interval=5s --timeout=5s --start-period=10s --retries=5 \
  CMD ["node", "/usr/local/lib/switchyard/healthcheck.mjs", "http", "http://127.0.0.1:4000/.well-known/openid-configuration"]
# The issuer is http://<--host>:<--port>: compose passes --host dev-idp (see docker-compose.yml).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "apps/dev-idp/dist/cli.js"]
CMD ["--host", "0.0.0.0", "--port", "4000", "--profile", "generic"]
