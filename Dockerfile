# syntax=docker/dockerfile:1
# renkei: build with dev dependencies, run with production ones only, as a non-root user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY interactions ./interactions
RUN npx tsc -p tsconfig.build.json

FROM node:24-bookworm-slim AS runtime
# The admin listener binds every interface inside the container so that its port can be published,
# but it answers nothing without a credential (RENKEI_ADMIN_TOKEN or a named staff credential), and
# that includes /metrics; publish it on an internal address only: -p 127.0.0.1:3001:3001
ENV NODE_ENV=production \
    RENKEI_KEYS_DIR=/run/renkei/keys \
    RENKEI_HOST=0.0.0.0 \
    RENKEI_ADMIN_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config ./config
COPY interactions/assets ./interactions/assets
COPY bin ./bin
# keys and site configuration are mounted at run time, never baked into the image:
#   -v /secure/renkei/keys:/run/renkei/keys:ro   -e RENKEI_CONFIG=/run/renkei/config.json
USER node
EXPOSE 3000 3001
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.RENKEI_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
