# syntax=docker/dockerfile:1
# mim-bridge runs its TypeScript directly with Node's built-in type stripping: no build step,
# so the image is the sources plus production dependencies.


# --- production dependencies only ---
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` refuses lockfiles without every optional platform build (see .ci/run); install
# from the same lockfile instead.
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

# --- type-check: the image is not built from code that does not compile ---
FROM node:24-slim AS check
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY bin ./bin
RUN npm run typecheck && touch /app/.typechecked

# --- runtime ---
FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    MIM_CONFIG_DIR=/app/config
WORKDIR /app
COPY --from=check /app/.typechecked /tmp/.typechecked
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node bin ./bin
COPY --chown=node:node config ./config
USER node
EXPOSE 8080
# Liveness only: readiness (/readyz) depends on Redis and workers and belongs to the orchestrator.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "src/main.ts"]
