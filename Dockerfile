# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript and the native SQLite binding, then ship a slim, non-root runtime.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
# 0.0.0.0 so `-p` works. With SensePass credentials the gateway then refuses to start until every endpoint requires
# authentication or SPGW_SERVER__ALLOW_ANONYMOUS_ON_NETWORK=true is set (README "Docker", docs/security.md).
ENV NODE_ENV=production \
    SPGW_SERVER__HOST=0.0.0.0 \
    SPGW_SERVER__PORT=8080 \
    SPGW_PATHS__MAPPINGS=/app/mappings \
    SPGW_PATHS__WSDL=/app/wsdl \
    SPGW_PATHS__DATA=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY mappings ./mappings
COPY wsdl ./wsdl
COPY docs ./docs
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
# mappings/ and wsdl/ are the integrator's contract; data/ holds the SQLite journal and must survive restarts.
VOLUME ["/app/mappings", "/app/wsdl", "/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.SPGW_SERVER__PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Without SensePass credentials the container runs the built-in simulator (127.0.0.1:8081, inside the container).
CMD ["node", "dist/src/main.js"]
