# syntax=docker/dockerfile:1
# toasoan: headless CMS REST API for newsrooms.
#   docker build -t toasoan .
#   docker run -p 3000:3000 -e ADMIN_EMAIL=admin@example.org -e ADMIN_PASSWORD=change-me-please toasoan
# Without DATABASE_URL the embedded PGlite database lives under DATA_DIR (/var/lib/toasoan/data);
# mount a volume there, or set DATABASE_URL (see docker-compose.yml).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, TypeScript -> dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# ---- runtime: production dependencies, compiled code, migrations ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/toasoan/data \
    MEDIA_DIR=/var/lib/toasoan/media
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# src/db/migrate.ts finds migrations/ by walking up from dist/src/db, so it sits next to dist/.
COPY migrations ./migrations
# Writable state belongs to the unprivileged "node" user (uid 1000) of the base image; named
# volumes mounted on these paths start with this ownership.
RUN mkdir -p /var/lib/toasoan/data /var/lib/toasoan/media \
 && chown -R node:node /var/lib/toasoan
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (graceful shutdown in src/server.ts).
CMD ["node", "dist/src/server.js"]
