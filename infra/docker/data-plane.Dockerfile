# The switchyard evaluation server (self-hosted, mirror, or a provisioned per-organisation instance).
# Build from the repository root: docker build -f infra/docker/data-plane.Dockerfile .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY libs ./libs
COPY apps/data-plane ./apps/data-plane
RUN npm ci --no-audit --no-fund --workspace @switchyard/data-plane --include-workspace-root \
 && npx turbo run build --filter=@switchyard/data-plane \
 && npm prune --omit=dev --workspace @switchyard/data-plane

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src /app
USER node
ENV SWITCHYARD_DATA_DIR=/tmp/switchyard
EXPOSE 8080 9000
ENTRYPOINT ["node", "/app/apps/data-plane/dist/cli.js"]
CMD ["serve", "--config", "/etc/switchyard/config.yaml"]
