# The Switchyard control plane (API; `worker` mode runs background jobs).
# Build from the repository root: docker build -f infra/docker/control-plane.Dockerfile .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY libs ./libs
COPY apps/control-plane ./apps/control-plane
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund --workspace @switchyard/control-plane --include-workspace-root \
 && npx turbo run build --filter=@switchyard/control-plane

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src /app
USER node
EXPOSE 3000
CMD ["npm", "run", "start", "-w", "apps/control-plane"]
