# syntax=docker/dockerfile:1
# mim-bridge runs its TypeScript directly with Node's type stripping: there is no build step, so
# the image is the sources plus production dependencies.
#   docker build -t mim-bridge .
#   docker run --env-file .env -p 8080:8080 mim-bridge
# Give it 30 s to stop (`docker stop -t 30`, Kubernetes terminationGracePeriodSeconds: 30): on
# SIGTERM it drains for up to MIM_SHUTDOWN_TIMEOUT_MS (25 s), longer than Docker's default 10 s.

# --- production dependencies only ---
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` refuses the current lockfile (it lacks msgpackr-extract's optional darwin/win32/arm
# entries, see .ci/run); `npm install` resolves from the same lockfile. Once the lockfile lists
# them, `npm ci` succeeds and the fallback is never taken.
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund) \
    && npm cache clean --force

# --- type-check: no image is built from code that does not compile ---
FROM node:24-slim AS check
WORKDIR /app
COPY package.json package-lock.json ./
# Same lockfile fallback as in deps.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY sandbox ./sandbox
COPY bin ./bin
RUN npm run typecheck && touch /app/.typechecked

# --- runtime ---
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    MIM_CONFIG_DIR=/app/config
WORKDIR /app
# Makes the runtime depend on the check stage, so BuildKit does not skip it.
COPY --from=check /app/.typechecked /tmp/.typechecked
# Owned by root and only readable by the service user: the process cannot change its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY src ./src
COPY bin ./bin
COPY config ./config
USER node
EXPOSE 8080
# Liveness only: /readyz (Redis, config, workers consuming) is for the orchestrator's readiness probe.
# A MIM_ROLE=worker process has no HTTP listener, so there is nothing to probe: it reports healthy
# (a dead worker process ends the container; a stuck one shows as /readyz failing on the web side).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "src/app/main.ts"]
