# syntax=docker/dockerfile:1
# mim-bridge in production runs the JavaScript that `npm run build` compiles from src/ into dist/
# (the repository runs its TypeScript directly; Node does not strip types under node_modules, and
# an image need not carry a compiler). The image holds dist/, bin/, config/ and the production
# dependencies: no sources, tests, bench or sandbox (the demo and vendor simulators).
#   docker build -t mim-bridge .
#   docker run --env-file .env -p 8080:8080 mim-bridge
# Give it 30 s to stop (`docker stop -t 30`; Kubernetes: terminationGracePeriodSeconds above any preStop
# sleep plus 25 s, deploy/kubernetes): on SIGTERM it drains for up to MIM_SHUTDOWN_TIMEOUT_MS (25 s), longer
# than Docker's default 10 s.

# --- build: every dependency, then tsc; no image is built from code that does not compile ---
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-assets.js ./scripts/
COPY src ./src
RUN npm run build

# --- runtime ---
FROM node:24-slim AS runtime
# --max-semi-space-size=16: Node 24's young generation grows to 2 × 64 MB under load and stays; at 16 MB
# each process peaks 60-150 MB lower at the same CPU per request (docs/benchmarks.md#memory).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    PORT=8080 \
    HOST=0.0.0.0 \
    MIM_CONFIG_DIR=/app/config
WORKDIR /app
# Owned by root and only readable by the service user: the process cannot change its own code.
COPY package.json package-lock.json ./
# --omit=dev keeps typescript and its 27 MB compiler binary: @bull-board/api's valibot names it as an
# optional peer, so npm marks it devOptional. Nothing loads it at run time; it goes.
RUN npm ci --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/typescript node_modules/@typescript \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
USER node
EXPOSE 8080
# Liveness only: /readyz (Redis, config, workers consuming) is for the orchestrator's readiness probe.
# Every role answers it (a MIM_ROLE=worker process serves only its probes and /metrics), so one check
# fits each container.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/app/main.js"]
